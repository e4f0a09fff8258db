"""Issue 9 (hardening), the import and history side: control characters, JSON imports, dates and
numbers at the edges, deep nesting, a clock that stepped back, odd rows already stored."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import time
import tomllib
from datetime import datetime, timedelta, timezone

import pytest
from history_helpers import make_record

from psoas_tui import paths
from psoas_tui.cli import main
from psoas_tui.errors import UserError
from psoas_tui.history.export import write_toml
from psoas_tui.history.importer import load_export
from psoas_tui.history.store import HistoryStore
from psoas_tui.model import CheckIn


def _export_text(records) -> str:
    stream = io.BytesIO()
    write_toml(iter(records), stream)
    return stream.getvalue().decode("utf-8")


def _seed(records) -> None:
    with HistoryStore.open() as store:
        store.add_records(records)


def _stored_ids() -> list[str]:
    if not paths.history_file().exists():
        return []
    with HistoryStore.open() as store:
        return [r.id for r in store.iter_sessions()]


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- item 1: control characters ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "record", "code", "needle"),
    [
        ("routine_title", make_record(1, routine_title="Evil\x1b]0;pwned\x07"), "U+001B", "routine_title ="),
        ("routine_title", make_record(1, routine_title="C1 \x9b31m"), "U+009B", "routine_title ="),
        ("checkin.note", make_record(1, checkin=CheckIn(note="bell\x07")), "U+0007", "note ="),
        ("checkin.note", make_record(1, checkin=CheckIn(note="del\x7f")), "U+007F", "note ="),
        ("checkin.note", make_record(1, checkin=CheckIn(note="cr\r\n")), "U+000D", "note ="),
        ("routine_id", make_record(1, routine_id="tiny\n"), "U+000A", "routine_id ="),
    ],
)
def test_an_import_with_a_control_character_is_refused_whole(tmp_path, capsys, field, record, code, needle):
    text = _export_text([make_record(0), record])
    path = tmp_path / "evil.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    line = _line(text[text.index('id = "00000000-0000-4000-8000-000000000001"'):], needle) + _line(
        text, 'id = "00000000-0000-4000-8000-000000000001"') - 1
    assert err == f"psoas-tui: {path}:{line}: sessions[2].{field}: control character {code} not allowed\n"
    assert _stored_ids() == []  # all or nothing


def test_notes_keep_their_line_breaks_and_tabs_on_import(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(_export_text([make_record(0, checkin=CheckIn(note="two\nlines\tand a tab"))]))
    (record,) = load_export(path)
    assert record.checkin.note == "two\nlines\tand a tab"


def test_history_neutralises_control_characters_already_stored(capsys):
    _seed([make_record(0, routine_title="Evil\x1b]0;pwned\x07 \x9b31m",
                       checkin=CheckIn(note="n\x1b[2J\x9b"))])
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "Evil" in out
    assert not any(ch in out for ch in "\x1b\x07\x9b")
    assert main(["history", "--json"]) == 0
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\x07\x9b")
    (data,) = json.loads(out)
    assert data["routine_title"] == "Evil\x1b]0;pwned\x07 \x9b31m"  # escaped, not lost
    assert data["checkin"]["note"] == "n\x1b[2J\x9b"


# -- item 4: bounded reading ------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_given_to_import_is_refused_not_read(tmp_path, capsys):
    fifo = tmp_path / "backup.toml"
    os.mkfifo(fifo)
    assert main(["import", str(fifo)]) == 2  # today: blocks forever in open()
    err = capsys.readouterr().err
    assert err == f"psoas-tui: {fifo}: is a FIFO (named pipe), not a regular file; not read\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_given_to_import_is_refused_not_read(capsys):
    assert main(["import", "/dev/zero"]) == 2  # today: reads until out of memory
    assert capsys.readouterr().err == "psoas-tui: /dev/zero: is a device, not a regular file; not read\n"


def test_an_import_larger_than_the_cap_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    import psoas_tui.history.importer as importer

    assert importer.MAX_IMPORT_BYTES == 256 * 1024 * 1024  # a 43 MiB benchmark export fits easily
    monkeypatch.setattr(importer, "MAX_IMPORT_BYTES", 1024)
    path = tmp_path / "big.toml"
    path.write_text(_export_text([make_record(n) for n in range(5)]))
    assert main(["import", str(path)]) == 2
    assert capsys.readouterr().err == f"psoas-tui: {path}: larger than 1 KiB; not read\n"


def test_an_over_long_text_field_is_refused(tmp_path):
    path = tmp_path / "long.toml"
    text = _export_text([make_record(0, checkin=CheckIn(note="x" * 10_001))])
    path.write_text(text)
    with pytest.raises(UserError) as caught:
        load_export(path)
    assert str(caught.value) == (f"{path}:{_line(text, 'note =')}: sessions[1].checkin.note: "
                                 "must be at most 10,000 characters, got 10,001")


# -- item 8: deep nesting -----------------------------------------------------------------------
@pytest.mark.parametrize("suffix", ["toml", "json"])
def test_deep_nesting_in_an_import_is_one_line(tmp_path, capsys, suffix):
    path = tmp_path / f"deep.{suffix}"
    deep = "[" * 5000 + "]" * 5000
    path.write_text(f"x = {deep}\n" if suffix == "toml" else f'{{"x": {deep}}}')
    assert main(["import", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"psoas-tui: {path}: nested too deeply (arrays or tables inside one another)\n")


# -- item 9: dates and numbers at the edges ---------------------------------------------------------
@pytest.mark.parametrize("moment", ["9999-12-31 23:59:59-05:00", "0001-01-01 00:00:00+05:00",
                                    "9999-12-31 23:59:59Z", "0001-01-01 00:00:00Z", "1969-12-31 23:59:59Z",
                                    # inside by the local date, outside once in UTC:
                                    "1970-01-01 00:30:00+01:00", "2199-12-31 23:30:00-01:00"])
def test_dates_outside_the_kept_range_are_refused(tmp_path, capsys, moment):
    text = _export_text([make_record(0)])
    text = text.replace("started_at = 2026-11-20 08:00:00+01:00", f"started_at = {moment}")
    text = text.replace("ended_at = 2026-11-20 08:10:00+01:00\n", "")
    path = tmp_path / "edge.toml"
    path.write_text(text)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"psoas-tui: {path}:{_line(text, 'started_at')}: sessions[1].started_at: "
                          "must lie between 1970-01-01 and 2199-12-31 (UTC), got ")
    assert err.count("\n") == 1 and _stored_ids() == []


@pytest.mark.parametrize("moment", ["1969-12-31 23:30:00-01:00", "2200-01-01 00:30:00+01:00",
                                    "1970-01-01 00:00:00Z", "2199-12-31 23:59:59.999999Z"])
def test_dates_at_the_edges_of_the_kept_range_come_in(tmp_path, moment):
    """Outside the range by the local date, inside once in UTC (and the ends themselves)."""
    text = _export_text([make_record(0)])
    text = text.replace("started_at = 2026-11-20 08:00:00+01:00", f"started_at = {moment}")
    text = text.replace("ended_at = 2026-11-20 08:10:00+01:00\n", "")
    path = tmp_path / "edge.toml"
    path.write_text(text)
    [record] = load_export(path)
    assert record.started_at == tomllib.loads(f"t = {moment}")["t"]


def test_a_number_of_thousands_of_digits_is_one_line(tmp_path, capsys):
    text = _export_text([make_record(0)]).replace("planned_seconds = 600", "planned_seconds = " + "9" * 5000)
    path = tmp_path / "huge.toml"
    path.write_text(text)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"psoas-tui: {path}: TOML syntax: a number with too many digits (more than 4300)\n"


def test_a_huge_limit_lists_everything(capsys):
    _seed([make_record(0), make_record(1)])
    assert main(["history", "--limit", "99999999999999999999"]) == 0
    assert "2 sessions" in capsys.readouterr().out


def _raw_rows(*updates: tuple[str, tuple]) -> None:
    """Change stored rows behind the store's back, as a hand edit or a foreign tool could."""
    conn = sqlite3.connect(paths.history_file())
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for sql, args in updates:
        conn.execute(sql, args)
    conn.commit()
    conn.close()


