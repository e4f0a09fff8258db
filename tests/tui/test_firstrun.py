"""The first-run flow: safety notice -> how cues reach you -> reminders -> saved settings."""

from __future__ import annotations

import tomllib

import pytest
from textual.widgets import Static

from psoas_tui.builtins import voice
from psoas_tui.config import Settings, load_settings
from psoas_tui.reminders.settings import ReminderSettings
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.overrides import TickBox
from psoas_tui.tui.screens.firstrun import (
    VOICE_MISSING,
    CueStep,
    ReminderStep,
    days_text,
    flow_cue_styles,
    how_text,
    offered_reminders,
    when_text,
)
from psoas_tui.tui.screens.safety import SafetyScreen


def first_run_ctx(tui_dirs, fake_clock, **settings) -> AppContext:
    return AppContext(
        settings=Settings(**settings),
        config_path=tui_dirs.config / "config.toml",
        history_path=tui_dirs.data / "history.sqlite3",
        clock=fake_clock,
    )


@pytest.fixture
def speaker(monkeypatch: pytest.MonkeyPatch):
    """Set which speech program voice finds: ``speaker("espeak-ng")`` or ``speaker(None)``."""

    def choose(name: str | None) -> None:
        monkeypatch.setattr(voice, "speaker_available", lambda: name)

    choose(None)
    return choose


def shown_step(app) -> str:
    """Which page of the flow is on screen: "note", "cues" or "reminders"."""
    screen = app.screen
    assert isinstance(screen, SafetyScreen)
    if screen.query_one("#safety-dialog").display:
        return "note"
    return "cues" if screen.query_one(CueStep).display else "reminders"


