"""Export, import into an empty data dir, export again: the same sessions (hypothesis)."""

from __future__ import annotations

import io
import re
import tomllib

import pytest

# issue 9: imports refuse control characters, so the round trips draw importable text
from history_helpers import importable_records as records
from history_helpers import importable_session_lists as session_lists
from history_helpers import make_record, open_store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from psoas_tui.errors import UserError
from psoas_tui.history.codec import Lines, parse_document, read_records, records_from_document
from psoas_tui.history.export import write_toml
from psoas_tui.history.importer import import_history
from psoas_tui.history.store import HistoryStore
from psoas_tui.model import CheckIn

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _toml_bytes(items) -> bytes:
    stream = io.BytesIO()
    write_toml(iter(items), stream)
    return stream.getvalue()


@SETTINGS
@given(session_lists)
def test_export_import_export_gives_the_same_sessions(tmp_path_factory, sessions):
    base = tmp_path_factory.mktemp("roundtrip")
    with HistoryStore.open(base / "a" / "history.sqlite3") as first:
        first.add_records(sessions)
        exported = list(first.iter_sessions())
    path = base / "export.toml"
    path.write_bytes(_toml_bytes(exported))
    with HistoryStore.open(base / "b" / "history.sqlite3") as second:
        result = import_history(second, path)
        assert (result.added, result.skipped) == (len(sessions), 0)
        again = list(second.iter_sessions())
        assert import_history(second, path).added == 0  # matched by id: nothing new
        assert second.count() == len(sessions)
    assert again == exported
    assert sorted(again, key=lambda r: r.id) == sorted(sessions, key=lambda r: r.id)
    first_doc = tomllib.loads(path.read_text(encoding="utf-8"))
    second_doc = tomllib.loads(_toml_bytes(again).decode("utf-8"))
    assert first_doc.get("sessions", []) == second_doc.get("sessions", [])


# issue 10: the regex "fast path" is gone; these tests now hold the codec (tomllib) to the same
# edits and bad values they held the fast path to.
@SETTINGS
@given(session_lists)
def test_the_codec_reads_exports_as_tomllib_does(sessions):
    text = _toml_bytes(sessions).decode("utf-8")
    assert parse_document(text) == tomllib.loads(text)
    assert read_records(text) == records_from_document(tomllib.loads(text))


@settings(max_examples=40, deadline=None)
@given(session_lists.filter(bool), st.data())
def test_any_edit_is_read_like_tomllib_reads_it(sessions, data):
    """Mutate one line of an export: the codec refuses it (naming a line) or reads what tomllib reads."""
    lines = _toml_bytes(sessions).decode("utf-8").split("\n")
    index = data.draw(st.integers(0, len(lines) - 1))
    edit = data.draw(st.sampled_from([
        lambda s: s + " # comment", lambda s: s.replace(" = ", "="), lambda s: s.replace('"', "'"),
        lambda s: s.replace("0", "00"), lambda s: s.replace(".", ""), lambda s: s.upper(),
        lambda s: s.replace(" ", "T"), lambda s: s + "\r", lambda s: "", lambda s: s[:-1],
        lambda s: s.replace("+", "-"), lambda s: s.replace("1", "_1"), lambda s: s * 2,
        lambda s: s.replace("checkin", "checkout"), lambda s: s.replace(":", ":6"),
    ]))
    lines[index] = edit(lines[index])
    text = "\n".join(lines)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(UserError, match=r"^<export>:\d+: TOML syntax: "):
            parse_document(text)
        return
    assert parse_document(text) == expected


@settings(max_examples=40, deadline=None)
@given(session_lists.filter(bool), st.data())
def test_every_bad_value_is_refused_at_its_line_or_repaired(sessions, data):
    text = _toml_bytes(sessions).decode("utf-8")
    assert read_records(text) == records_from_document(parse_document(text))
    old, new = data.draw(st.sampled_from([
        ("feeling_before = ", "feeling_before = 1"), ("feeling_after = ", "feeling_after = -"),
        ("tightness_left = ", "tightness_left = 9"), ("done_seconds = ", "done_seconds = -"),
        ("planned_seconds = ", "planned_seconds = -"), ('status = "', 'status = "x'),
        ('status = "completed"', 'status = "running"'), ('id = "', 'id = " '),
        ('routine_title = "', 'routine_title = "\\u0000'), ('note = "', 'note = "\\uD800'),
        ("started_at = 20", "started_at = 21"), ("ended_at = 20", "ended_at = 19"),
        ("[[sessions]]\nid", "[[sessions]]\nid = \"dup\"\nid"), ("format_version = 1", "format_version = 2"),
        ("planned_seconds = ", "planned_seconds = 99999"), ("done_seconds = ", "done_seconds = 9e9"),
        ("segments_done = ", "segments_done = 100001"), ('id = "', 'id = "x'),
    ]))
    count = text.count(old)
    if count == 0:
        return
    nth = data.draw(st.integers(1, count))
    parts = text.split(old)
    edited = old.join(parts[:nth]) + new + old.join(parts[nth:])
    notices: list[str] = []
    try:
        records = read_records(edited, "x.toml", notices)
    except UserError as exc:
        assert re.match(r"x\.toml:\d+: ", str(exc)), exc  # every refusal names its line
    else:
        assert len(records) == len(sessions)
        assert all(re.match(r"x\.toml:\d+: sessions\[\d+\]\.ended_at: ", n) for n in notices)


def test_hand_written_toml_goes_through_tomllib():
    text = '''# my sessions, typed by hand
[export]
format = "psoas-tui-history"
format_version = 1

[[sessions]]
id = "6F9619FF-8B86-D011-B42D-00C04FC964FF"   # upper-case hex is a UUID too
routine_id = "desk-reset"
status = "completed"
started_at = 2026-01-05T08:00:00Z
planned_seconds = 600
done_seconds = 600
checkin = { feeling_before = 3, feeling_after = 8, note = """multi
line""" }
'''
    (record,) = records_from_document(parse_document(text), Lines("hand.toml"))
    assert record.id == "6F9619FF-8B86-D011-B42D-00C04FC964FF"
    assert record.done_seconds == 600.0 and record.routine_title == ""
    assert record.checkin == CheckIn(3, 8, None, None, "multi\nline")


def test_awkward_notes_survive(tmp_path):
    # issue 9: CR, NUL, BEL and DEL are refused by import now (tests/test_import_hardening.py)
    notes = ['say "hi"', "back\\slash", "two\nlines\nand more", "tab\there",
             "unicode é ✓ 😀 \u2028", "[[sessions]]\nid = \"fake\"", "'''", '"""', ""]
    sessions = [make_record(n, checkin=CheckIn(note=note)) for n, note in enumerate(notes)]
    with open_store(tmp_path) as store:
        store.add_records(sessions)
        exported = list(store.iter_sessions())
    path = tmp_path / "notes.toml"
    path.write_bytes(_toml_bytes(exported))
    with HistoryStore.open(tmp_path / "fresh" / "history.sqlite3") as fresh:
        import_history(fresh, path)
        assert [r.checkin.note for r in fresh.iter_sessions()] == notes


@given(records())
@settings(max_examples=30, deadline=None)
def test_a_single_record_round_trips_through_the_document(record):
    text = _toml_bytes([record]).decode("utf-8")
    (back,) = records_from_document(parse_document(text))
    assert back == record
