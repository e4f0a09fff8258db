"""The reminder banner on the choose screen, with an injected wall clock (``ctx.now``).

The schedule: every 50 minutes, all day, every day, suggesting the desk break; the history is
empty, so at noon a reminder is due (it fell due at 00:50 and was never answered).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Button, Input

from psoas_tui.reminders.settings import ReminderSettings
from psoas_tui.tui.screens.choose import ChooseScreen
from psoas_tui.tui.screens.run import RunScreen
from psoas_tui.tui.widgets.reminder_banner import ReminderBanner

ZONE = ZoneInfo("Europe/Berlin")
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=ZONE)  # a Wednesday
ALL_DAY = ReminderSettings(enabled=True, every=50 * 60, hours=(0, 1440), days=tuple(range(7)))


class WallClock:
    """``ctx.now`` for tests: stands still until moved."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def wall(tui_ctx: Any) -> WallClock:
    clock = WallClock(NOON)
    tui_ctx.now = clock
    tui_ctx.settings = tui_ctx.settings.replace(reminders=ALL_DAY, cue_styles=["text"])
    return clock


async def settled(app: Any, pilot: Any) -> ChooseScreen:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen_stack[0]
    assert isinstance(screen, ChooseScreen)
    return screen


def events(ctx: Any) -> list[str]:
    return [kind for (kind,) in ctx.store.query("SELECT kind FROM reminder_events ORDER BY id")]


async def test_a_due_reminder_shows_a_banner_and_the_title(make_app, tui_ctx, wall):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app, pilot)
        banner = screen.query_one(ReminderBanner)
        assert banner.display and banner.due is not None and banner.due.routine == "desk-break"
        assert "Time to stretch: desk-break" in str(banner.query_one("#reminder-text").visual)
        assert app.sub_title == "Time to stretch: desk-break"
        labels = [str(button.label) for button in banner.query(Button)]
        assert labels == ["Start ^t", "Snooze 15m ^n", "Skip ^o"]
        assert not banner.query_one("#reminder-skip", Button).disabled
        assert events(tui_ctx) == ["shown"]
        banner.check()  # looking again does not record it again
        await settled(app, pilot)
        assert events(tui_ctx) == ["shown"]


async def test_no_banner_when_reminders_are_off(make_app, tui_ctx, wall):
    tui_ctx.settings = tui_ctx.settings.replace(reminders=ALL_DAY._replace(enabled=False))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app, pilot)
        banner = screen.query_one(ReminderBanner)
        assert not banner.display and banner.due is None
        assert app.sub_title == type(app).SUB_TITLE
        assert banner.next_check is None  # no timer at all
        await pilot.press("ctrl+o")  # the keys do nothing
        assert events(tui_ctx) == []


async def test_no_banner_before_it_is_due_and_the_timer_follows_wake_delay(make_app, tui_ctx, wall):
    tui_ctx.settings = tui_ctx.settings.replace(reminders=ALL_DAY._replace(hours=(9 * 60, 17 * 60 + 30)))
    wall.now = NOON.replace(hour=8)  # before working hours: next due 09:50
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app, pilot)
        banner = screen.query_one(ReminderBanner)
        assert not banner.display and banner.due is None
        assert banner.next_check == 60.0  # at most a minute, never sooner than needed
        wall.now = NOON.replace(hour=9, minute=49, second=30)
        banner.check()  # what the timer does
        await settled(app, pilot)
        assert banner.due is None and banner.next_check == 30.0
        wall.now += timedelta(seconds=30)
        banner.check()
        await settled(app, pilot)
        assert banner.display and banner.due is not None
        assert app.sub_title == "Time to stretch: desk-break"


async def test_start_opens_the_run_screen_with_the_suggested_routine(make_app, tui_ctx, wall):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        await pilot.press("half")  # another routine highlighted: the key starts the reminded one
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen) and app.screen.routine.id == "desk-break"


async def test_the_start_button_starts_it_too(make_app, tui_ctx, wall):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app, pilot)
        await pilot.click("#reminder-start")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen) and app.screen.routine.id == "desk-break"
        assert screen.query_one(ReminderBanner).due is not None  # answered only by the session


async def test_snooze_hides_it_and_records_the_event(make_app, tui_ctx, wall):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app, pilot)
        await pilot.press("ctrl+n")
        await settled(app, pilot)
        banner = screen.query_one(ReminderBanner)
        assert not banner.display and banner.due is None
        assert events(tui_ctx) == ["shown", "snoozed"]
        assert app.sub_title == type(app).SUB_TITLE
        assert banner.next_check == 60.0
        wall.now += timedelta(minutes=15)  # the snooze ends: due again
        banner.check()
        await settled(app, pilot)
        assert banner.due is not None and events(tui_ctx) == ["shown", "snoozed", "shown"]


async def test_skip_hides_it_and_records_the_event(make_app, tui_ctx, wall):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app, pilot)
        await pilot.click("#reminder-skip")
        await settled(app, pilot)
        assert screen.query_one(ReminderBanner).due is None
        assert events(tui_ctx) == ["shown", "skipped"]


async def test_skip_at_the_limit_is_refused_with_the_reason(make_app, tui_ctx, wall):
    tui_ctx.settings = tui_ctx.settings.replace(reminders=ALL_DAY._replace(max_skips_per_day=0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app, pilot)
        banner = screen.query_one(ReminderBanner)
        assert banner.query_one("#reminder-skip", Button).disabled
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert banner.due is not None and events(tui_ctx) == ["shown"]
        messages = [notice.message for notice in app._notifications]
        assert any("no skips left today (max_skips_per_day = 0)" in m for m in messages)


async def test_typing_still_filters_and_enter_still_starts_the_highlighted_routine(
    make_app, tui_ctx, wall, monkeypatch
):
    app = make_app()
    started: list[Any] = []
    monkeypatch.setattr(app, "start", started.append)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app, pilot)
        assert screen.query_one(ReminderBanner).due is not None
        await pilot.press(*"half")
        assert screen.query_one("#filter", Input).value == "half"
        assert [r.id for r in screen.shown] == ["half-kneeling"]
        await pilot.press("enter")
        assert [r.id for r in started] == ["half-kneeling"]
        assert events(tui_ctx) == ["shown"]  # nothing answered by typing


async def test_help_lists_the_reminder_keys_and_a_remap_shows_on_the_button(make_app, tui_ctx, wall):
    from psoas_tui.tui.screens.help import key_sections

    tui_ctx.settings = tui_ctx.settings.replace(keys={"reminder_snooze": "ctrl+y"})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app, pilot)
        rows = dict(key_sections(app))["Choose a routine"]
        assert ("^t", "Reminder: start it") in rows
        assert ("^y", "Reminder: snooze") in rows
        assert ("^o", "Reminder: skip") in rows
        banner = screen.query_one(ReminderBanner)
        assert str(banner.query_one("#reminder-snooze", Button).label) == "Snooze 15m ^y"
        await pilot.press("ctrl+y")
        await settled(app, pilot)
        assert events(tui_ctx) == ["shown", "snoozed"]
