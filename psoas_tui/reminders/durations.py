"""Durations, clock times, working hours and day names as people write them in config.toml.

Every parser takes the text and returns a plain value, or raises ``ValueError`` whose message
is one clear sentence fragment (``must be a duration like "50m" ...``) that a config error can
carry after the field name.
"""

from __future__ import annotations

import re

from psoas_tui.text import split_seconds

_DURATION_RE = re.compile(r"^(?:(\d{1,3})h)?\s*(?:(\d{1,4})m)?\s*(?:(\d{1,6})s)?$")
_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MINUTES_PER_DAY = 24 * 60
DURATION_EXAMPLE = '"50m", "1h30m" or "90s"'


def parse_duration(text: object, *, least: int = 60, most: int = 24 * 3600) -> int:
    """``"1h30m"`` -> ``5400``: whole seconds from hours, minutes and seconds, each optional.

    The result must lie in ``least..most`` seconds (default 1 minute to 24 hours).
    """
    if not isinstance(text, str):
        raise ValueError(f"must be a duration like {DURATION_EXAMPLE}, got {text!r}")
    cleaned = text.strip().lower()
    match = _DURATION_RE.match(cleaned)
    if not cleaned or match is None or not any(match.groups()):
        hint = " (add a unit: h, m or s)" if cleaned.isdigit() else ""
        raise ValueError(f"must be a duration like {DURATION_EXAMPLE}{hint}, got {text!r}")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if not least <= total <= most:
        raise ValueError(
            f"must be from {format_duration(least)} to {format_duration(most)}, got {text!r}"
        )
    return total


def format_duration(seconds: int) -> str:
    """``5400`` -> ``"1h30m"``; ``90`` -> ``"1m30s"``; ``0`` -> ``"0s"`` (parses back the same)."""
    hours, minutes, secs = split_seconds(int(seconds))
    parts = [f"{value}{unit}" for value, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if value]
    return "".join(parts) or "0s"


def parse_clock(text: object, *, allow_midnight_end: bool = False) -> int:
    """``"10:30"`` -> ``630``: minutes after midnight of a 24-hour clock time ``HH:MM``.

    ``"24:00"`` (the end of the day) is accepted only with ``allow_midnight_end``.
    """
    example = 'a 24-hour time like "10:30"'
    if not isinstance(text, str):
        raise ValueError(f"must be {example}, got {text!r}")
    match = _CLOCK_RE.match(text.strip())
    if match is None:
        raise ValueError(f"must be {example}, got {text!r}")
    hour, minute = int(match.group(1)), int(match.group(2))
    if allow_midnight_end and (hour, minute) == (24, 0):
        return MINUTES_PER_DAY
    if hour > 23 or minute > 59:
        raise ValueError(f"must be {example} (00:00 to 23:59), got {text!r}")
    return hour * 60 + minute


def format_clock(minutes: int) -> str:
    """``630`` -> ``"10:30"``; ``1440`` -> ``"24:00"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_hours(text: object) -> tuple[int, int]:
    """``"09:00-17:30"`` -> ``(540, 1050)``: working hours as minutes after midnight.

    The end may be ``24:00``; it must come after the start (hours across midnight, such as a
    night shift, are not supported).
    """
    example = 'must be working hours like "09:00-17:30"'
    if not isinstance(text, str) or text.count("-") != 1:
        raise ValueError(f"{example}, got {text!r}")
    first, last = text.split("-")
    try:
        start = parse_clock(first)
        end = parse_clock(last, allow_midnight_end=True)
    except ValueError:
        raise ValueError(f"{example} (24-hour times, end may be 24:00), got {text!r}") from None
    if end <= start:
        raise ValueError(f"the end must come after the start (no hours across midnight), got {text!r}")
    return start, end


def parse_day(text: object) -> int:
    """``"mon"`` or ``"Monday"`` -> ``0`` (the ``date.weekday()`` number)."""
    name = text.strip().lower() if isinstance(text, str) else None
    if name in DAY_NAMES:
        return DAY_NAMES.index(name)
    if name in _FULL_DAY_NAMES:
        return _FULL_DAY_NAMES.index(name)
    raise ValueError(f"must be a day name ({', '.join(DAY_NAMES)}) or a range like \"mon-fri\", got {text!r}")


def parse_days(items: object) -> tuple[int, ...]:
    """``["mon-fri"]`` or ``["mon", "wed"]`` -> sorted unique weekday numbers (at least one).

    A range ``"fri-mon"`` wraps over the weekend.
    """
    if not isinstance(items, (list, tuple)):
        raise ValueError(f'must be a list of day names like ["mon", "tue"], got {items!r}')
    days: set[int] = set()
    for item in items:
        if isinstance(item, str) and item.count("-") == 1:
            first, last = (parse_day(part) for part in item.split("-"))
            days.update((first + step) % 7 for step in range((last - first) % 7 + 1))
        else:
            days.add(parse_day(item))
    if not days:
        raise ValueError('must name at least one day, e.g. ["mon", "tue", "wed", "thu", "fri"]')
    return tuple(sorted(days))
