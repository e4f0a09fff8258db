"""The ``[reminders]`` table of config.toml, read strictly into a frozen ``ReminderSettings``.

``reminders_from_dict`` raises ``ReminderFieldError`` naming the field (``reminders.every``)
and the problem; the config reader adds the file and the line. ``reminders_to_dict`` writes the
settings back in the same format.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from psoas_tui.errors import ConfigError
from psoas_tui.reminders.durations import (
    DAY_NAMES,
    format_clock,
    format_duration,
    parse_clock,
    parse_days,
    parse_duration,
    parse_hours,
)

TABLE = "reminders"
# The same rule as routine ids (psoas_tui.model.SLUG_RE), kept here so `status` stays light.
_ROUTINE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ROUTINE_ID = 64
MAX_SKIPS = 100

# Channel names: "osc" picks the escape sequence the terminal understands; "osc9", "osc777"
# and "osc99" force one. See psoas_tui.reminders.channels.
CHANNELS = ("bell", "osc", "osc9", "osc777", "osc99", "tmux", "notify-send")
DEFAULT_CHANNELS = ("bell", "osc", "tmux")
WORK_WEEK = (0, 1, 2, 3, 4)
WORKING_HOURS = (9 * 60, 17 * 60 + 30)


class ReminderFieldError(ConfigError):
    """A bad value in ``[reminders]``: ``reminders.every: must be a duration like ...``.

    ``key`` is the top-level table (``reminders``) and ``entry`` the setting in it, the pair a
    config reader needs to find the line; ``field`` is both joined with a dot.
    """

    def __init__(self, entry: str, message: str) -> None:
        self.key = TABLE
        self.entry = entry
        self.field = f"{TABLE}.{entry}" if entry else TABLE
        self.message = message
        super().__init__(f"{self.field}: {message}")


class ReminderSettings(NamedTuple):
    """The reminder schedule. Times are minutes after midnight, durations whole seconds.

    ``every`` is ``None`` when there is no interval reminder; ``hours`` is a pair
    ``(start, end)`` with ``end`` up to 1440 (24:00); ``days`` holds ``date.weekday()`` numbers.
    """

    enabled: bool = False
    every: int | None = None
    at: tuple[int, ...] = ()
    hours: tuple[int, int] = WORKING_HOURS
    days: tuple[int, ...] = WORK_WEEK
    routine: str = "desk-break"
    snooze: int = 15 * 60
    channels: tuple[str, ...] = DEFAULT_CHANNELS
    max_skips_per_day: int | None = None


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, got {value!r}")
    return value


def _times(value: object) -> tuple[int, ...]:
    if not isinstance(value, (list, tuple)):
        raise ValueError(f'must be a list of times like ["10:30", "15:00"], got {value!r}')
    return tuple(sorted({parse_clock(item) for item in value}))


def _routine(value: object) -> str:
    if not isinstance(value, str) or len(value) > MAX_ROUTINE_ID or not _ROUTINE_RE.match(value):
        raise ValueError(f'must be a routine id like "desk-break", got {value!r}')
    return value


def _channels(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise ValueError(f'must be a list of channels like ["bell", "osc", "tmux"], got {value!r}')
    for item in value:
        if item not in CHANNELS:
            raise ValueError(f"unknown channel {item!r} (choose from {', '.join(CHANNELS)})")
    return tuple(dict.fromkeys(value))


def _max_skips(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SKIPS:
        raise ValueError(f"must be a whole number 0-{MAX_SKIPS}, got {value!r}")
    return value


_PARSERS: dict[str, Any] = {
    "enabled": _boolean,
    "every": parse_duration,
    "at": _times,
    "hours": parse_hours,
    "days": parse_days,
    "routine": _routine,
    "snooze": parse_duration,
    "channels": _channels,
    "max_skips_per_day": _max_skips,
}
KEYS = tuple(_PARSERS)


def reminders_from_dict(data: object) -> ReminderSettings:
    """The ``[reminders]`` table (a mapping from TOML) as ``ReminderSettings``.

    Unknown keys and bad values raise ``ReminderFieldError`` naming the field; so does an
    enabled schedule with neither ``every`` nor ``at`` (nothing would ever fall due) and an
    ``every`` longer than the working hours.
    """
    if not isinstance(data, dict):
        raise ReminderFieldError("", f"must be a table of settings, got {data!r}")
    values: dict[str, Any] = {}
    for key, value in data.items():
        parser = _PARSERS.get(key)
        if parser is None:
            raise ReminderFieldError(str(key), f"unknown setting (known: {', '.join(KEYS)})")
        try:
            values[key] = parser(value)
        except ValueError as exc:
            raise ReminderFieldError(key, str(exc)) from None
    settings = ReminderSettings(**values)
    _check_together(settings)
    return settings


def _check_together(settings: ReminderSettings) -> None:
    """Rules between fields: something must be able to fall due."""
    if settings.enabled and settings.every is None and not settings.at:
        raise ReminderFieldError(
            "every", 'reminders are enabled but neither "every" nor "at" is set (e.g. every = "50m")'
        )
    start, end = settings.hours
    if settings.every is not None and settings.every >= (end - start) * 60:
        raise ReminderFieldError(
            "every",
            f"{format_duration(settings.every)} is not shorter than the working hours "
            f"{hours_text(settings.hours)}, so it would never fall due",
        )


def hours_text(hours: tuple[int, int]) -> str:
    """``(540, 1050)`` -> ``"09:00-17:30"``."""
    return f"{format_clock(hours[0])}-{format_clock(hours[1])}"


def reminders_to_dict(settings: ReminderSettings) -> dict[str, Any]:
    """A TOML-ready mapping that ``reminders_from_dict`` reads back to the same settings."""
    data: dict[str, Any] = {"enabled": settings.enabled}
    if settings.every is not None:
        data["every"] = format_duration(settings.every)
    data["at"] = [format_clock(minutes) for minutes in settings.at]
    data["hours"] = hours_text(settings.hours)
    data["days"] = [DAY_NAMES[day] for day in settings.days]
    data["routine"] = settings.routine
    data["snooze"] = format_duration(settings.snooze)
    data["channels"] = list(settings.channels)
    if settings.max_skips_per_day is not None:
        data["max_skips_per_day"] = settings.max_skips_per_day
    return data

