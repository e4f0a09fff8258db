"""SVG snapshots of the log screen (seeded history; 80x24, 60x20 and NO_COLOR), the session
detail, the export dialog, the settings screen and the plugins screen.

Regenerate with ``pytest tests/tui/test_snapshots_log.py --snapshot-update`` and look at the
SVGs (``rsvg-convert x.svg -o x.png``) before committing them.
"""

from __future__ import annotations

from typing import Any

import pytest
from seed import FIXED_TODAY, HarnessApp, sample_records, seed_history, settle
from textual.widgets import Input

from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.log import LogScreen
from psoas_tui.tui.screens.plugins import PluginsScreen
from psoas_tui.tui.screens.settings import SettingsScreen


async def _settle(pilot: Any) -> None:
    """Let workers finish; stop input cursors blinking so the picture is stable."""
    await settle(pilot.app, pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


@pytest.fixture(autouse=True)
def _no_speaker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings screen marks voice by whether a speech program is found: the same
    picture on every machine (none found)."""
    from psoas_tui.builtins import voice

    monkeypatch.setattr(voice, "speaker_available", lambda: None)


def _log_app(ctx: AppContext) -> HarnessApp:
    seed_history(ctx.history_path, sample_records())
    return HarnessApp(ctx, lambda: LogScreen(today=FIXED_TODAY))


def test_log_80x24(snap_compare: Any, tui_ctx: AppContext) -> None:
    assert snap_compare(_log_app(tui_ctx), terminal_size=(80, 24), run_before=_settle)


def test_log_small_terminal_60x20(snap_compare: Any, tui_ctx: AppContext) -> None:
    assert snap_compare(_log_app(tui_ctx), terminal_size=(60, 20), run_before=_settle)


def test_log_no_color(snap_compare: Any, tui_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without colour the heatmap still reads through its shade characters."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(_log_app(tui_ctx), terminal_size=(80, 24), run_before=_settle)


def test_session_detail(snap_compare: Any, tui_ctx: AppContext) -> None:
    """The newest session (odd title, note with markup-looking text) opened with Enter."""
    assert snap_compare(_log_app(tui_ctx), terminal_size=(80, 24), run_before=_settle, press=["enter"])


def test_export_dialog(snap_compare: Any, tui_ctx: AppContext) -> None:
    async def open_export(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("e")
        await _settle(pilot)

    assert snap_compare(_log_app(tui_ctx), terminal_size=(80, 24), run_before=open_export)


def test_settings(snap_compare: Any, tui_ctx: AppContext) -> None:
    app = HarnessApp(tui_ctx, SettingsScreen)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_settings_reminders_with_a_bad_duration(snap_compare: Any, tui_ctx: AppContext) -> None:
    """The reminders section: a duration without a unit shows its message and Save is off."""

    async def bad_every(pilot: Any) -> None:
        await _settle(pilot)
        every = pilot.app.screen.query_one("#reminders-every", Input)
        every.value = "50"
        pilot.app.screen.query_one("#row-reminders-every").scroll_visible(animate=False, top=True)
        await _settle(pilot)

    app = HarnessApp(tui_ctx, SettingsScreen)
    assert snap_compare(app, terminal_size=(80, 24), run_before=bad_every)


def test_plugins(snap_compare: Any, tui_ctx: AppContext) -> None:
    app = HarnessApp(tui_ctx, PluginsScreen)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_settings_small_terminal_60x20(snap_compare: Any, tui_ctx: AppContext) -> None:
    """Below 70 columns the labels sit above their controls; long cue style names wrap."""
    app = HarnessApp(tui_ctx, SettingsScreen)
    assert snap_compare(app, terminal_size=(60, 20), run_before=_settle)


def test_settings_no_color(snap_compare: Any, tui_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without colour a ticked cue style (▐X▌) and an unticked one (▐ ▌) still differ."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = HarnessApp(tui_ctx, SettingsScreen)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_settings_save_prompt(snap_compare: Any, tui_ctx: AppContext) -> None:
    """Esc with an unsaved change asks whether to save."""

    async def edit_then_escape(pilot: Any) -> None:
        await _settle(pilot)
        pilot.app.screen.query_one("#weekly_goal", Input).value = "5"
        await pilot.press("escape")
        await _settle(pilot)

    app = HarnessApp(tui_ctx, SettingsScreen)
    assert snap_compare(app, terminal_size=(80, 24), run_before=edit_then_escape)
