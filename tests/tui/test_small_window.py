"""Below 60x20 every screen shows "make the window at least 60x20" and no key acts on what the
notice hides; at 60x20 the screens work and nothing is cut (issue 9, item 22)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from psoas_tui.config import Settings
from psoas_tui.model import Routine, Step, StepKind
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.choose import ChooseScreen
from psoas_tui.tui.screens.safety import SafetyScreen
from psoas_tui.tui.widgets.too_small import TooSmall

SMALL = [(59, 20), (60, 19)]
ROUTINE = Routine(id="hold", title="Hold", summary="s", steps=(Step(StepKind.HOLD, "Hold", seconds=30),))


async def settle(app: Any, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def notice_shown(app: Any) -> bool:
    """True when the top screen is covered by the notice."""
    notices = [n for n in app.screen.query_children(TooSmall) if n.display]
    if not notices:
        return False
    region = notices[0].region
    return region.size == app.size and "at least 60x20" in str(notices[0].render())


def first_run_ctx(tui_dirs: Any, fake_clock: Any) -> AppContext:
    return AppContext(settings=Settings(), config_path=tui_dirs.config / "config.toml",
                      history_path=tui_dirs.data / "history.sqlite3", clock=fake_clock)


@pytest.mark.parametrize("size", SMALL)
async def test_choose_screen_too_small_shows_the_notice_and_ignores_keys(make_app, monkeypatch, size) -> None:
    app = make_app()
    started: list[Routine] = []
    monkeypatch.setattr(app, "start", started.append)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen) and notice_shown(app)
        await pilot.press(*"desk", "enter", "f1", "f2", "f4", "ctrl+p")
        await pilot.click(offset=(10, 10))
        await pilot.pause()
        assert app.screen_stack[-1] is app.screen_stack[0]  # nothing opened on top
        assert app.screen.query_one("#filter", Input).value == ""
        assert started == []


@pytest.mark.parametrize("size", SMALL)
async def test_safety_note_cannot_be_accepted_unseen(make_app, tui_dirs, fake_clock, size) -> None:
    ctx = first_run_ctx(tui_dirs, fake_clock)
    app = make_app(ctx)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SafetyScreen) and notice_shown(app)
        await pilot.press("enter", "space", "tab", "enter", "escape")
        await pilot.click(offset=(30, size[1] - 3))
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        assert not ctx.settings.safety_acknowledged
        await pilot.resize_terminal(60, 20)
        await settle(app, pilot)
        assert not notice_shown(app)  # the note is readable again, and can be accepted


@pytest.mark.parametrize("size", SMALL)
async def test_run_screen_keys_do_not_act_while_too_small(make_app, size) -> None:
    app = make_app(routine=ROUTINE)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "RunScreen" and notice_shown(app)
        await pilot.press("space", "escape", "n", "right")
        await pilot.pause()
        assert app.screen is screen and screen.runner.status == "running"
        assert screen.runner.snapshot().segment.index == 0  # not skipped


@pytest.mark.parametrize("key", ["f2", "f4", "f1"])
async def test_every_screen_shows_the_notice(make_app, key) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        opened = app.screen
        assert opened is not app.screen_stack[0] and not notice_shown(app)
        await pilot.resize_terminal(59, 20)
        await settle(app, pilot)
        assert notice_shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is opened  # Esc did not close what the notice hides
        await pilot.resize_terminal(60, 20)
        await settle(app, pilot)
        assert not notice_shown(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.screen_stack[0]


async def test_ctrl_q_still_quits_when_too_small(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(59, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_60x20_works_without_the_notice(make_app, monkeypatch) -> None:
    app = make_app()
    started: list[Routine] = []
    monkeypatch.setattr(app, "start", started.append)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        assert not notice_shown(app)
        assert app.screen.query_one("#routines").option_count > 0
        await pilot.press(*"desk", "enter")
        await pilot.pause()
        assert [r.id for r in started] == ["desk-break"]


async def test_log_columns_all_fit_at_60x20(make_app) -> None:
    from psoas_tui.tui.widgets.paged_table import PagedTable

    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        table = app.screen.query_one(PagedTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert "Done/plan" in labels and "Routine" in labels
        assert table.virtual_size.width <= table.size.width  # no column cut at the edge


def test_small_window_message(snap_compare, make_app) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(), terminal_size=(59, 20), run_before=run_before)


async def test_safety_note_fits_whole_at_60x20(make_app, tui_dirs, fake_clock) -> None:
    ctx = first_run_ctx(tui_dirs, fake_clock)
    app = make_app(ctx)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SafetyScreen) and not notice_shown(app)
        text = app.screen.query_one("#safety-text")
        assert text.max_scroll_y == 0  # every warning on screen, nothing scrolled out of view
        button = app.screen.query_one("#safety-ok")
        assert button.region.y >= text.region.bottom and button.region.bottom <= 20


async def test_choose_footer_fits_at_60x20(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one("Footer")
        keys = list(footer.query("FooterKey"))
        assert any("Settings" in str(key.description) for key in keys)
        assert max(key.region.right for key in keys) <= footer.region.right
        assert footer.virtual_size.width <= footer.size.width  # nothing cut at the edge
