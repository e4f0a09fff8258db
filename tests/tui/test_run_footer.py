"""The run footer shows "Done" only on a step that waits for it, and is hidden under the
check-in (issue 9, item 24)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer

from psoas_tui.model import Routine, Step, StepKind
from psoas_tui.tui.screens.checkin import CheckInScreen

ROUTINE = Routine(
    id="footer", title="Footer", summary="s",
    steps=(Step(StepKind.HOLD, "Hold", seconds=10), Step(StepKind.REPS, "Tilts", count=8)),
)


def footer_actions(screen: Any) -> set[str]:
    return {a.binding.action for a in screen.active_bindings.values() if a.binding.show}


async def test_done_key_shown_only_where_it_works(make_app, tui_ctx) -> None:
    app = make_app(routine=ROUTINE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "done" not in footer_actions(screen)  # get ready
        assert "d Done" not in app.export_screenshot(simplify=True)
        tui_ctx.clock.advance(5 + 10)
        screen.refresh_state()
        await pilot.pause()
        assert screen.runner.current.manual
        assert "done" in footer_actions(screen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)


async def test_run_footer_hidden_under_the_checkin(make_app, tui_ctx) -> None:
    app = make_app(routine=ROUTINE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        assert not screen.query_one(Footer).display
        assert "Pause/resume" not in app.export_screenshot(simplify=True)
