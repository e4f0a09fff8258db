"""The app shell: first paint, global keys and screens, command palette, launch, NO_COLOR, size."""

from __future__ import annotations

import importlib

import pytest
from palette_wait import wait_for_palette_hit
from textual.command import CommandPalette

from psoas_tui.errors import UserError
from psoas_tui.tui.app import PsoasApp
from psoas_tui.tui.screens.choose import ChooseScreen
from psoas_tui.tui.screens.help import HelpScreen


async def wait_loaded(app, pilot) -> ChooseScreen:
    """Wait until the choose screen has its routines."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen_stack[0]
    assert isinstance(screen, ChooseScreen)
    assert screen.loaded
    return screen


def active_timers(app) -> list[str]:
    """Names of timers that are running (not paused) anywhere in the app."""
    nodes = [app, *app.screen_stack]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children())
    return [t.name for node in nodes for t in node._timers if t._active.is_set()]


async def test_opens_on_choose_screen_with_routines(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(app, pilot)
        assert app.screen is screen
        assert "desk-break" in [r.id for r in screen.shown]


async def test_first_paint_does_not_wait_for_the_library(make_app, monkeypatch):
    """The full library loads in a worker: the screen is up, listing the built-in routines
    (no plugin discovery needed for those), before it is ready."""
    import threading

    gate = threading.Event()
    app = make_app()
    real = PsoasApp.load_library

    def slow(self):
        gate.wait(10)
        return real(self)

    monkeypatch.setattr(PsoasApp, "load_library", slow)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChooseScreen) and not screen.loaded
        assert not app.ctx.library_ready
        assert "desk-break" in [r.id for r in screen.shown]
        assert "built-in" in str(screen.query_one("#routines").get_option_at_index(0).prompt)
        gate.set()
        await wait_loaded(app, pilot)
        assert app.ctx.library_ready


async def test_idle_app_runs_no_timers(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        assert active_timers(app) == []


@pytest.mark.parametrize(
    ("key", "module", "name"),
    [
        ("f2", "log", "LogScreen"),
        ("f3", "plugins", "PluginsScreen"),
        ("f4", "settings", "SettingsScreen"),
        ("f1", "help", "HelpScreen"),
    ],
)
async def test_global_keys_open_screens(make_app, key, module, name):
    try:
        screen_class = getattr(importlib.import_module(f"psoas_tui.tui.screens.{module}"), name)
    except ImportError:
        pytest.skip(f"psoas_tui.tui.screens.{module} is not written yet")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, screen_class)
        depth = len(app.screen_stack)
        await pilot.press(key)  # pressing it again does not stack a second copy
        assert len(app.screen_stack) == depth


async def test_command_palette_starts_a_routine(make_app, monkeypatch):
    app = make_app()
    started = []
    monkeypatch.setattr(app, "start", started.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"start desk")
        await wait_for_palette_hit(app, pilot, "desk break")
        await pilot.press("enter")
        await pilot.pause()
        assert [r.id for r in started] == ["desk-break"]


PALETTE_HITS = {"SettingsScreen": "ettings", "HelpScreen": "elp"}


@pytest.mark.parametrize(("words", "name"), [("open settings", "SettingsScreen"), ("help", "HelpScreen")])
async def test_command_palette_opens_screens(make_app, words, name):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("ctrl+p", *words)
        await wait_for_palette_hit(app, pilot, PALETTE_HITS[name])
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == name


async def test_command_palette_offers_log_and_export(make_app):
    from psoas_tui.tui.commands import ACTIONS

    actions = {action for _title, _help, action in ACTIONS}
    assert {"open_log", "export", "open_settings"} <= actions
    app = make_app()
    for _title, _help, action in ACTIONS:
        assert callable(getattr(app, f"action_{action}"))


async def test_start_routine_action_with_unknown_id_is_a_notice(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        app.action_start_routine("no-such-routine")
        await pilot.pause()
        assert any("no routine with id" in n.message for n in app._notifications)
        assert isinstance(app.screen, ChooseScreen)


async def test_routine_id_opens_straight_on_the_run_screen(make_app, monkeypatch):
    app = make_app(routine_id="desk-break")
    started = []
    monkeypatch.setattr(app, "start", started.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [r.id for r in started] == ["desk-break"]


async def test_run_screen_is_pushed_when_available(make_app):
    run = pytest.importorskip("psoas_tui.tui.screens.run")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press(*"desk", "enter")
        await pilot.pause()
        assert isinstance(app.screen, run.RunScreen)


def test_launch_refuses_an_unknown_routine_before_taking_the_screen(tui_ctx):
    from psoas_tui.tui.launch import launch

    with pytest.raises(UserError, match="no routine with id 'nope'"):
        launch("nope", ctx=tui_ctx)


async def test_no_color_is_honoured(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        assert app.no_color


async def test_small_terminal_degrades_without_crashing(make_app, monkeypatch):
    app = make_app()
    started = []
    monkeypatch.setattr(app, "start", started.append)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await wait_loaded(app, pilot)
        assert screen.has_class("-narrow")
        detail = screen.query_one("#detail")
        assert detail.size.height > 0 and detail.size.width > 0
        detail.focus()
        await pilot.press("pagedown", "end")
        assert detail.scroll_y > 0  # the detail pane scrolls instead of being cut off
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not screen.has_class("-narrow")
        assert app.is_running


async def test_theme_from_settings_and_unknown_theme_falls_back(tui_ctx):
    tui_ctx.settings = tui_ctx.settings.replace(theme="nord")
    assert PsoasApp(tui_ctx).theme == "nord"
    tui_ctx.settings = tui_ctx.settings.replace(theme="no-such-theme")
    assert PsoasApp(tui_ctx).theme == "textual-dark"


async def test_global_screens_wait_while_a_dialog_asks(make_app, tui_dirs, fake_clock):
    from psoas_tui.config import Settings
    from psoas_tui.tui.context import AppContext
    from psoas_tui.tui.screens.safety import SafetyScreen

    ctx = AppContext(settings=Settings(), config_path=tui_dirs.config / "config.toml",
                     history_path=tui_dirs.data / "history.sqlite3", clock=fake_clock)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        await pilot.press("f2", "f4")
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)  # nothing opened over the notice
        await pilot.press("enter", "enter", "enter")  # the notice, then the first-run steps
        await pilot.press("f4")
        await pilot.pause()
        assert type(app.screen).__name__ == "SettingsScreen"


async def test_one_session_at_a_time(make_app, monkeypatch):
    run = pytest.importorskip("psoas_tui.tui.screens.run")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press(*"desk", "enter")
        await pilot.pause()
        assert isinstance(app.screen, run.RunScreen)
        app.action_start_routine("desk-break")
        await pilot.pause()
        assert sum(isinstance(s, run.RunScreen) for s in app.screen_stack) == 1
        assert any("session that is running" in n.message for n in app._notifications)


def test_launch_cue_styles_replace_the_configured_ones_without_saving(tui_ctx, monkeypatch):
    from psoas_tui.tui import launch as launch_module

    seen = {}

    def fake_run(self):
        seen["styles"] = self.ctx.settings.cue_styles
        seen["routine"] = self._first_routine
        return 0

    monkeypatch.setattr(PsoasApp, "run", fake_run)
    assert launch_module.launch("desk-break", ctx=tui_ctx, cue_styles=["bell"]) == 0
    assert seen["styles"] == ("bell",)
    assert seen["routine"].id == "desk-break"
    assert not tui_ctx.config_path.exists()


def test_context_makes_host_library_and_store_once_across_threads(tui_ctx, monkeypatch):
    """Worker threads racing for the context's services get one host, one library, one store."""
    import threading

    import psoas_tui.plugin_host.host as plugins

    builds = []
    real = plugins.build_plugin_host

    def counting(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(plugins, "build_plugin_host", counting)
    start = threading.Barrier(6)
    seen: list[tuple[int, int, int]] = []

    def grab() -> None:
        start.wait()
        seen.append((id(tui_ctx.library), id(tui_ctx.host), id(tui_ctx.store)))

    threads = [threading.Thread(target=grab) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len(set(seen)) == 1
    assert tui_ctx.local_library is tui_ctx.library  # once loaded, the full library is the answer


async def test_palette_has_no_textual_keys_panel_and_theme_goes_to_settings(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Quit" in titles
        assert not {"Keys", "Screenshot", "Maximize"} & set(titles)
        await pilot.press("ctrl+p", *"theme")
        await wait_for_palette_hit(app, pilot, "heme")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SettingsScreen"
