"""The app shell: first paint, safety on first run, global keys, keymaps, notices."""

from __future__ import annotations

from psoas_tui.tui.screens.choose import ChooseScreen


async def wait_loaded(app, pilot) -> ChooseScreen:
    """Wait until the choose screen has its routines."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen_stack[0]
    assert isinstance(screen, ChooseScreen)
    assert screen.loaded
    return screen


async def test_opens_on_choose_screen_with_routines(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(app, pilot)
        assert app.screen is screen
        ids = [r.id for r in screen.shown]
        assert "desk-break" in ids
