"""Plurals in text shown to people."""

from psoas_tui.text import plural


def test_plural_counts_and_nouns() -> None:
    assert plural(1, "session") == "1 session"
    assert plural(0, "session") == "0 sessions"
    assert plural(100_000, "session") == "100,000 sessions"
    assert plural(2, "day") == "2 days"
    assert plural(3, "person", "people") == "3 people"
