"""Session clocks: monotonic seconds, optionally scaled for demos and end-to-end tests.

A clock is any ``Callable[[], float]`` returning monotonic *session* seconds. The runner only
ever compares readings of one clock, so its origin does not matter.

``PSOAS_TUI_TIME_SCALE`` speeds sessions up (or slows them down): session seconds are real
monotonic seconds divided by the scale, so ``PSOAS_TUI_TIME_SCALE=0.02`` makes a 30 s hold
last 0.6 s of real time. To turn a session-time interval into a real delay, multiply it by the
scale (see ``psoas_tui.practice.ticker``).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable

from psoas_tui.env import TIME_SCALE as TIME_SCALE_ENV
from psoas_tui.errors import UserError

Clock = Callable[[], float]

MIN_SCALE = 1e-4
MAX_SCALE = 100.0


def parse_time_scale(text: str) -> float:
    """``"0.02"`` -> ``0.02``; anything not a number in ``MIN_SCALE..MAX_SCALE`` is a ``UserError``."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not MIN_SCALE <= value <= MAX_SCALE:
        raise UserError(
            f"{TIME_SCALE_ENV}: must be a number from {MIN_SCALE:g} to {MAX_SCALE:g} "
            f"(e.g. 0.02 makes a 30 s hold last 0.6 s), got {text!r}"
        )
    return value


def time_scale_from_env() -> float:
    """The scale asked for by ``PSOAS_TUI_TIME_SCALE`` (1.0 when unset or empty)."""
    raw = os.environ.get(TIME_SCALE_ENV, "").strip()
    return parse_time_scale(raw) if raw else 1.0


def session_clock(scale: float | None = None) -> Clock:
    """A monotonic session clock. ``scale=None`` reads ``PSOAS_TUI_TIME_SCALE`` (default 1.0).

    The returned clock has a ``scale`` attribute (real seconds per session second).
    """
    value = time_scale_from_env() if scale is None else scale
    if not (math.isfinite(value) and value > 0):
        raise UserError(f"time scale must be a positive number, got {value!r}")
    return ScaledClock(value)


class ScaledClock:
    """``time.monotonic() / scale``: session seconds from the real monotonic clock."""

    __slots__ = ("scale",)

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale

    def __call__(self) -> float:
        return time.monotonic() / self.scale

    def __repr__(self) -> str:
        return f"ScaledClock(scale={self.scale!r})"


def clock_scale(clock: Clock, default: float = 1.0) -> float:
    """Real seconds per session second of ``clock`` (its ``scale`` attribute, else ``default``)."""
    scale = getattr(clock, "scale", None)
    return float(scale) if isinstance(scale, (int, float)) and scale > 0 else default


class FakeClock:
    """A clock for tests: it stands still until ``advance`` moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = float(now)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (never backwards)."""
        if seconds < 0:
            raise ValueError("a monotonic clock never goes back")
        self.now += seconds

    def __repr__(self) -> str:
        return f"FakeClock(now={self.now!r})"
