"""The settings screen says what the breath pattern does; the detail pane shows the user's
pattern on the steps that follow it (issue 9, item 19)."""

from __future__ import annotations

from pathlib import Path

from seed import HarnessApp

from psoas_tui.config import Settings
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.settings import SettingRow, SettingsScreen


async def test_settings_screen_says_what_the_breath_pattern_paces(tmp_path: Path) -> None:
    ctx = AppContext(settings=Settings(), config_path=tmp_path / "config.toml",
                     history_path=tmp_path / "h.sqlite3")
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        row = app.screen.query_one("#row-breath", SettingRow)
        hint = " ".join(str(s.render()) for s in row.query(".setting-hint"))
        assert "paces built-in routines" in hint
    ctx.close()


async def test_detail_pane_shows_the_users_breath(make_app, tui_ctx) -> None:
    tui_ctx.settings = Settings(safety_acknowledged=True, breath="5-1-7-1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen_stack[0]
        screen.query_one("#filter").value = "constructive"
        await pilot.pause()
        text = screen.detail_text()
        assert "breath 5-1-7-1 (your setting)" in text and "4-0-6-0" not in text
