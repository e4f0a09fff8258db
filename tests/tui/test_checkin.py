"""The check-in modal: digits and arrows on 0-10 scales, per-side tightness, a note, Esc skips."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.widgets import Static

from psoas_tui.history.store import HistoryStore
from psoas_tui.model import CheckIn, Routine, SessionStatus, Step, StepKind
from psoas_tui.tui.screens.checkin import CheckInScreen, Scale
from psoas_tui.tui.screens.run import RunScreen

_NOTHING = object()


class CheckInApp(App[None]):
    """Shows one check-in and keeps what it returned."""

    def __init__(self, title: str = "Half-kneeling", *, sided: bool = True, status: str = "completed"):
        super().__init__()
        self.screen_args = (title, sided, status)
        self.result: Any = _NOTHING

    def on_mount(self) -> None:
        title, sided, status = self.screen_args
        self.push_screen(CheckInScreen(title, sided=sided, status=status), self._done)

    def _done(self, result: CheckIn | None) -> None:
        self.result = result


def scale(app: App, scale_id: str) -> Scale:
    return app.screen.query_one(f"#{scale_id}", Scale)


async def test_digits_set_each_scale_and_enter_saves():
    app = CheckInApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is scale(app, "feeling-before")
        await pilot.press("4", "down", "8", "down", "1", "0", "down", "0")
        assert scale(app, "tightness-left").value == 10
        assert scale(app, "tightness-right").value == 0
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == CheckIn(feeling_before=4, feeling_after=8, tightness_left=10, tightness_right=0)


async def test_a_later_digit_replaces_the_value():
    app = CheckInApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1", "0")
        assert scale(app, "feeling-before").value == 10
        await pilot.press("0")  # not another 10: a fresh digit
        assert scale(app, "feeling-before").value == 0
        await pilot.press("7")
        assert scale(app, "feeling-before").value == 7


async def test_arrows_start_in_the_middle_and_stay_in_range():
    app = CheckInApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = scale(app, "feeling-before")
        assert before.value is None
        await pilot.press("right")
        assert before.value == 5
        await pilot.press("right", "right")
        assert before.value == 7
        await pilot.press(*["right"] * 6)
        assert before.value == 10
        await pilot.press(*["left"] * 12)
        assert before.value == 0
        await pilot.press("down", "left")
        assert scale(app, "feeling-after").value == 5
        await pilot.press("up")
        assert app.focused is before


async def test_escape_skips_with_none():
    app = CheckInApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("5", "escape")
        await pilot.pause()
    assert app.result is None


async def test_note_is_typed_and_enter_in_it_saves():
    app = CheckInApp(sided=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#tightness-left")
        await pilot.press("6", "down", "down")
        await pilot.press(*"hips 10/10 better")  # digits go into the note, not the scales
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == CheckIn(feeling_before=6, note="hips 10/10 better")


@pytest.mark.parametrize(("button", "expected"), [("#checkin-save-button", CheckIn(feeling_before=2)),
                                                  ("#checkin-skip-button", None)])
async def test_buttons(button, expected):
    app = CheckInApp(sided=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.click(button)
        await pilot.pause()
    assert app.result == expected


async def test_title_is_escaped_and_stopped_sessions_say_so():
    app = CheckInApp("[@click=app.quit]x", status="stopped")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        status = str(app.screen.query_one("#checkin-status", Static).render())
        assert status == "Session stopped: [@click=app.quit]x"
        await pilot.click("#checkin-status")
        assert app.is_running


async def test_fits_a_small_terminal():
    app = CheckInApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("3", "tab", "tab", "tab", "tab")
        await pilot.pause()
        assert app.screen.query_one("#checkin-note").has_focus


async def test_checkin_is_saved_to_the_history_file(make_app, tui_ctx):
    """The whole path: a short sided routine, its check-in, and the row in the SQLite file."""
    routine = Routine(
        id="short",
        title="Short",
        summary="s",
        steps=(Step(StepKind.HOLD, "Lunge", seconds=10, sides=("left", "right")),),
    )
    app = make_app(routine=routine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        tui_ctx.clock.advance(5 + 10 + 5 + 10)
        screen.refresh_state()
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press("2", "down", "right", "right", "down", "9", "down", "8", "down", *"ok", "enter")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
    with HistoryStore.open(tui_ctx.history_path) as store:
        (record,) = list(store.iter_sessions())
    assert record.status is SessionStatus.COMPLETED
    assert record.checkin == CheckIn(2, 6, 9, 8, "ok")


async def test_a_burst_of_keys_lands_in_order():
    """Keys arriving together (a paste, tmux send-keys) go to the field focused at that moment."""
    from textual import events

    app = CheckInApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, char in [("7", "7"), ("down", None), ("8", "8"), ("down", None), ("1", "1"), ("0", "0")]:
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await pilot.pause()
        values = [scale(app, s).value for s in ("feeling-before", "feeling-after", "tightness-left")]
        assert values == [7, 8, 10]
