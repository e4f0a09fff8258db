"""Durations, clock times, hours, days and the [reminders] table: values and error messages."""

from __future__ import annotations

import pytest

from psoas_tui.errors import ConfigError
from psoas_tui.reminders.durations import (
    format_clock,
    format_duration,
    parse_clock,
    parse_days,
    parse_duration,
    parse_hours,
)
from psoas_tui.reminders.settings import (
    ReminderFieldError,
    ReminderSettings,
    reminders_from_dict,
    reminders_to_dict,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("50m", 3000), ("1h30m", 5400), ("90s", 90), ("15m", 900), ("1h", 3600), ("1h 5m", 3900),
     (" 2M ", 120), ("1m30s", 90), ("24h", 86400)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("seconds", [60, 90, 900, 3000, 5400, 3661, 86400])
def test_durations_format_and_parse_back(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("50", 'must be a duration like "50m", "1h30m" or "90s" (add a unit: h, m or s), got \'50\''),
        ("", "must be a duration like"),
        ("1.5h", "must be a duration like"),
        ("m", "must be a duration like"),
        ("30m1h", "must be a duration like"),
        (50, "must be a duration like \"50m\", \"1h30m\" or \"90s\", got 50"),
        ("30s", "must be from 1m to 24h, got '30s'"),
        ("0m", "must be from 1m to 24h"),
        ("25h", "must be from 1m to 24h, got '25h'"),
    ],
)
def test_bad_durations_say_what_is_wanted(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(value)
    assert message in str(caught.value)


def test_clock_times() -> None:
    assert parse_clock("10:30") == 630
    assert parse_clock("9:05") == 545
    assert parse_clock("00:00") == 0
    assert format_clock(630) == "10:30"
    assert parse_clock("24:00", allow_midnight_end=True) == 1440


@pytest.mark.parametrize("value", ["24:00", "10:60", "1030", "10:3", "ten", 1030, "25:00"])
def test_bad_clock_times(value: object) -> None:
    with pytest.raises(ValueError, match='24-hour time like "10:30"'):
        parse_clock(value)


def test_hours() -> None:
    assert parse_hours("09:00-17:30") == (540, 1050)
    assert parse_hours("00:00-24:00") == (0, 1440)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("17:30-09:00", "the end must come after the start (no hours across midnight), got '17:30-09:00'"),
        ("09:00-09:00", "the end must come after the start"),
        ("9-17", 'must be working hours like "09:00-17:30"'),
        ("09:00", 'must be working hours like "09:00-17:30"'),
        (["09:00", "17:00"], 'must be working hours like "09:00-17:30"'),
    ],
)
def test_bad_hours(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_hours(value)
    assert message in str(caught.value)


def test_days() -> None:
    assert parse_days(["mon", "tue", "wed", "thu", "fri"]) == (0, 1, 2, 3, 4)
    assert parse_days(["mon-fri"]) == (0, 1, 2, 3, 4)
    assert parse_days(["Sunday", "sat", "sun"]) == (5, 6)
    assert parse_days(["fri-mon"]) == (0, 4, 5, 6)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "must name at least one day"),
        (["mo"], "must be a day name (mon, tue, wed, thu, fri, sat, sun)"),
        ("mon", 'must be a list of day names like ["mon", "tue"]'),
        ([1], "must be a day name"),
    ],
)
def test_bad_days(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_days(value)
    assert message in str(caught.value)


def test_defaults() -> None:
    settings = reminders_from_dict({})
    assert settings == ReminderSettings()
    assert settings.enabled is False
    assert settings.routine == "desk-break"
    assert settings.snooze == 900
    assert settings.hours == (540, 1050)
    assert settings.days == (0, 1, 2, 3, 4)
    assert settings.channels == ("bell", "osc", "tmux")
    assert settings.max_skips_per_day is None


def test_a_full_table() -> None:
    settings = reminders_from_dict({
        "enabled": True, "every": "50m", "at": ["15:00", "10:30", "10:30"], "hours": "08:00-18:00",
        "days": ["mon", "wed"], "routine": "hip-opener", "snooze": "10m",
        "channels": ["tmux", "bell", "tmux", "notify-send"], "max_skips_per_day": 2,
    })
    assert settings == ReminderSettings(
        enabled=True, every=3000, at=(630, 900), hours=(480, 1080), days=(0, 2), routine="hip-opener",
        snooze=600, channels=("tmux", "bell", "notify-send"), max_skips_per_day=2,
    )
    assert reminders_from_dict(reminders_to_dict(settings)) == settings


def test_defaults_write_back_the_same() -> None:
    assert reminders_from_dict(reminders_to_dict(ReminderSettings())) == ReminderSettings()


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"enabled": "yes"}, "reminders.enabled: must be true or false, got 'yes'"),
        ({"every": "50"}, 'reminders.every: must be a duration like "50m", "1h30m" or "90s" (add a unit'),
        ({"every": "10s"}, "reminders.every: must be from 1m to 24h, got '10s'"),
        ({"at": "10:30"}, 'reminders.at: must be a list of times like ["10:30", "15:00"]'),
        ({"at": ["10.30"]}, "reminders.at: must be a 24-hour time like \"10:30\", got '10.30'"),
        ({"hours": "18:00-09:00"}, "reminders.hours: the end must come after the start"),
        ({"days": ["someday"]}, "reminders.days: must be a day name"),
        ({"routine": "Desk Break"}, "reminders.routine: must be a routine id like \"desk-break\""),
        ({"routine": "desk\x1b]0;x"}, "reminders.routine: must be a routine id"),
        ({"snooze": "forever"}, "reminders.snooze: must be a duration like"),
        ({"channels": "bell"}, "reminders.channels: must be a list of channels"),
        ({"channels": ["pager"]}, "reminders.channels: unknown channel 'pager' (choose from bell, osc, "
                                  "osc9, osc777, osc99, tmux, notify-send)"),
        ({"max_skips_per_day": -1}, "reminders.max_skips_per_day: must be a whole number 0-100, got -1"),
        ({"max_skips_per_day": True}, "reminders.max_skips_per_day: must be a whole number 0-100"),
        ({"evry": "50m"}, "reminders.evry: unknown setting (known: enabled, every, at, hours, days, "),
        ({"enabled": True}, 'reminders.every: reminders are enabled but neither "every" nor "at" is set'),
        ({"every": "9h"}, "reminders.every: 9h is not shorter than the working hours 09:00-17:30, so it "
                          "would never fall due"),
    ],
)
def test_bad_values_name_the_field(data: dict[str, object], text: str) -> None:
    with pytest.raises(ReminderFieldError) as caught:
        reminders_from_dict(data)
    assert str(caught.value).startswith(text)
    assert isinstance(caught.value, ConfigError)
    assert caught.value.key == "reminders"
    assert caught.value.field == f"reminders.{caught.value.entry}"
    assert str(caught.value) == f"{caught.value.field}: {caught.value.message}"
    assert "\n" not in str(caught.value)


def test_the_table_itself_must_be_a_table() -> None:
    with pytest.raises(ReminderFieldError, match=r"^reminders: must be a table of settings, got 'on'$"):
        reminders_from_dict("on")


def test_only_at_times_are_enough_to_enable() -> None:
    assert reminders_from_dict({"enabled": True, "at": ["10:30"]}).every is None
