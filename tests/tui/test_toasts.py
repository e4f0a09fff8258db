"""Notifications never cover the run screen's time left (issue 9: they sat on "N:NN left")."""

from __future__ import annotations

from textual.widgets._toast import Toast

from psoas_tui.model import Routine, Step, StepKind

ROUTINE = Routine(id="toasts", title="Toasts", summary="s", steps=(Step(StepKind.HOLD, "Hold", seconds=60),))


async def test_toasts_leave_the_time_left_and_the_top_row_in_view(make_app) -> None:
    app = make_app(routine=ROUTINE)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        for n in range(3):
            app.notify(f"Notice {n}: a long line that wraps over more than one row of the toast",
                       title="Plugin problem", severity="warning", timeout=60)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        left = screen.query_one("#run-left").region
        position = screen.query_one("#run-position").region
        assert "left" in str(screen.query_one("#run-left").render())
        toasts = [toast.region for toast in app.screen.query(Toast)]
        assert len(toasts) == 3 and all(region.area for region in toasts)
        for region in toasts:
            assert not region.overlaps(left), (region, left)
            assert not region.overlaps(position), (region, position)
