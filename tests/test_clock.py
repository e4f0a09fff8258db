"""The session clocks: scaled monotonic time, the environment variable, the fake clock."""

from __future__ import annotations

import time

import pytest

from psoas_tui.errors import UserError
from psoas_tui.practice.clock import (
    TIME_SCALE_ENV,
    FakeClock,
    ScaledClock,
    clock_scale,
    parse_time_scale,
    session_clock,
    time_scale_from_env,
)


def test_fake_clock_stands_still_until_advanced() -> None:
    clock = FakeClock(10.0)
    assert clock() == clock() == 10.0
    clock.advance(2.5)
    assert clock() == 12.5
    assert clock.now == 12.5


def test_fake_clock_never_goes_back() -> None:
    with pytest.raises(ValueError):
        FakeClock().advance(-1)


def test_scaled_clock_divides_real_monotonic_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "monotonic", lambda: 3.0)
    assert ScaledClock(0.02)() == pytest.approx(150.0)
    assert ScaledClock(1.0)() == 3.0


def test_session_clock_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIME_SCALE_ENV, "0.02")
    assert clock_scale(session_clock()) == 0.02
    monkeypatch.delenv(TIME_SCALE_ENV)
    assert clock_scale(session_clock()) == 1.0
    assert clock_scale(session_clock(0.5)) == 0.5


def test_empty_variable_means_real_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIME_SCALE_ENV, "  ")
    assert time_scale_from_env() == 1.0


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "nan", "inf", "1e9", "0.00001"])
def test_bad_scale_is_a_user_error_naming_the_variable(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv(TIME_SCALE_ENV, bad)
    with pytest.raises(UserError, match=TIME_SCALE_ENV):
        session_clock()


def test_parse_accepts_plain_numbers() -> None:
    assert parse_time_scale("0.5") == 0.5
    assert parse_time_scale("2") == 2.0


def test_clock_scale_defaults_for_plain_callables() -> None:
    assert clock_scale(FakeClock()) == 1.0
    assert clock_scale(time.monotonic) == 1.0


def test_bad_explicit_scale() -> None:
    with pytest.raises(UserError):
        session_clock(0.0)
