"""Safety notice on first run (once, saved), help with every key, keymaps from config."""

from __future__ import annotations

import tomllib

from textual.widgets import Static

from psoas_tui.config import Settings, load_settings
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.help import HelpScreen, key_sections
from psoas_tui.tui.screens.safety import SafetyScreen


def first_run_ctx(tui_dirs, fake_clock, **settings) -> AppContext:
    return AppContext(
        settings=Settings(**settings),
        config_path=tui_dirs.config / "config.toml",
        history_path=tui_dirs.data / "history.sqlite3",
        clock=fake_clock,
    )


def help_text(app) -> str:
    return str(app.screen.query_one("#help-body", Static).visual)


async def test_first_run_shows_the_notice_until_acknowledged(make_app, tui_dirs, fake_clock):
    ctx = first_run_ctx(tui_dirs, fake_clock)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        shown = " ".join(str(w.visual) for w in app.screen.query(".safety-point"))
        for words in ("not medical advice", "sharp pain", "numbness or tingling", "pregnancy", "surgery"):
            assert words in shown
        await pilot.press("escape")  # the first time, Esc does not skip it
        assert isinstance(app.screen, SafetyScreen)
        assert not (tui_dirs.config / "config.toml").exists()
        await pilot.press("enter")  # the notice, then the first-run steps: Enter keeps their defaults
        await pilot.pause()
        assert not (tui_dirs.config / "config.toml").exists()  # saved when the flow is done
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SafetyScreen)
    saved = tomllib.loads((tui_dirs.config / "config.toml").read_text(encoding="utf-8"))
    assert saved["safety_acknowledged"] is True
    assert load_settings(tui_dirs.config / "config.toml").safety_acknowledged


async def test_the_notice_is_shown_once(make_app):
    app = make_app()  # tui_ctx: already acknowledged
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, SafetyScreen)


async def test_first_run_with_a_routine_waits_for_the_notice(make_app, tui_dirs, fake_clock, monkeypatch):
    ctx = first_run_ctx(tui_dirs, fake_clock)
    app = make_app(ctx, routine_id="desk-break")
    started = []
    monkeypatch.setattr(app, "start", started.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        assert started == []
        await pilot.click("#safety-ok")
        await pilot.pause()
        assert started == []  # the first-run steps come first
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert [r.id for r in started] == ["desk-break"]


async def test_help_lists_every_key_and_reaches_the_safety_notice(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        for description in ("Help", "Log", "Plugins", "Settings", "Quit", "Command palette", "Start",
                            "Clear filter", "Filter the list"):
            assert description in text
        for title, _rows in key_sections(app):
            assert title in text
        await pilot.press("s")
        assert isinstance(app.screen, SafetyScreen)
        assert "Close" in str(app.screen.query_one("#safety-ok").label)
        await pilot.press("escape")  # not the first run: Esc closes it
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_shows_keys_of_screens_from_other_modules(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)):
        sections = dict(key_sections(app))
        assert "Everywhere" in sections
        assert "Choose a routine" in sections
        # Every screen that is installed declares its keys with a description.
        for rows in sections.values():
            assert all(keys and description for keys, description in rows)


async def test_keymap_from_settings_remaps_and_help_follows(make_app, tui_dirs, fake_clock):
    ctx = first_run_ctx(tui_dirs, fake_clock, safety_acknowledged=True, keys={"help": "ctrl+h,f9"})
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")  # no longer bound
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f9")
        assert isinstance(app.screen, HelpScreen)
        everywhere = dict(key_sections(app))["Everywhere"]
        assert ("^h f9", "Help") in everywhere


async def test_global_bindings_have_ids(make_app):
    app = make_app()
    ids = {b.id for b in app.BINDINGS if hasattr(b, "id")}
    assert {"help", "open_log", "open_plugins", "open_settings", "quit"} <= ids


def test_every_core_binding_has_an_id():
    from textual.binding import Binding

    from psoas_tui.tui.app import PsoasApp
    from psoas_tui.tui.screens.choose import ChooseScreen

    for node_class in (PsoasApp, ChooseScreen, HelpScreen, SafetyScreen):
        for binding in Binding.make_bindings(node_class.BINDINGS):
            assert binding.id, f"{node_class.__name__}: {binding.key} has no id"


async def test_help_lists_widget_keys_and_keys_without_bindings(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)):
        sections = dict(key_sections(app))
        if "Check-in" in sections:
            assert ("0-9", "Rate 0-10 (1 then 0 makes 10)") in sections["Check-in"]


async def test_unknown_binding_id_in_the_keymap_is_a_notice(make_app, tui_dirs, fake_clock):
    ctx = first_run_ctx(tui_dirs, fake_clock, safety_acknowledged=True, keys={"opne_log": "f9"})
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications if n.title == "Unknown key binding"]
        assert len(messages) == 1 and "'opne_log'" in messages[0]


async def test_keymap_clash_is_a_notice_once(make_app, tui_dirs, fake_clock):
    ctx = first_run_ctx(tui_dirs, fake_clock, safety_acknowledged=True, keys={"open_log": "f1"})
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f1")  # now the log's key; help keeps "?" only
        await pilot.pause()
        assert type(app.screen).__name__ == "LogScreen"
        clashes = [n.message for n in app._notifications if n.title == "Key binding clash"]
        assert len(clashes) == 1
        assert "'f1'" in clashes[0] and "Help (help)" in clashes[0] and "Log (open_log)" in clashes[0]


async def test_help_says_question_mark_is_typed_in_a_text_field(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)):
        rows = dict(key_sections(app))["Everywhere"]
        assert ("f1 ?", "Help") in rows
        assert ("?", "In a text field: typed; f1 always opens help") in rows
        choose = dict(key_sections(app))["Choose a routine"]
        assert choose[0] == ("letters digits", "Filter the list (from anywhere here)")


async def test_short_notice_follows_the_vertical_breakpoint_when_resized(make_app, tui_dirs, fake_clock):
    """Below 24 lines the blank lines between the points go (``-short``), and come back."""
    app = make_app(first_run_ctx(tui_dirs, fake_clock))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SafetyScreen) and not screen.has_class("-short")
        point = screen.query(".safety-point").first()
        assert point.styles.padding.bottom == 1
        for height, short in ((20, True), (24, False), (23, True), (40, False)):
            await pilot.resize_terminal(80, height)
            await pilot.pause()
            assert screen.has_class("-short") == short, height
            assert point.styles.padding.bottom == (0 if short else 1)