def test_odd_stored_rows_are_reported_not_fatal(capsys):
    _seed([make_record(n) for n in range(5)])
    _raw_rows(
        ("UPDATE sessions SET status = 'exploded' WHERE id = ?", (make_record(1).id,)),
        ("UPDATE sessions SET started_at = 'yesterday-ish' WHERE id = ?", (make_record(2).id,)),
        ("UPDATE sessions SET planned_seconds = 'lots' WHERE id = ?", (make_record(3).id,)),
    )
    assert main(["history"]) == 0
    captured = capsys.readouterr()
    assert "2 sessions" in captured.out
    lines = captured.err.splitlines()
    assert len(lines) == 3 and all(line.startswith("psoas-tui: ") and "left out" in line for line in lines)
    assert "unknown status 'exploded'" in captured.err
    assert main(["history", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["export", "-o", "-"]) == 0
    assert capsys.readouterr().err.count("left out") == 3


def test_a_year_one_row_does_not_crash_history_in_another_time_zone(monkeypatch, capsys):
    _seed([make_record(0), make_record(1)])
    _raw_rows(("UPDATE sessions SET started_at = '0001-01-01T00:00:00.000000+00:00', utc_offset = 0"
               " WHERE id = ?", (make_record(1).id,)))
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert main(["history"]) == 0
    finally:
        monkeypatch.undo()
        time.tzset()
    captured = capsys.readouterr()
    assert "1 session," in captured.out and "left out" in captured.err


def test_a_missing_day_totals_table_is_rebuilt(capsys):
    _seed([make_record(0), make_record(1)])
    _raw_rows(("DROP TABLE day_totals", ()))
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total_sessions"] == 2
    with HistoryStore.open() as store:  # and writing works again
        store.add_records([make_record(2)])
        assert store.query("SELECT TOTAL(sessions) FROM day_totals")[0][0] == 3


# -- item 10: an end before the start (the clock stepped back) -------------------------------------
def test_an_old_export_with_the_end_before_the_start_imports_repaired(tmp_path, capsys):
    record = make_record(0)
    text = _export_text([record, make_record(1)]).replace(
        "ended_at = 2026-11-20 08:10:00+01:00", "ended_at = 2026-11-20 07:58:00+01:00")
    path = tmp_path / "stepped.toml"
    path.write_text(text)
    assert main(["import", str(path)]) == 0
    captured = capsys.readouterr()
    assert "Imported 2 sessions" in captured.out
    assert captured.err == (f"psoas-tui: {path}:{_line(text, 'ended_at')}: sessions[1].ended_at: was before "
                            "started_at (the clock stepped back); imported as started_at plus the time "
                            "done, 2026-11-20 08:10:00+01:00\n")
    with HistoryStore.open() as store:
        assert store.get(record.id).ended_at == record.started_at + timedelta(seconds=600)


def test_a_repaired_end_never_passes_the_last_moment_kept(tmp_path, capsys):
    """Repaired as start plus time done, an end would fall after 2199-12-31: it is kept at the
    last moment instead, so the session is not stored and then left out of every list."""
    record = make_record(0)
    text = _export_text([record]).replace(
        "started_at = 2026-11-20 08:00:00+01:00", "started_at = 2199-12-31 23:59:00+00:00").replace(
        "ended_at = 2026-11-20 08:10:00+01:00", "ended_at = 2199-12-31 23:58:00+00:00")
    path = tmp_path / "late.toml"
    path.write_text(text)
    assert main(["import", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.endswith("imported as started_at plus the time done, 2199-12-31 23:59:59.999999+00:00 "
                        "(the last moment the history keeps)\n")
    assert main(["history"]) == 0
    captured = capsys.readouterr()
    assert "Tiny routine" in captured.out and captured.err == ""


# -- item 16: newest first ----------------------------------------------------------------------
def test_history_lists_newest_first(capsys):
    _seed([make_record(0, routine_title="First"), make_record(30, routine_title="Second")])
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert out.index("Second") < out.index("First")
    assert main(["history", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "Second" in out and "First" not in out


# -- item 18: JSON imports ------------------------------------------------------------------------
def test_the_apps_own_json_export_imports(tmp_path, capsys):
    records = [make_record(0), make_record(1, checkin=None, ended_at=None)]
    _seed(records)
    path = tmp_path / "backup.json"
    assert main(["export", "-o", str(path)]) == 0
    os.remove(paths.history_file())
    capsys.readouterr()
    assert main(["import", str(path)]) == 0  # today: "TOML syntax: Invalid statement"
    assert "Imported 2 sessions" in capsys.readouterr().out
    with HistoryStore.open() as store:
        assert sorted(store.iter_sessions(), key=lambda r: r.id) == records


def test_a_bad_json_import_names_file_line_and_field(tmp_path):
    _seed([make_record(0), make_record(1)])
    path = tmp_path / "backup.json"
    assert main(["export", "-o", str(path)]) == 0
    text = path.read_text().replace('"planned_seconds": 600', '"planned_seconds": -1', 2)
    path.write_text(text)
    with pytest.raises(UserError) as caught:
        load_export(path)
    assert str(caught.value) == (f"{path}:2: sessions[1].planned_seconds: must be a whole number "
                                 "0-100000000, got -1")


def test_a_json_null_is_named_null(tmp_path):
    _seed([make_record(0)])
    path = tmp_path / "backup.json"
    assert main(["export", "-o", str(path)]) == 0
    path.write_text(path.read_text().replace('"routine_title": "Tiny routine"', '"routine_title": null'))
    with pytest.raises(UserError) as caught:
        load_export(path)
    assert str(caught.value) == f"{path}:2: sessions[1].routine_title: must be text, got null"


# -- item 24: tomorrow ------------------------------------------------------------------------------
def test_since_tomorrow_works_and_help_lists_the_day_words(capsys):
    _seed([make_record(0)])
    assert main(["history", "--since", "tomorrow"]) == 0
    assert "No sessions in that range." in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["history", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "today, yesterday or tomorrow" in help_text
    today = datetime.now().date()
    since = str(today - timedelta(days=9000))
    assert main(["history", "--json", "--until", "tomorrow", "--since", since]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_a_json_list_or_a_json_suffix_is_read_as_json(tmp_path, capsys):
    _seed([make_record(0)])
    listing = tmp_path / "history.json"
    assert main(["history", "--json"]) == 0
    listing.write_text(capsys.readouterr().out)
    assert main(["import", str(listing)]) == 2
    assert capsys.readouterr().err == (f"psoas-tui: {listing}: not a history export: expected a JSON "
                                       'object with "export" and "sessions"\n')
    broken = tmp_path / "broken.json"
    broken.write_text('{"export": {,}')
    assert main(["import", str(broken)]) == 2
    assert capsys.readouterr().err.startswith(f"psoas-tui: {broken}:1: JSON syntax: ")


def test_counts_in_the_thousands_have_their_comma(tmp_path, capsys):
    path = tmp_path / "many.toml"
    path.write_text(_export_text([make_record(n, checkin=None) for n in range(1000)]))
    assert main(["import", str(path)]) == 0
    assert main(["import", str(path)]) == 0
    assert "Imported 0 sessions from" in capsys.readouterr().out.splitlines()[-1]
    assert main(["import", str(path)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("(1,000 already in the history)")
    assert main(["stats"]) == 0
    assert "1,000 sessions (1,000 completed)" in capsys.readouterr().out


def test_history_shows_the_time_where_the_session_took_place(capsys, monkeypatch):
    """A morning session in Tokyo reads 07:00 on 2025-03-02 on a machine in UTC too: the same
    day that --since/--until and the order go by (before, 2025-03-01 22:00 was listed under
    --since 2025-03-02)."""
    tokyo = timezone(timedelta(hours=9))
    started = datetime(2025, 3, 2, 7, 0, tzinfo=tokyo)
    _seed([make_record(0, started_at=started, ended_at=started + timedelta(minutes=10),
                       routine_title="Tokyo morning")])
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert main(["history", "--since", "2025-03-02", "--until", "2025-03-02"]) == 0
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "2025-03-02 07:00  Tokyo morning" in capsys.readouterr().out


def test_history_columns_stay_in_line_with_wide_characters(capsys):
    _seed([make_record(0, routine_title="日本語タイトル"), make_record(1, routine_title="Plain")])
    assert main(["history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line for line in lines if "日本語" in line or "Plain" in line]
    from psoas_tui.text import cell_width

    # the STATUS column starts in the same terminal column on every row
    starts = [cell_width(line[: line.index("completed")]) for line in rows]
    assert len(rows) == 2 and starts[0] == starts[1]


def test_a_missing_rating_reads_as_a_question_mark(capsys):
    _seed([make_record(0, checkin=CheckIn(feeling_after=0, tightness_right=3))])
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "?->0" in out and "L? R3" in out and "-->" not in out
