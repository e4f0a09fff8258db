"""The TOML export never writes a control character raw: tomli-w escapes C0 and DEL, the
writer escapes C1 (U+0080-U+009F) as ``\\uXXXX``, and the document still reads back the same."""

from __future__ import annotations

import io
import re
import tomllib

from history_helpers import make_record

from psoas_tui.history.codec import toml_session
from psoas_tui.history.export import write_toml
from psoas_tui.model import CheckIn

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # newline aside: the document's own
HOSTILE = "Lunge \x1b]0;owned\x07 \x9b2J \x85 \x9d52;c;eA==\x9c \x7f end"


def _records():
    return [
        make_record(0, routine_title=HOSTILE),
        make_record(1, checkin=CheckIn(feeling_before=3, note=f"note {HOSTILE}")),
        make_record(2),  # plain text: written as tomli-w writes it
    ]


def test_the_toml_export_holds_no_raw_control_character_and_reads_back_equal() -> None:
    stream = io.BytesIO()
    write_toml(iter(_records()), stream)
    text = stream.getvalue().decode("utf-8")
    assert RAW_CONTROL.search(text) is None, RAW_CONTROL.findall(text)
    assert "\\u009B" in text and "\\u0085" in text
    sessions = tomllib.loads(text)["sessions"]
    assert sessions[0]["routine_title"] == HOSTILE
    assert sessions[1]["checkin"]["note"] == f"note {HOSTILE}"
    assert sessions[2]["routine_title"] == "Tiny routine"


def test_one_session_table_is_escaped_too() -> None:
    text = toml_session(_records()[0])
    assert RAW_CONTROL.search(text) is None
    assert tomllib.loads(text)["sessions"][0]["routine_title"] == HOSTILE
