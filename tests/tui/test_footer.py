"""Every screen's footer turns compact below 72 columns, without the palette's hint (back when
the window grows), and a global key is left out on the screen it opens (it would do nothing)."""

from __future__ import annotations

from typing import Any

import pytest

from psoas_tui.tui.screens.choose import ChooseScreen
from psoas_tui.tui.screens.log import LogScreen
from psoas_tui.tui.screens.plugins import PluginsScreen
from psoas_tui.tui.screens.settings import SettingsScreen
from psoas_tui.tui.widgets.footer import COMPACT_WIDTH, FittingFooter

SCREENS = {"": ChooseScreen, "f2": LogScreen, "f3": PluginsScreen, "f4": SettingsScreen}


def shown_keys(app: Any) -> list[str]:
    """The descriptions in the top screen's footer, in order."""
    footer = app.screen.query_one(FittingFooter)
    return [key.description for key in footer.query("FooterKey")]  # its key widgets, by CSS type


async def open_screen(app: Any, pilot: Any, key: str) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    if key:
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert isinstance(app.screen, SCREENS[key])


@pytest.mark.parametrize("key", list(SCREENS))
async def test_compact_when_narrow_and_back_when_wide(make_app, key) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await open_screen(app, pilot, key)
        footer = app.screen.query_one(FittingFooter)
        assert footer.compact and not footer.show_command_palette
        assert "palette" not in shown_keys(app)
        await pilot.resize_terminal(COMPACT_WIDTH + 28, 30)
        await pilot.pause()
        await pilot.pause()
        assert not footer.compact and footer.show_command_palette
        assert "palette" in shown_keys(app)


@pytest.mark.parametrize(("key", "hidden"), [("f2", "Log"), ("f3", "Plugins"), ("f4", "Settings")])
async def test_the_key_of_the_screen_on_show_is_left_out(make_app, key, hidden) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_screen(app, pilot, "")
        assert hidden in shown_keys(app)  # on the choose screen every global key is shown
        await open_screen(app, pilot, key)
        keys = shown_keys(app)
        assert hidden not in keys and "Help" in keys and "Quit" in keys
        await pilot.press(key)  # and the key still does nothing there
        await pilot.pause()
        assert isinstance(app.screen, SCREENS[key]) and len(app.screen_stack) == 2
