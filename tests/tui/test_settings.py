"""The settings screen validates like config.py, shows inline errors and saves with tomli-w."""

from __future__ import annotations

import tomllib
from pathlib import Path

from seed import HarnessApp
from textual.validation import Validator
from textual.widgets import Button, Input, Select

from psoas_tui.api import CueStyle, hookimpl
from psoas_tui.config import Settings, load_settings
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.overrides import TickBox
from psoas_tui.tui.screens.settings import (
    SAVE_PROMPT,
    SaveChangesScreen,
    SettingRow,
    SettingsScreen,
    StyleCheckbox,
    reminder_problems,
)


class _Styles:
    @hookimpl
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        return [
            CueStyle(name="text", title="On-screen text", handler=lambda cue: None),
            CueStyle(name="bell", title="[b]Bell[/b]", handler=lambda cue: None),
        ]


def _ctx(tmp_path: Path, settings: Settings | None = None) -> AppContext:
    host = build_plugin_host(
        entry_points=False, disabled=["builtin-cue-styles"], extra=[("styles", _Styles())]
    )
    return AppContext(
        settings=settings or Settings(),
        config_path=tmp_path / "config.toml",
        history_path=tmp_path / "h.sqlite3",
        _host=host,
    )


async def _ready(app: HarnessApp, pilot) -> SettingsScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, SettingsScreen)
    return app.screen


def _set(screen: SettingsScreen, widget_id: str, text: str) -> None:
    screen.query_one(f"#{widget_id}", Input).value = text


def _error(screen: SettingsScreen, key: str) -> str:
    row = screen.query_one(f"#row-{key}", SettingRow)
    error = row.query_one(".setting-error")
    return str(error.render()) if error.has_class("-shown") else ""


async def test_styles_listed_from_plugins_with_unknown_kept(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, Settings(cue_styles=("text", "gone")))
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        boxes = {box.style_name: box for box in screen.query(StyleCheckbox)}
        assert list(boxes) == ["text", "bell", "gone"]
        assert boxes["text"].value and not boxes["bell"].value and boxes["gone"].value
        assert "[b]Bell[/b] (bell)" in str(boxes["bell"].label)  # plugin title shown literally


