"""Small helpers for text shown to people, shared by the CLI and the app.

Text from routines, plugins, imports and users is data. It may carry control characters
(ESC, BEL, other C0 controls, DEL, C1 controls U+0080-U+009F) that would let a routine pack
retitle the terminal, clear it or write the clipboard. ``control_character`` finds one where
data comes in (so it can be refused with a clear message), and ``safe`` neutralises them again
wherever text goes out to a terminal (defence in depth: rows already stored may hold them).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# C0 controls except tab and newline, DEL, and C1 controls. Tab and newline are handled apart.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_CONTROL_RE = re.compile(f"[{_CONTROL}]")
_CONTROL_OR_BREAK_RE = re.compile(f"[{_CONTROL}\t\n]")
_C1_RE = re.compile("[\x7f-\x9f]")


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 session``, ``2 sessions``, ``1,200 sessions``; ``nouns`` for irregular plurals."""
    return f"{count:,} {plural_noun(count, noun, nouns)}"


def plural_noun(count: int, noun: str, nouns: str | None = None) -> str:
    """The noun alone for ``count``: ``session`` for 1, else ``sessions`` (or ``nouns``)."""
    return noun if count == 1 else (nouns or noun + "s")


def split_seconds(seconds: float) -> tuple[int, int, int]:
    """``3725`` -> ``(1, 2, 5)``: whole hours, minutes and seconds (rounded; below zero is 0).

    Every way of writing a duration starts here: ``format_seconds`` (the clock form people
    read), ``reminders.durations.format_duration`` (the ``1h30m`` form of settings) and
    ``builtins.voice.duration_words`` (spoken words).
    """
    hours, rest = divmod(max(0, round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return hours, minutes, secs


def format_seconds(seconds: float) -> str:
    """A duration as a clock reads it: ``75.4`` -> ``"1:15"``; ``3725`` -> ``"1:02:05"``.

    The one way durations are written for people to read (routine lengths, countdowns,
    history); below zero counts as ``0:00``.
    """
    hours, minutes, secs = split_seconds(seconds)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def done_of_planned(done: float, planned: float) -> str:
    """``"4:30/6:00"``: the time practised against the time planned."""
    return f"{format_seconds(done)}/{format_seconds(planned)}"


def codepoint(char: str) -> str:
    """``U+001B`` for ESC: how a character is named in messages."""
    return f"U+{ord(char):04X}"


def control_character(text: str, *, newlines: bool = False) -> str | None:
    """The first control character in ``text`` that a field may not hold, else ``None``.

    Tabs and newlines count as controls unless ``newlines`` is true (fields that allow several
    lines, such as notes); a carriage return always counts.
    """
    match = (_CONTROL_RE if newlines else _CONTROL_OR_BREAK_RE).search(text)
    if match is None:
        return None
    return match.group()


def control_message(char: str) -> str:
    """The message for a refused control character: ``control character U+001B not allowed``."""
    return f"control character {codepoint(char)} not allowed"


def safe(text: object, *, newlines: bool = False) -> str:
    """``text`` as a string fit for a terminal: every control character becomes ``\\u``-style text.

    Newlines survive only when ``newlines`` is true (a tab becomes a space); otherwise a line
    break becomes a space, so one field stays on one line.
    """
    value = text if isinstance(text, str) else str(text)
    if newlines:
        value = value.replace("\t", " ")
        return _CONTROL_RE.sub(_visible, value)
    value = value.replace("\t", " ").replace("\r\n", " ").replace("\n", " ")
    return _CONTROL_RE.sub(_visible, value)


def _visible(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}" if ord(match.group()) > 0x1F else f"\\x{ord(match.group()):02x}"


def drop_controls(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control character removed (for what a person types, such as notes)."""
    return (_CONTROL_RE if newlines else _CONTROL_OR_BREAK_RE).sub("", text)


def json_text(data: Any, **kwargs: Any) -> str:
    """``json.dumps`` that keeps readable Unicode but escapes C1 controls and DEL too.

    ``json`` escapes C0 controls itself; with ``ensure_ascii=False`` it would pass U+0080-U+009F
    through raw, and a terminal reads some of them as escape sequences.
    """
    kwargs.setdefault("ensure_ascii", False)
    return _C1_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, **kwargs))


def cell_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: wide characters (East Asian ``W``/``F``: CJK,
    most emoji) two, combining marks none, the rest one. ``unicodedata`` rather than
    ``rich.cells``, whose import alone would add about 18 ms to every CLI command."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal columns (see ``cell_width``)."""
    return text + " " * max(width - cell_width(text), 0)
