"""Issue 9 items 7, 14 and 15 on the run screen: Ctrl+Q asks like Esc and stores
``stopped``; a locked history keeps the session, and the finished session is saved with its
check-in once the lock goes; skipping through every step is not ``completed``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from psoas_tui.history.store import HistoryStore
from psoas_tui.model import CheckIn, Routine, SessionStatus, Step, StepKind
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.checkin import CheckInScreen
from psoas_tui.tui.screens.run import ConfirmStop, RunScreen

ROUTINE = Routine(
    id="short", title="Short", summary="Two holds.",
    steps=(Step(StepKind.HOLD, "Lunge", seconds=20), Step(StepKind.BREATHE, "Breathe", seconds=10)),
)


class Mono:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def stored(ctx: AppContext) -> list[Any]:
    with HistoryStore.open(ctx.history_path) as store:
        return list(store.iter_sessions())


@pytest.fixture
def app_on(make_app: Callable[..., Any], tui_ctx: AppContext) -> Callable[..., Any]:
    tui_ctx.monotonic = Mono()
    return lambda: make_app(tui_ctx, routine=ROUTINE)


async def _run_screen(app: Any, pilot: Any) -> RunScreen:
    await pilot.pause()
    assert isinstance(app.screen, RunScreen)
    return app.screen


async def _advance(pilot: Any, screen: RunScreen, ctx: AppContext, seconds: float) -> None:
    ctx.clock.advance(seconds)  # type: ignore[union-attr]
    ctx.monotonic.now += seconds  # type: ignore[union-attr]
    screen.refresh_state()
    await pilot.pause()


async def test_ctrl_q_during_a_session_asks_and_stores_stopped(app_on, tui_ctx):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _run_screen(app, pilot)
        await _advance(pilot, screen, tui_ctx, 8)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)  # asked, not quit
        assert screen.runner.status == "paused"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and screen.runner.status == "running"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code in (0, None)
    (record,) = stored(tui_ctx)
    assert record.status is SessionStatus.STOPPED


async def test_ctrl_q_outside_a_session_quits_at_once(make_app, tui_ctx):
    app = make_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert stored(tui_ctx) == []


async def test_a_locked_history_keeps_the_session_and_saves_it_with_its_checkin(app_on, tui_ctx):
    HistoryStore.open(tui_ctx.history_path).close()
    other = sqlite3.connect(tui_ctx.history_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _run_screen(app, pilot)
        for _ in range(8):
            await _advance(pilot, screen, tui_ctx, 5)
        assert isinstance(app.screen, CheckInScreen)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "locked" in errors[0]  # told once, not at every step
        await pilot.press("4", "down", "8", "enter")
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("retrying for up to 60 s" in n for n in notes)
        assert "Session saved" not in notes
        app.retry_saves()  # still locked: nothing yet
        other.execute("ROLLBACK")
        tui_ctx.monotonic.now += 5
        app.retry_saves()
        await pilot.pause()
        assert "Session saved" in [n.message for n in app._notifications]
    (record,) = stored(tui_ctx)
    assert record.status is SessionStatus.COMPLETED
    assert record.checkin == CheckIn(4, 8)
    assert (record.ended_at - record.started_at).total_seconds() == pytest.approx(35)  # 5 + 20 + 10


async def test_retrying_gives_up_after_a_minute_and_says_what_is_lost(app_on, tui_ctx):
    HistoryStore.open(tui_ctx.history_path).close()
    other = sqlite3.connect(tui_ctx.history_path, isolation_level=None)
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _run_screen(app, pilot)
        other.execute("BEGIN EXCLUSIVE")
        for _ in range(8):
            await _advance(pilot, screen, tui_ctx, 5)
        await pilot.press("enter")
        await pilot.pause()
        tui_ctx.monotonic.now += 61
        app.retry_saves()
        await pilot.pause()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors[-1].startswith("Not saved to your history: its end (completed)")
    other.execute("ROLLBACK")


async def test_skipping_every_step_is_not_completed(app_on, tui_ctx):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await _run_screen(app, pilot)
        for _ in range(3):
            await pilot.press("right")
            await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press("escape")
        await pilot.pause()
    (record,) = stored(tui_ctx)
    assert record.status is SessionStatus.STOPPED
