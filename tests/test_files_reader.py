"""Issue 10, items 3 and 4: one reader for TOML files (one field-line locator), declared
schemas, one atomic write, and the history codec built on tomli-w and tomllib."""

from __future__ import annotations

import io
import os
import stat
import tomllib

import pytest
import tomli_w
from history_helpers import make_record

from psoas_tui import config, routines
from psoas_tui.config import Settings, load_settings
from psoas_tui.errors import ConfigError
from psoas_tui.figures import poseformat
from psoas_tui.files import CannotCreate, FieldLines, atomic_write, read_toml
from psoas_tui.history import codec as history_codec
from psoas_tui.history import export, importer
from psoas_tui.model import CheckIn

POSIX_MODES = pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")

TEXT = """\
schema = 1
tags = ["a", "b"]
[reminders]
every = "2h"
[keys]
"open_log" = "l"

[[steps]]
kind = "hold"
[[steps]]
kind = "hold"
seconds = -5
[steps.meta]
author = "me"

[[sessions]]
[[sessions]]
[[sessions]]
id = "x"
[sessions.checkin]
note = \"\"\"two
note = 'not a key'
\"\"\"
[[poses]]
[[poses.keys]]
[[poses.keys]]
hip = [1, 2]
"""


@pytest.mark.parametrize(
    ("field", "line"),
    [
        ("schema", 1),
        ("tags[2]", 2),  # an array on one line: the line of the key
        ("reminders.every", 4),
        ("keys.open_log", 6),
        ("keys.missing", 5),  # not there: the table it would be in
        ("steps[2].seconds", 12),
        ("steps[2].cue", 10),  # not there: its step's header
        ("steps[2].meta", 13),
        ("sessions[3].checkin.note", 21),
        ("sessions[3].id", 19),
        ("sessions[2].id", 17),
        ("poses[1].keys[2].hip", 27),
        ("nothing", None),
    ],
)
def test_one_locator_finds_every_formats_fields(field, line):
    assert FieldLines(TEXT).line_of(field) == line


def test_a_multi_line_string_holds_no_keys():
    assert FieldLines(TEXT).line_of("sessions[3].checkin.note") == 21  # not the 'note =' inside it


def test_keys_written_dotted_or_inline_are_found():
    text = 'theme = "x"\nkeys.open_log = 1\nbinds = { quit = "q", help = "h" }\n'
    lines = FieldLines(text)
    assert (lines.line_of("keys.open_log"), lines.line_of("binds.help")) == (2, 3)


def test_read_toml_gives_text_data_and_lines(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text("a = 1\n[b]\nc = 2\n", encoding="utf-8")
    doc = read_toml(path, 1024)
    assert (doc.data, doc.line_of("b.c")) == ({"a": 1, "b": {"c": 2}}, 3)


def test_one_locator_everywhere():
    """No format keeps its own locator or TOML reader: the old ones are gone."""
    for module in (routines, config, importer, poseformat, history_codec):
        names = set(vars(module))
        assert not names & {"_Locator", "_JsonLocator", "_line_of", "_entry_line", "_key_line", "line_of"}
    assert not hasattr(importer, "_parse_canonical") and not hasattr(importer, "fast_records")
    assert not hasattr(export, "_toml_str") and not hasattr(export, "_ESCAPES")


def test_a_setting_is_declared_once_with_its_check():
    assert set(config.SETTINGS) == {f for f in Settings.__dataclass_fields__}
    with pytest.raises(ConfigError, match=r"^<settings>: weekly_goal: must be a whole number 1-7, got 9$"):
        Settings().replace(weekly_goal=9)


def test_a_bad_binding_names_its_line_and_entry(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "x"\n\n[keys]\nquit = "q"\nopen_log = 5\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value) == f'{path}:5: keys.open_log: must be a string of keys like "p,space", got 5'


# -- atomic write ----------------------------------------------------------------------------------
@POSIX_MODES
def test_atomic_write_makes_a_new_file_private_and_keeps_an_existing_files_mode(tmp_path):
    new = tmp_path / "new.toml"
    atomic_write(new, lambda stream: stream.write(b"a = 1\n"))
    assert stat.S_IMODE(new.stat().st_mode) == 0o600 and new.read_bytes() == b"a = 1\n"
    old = tmp_path / "old.toml"
    old.write_bytes(b"old")
    old.chmod(0o640)
    atomic_write(old, lambda stream: stream.write(b"new"))
    assert stat.S_IMODE(old.stat().st_mode) == 0o640 and old.read_bytes() == b"new"


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "x.toml"
    path.write_bytes(b"old")

    def broken(stream):
        stream.write(b"half")
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        atomic_write(path, broken)
    assert path.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["x.toml"]


def test_atomic_write_into_a_missing_folder_is_cannot_create(tmp_path):
    with pytest.raises(CannotCreate):
        atomic_write(tmp_path / "nope" / "x.toml", lambda stream: None)


# -- the history codec -----------------------------------------------------------------------------
def test_the_writer_is_tomli_w_one_session_at_a_time():
    records = [make_record(1, checkin=CheckIn(3, 8, None, 2, 'say "hi"\n')), make_record(2)]
    stream = io.BytesIO()
    history_codec.write_toml(iter(records), stream)
    text = stream.getvalue().decode("utf-8")
    tables = [tomli_w.dumps({"sessions": [history_codec.record_to_dict(r)]}) for r in records]
    assert tables == [history_codec.toml_session(r) for r in records]
    assert text.endswith("".join("\n" + table for table in tables))
    assert history_codec.read_records(text) == records
    assert tomllib.loads(text)["export"]["format"] == history_codec.FORMAT_NAME


def test_the_fields_are_declared_once():
    record = make_record(1, checkin=CheckIn(1, 2, 3, 4, "n"))
    data = history_codec.record_to_dict(record)
    assert tuple(k for k in data if k != "checkin") == history_codec.SESSION_FIELDS
    assert tuple(data["checkin"]) == history_codec.CHECKIN_FIELDS
    assert export.SESSION_FIELDS is history_codec.SESSION_FIELDS  # one definition, re-exported


def test_a_json_export_names_the_line_of_the_bad_session():
    stream = io.BytesIO()
    history_codec.write_json(iter([make_record(1), make_record(2)]), stream)
    text = stream.getvalue().decode("utf-8").replace('"planned_seconds": 600', '"planned_seconds": -1', 1)
    bad = text.splitlines().index(next(x for x in text.splitlines() if '"planned_seconds": -1' in x)) + 1
    with pytest.raises(Exception, match=rf"^x.json:{bad}: sessions\[\d\]\.planned_seconds: "):
        history_codec.read_records(text, "x.json")


def test_a_syntax_error_at_the_end_of_the_document_names_the_last_line() -> None:
    """tomllib says "(at end of document)" for an unclosed multi-line string: the line is the last one."""
    from psoas_tui.files import FileProblem, parse_toml

    with pytest.raises(FileProblem) as caught:
        parse_toml("[export]\nnote = '''never closed", "x.toml")
    assert str(caught.value) == "x.toml:2: TOML syntax: Expected \"'''\""
