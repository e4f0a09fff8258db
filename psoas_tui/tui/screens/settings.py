"""The settings screen: cue styles, breath pattern, get-ready and switch seconds, weekly goal, theme.

Every field is checked with the same rules as ``config.py`` (``settings_from_dict``); a bad
value shows an inline error next to its field and nothing is saved. Good values are written to
``config.toml`` through ``ctx.save_settings`` (tomli-w, atomic). The list of cue styles needs
the plugin host, so it is filled in by a thread worker after the first paint.

Leaving with unsaved changes (Esc or Cancel) asks "Save changes? (y)es / (n)o / (c)ancel".
Focus moves top to bottom as shown: cue styles, breath, the numbers, theme, buttons. Below 70
columns each label goes above its control instead of beside it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from psoas_tui.config import Settings, settings_from_dict
from psoas_tui.errors import UserError
from psoas_tui.text import plural, safe
from psoas_tui.tui.widgets.tickbox import TickBox

NARROW = 70

WHERE = "settings"
BREATH_HINT = "in-hold-out-hold seconds; paces built-in routines"
"""Routines that set their own pattern keep it (docs/routine-format.md)."""
INT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("get_ready_seconds", "Get-ready seconds", "before the first step, 0-60"),
    ("switch_seconds", "Switch-side seconds", "between sides, 0-60"),
    ("weekly_goal", "Weekly goal", "days a week, 1-7"),
)


def available_cue_styles(app: Any) -> list[tuple[str, str]]:
    """``(name, title)`` of every registered cue style (calls the hook once per host)."""
    from psoas_tui.model import CueStyle
    from psoas_tui.tui.screens.plugins import loaded_host

    return [(style.name, style.title) for _plugin, style in loaded_host(app).collect(
        "psoas_tui_cue_styles", CueStyle, "cue_styles"
    )]


def check_field(key: str, value: Any) -> str | None:
    """The error message for one setting, or ``None`` when ``value`` is acceptable."""
    try:
        settings_from_dict({key: value}, WHERE)
    except UserError as exc:
        message = str(exc)
        prefix = f"{WHERE}: "
        return message[len(prefix):] if message.startswith(prefix) else message
    return None


def parse_int_field(key: str, text: str) -> tuple[Any, str | None]:
    """Turn an input's text into an int for ``key``; the error names the field."""
    text = text.strip()
    try:
        value: Any = int(text)
    except ValueError:
        value = text
    return value, check_field(key, value)


class SettingRow(Widget):
    """A label, a control and a hint on one line, with an error line under it."""

    DEFAULT_CSS = """
    SettingRow {
        height: auto;
        layout: grid;
        grid-size: 2;
        grid-columns: 22 1fr;
        grid-rows: auto;
        margin-bottom: 1;
    }
    SettingRow > .setting-label {
        padding: 0 1 0 0;
        text-style: bold;
    }
    SettingRow > .setting-body {
        height: auto;
    }
    SettingRow .setting-hint {
        color: $text-muted;
    }
    SettingRow .setting-error {
        color: $text-error;
        display: none;
    }
    SettingRow .setting-error.-shown {
        display: block;
    }
    """

    def __init__(self, key: str, label: str, *controls: Any, hint: str = "") -> None:
        super().__init__(id=f"row-{key}")
        self.key = key
        self._label = label
        self._controls = controls
        self._hint = hint

    def compose(self) -> ComposeResult:
        yield Label(Content(self._label), classes="setting-label")
        with Vertical(classes="setting-body"):
            yield from self._controls
            if self._hint:
                yield Static(Content(self._hint), classes="setting-hint")
            yield Static("", classes="setting-error", id=f"error-{self.key}", markup=False)

    def show_error(self, message: str | None) -> None:
        """Show ``message`` under the control, or hide the error line."""
        error = self.query_one(".setting-error", Static)
        error.update(Content(message or ""))
        error.set_class(bool(message), "-shown")


