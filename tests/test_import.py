"""Import refuses a bad file with its name and line, and then has written nothing."""

from __future__ import annotations

import io
import re

import pytest
from history_helpers import make_record, open_store

from psoas_tui.cli import main
from psoas_tui.errors import UserError
from psoas_tui.history.export import write_toml
from psoas_tui.history.importer import import_history, load_export
from psoas_tui.model import SessionStatus


def _export_text(records) -> str:
    stream = io.BytesIO()
    write_toml(iter(records), stream)
    return stream.getvalue().decode("utf-8")


GOOD = [make_record(n) for n in range(3)]
HEAD = '[export]\nformat = "psoas-tui-history"\nformat_version = 1\n'


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    matches = [m.start() for m in re.finditer(re.escape(needle), text)]
    return text.count("\n", 0, matches[occurrence - 1]) + 1


def _edit(text: str, old: str, new: str, occurrence: int = 1) -> str:
    parts = text.split(old)
    return old.join(parts[:occurrence]) + new + old.join(parts[occurrence:])


@pytest.mark.parametrize(
    ("old", "new", "occurrence", "line_of", "message"),
    [
        ("planned_seconds = 600", "planned_seconds = = 600", 2, "planned_seconds = = 600", "TOML syntax"),
        ("feeling_before = 4", "feeling_before = 11", 3, "feeling_before = 11",
         "sessions[3].checkin.feeling_before"),
        ("feeling_after = 7", "feeling_afterr = 7", 2, "feeling_afterr", "unknown key"),
        ("status = \"completed\"", "status = \"done\"", 2, "status = \"done\"", "status"),
        ("+01:00\nended", "\nended", 1, "started_at = 2026-11-20 08:00:00\n", "UTC offset"),
        ("done_seconds = 600.0", "done_seconds = -1.0", 3, "done_seconds = -1.0",
         "sessions[3].done_seconds: must be a number of seconds 0-100000000, got -1.0"),
        ("segments_done = 3", "segments_done = 3.5", 1, "segments_done = 3.5", "whole number"),
        ("id = \"00000000-0000-4000-8000-000000000001\"",
         "id = \"00000000-0000-4000-8000-000000000000\"", 1,
         "id = \"00000000-0000-4000-8000-000000000000\"\nroutine_id", "twice (also sessions[1])"),
        ("id = \"00000000-0000-4000-8000-000000000001\"", "id = \"session-1\"", 1, "id = \"session-1\"",
         "sessions[2].id: must be a UUID, got 'session-1'"),
        ("planned_seconds = 600", "planned_seconds = 99999999999999999", 1,
         "planned_seconds = 99999999999999999",
         "sessions[1].planned_seconds: must be a whole number 0-100000000, got 99999999999999999"),
        ("planned_seconds = 600", "planned_seconds = 100000001", 2, "planned_seconds = 100000001",
         "0-100000000"),
        ("right_seconds = 240.0", "right_seconds = inf", 1, "right_seconds = inf", "got inf"),
        ("segments_done = 3", "segments_done = 100001", 3, "segments_done = 100001",
         "sessions[3].segments_done: must be a whole number 0-100000, got 100001"),
        ("+01:00\nended", "\nended", 1, "started_at = 2026-11-20 08:00:00\n",
         "sessions[1].started_at: must be a date and time with a UTC offset, got 2026-11-20T08:00:00"),
        ("planned_seconds = 600\n", "", 1, None, None),  # fine: planned_seconds defaults to 0
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_nothing_is_written(
    tmp_path, old, new, occurrence, line_of, message
):
    text = _edit(_export_text(GOOD), old, new, occurrence)
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with open_store(tmp_path) as store:
        store.add_records([make_record(99)])
        if message is None:
            assert import_history(store, path).added == 3
            return
        with pytest.raises(UserError) as caught:
            import_history(store, path)
        assert store.count() == 1  # only the session that was there before
    error = str(caught.value)
    occurrence_in_new = 2 if "twice" in message else 1
    assert error.startswith(f"{path}:{_line_of(text, line_of, occurrence_in_new)}: "), error
    assert message in error


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "missing [export]"),
        ("[export]\nformat = \"something-else\"\nformat_version = 1\n", "must be 'psoas-tui-history'"),
        ("[export]\nformat = \"psoas-tui-history\"\nformat_version = 2\n", "newer"),
        (HEAD + "colour = 1\n", "unknown key"),
        (HEAD + "sessions = 3\n", "unknown key"),
        (HEAD + "[[sessions]]\nid = \"x\"\n", "missing"),
        (HEAD + "[sessions]\n", "array of tables"),
        ("oops = 1\n" + HEAD, "unknown table or key"),
    ],
)
def test_headers_and_shapes_are_checked(tmp_path, text, message):
    path = tmp_path / "x.toml"
    path.write_text(text)
    with pytest.raises(UserError, match=re.escape(message)):
        load_export(path)


def test_bytes_that_are_not_utf8_name_the_line(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(_export_text(GOOD).encode().replace(b"note 1", b"caf\xe9"))
    with pytest.raises(UserError, match=r"latin1.toml:\d+: not valid UTF-8"):
        load_export(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        load_export(tmp_path / "nope.toml")


def test_importing_twice_adds_nothing_and_running_becomes_interrupted(tmp_path):
    text = _export_text([*GOOD, make_record(5, status=SessionStatus.STOPPED)])
    text = text.replace('status = "stopped"', 'status = "running"')
    path = tmp_path / "in.toml"
    path.write_text(text, encoding="utf-8")
    with open_store(tmp_path) as store:
        first = import_history(store, path)
        second = import_history(store, path)
        assert (first.added, first.skipped) == (4, 0)
        assert (second.added, second.skipped, second.total) == (0, 4, 4)
        assert store.get(make_record(5).id).status is SessionStatus.INTERRUPTED


def test_cli_import_error_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text("[export]\nformat = 'psoas-tui-history'\nformat_version = 1\n[[sessions]\n")
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"psoas-tui: {path}:4: TOML syntax")


def test_the_largest_values_still_import(tmp_path):
    edge = make_record(0, planned_seconds=100_000_000, done_seconds=100_000_000.0, left_seconds=100_000_000.0,
                       right_seconds=0.0, segments_done=100_000,
                       id="6f9619ff8b86d011b42d00c04fc964ff")  # 32 hex digits: a UUID too
    path = tmp_path / "edge.toml"
    path.write_text(_export_text([edge]), encoding="utf-8")
    assert load_export(path) == [edge]


def test_error_messages_never_show_python_reprs(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(HEAD + '[[sessions]]\nid = "00000000-0000-4000-8000-000000000001"\nroutine_id = "r"\n'
                    'status = "completed"\nstarted_at = 2026-11-20\n')
    with pytest.raises(UserError) as caught:
        load_export(path)
    assert str(caught.value) == (f"{path}:8: sessions[1].started_at: must be a date and time with a "
                                 "UTC offset, got 2026-11-20")
