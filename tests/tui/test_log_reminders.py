"""The log screen's reminder counts (shown, snoozed, skipped, followed; all time and 7 days)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from seed import FIXED_TODAY, TZ, HarnessApp, settle
from textual.widgets import Static

from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.log import LogScreen


def _header(app: HarnessApp) -> str:
    return str(app.screen.query_one("#log-stats", Static).render())


def at(days_ago: int) -> datetime:
    return datetime.combine(FIXED_TODAY - timedelta(days=days_ago), time(12, 0), tzinfo=TZ)


async def test_reminder_counts_all_time_and_last_7_days(tui_ctx: AppContext) -> None:
    store = tui_ctx.store
    for kind, days_ago in [("shown", 0), ("shown", 10), ("snoozed", 0), ("skipped", 6), ("skipped", 7),
                           ("followed", 10)]:
        store.record_reminder_event(kind, at=at(days_ago))
    app = HarnessApp(tui_ctx, lambda: LogScreen(today=FIXED_TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        header = _header(app)
        assert "Streak 0 days" in header  # the first line is unchanged
        assert "Reminders (all/7 days)" in header
        assert "shown 2/1 \u00b7 snoozed 1/1 \u00b7 skipped 2/1 \u00b7 followed 1/0" in header


async def test_no_reminder_line_without_any(tui_ctx: AppContext) -> None:
    app = HarnessApp(tui_ctx, lambda: LogScreen(today=FIXED_TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        header = _header(app)
        assert "Streak 0 days" in header and "Reminders" not in header