class StyleCheckbox(TickBox):
    """A checkbox that remembers which cue style it stands for."""

    DEFAULT_CSS = """
    StyleCheckbox {
        width: 100%;
        height: auto;
    }
    """

    def __init__(self, style_name: str, label: str, value: bool) -> None:
        super().__init__(Content(label), value, compact=True)
        self.style_name = style_name


SAVE_PROMPT = "Save changes? (y)es / (n)o / (c)ancel"


class SaveChangesScreen(ModalScreen[str]):
    """Asks whether to save before leaving; dismisses with ``"yes"``, ``"no"`` or ``"cancel"``."""

    DEFAULT_CSS = """
    SaveChangesScreen {
        align: center middle;
    }
    SaveChangesScreen > Vertical {
        width: 46;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    SaveChangesScreen Horizontal {
        height: auto;
        width: 100%;
        margin-top: 1;
    }
    SaveChangesScreen Button {
        width: auto;
        min-width: 8;
        margin-right: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('yes')", "Save", id="settings_prompt_yes"),
        Binding("n", "answer('no')", "Discard", id="settings_prompt_no"),
        Binding("c,escape", "answer('cancel')", "Keep editing", id="settings_prompt_cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(SAVE_PROMPT, id="save-prompt", markup=False)
            with Horizontal():
                yield Button("Yes", id="yes", variant="primary", compact=True)
                yield Button("No", id="no", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def action_answer(self, answer: str) -> None:
        """Close with ``answer``."""
        self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "cancel")


class SettingsScreen(Screen[None]):
    """Edit and save the user's settings."""

    TITLE = "Settings"

    DEFAULT_CSS = """
    SettingsScreen #settings-form {
        padding: 1 2;
        height: 1fr;
    }
    SettingsScreen #settings-form Input {
        width: 16;
    }
    SettingsScreen #settings-form Select {
        width: 30;
    }
    SettingsScreen.-narrow SettingRow {
        grid-size: 1;
        grid-columns: 1fr;
    }
    SettingsScreen #cue-styles {
        height: auto;
    }
    SettingsScreen #settings-buttons {
        height: auto;
        margin-top: 1;
    }
    SettingsScreen #settings-buttons Button {
        margin-right: 2;
    }
    SettingsScreen #settings-status {
        height: auto;
        margin-top: 1;
    }
    SettingsScreen #settings-status.-error {
        color: $text-error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="settings_save", priority=True),
        Binding("escape", "back", "Back", id="settings_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._style_names: list[str] | None = None
        self._saved_values: dict[str, Any] = {}

    @property
    def ctx(self) -> Any:
        """The app's shared services."""
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        settings: Settings = self.ctx.settings
        yield Header()
        with VerticalScroll(id="settings-form", can_focus=True):
            yield SettingRow(
                "cue_styles",
                "Cue styles",
                Vertical(Static("Looking for cue styles…", markup=False), id="cue-styles"),
                hint="how cues reach you while a routine runs",
            )
            yield SettingRow(
                "breath",
                "Breath pattern",
                Input(settings.breath, id="breath", compact=True, max_length=11),
                hint=BREATH_HINT,
            )
            for key, label, hint in INT_FIELDS:
                yield SettingRow(
                    key,
                    label,
                    Input(str(getattr(settings, key)), id=key, type="integer", compact=True, max_length=3),
                    hint=hint,
                )
            yield SettingRow("theme", "Theme", self._theme_select(settings))
            with Horizontal(id="settings-buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("", id="settings-status", markup=False)
        yield Footer()

    def _theme_select(self, settings: Settings) -> Select[str]:
        themes = sorted(self.app.available_themes)
        current = settings.theme if settings.theme in themes else self.app.theme
        return Select(
            [(Content(name), name) for name in themes],
            value=current,
            allow_blank=False,
            id="theme",
            compact=True,
        )

    def on_mount(self) -> None:
        self._saved_values = self.collect()[0]
        self.query_one("#settings-form").focus()  # the cue styles (first) are still loading
        app = self.app
        self.run_worker(
            lambda: available_cue_styles(app), thread=True, group="cue-styles", exit_on_error=False
        )

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "cue-styles":
            return
        if event.state is WorkerState.SUCCESS:
            await self._show_styles(event.worker.result or [])
        elif event.state is WorkerState.ERROR:
            await self._show_styles([])

    async def _show_styles(self, registered: list[tuple[str, str]]) -> None:
        enabled = set(self.ctx.settings.cue_styles)
        boxes: list[StyleCheckbox] = []
        names: list[str] = []
        for name, title in registered:
            boxes.append(StyleCheckbox(name, f"{safe(title)} ({safe(name)})", name in enabled))
            names.append(name)
        for name in self.ctx.settings.cue_styles:
            if name not in names:  # enabled in config but no plugin offers it (any more)
                boxes.append(StyleCheckbox(name, f"{safe(name)} (not installed)", True))
                names.append(name)
        container = self.query_one("#cue-styles", Vertical)
        await container.remove_children()
        if boxes:
            await container.mount_all(boxes)
        else:
            await container.mount(Static("No cue styles are registered.", markup=False))
        self._style_names = names
        self._saved_values["cue_styles"] = self.collect()[0]["cue_styles"]
        if boxes and self.focused in (None, self.query_one("#settings-form")):
            boxes[0].focus()  # focus starts at the top, as the form reads

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    # -- collecting and saving -------------------------------------------------------------
    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The form's values and the error message of each bad field."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        if self._style_names is not None:
            values["cue_styles"] = [
                box.style_name for box in self.query_one("#cue-styles").query(StyleCheckbox)
                if box.value
            ]
        else:
            values["cue_styles"] = list(self.ctx.settings.cue_styles)
        breath = self.query_one("#breath", Input).value.strip()
        values["breath"] = breath
        if message := check_field("breath", breath):
            errors["breath"] = message
        for key, _label, _hint in INT_FIELDS:
            value, message = parse_int_field(key, self.query_one(f"#{key}", Input).value)
            values[key] = value
            if message:
                errors[key] = message
        theme = self.query_one("#theme", Select).value
        values["theme"] = theme if isinstance(theme, str) else self.ctx.settings.theme
        return values, errors

    def action_save(self) -> None:
        """Check every field; save only when all are good."""
        values, errors = self.collect()
        for row in self.query(SettingRow):
            row.show_error(errors.get(row.key))
        status = self.query_one("#settings-status", Static)
        if errors:
            count = len(errors)
            status.update(f"Not saved: {plural(count, 'field')} to fix.")
            status.add_class("-error")
            return
        try:
            new = self.ctx.settings.replace(**values)
            self.ctx.save_settings(new)
        except (UserError, OSError) as exc:
            status.update(f"Not saved: {exc}")
            status.add_class("-error")
            return
        self._saved_values = values
        status.remove_class("-error")
        status.update("Saved.")
        if self.app.theme != new.theme:
            self.app.theme = new.theme
        self.notify("Settings saved.", title="Settings")

    @property
    def has_unsaved_changes(self) -> bool:
        """Whether the form differs from what was loaded or last saved."""
        return self.collect()[0] != self._saved_values

    def action_back(self) -> None:
        """Leave; with unsaved changes, ask whether to save them first."""
        if not self.has_unsaved_changes:
            self.app.pop_screen()
            return

        def answered(answer: str | None) -> None:
            if answer == "yes":
                self.action_save()
                if not self.has_unsaved_changes:  # saved: every field was good
                    self.app.pop_screen()
            elif answer == "no":
                self.notify("Changes discarded.", title="Settings")
                self.app.pop_screen()

        self.app.push_screen(SaveChangesScreen(), answered)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_back()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()