async def test_save_writes_config_toml(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        boxes = {box.style_name: box for box in screen.query(StyleCheckbox)}
        boxes["bell"].value = True
        boxes["text"].value = False
        _set(screen, "breath", "5-1-7-0")
        _set(screen, "get_ready_seconds", "10")
        _set(screen, "switch_seconds", "0")
        _set(screen, "weekly_goal", "5")
        screen.query_one("#theme", Select).value = "nord"
        await pilot.press("ctrl+s")
        await pilot.pause()
        data = tomllib.loads((tmp_path / "config.toml").read_text(encoding="utf-8"))
        assert data["cue_styles"] == ["bell", "title"]  # "title" is not installed here but stays on
        assert data["breath"] == "5-1-7-0"
        assert (data["get_ready_seconds"], data["switch_seconds"], data["weekly_goal"]) == (10, 0, 5)
        assert data["theme"] == "nord"
        assert load_settings(tmp_path / "config.toml") == ctx.settings
        assert app.theme == "nord"
        assert all(_error(screen, row.key) == "" for row in screen.query(SettingRow))


async def test_invalid_input_shows_inline_errors_and_saves_nothing(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        _set(screen, "breath", "4-0-0-0")  # exhale must be at least 1 s
        _set(screen, "weekly_goal", "9")
        _set(screen, "switch_seconds", "")
        _set(screen, "get_ready_seconds", "7")  # a good value is not saved either
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not (tmp_path / "config.toml").exists()
        assert ctx.settings == Settings()
        assert "breath: inhale and exhale 1-30 s" in _error(screen, "breath")
        assert "weekly_goal: must be a whole number 1-7, got 9" in _error(screen, "weekly_goal")
        assert "switch_seconds: must be a whole number 0-60" in _error(screen, "switch_seconds")
        assert _error(screen, "get_ready_seconds") == ""
        assert "3 fields to fix" in str(screen.query_one("#settings-status").render())
        # fixing the fields and saving again clears the errors and writes the file
        _set(screen, "breath", "4-0-6-0")
        _set(screen, "weekly_goal", "4")
        _set(screen, "switch_seconds", "3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_settings(tmp_path / "config.toml").weekly_goal == 4
        assert _error(screen, "breath") == ""


async def test_enter_in_a_field_saves_and_escape_leaves(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        breath = screen.query_one("#breath", Input)
        breath.focus()
        breath.value = ""
        await pilot.press(*"6-2-8-2", "enter")
        await pilot.pause()
        assert load_settings(tmp_path / "config.toml").breath == "6-2-8-2"
        await pilot.press("escape")
        assert not isinstance(app.screen, SettingsScreen)


async def test_small_terminal_does_not_crash(tmp_path: Path) -> None:
    app = HarnessApp(_ctx(tmp_path), SettingsScreen)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await _ready(app, pilot)
        screen.query_one("#settings-form").scroll_end(animate=False)
        await pilot.pause()
        assert screen.query_one("#save").region.height > 0 or screen.query_one("#save").display


async def test_escape_with_unsaved_changes_asks_yes_saves(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        _set(screen, "weekly_goal", "6")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SaveChangesScreen)
        assert SAVE_PROMPT in str(app.screen.query_one("#save-prompt").render())
        await pilot.press("y")
        await pilot.pause()
        assert load_settings(tmp_path / "config.toml").weekly_goal == 6
        assert not isinstance(app.screen, (SettingsScreen, SaveChangesScreen))


async def test_escape_with_unsaved_changes_no_discards_and_says_so(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        _set(screen, "weekly_goal", "6")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not (tmp_path / "config.toml").exists()
        assert ("information", "Changes discarded.") in app.notices
        assert not isinstance(app.screen, (SettingsScreen, SaveChangesScreen))


async def test_escape_with_unsaved_changes_cancel_keeps_editing(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        boxes = list(screen.query(StyleCheckbox))
        boxes[1].value = not boxes[1].value  # a cue style counts as a change too
        await pilot.click("#cancel")
        await pilot.pause()
        assert isinstance(app.screen, SaveChangesScreen)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is screen
        assert not (tmp_path / "config.toml").exists()
        # a bad value and "yes": nothing saved, the screen stays with the error shown
        _set(screen, "weekly_goal", "9")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert "weekly_goal" in _error(screen, "weekly_goal")


async def test_focus_starts_at_the_top_and_tabs_down(tmp_path: Path) -> None:
    app = HarnessApp(_ctx(tmp_path), SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        order = []
        for _ in range(23):
            focused = app.focused
            assert focused is not None
            order.append(getattr(focused, "style_name", None) or focused.id)
            await pilot.press("tab")
        assert order == [
            "text", "bell", "title", "breath", "get_ready_seconds", "switch_seconds", "weekly_goal", "theme",
            "reminders-enabled", "reminders-every", "reminders-at", "reminders-hours", "reminders-days",
            "reminders-routine", "reminders-snooze", "reminders-channels", "reminders-max_skips_per_day",
            "sync_folder", "device_name", "save", "cancel", "settings-form", "text",
        ]


async def test_labels_fit_at_60_columns(tmp_path: Path) -> None:
    class _LongStyle:
        @hookimpl
        def psoas_tui_cue_styles(self) -> list[CueStyle]:
            return [CueStyle(name="notify", title="Desktop notification", handler=lambda cue: None)]

    host = build_plugin_host(entry_points=False, disabled=["builtin-cue-styles"], extra=[("n", _LongStyle())])
    ctx = AppContext(config_path=tmp_path / "c.toml", history_path=tmp_path / "h.sqlite3", _host=host)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await _ready(app, pilot)
        box = screen.query_one(StyleCheckbox)
        lines = [strip.text for strip in box.render_lines(box.content_region.reset_offset)]
        assert "(notify)" in "".join(lines)  # whole label visible (wrapped if need be)
        assert box.region.right <= screen.size.width
        label = screen.query_one("#row-get_ready_seconds .setting-label")
        assert "Get-ready seconds" in str(label.render())
        assert label.region.width >= len("Get-ready seconds")


async def test_cue_style_state_readable_without_colour(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, Settings(cue_styles=("text",)))
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        boxes = {box.style_name: box for box in screen.query(StyleCheckbox)}
        on = str(boxes["text"].render())
        off = str(boxes["bell"].render())
        assert on.startswith("▐X▌") and off.startswith("▐ ▌")  # glyphs differ, not just colour


# -- validators, reminders, sync folder, which cue styles can work -----------------------------


def _save_disabled(screen: SettingsScreen) -> bool:
    return screen.query_one("#save", Button).disabled


async def test_every_input_has_a_textual_validator(tmp_path: Path) -> None:
    app = HarnessApp(_ctx(tmp_path), SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        for widget in screen.query(Input):
            assert widget.validators and all(isinstance(v, Validator) for v in widget.validators), widget.id
        goal = screen.query_one("#weekly_goal", Input)
        result = goal.validate("9")
        assert result is not None and result.failure_descriptions == [
            "weekly_goal: must be a whole number 1-7, got 9"
        ]


async def test_bad_duration_shows_its_message_and_save_is_refused(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        _set(screen, "reminders-every", "50")
        await pilot.pause()
        message = _error(screen, "reminders-every")
        assert message.startswith('reminders.every: must be a duration like "50m"')
        assert "(add a unit: h, m or s)" in message
        assert _save_disabled(screen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not (tmp_path / "config.toml").exists()
        assert "1 field to fix" in str(screen.query_one("#settings-status").render())
        _set(screen, "reminders-every", "50m")
        await pilot.pause()
        assert _error(screen, "reminders-every") == "" and not _save_disabled(screen)


async def test_rules_between_reminder_entries_show_at_the_field(tmp_path: Path) -> None:
    app = HarnessApp(_ctx(tmp_path), SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        screen.query_one("#reminders-enabled", TickBox).value = True  # no "every", no "at"
        await pilot.pause()
        assert 'neither "every" nor "at" is set' in _error(screen, "reminders-every")
        _set(screen, "reminders-at", "10:30, 25:00")
        await pilot.pause()
        assert 'reminders.at: must be a 24-hour time like "10:30"' in _error(screen, "reminders-at")
        _set(screen, "reminders-at", "10:30")
        _set(screen, "reminders-hours", "09:00-10:00")
        _set(screen, "reminders-every", "2h")
        await pilot.pause()
        assert "not shorter than the working hours" in _error(screen, "reminders-every")
        assert _error(screen, "reminders-hours") == "" and _error(screen, "reminders-at") == ""
        _set(screen, "reminders-hours", "08:00-18:00")  # fixing another entry clears it
        await pilot.pause()
        assert _error(screen, "reminders-every") == ""


async def test_reminders_and_sync_folder_saved_to_config_toml(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        screen.query_one("#reminders-enabled", TickBox).value = True
        _set(screen, "reminders-every", "45m")
        _set(screen, "reminders-at", "15:00 10:30")
        _set(screen, "reminders-days", "mon, wed,fri")
        _set(screen, "reminders-routine", "hip-flexor-basics")
        _set(screen, "reminders-channels", "bell, notify-send")
        _set(screen, "reminders-max_skips_per_day", "2")
        _set(screen, "sync_folder", "~/Sync/psoas")
        _set(screen, "device_name", "laptop")
        await pilot.press("ctrl+s")
        await pilot.pause()
        data = tomllib.loads((tmp_path / "config.toml").read_text(encoding="utf-8"))
        assert data["sync_folder"] == "~/Sync/psoas" and data["device_name"] == "laptop"
        reminders = data["reminders"]
        assert reminders["enabled"] is True and reminders["every"] == "45m"
        assert reminders["at"] == ["10:30", "15:00"] and reminders["days"] == ["mon", "wed", "fri"]
        assert reminders["routine"] == "hip-flexor-basics"
        assert reminders["channels"] == ["bell", "notify-send"]
        assert reminders["max_skips_per_day"] == 2
        assert load_settings(tmp_path / "config.toml") == ctx.settings
        assert not screen.has_unsaved_changes
        # emptying the optional entries leaves them out again
        _set(screen, "reminders-max_skips_per_day", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_settings(tmp_path / "config.toml").reminders.max_skips_per_day is None


class _Voice:
    @hookimpl
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        return [CueStyle(name="voice", title="Voice", handler=lambda cue: None)]


async def _voice_box(tmp_path: Path, monkeypatch, speaker: str | None, enabled: tuple[str, ...] = ("text",)):
    from psoas_tui.builtins import voice

    monkeypatch.setattr(voice, "speaker_available", lambda: speaker)
    host = build_plugin_host(entry_points=False, disabled=["builtin-cue-styles"], extra=[("v", _Voice())])
    ctx = AppContext(settings=Settings(cue_styles=enabled), config_path=tmp_path / "c.toml",
                     history_path=tmp_path / "h.sqlite3", _host=host)
    app = HarnessApp(ctx, SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        box = next(b for b in screen.query(StyleCheckbox) if b.style_name == "voice")
        return str(box.label), box.disabled, box.value


async def test_voice_marked_when_no_speaker_is_found(tmp_path: Path, monkeypatch) -> None:
    label, disabled, value = await _voice_box(tmp_path, monkeypatch, None)
    assert "needs espeak-ng, spd-say or say" in label and disabled and not value
    # switched on already: still marked, but it can be switched off
    label, disabled, value = await _voice_box(tmp_path, monkeypatch, None, ("voice",))
    assert "needs espeak-ng" in label and not disabled and value
    label, disabled, _value = await _voice_box(tmp_path, monkeypatch, "espeak-ng")
    assert "speaks with espeak-ng" in label and not disabled


def test_reminder_problems_finds_each_bad_entry() -> None:
    problems = reminder_problems({"every": "5", "snooze": "1d", "routine": "desk-break"})
    assert set(problems) == {"every", "snooze"}
    assert problems["snooze"].startswith("reminders.snooze: must be a duration")
    assert reminder_problems({"enabled": True}) == {
        "every": 'reminders.every: reminders are enabled but neither "every" nor "at" is set '
        '(e.g. every = "50m")'
    }
    assert reminder_problems({"enabled": True, "every": "50m"}) == {}


async def test_narrow_form_follows_the_screens_own_breakpoint_when_resized(tmp_path: Path) -> None:
    """Labels go above their fields below 70 columns (the screen's breakpoint, not the app's 72)."""
    app = HarnessApp(_ctx(tmp_path), SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(app, pilot)
        for width, narrow in ((71, False), (69, True), (70, False), (60, True)):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            assert screen.has_class("-narrow") == narrow, width
