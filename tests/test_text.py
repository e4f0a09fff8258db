"""Plurals in text shown to people."""

from psoas_tui.text import plural


def test_plural_counts_and_nouns() -> None:
    assert plural(1, "session") == "1 session"
    assert plural(0, "session") == "0 sessions"
    assert plural(100_000, "session") == "100,000 sessions"
    assert plural(2, "day") == "2 days"
    assert plural(3, "person", "people") == "3 people"


def test_control_character_finds_c0_del_and_c1_but_newlines_only_when_not_allowed() -> None:
    from psoas_tui.text import control_character, control_message

    assert control_character("plain text, é and ✓") is None
    assert control_character("retitle \x1b]0;x\x07") == "\x1b"
    assert control_character("del \x7f") == "\x7f"
    assert control_character("csi \u009b") == "\u009b"
    assert control_character("two\nlines") == "\n"
    assert control_character("two\nlines", newlines=True) is None
    assert control_character("cr\r", newlines=True) == "\r"
    assert control_message("\x1b") == "control character U+001B not allowed"


def test_safe_neutralises_every_control_and_keeps_text() -> None:
    from psoas_tui.text import safe

    out = safe("a\x1b]52;c;aGk=\x07b\u009bc\x7fd")
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in out)
    assert out.startswith("a") and "b" in out and out.endswith("d")
    assert safe("one\ntwo") == "one two"
    assert safe("one\ntwo", newlines=True) == "one\ntwo"


def test_drop_controls_and_json_text_escape_c1() -> None:
    from psoas_tui.text import drop_controls, json_text

    assert drop_controls("no\x1bte\u0085s") == "notes"
    assert drop_controls("a\nb", newlines=True) == "a\nb"
    text = json_text({"t": "x\u009by\x1bé"})
    assert "\u009b" not in text and "\x1b" not in text and "é" in text
    assert text == '{"t": "x\\u009by\\u001bé"}'
