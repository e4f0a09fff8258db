"""SVG snapshots of the choose screen (80x24 and a small 60x20 terminal), safety notice and help.

Regenerate with ``pytest tests/tui/test_snapshots_core.py --snapshot-update`` and look at the
SVGs before committing them.
"""

from __future__ import annotations

import pytest

from psoas_tui.config import Settings
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens import help as help_module


async def wait_loaded(pilot) -> None:
    """Wait for the routine library worker, then for the screen to settle."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_choose_80x24(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=wait_loaded)


def test_choose_filtered_small_terminal_60x20(snap_compare, make_app):
    """A small terminal: list above the detail pane, both scroll; filtered to the desk break."""
    assert snap_compare(make_app(), terminal_size=(60, 20), run_before=wait_loaded, press=[*"desk"])


def first_run_ctx(tui_dirs, fake_clock) -> AppContext:
    return AppContext(
        settings=Settings(),
        config_path=tui_dirs.config / "config.toml",
        history_path=tui_dirs.data / "history.sqlite3",
        clock=fake_clock,
    )


def test_safety_notice_first_run(snap_compare, make_app, tui_dirs, fake_clock):
    ctx = first_run_ctx(tui_dirs, fake_clock)
    assert snap_compare(make_app(ctx), terminal_size=(80, 24), run_before=wait_loaded)


def test_safety_notice_small_terminal_60x20(snap_compare, make_app, tui_dirs, fake_clock):
    """The text scrolls; the button stays on screen."""
    ctx = first_run_ctx(tui_dirs, fake_clock)
    assert snap_compare(make_app(ctx), terminal_size=(60, 20), run_before=wait_loaded)


def test_first_run_cue_step(snap_compare, make_app, tui_dirs, fake_clock, monkeypatch: pytest.MonkeyPatch):
    """After the notice: how cues reach you (a speech program found, so voice is offered)."""
    from psoas_tui.builtins import voice

    monkeypatch.setattr(voice, "speaker_available", lambda: "espeak-ng")
    ctx = first_run_ctx(tui_dirs, fake_clock)
    assert snap_compare(make_app(ctx), terminal_size=(80, 24), run_before=wait_loaded, press=["enter"])


def test_first_run_reminder_step_60x20(snap_compare, make_app, tui_dirs, fake_clock):
    """The last step, in a small terminal: reminders off, the schedule on offer in one line."""
    ctx = first_run_ctx(tui_dirs, fake_clock)
    steps = ["enter", "enter"]
    assert snap_compare(make_app(ctx), terminal_size=(60, 20), run_before=wait_loaded, press=steps)


def test_help(snap_compare, make_app, monkeypatch: pytest.MonkeyPatch):
    # Only this module's sections, so the picture does not change when other screens' keys do.
    monkeypatch.setattr(help_module, "SECTIONS", help_module.SECTIONS[:2])
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=wait_loaded, press=["f1"])


def test_choose_no_color(snap_compare, make_app, monkeypatch: pytest.MonkeyPatch):
    """NO_COLOR: the same screen in monochrome."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=wait_loaded)


async def half_kneeling_steps(pilot) -> None:
    """The half-kneeling stretch, its detail pane scrolled to the steps and their figures."""
    from psoas_tui.tui.screens.choose import StepRow

    await wait_loaded(pilot)
    await pilot.press(*"half")
    await pilot.pause()
    screen = pilot.app.screen
    first = screen.query(StepRow).first()
    screen.query_one("#detail").scroll_to_widget(first, top=True, animate=False)
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_choose_detail_figures(snap_compare, make_app, size):
    """Each step's small figure under its text (first key pose, left side)."""
    assert snap_compare(make_app(), terminal_size=size, run_before=half_kneeling_steps)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_choose_reminder_banner(snap_compare, make_app, tui_ctx, size):
    """A due reminder: the banner above the list, the header says it too."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from psoas_tui.reminders.settings import ReminderSettings

    noon = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    tui_ctx.now = lambda: noon
    tui_ctx.settings = tui_ctx.settings.replace(
        reminders=ReminderSettings(enabled=True, every=3000, hours=(0, 1440), days=tuple(range(7)))
    )

    async def settled(pilot) -> None:
        await wait_loaded(pilot)
        await wait_loaded(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=settled)