async def test_note_then_cues_then_reminders_then_saved(make_app, tui_dirs, fake_clock, speaker):
    speaker("espeak-ng")
    app = make_app(first_run_ctx(tui_dirs, fake_clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown_step(app) == "note"
        await pilot.press("enter")
        assert shown_step(app) == "cues"
        await pilot.press("shift+tab", "shift+tab", "space")  # Continue <- Play a sample <- Voice
        assert app.screen.query_one("#cue-voice", TickBox).value
        await pilot.press("tab", "tab", "enter")  # back to Continue
        assert shown_step(app) == "reminders"
        assert not (tui_dirs.config / "config.toml").exists()  # nothing saved before the end
        await pilot.press("shift+tab", "space", "tab", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SafetyScreen)
    saved = tomllib.loads((tui_dirs.config / "config.toml").read_text(encoding="utf-8"))
    assert saved["safety_acknowledged"] is True
    assert saved["cue_styles"] == ["text", "title", "voice"]
    assert saved["reminders"]["enabled"] is True
    assert saved["reminders"]["every"] == "50m"  # the preset: the defaults set no time
    loaded = load_settings(tui_dirs.config / "config.toml")
    assert loaded.reminders == ReminderSettings(enabled=True, every=50 * 60)


async def test_enter_through_the_flow_keeps_the_defaults(make_app, tui_dirs, fake_clock, speaker):
    app = make_app(first_run_ctx(tui_dirs, fake_clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SafetyScreen)
    loaded = load_settings(tui_dirs.config / "config.toml")
    # The offered schedule is kept, switched off, so ticking "enabled" in Settings later gives
    # what the step described.
    assert loaded == Settings(safety_acknowledged=True, reminders=ReminderSettings(every=50 * 60))


async def test_enter_on_a_tick_box_moves_on_and_keeps_it(make_app, tui_dirs, fake_clock, speaker):
    app = make_app(first_run_ctx(tui_dirs, fake_clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert shown_step(app) == "cues"
        app.screen.query_one("#cue-text", TickBox).focus()
        await pilot.press("enter")
        assert shown_step(app) == "reminders"
        app.screen.query_one("#reminders-enabled", TickBox).focus()
        await pilot.press("space", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SafetyScreen)
    loaded = load_settings(tui_dirs.config / "config.toml")
    assert loaded.cue_styles == Settings().cue_styles  # Text was not flipped by Enter
    assert loaded.reminders.enabled is True


async def test_escape_in_a_step_goes_back_and_the_note_still_needs_enter(
    make_app, tui_dirs, fake_clock, speaker
):
    app = make_app(first_run_ctx(tui_dirs, fake_clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        assert shown_step(app) == "reminders"
        await pilot.press("escape")
        assert shown_step(app) == "cues"
        await pilot.press("escape", "escape")
        assert shown_step(app) == "note"
        assert not (tui_dirs.config / "config.toml").exists()


async def test_a_config_with_safety_acknowledged_skips_the_whole_flow(
    make_app, tui_dirs, fake_clock, speaker
):
    app = make_app(first_run_ctx(tui_dirs, fake_clock, safety_acknowledged=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, SafetyScreen)
        assert not app.screen.query(CueStep) and not app.screen.query(ReminderStep)
    assert not (tui_dirs.config / "config.toml").exists()


async def test_voice_offered_only_when_a_speaker_is_found(make_app, tui_dirs, fake_clock, speaker):
    speaker(None)
    app = make_app(first_run_ctx(tui_dirs, fake_clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        step = app.screen.query_one(CueStep)
        assert not step.query("#cue-voice") and not step.query("#play-sample")
        assert str(step.query_one("#voice-missing", Static).visual) == VOICE_MISSING
        assert "espeak-ng, spd-say or say" in VOICE_MISSING
        assert step.chosen() == {"text"}


async def test_play_a_sample_calls_play_sample_in_a_worker(
    make_app, tui_dirs, fake_clock, speaker, monkeypatch
):
    speaker("espeak-ng")
    calls: list[str] = []

    def fake_sample() -> str | None:
        calls.append("sample")
        return "espeak-ng failed to start"

    monkeypatch.setattr(voice, "play_sample", fake_sample)
    app = make_app(first_run_ctx(tui_dirs, fake_clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.click("#play-sample")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == ["sample"]
        assert shown_step(app) == "cues"  # the flow does not move on
        assert any(n.message == "espeak-ng failed to start" for n in app._notifications)


async def test_first_run_steps_fit_60x20(make_app, tui_dirs, fake_clock, speaker):
    speaker("espeak-ng")
    app = make_app(first_run_ctx(tui_dirs, fake_clock))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("enter")
        for selector in ("#cue-voice", "#play-sample", ".step-next"):
            region = app.screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= 20 and region.right <= 60, selector


def test_flow_cue_styles_keeps_styles_it_does_not_offer() -> None:
    offered = {"text", "bell", "voice"}
    assert flow_cue_styles(("text", "title"), {"text"}, offered) == ("text", "title")
    chosen = flow_cue_styles(("text", "title", "chimes"), {"bell", "voice"}, offered)
    assert chosen == ("title", "chimes", "bell", "voice")
    assert flow_cue_styles(("voice",), set(), offered) == ()
    # voice not offered (no speaker found): a config that has it keeps it
    assert flow_cue_styles(("voice", "text"), {"text"}, {"text", "bell"}) == ("voice", "text")


def test_offered_schedule_and_its_line() -> None:
    default = offered_reminders(ReminderSettings())
    assert default.every == 50 * 60 and not default.enabled
    assert when_text(default) == "every 50m, 09:00-17:30 Mon-Fri"
    assert how_text(default) == "suggests desk-break, by bell, terminal notification, tmux message"
    mine = ReminderSettings(at=(630, 900), days=(0, 2))
    assert offered_reminders(mine) == mine  # a schedule with times is offered as it is
    assert when_text(mine) == "at 10:30, 15:00, 09:00-17:30 Mon, Wed"
    assert days_text((5, 6)) == "Sat, Sun" and days_text(tuple(range(7))) == "Mon-Sun"
