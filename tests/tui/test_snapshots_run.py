"""SVG snapshots of the run screen (mid-hold, paused, side switch) and the check-in, at 80x24,
and of the run screen with its big countdown and pose figure at 120x40 and 60x20 too.

Deterministic: a ``FakeClock`` moved by hand (the figure stands where the clock puts it: its
frame timer finds nothing new to draw), no animation, only the on-screen ``text`` cue
style (so no notice about a missing style can appear). Update baselines with
``pytest tests/tui/test_snapshots_run.py --snapshot-update`` and look at them before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from psoas_tui.routines import RoutineLibrary
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.run import RunScreen

SIZE = (80, 24)


@pytest.fixture
def half_kneeling(tui_ctx: AppContext) -> Any:
    """The built-in half-kneeling routine (sided, 3 rounds, 4-0-6-0 breath)."""
    library: RoutineLibrary = tui_ctx.library
    return library.get("half-kneeling")


@pytest.fixture
def run_app(make_app: Callable[..., Any], tui_ctx: AppContext, half_kneeling: Any) -> Any:
    tui_ctx.settings = tui_ctx.settings.replace(cue_styles=["text"])
    return make_app(routine=half_kneeling)


def advance_to(clock: Any, seconds: float, *keys: str) -> Callable[[Any], Any]:
    """A ``run_before`` that moves the session ``seconds`` on, then presses ``keys``."""

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, RunScreen)
        clock.advance(seconds)
        screen.refresh_state()
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_run_mid_hold(snap_compare, run_app, tui_ctx):
    """Left side, first round, 12 s into the 30 s hold: mid-inhale, bar half grown."""
    # get ready 5 + "Pad the knee" 20 + 12 s into the hold
    assert snap_compare(run_app, terminal_size=SIZE, run_before=advance_to(tui_ctx.clock, 5 + 20 + 12))


def test_run_paused(snap_compare, run_app, tui_ctx):
    """Paused 17 s into the hold, on the exhale."""
    run_before = advance_to(tui_ctx.clock, 5 + 20 + 17, "space")
    assert snap_compare(run_app, terminal_size=SIZE, run_before=run_before)


def test_run_side_switch(snap_compare, run_app, tui_ctx):
    """Two seconds into the switch to the right side."""
    assert snap_compare(run_app, terminal_size=SIZE, run_before=advance_to(tui_ctx.clock, 5 + 20 + 30 + 2))


def test_checkin(snap_compare, run_app, tui_ctx):
    """The check-in after a stop, with the first two scales filled in."""

    async def run_before(pilot: Any) -> None:
        await advance_to(tui_ctx.clock, 40, "escape", "y")(pilot)
        await pilot.press("4", "down", "7")
        await pilot.pause()

    assert snap_compare(run_app, terminal_size=SIZE, run_before=run_before)


def test_run_small_terminal(snap_compare, run_app, tui_ctx):
    """60x20: the same mid-hold moment still fits (the pacer and footer shrink, nothing crashes)."""
    assert snap_compare(run_app, terminal_size=(60, 20), run_before=advance_to(tui_ctx.clock, 5 + 20 + 12))


@pytest.mark.parametrize("size", [(120, 40), (60, 20)])
def test_run_mid_exhale_sizes(snap_compare, run_app, tui_ctx, size):
    """Left side, 17 s into the hold (mid-exhale: the figure half-way into its lean)."""
    assert snap_compare(run_app, terminal_size=size, run_before=advance_to(tui_ctx.clock, 5 + 20 + 17))


@pytest.mark.parametrize("size", [(120, 40), (60, 20)])
def test_run_side_switch_sizes(snap_compare, run_app, tui_ctx, size):
    """Two seconds into the switch: RIGHT lit, the figure mirrored, still."""
    assert snap_compare(run_app, terminal_size=size, run_before=advance_to(tui_ctx.clock, 5 + 20 + 30 + 2))
