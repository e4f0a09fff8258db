"""The settings screen: cue styles, breath pattern, get-ready and switch seconds, weekly goal,
theme, reminders and the sync folder.

Every input carries a Textual ``Validator`` wrapping the check its setting declares in
``config.py`` (``SETTINGS``) or, for the ``[reminders]`` table, ``reminders_from_dict``; a bad
value shows its message next to its field, Save is disabled and nothing is saved. Cue styles
that cannot work here are marked (voice needs a speech program). Good values are written to
``config.toml`` through ``ctx.save_settings`` (tomli-w, atomic). The list of cue styles needs
the plugin host, so it is filled in by a thread worker after the first paint.

Leaving with unsaved changes (Esc or Cancel) asks "Save changes? (y)es / (n)o / (c)ancel".
Focus moves top to bottom as shown: cue styles, breath, the numbers, theme, buttons. Below 70
columns each label goes above its control instead of beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from psoas_tui.config import SETTINGS, Settings
from psoas_tui.errors import UserError
from psoas_tui.reminders.settings import (
    CHANNELS,
    ReminderFieldError,
    reminders_from_dict,
    reminders_to_dict,
)
from psoas_tui.schema import Checker
from psoas_tui.text import plural, safe
from psoas_tui.tui.overrides import TickBox
from psoas_tui.tui.screens.base import PsoasModal, PsoasScreen
from psoas_tui.tui.widgets.footer import FittingFooter

NARROW = 70

WHERE = "settings"
BREATH_HINT = "in-hold-out-hold seconds; paces built-in routines"
"""Routines that set their own pattern keep it (docs/routine-format.md)."""
INT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("get_ready_seconds", "Get-ready seconds", "before the first step, 0-60"),
    ("switch_seconds", "Switch-side seconds", "between sides, 0-60"),
    ("weekly_goal", "Weekly goal", "days a week, 1-7"),
)
TEXT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("sync_folder", "Sync folder",
     "a folder Syncthing, git or a cloud drive moves; synced at start and after each session; "
     "empty: no sync"),
    ("device_name", "Device name", "this machine's name in the sync folder; empty: the host name"),
)
REMINDER_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("every", "Every", 'an interval like "50m" or "1h30m"; empty: none'),
    ("at", "At", 'fixed times like "10:30, 15:00"; empty: none'),
    ("hours", "Working hours", 'like "09:00-17:30"'),
    ("days", "Days", 'like "mon, tue, wed, thu, fri"'),
    ("routine", "Routine", "the id of the routine a reminder suggests"),
    ("snooze", "Snooze", 'how long "snooze" hides a reminder, like "15m"'),
    ("channels", "Channels", f"any of {', '.join(CHANNELS)}"),
    ("max_skips_per_day", "Skips a day", "the most skips a day; empty: no limit"),
)
LIST_ENTRIES = frozenset({"at", "days", "channels"})
OPTIONAL_ENTRIES = frozenset({"every", "max_skips_per_day"})
VOICE_NEEDS = "needs espeak-ng, spd-say or say"


def available_cue_styles(app: Any) -> list[tuple[str, str]]:
    """``(name, title)`` of every registered cue style (calls the hook once per host)."""
    from psoas_tui.model import CueStyle
    from psoas_tui.tui.screens.plugins import loaded_host

    return [(style.name, style.title) for _plugin, style in loaded_host(app).collect(
        "psoas_tui_cue_styles", CueStyle, "cue_styles"
    )]


class FieldProblem(UserError):
    """A bad value for one setting: ``field`` and ``message`` kept apart."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _field_problem(_where: str, field: str, message: str, _line: int | None) -> FieldProblem:
    return FieldProblem(field, message)


def check_field(key: str, value: Any) -> str | None:
    """``"field: message"`` when ``value`` fails the check ``Settings.key`` declares, else ``None``."""
    try:
        SETTINGS[key].check(Checker(WHERE, None, _field_problem), value, key)
    except FieldProblem as problem:
        return f"{problem.field}: {problem.message}"
    return None


def parse_int(text: str) -> Any:
    """An input's text as an int, or the stripped text when it is not one (the check says why)."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


def parse_int_field(key: str, text: str) -> tuple[Any, str | None]:
    """Turn an input's text into an int for ``key``; the error names the field."""
    value = parse_int(text)
    return value, check_field(key, value)


class SettingValidator(Validator):
    """Validates an input with the check its setting declares (``config.SETTINGS``)."""

    def __init__(self, key: str, parse: Callable[[str], Any] = str.strip) -> None:
        super().__init__()
        self.key = key
        self.parse = parse

    def validate(self, value: str) -> ValidationResult:
        """Success, or the check's message (``weekly_goal: must be a whole number 1-7, got 9``)."""
        message = check_field(self.key, self.parse(value))
        return self.failure(message, value) if message else self.success()


INPUT_PARSERS: dict[str, Callable[[str], Any]] = {
    "breath": str.strip,
    **{key: parse_int for key, _label, _hint in INT_FIELDS},
    **{key: str.strip for key, _label, _hint in TEXT_FIELDS},
}
"""How each plain setting's input text becomes the value its check sees."""


# -- the [reminders] table -----------------------------------------------------------------


def reminder_text(table: dict[str, Any], entry: str) -> str:
    """The text an input shows for ``entry`` of a ``reminders_to_dict`` table."""
    value = table.get(entry)
    if value is None:
        return ""
    if entry in LIST_ENTRIES:
        return ", ".join(str(item) for item in value)
    return str(value)


def reminder_value(entry: str, text: str) -> Any:
    """An input's text as the TOML value of ``entry`` (``None``: leave the key out)."""
    text = text.strip()
    if entry in LIST_ENTRIES:
        return [item for item in text.replace(",", " ").split() if item]
    if entry in OPTIONAL_ENTRIES and not text:
        return None
    return parse_int(text) if entry == "max_skips_per_day" else text


def reminder_problems(table: dict[str, Any]) -> dict[str, str]:
    """``{entry: "reminders.entry: message"}`` for every bad entry of ``table``, as
    ``reminders_from_dict`` finds them (a bad entry is left out to look for the next one)."""
    data = dict(table)
    problems: dict[str, str] = {}
    while True:
        try:
            reminders_from_dict(data)
        except ReminderFieldError as exc:
            if exc.entry in problems:
                return problems
            problems[exc.entry] = f"{exc.field}: {exc.message}"
            if data.pop(exc.entry, None) is None:  # a rule between entries: nothing more to find
                return problems
        else:
            return problems


class ReminderValidator(Validator):
    """Validates one entry of ``[reminders]`` with ``reminders_from_dict`` over the whole table
    (``table()`` gives the form's other entries), so rules between entries are checked too."""

    def __init__(self, entry: str, table: Callable[[], dict[str, Any]]) -> None:
        super().__init__()
        self.entry = entry
        self.table = table

    def validate(self, value: str) -> ValidationResult:
        """Success, or the message for this entry (``reminders.every: must be a duration ...``)."""
        data = self.table()
        data[self.entry] = reminder_value(self.entry, value)
        data = {key: item for key, item in data.items() if item is not None}
        message = reminder_problems(data).get(self.entry)
        return self.failure(message, value) if message else self.success()


def first_failure(widget: Input) -> str | None:
    """The first validator message for ``widget``'s value, or ``None`` when it is good."""
    result = widget.validate(widget.value)
    if result is None or result.is_valid:
        return None
    return result.failure_descriptions[0] if result.failure_descriptions else "is not valid"


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


def _speaker() -> str | None:
    from psoas_tui.builtins import voice

    return voice.speaker_available()


def style_box(name: str, title: str, enabled: bool, speaker: str | None) -> StyleCheckbox:
    """The checkbox of one cue style; voice without a speech program is marked and, unless it
    is on (so it can be switched off), disabled."""
    label = f"{safe(title)} ({safe(name)})"
    if name != "voice":
        return StyleCheckbox(name, label, enabled)
    if speaker is not None:
        return StyleCheckbox(name, f"{label}: speaks with {speaker}", enabled)
    box = StyleCheckbox(name, f"{label}: {VOICE_NEEDS}", enabled)
    box.disabled = not enabled
    return box


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


class SaveChangesScreen(PsoasModal[str]):
    """Asks whether to save before leaving; dismisses with ``"yes"``, ``"no"`` or ``"cancel"``."""

    CSS_PATH = "settings.tcss"

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


class SettingsScreen(PsoasScreen[None]):
    """Edit and save the user's settings."""

    TITLE = "Settings"

    CSS_PATH = "settings.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (NARROW, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="settings_save", priority=True),
        Binding("escape", "back", "Back", id="settings_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._style_names: list[str] | None = None
        self._saved_values: dict[str, Any] = {}
        self._errors: dict[str, str] = {}

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
                Input(settings.breath, id="breath", compact=True, max_length=11,
                      validators=[SettingValidator("breath", INPUT_PARSERS["breath"])]),
                hint=BREATH_HINT,
            )
            for key, label, hint in INT_FIELDS:
                yield SettingRow(key, label, self._input(key, str(getattr(settings, key))), hint=hint)
            yield SettingRow("theme", "Theme", self._theme_select(settings))
            yield from self._reminder_rows(settings)
            yield Static("Using several machines", classes="settings-section", markup=False)
            for key, label, hint in TEXT_FIELDS:
                yield SettingRow(key, label, self._input(key, getattr(settings, key)), hint=hint)
        with Horizontal(id="settings-buttons"):  # below the form, always on screen
            yield Button("Save", id="save", variant="primary", compact=True)
            yield Button("Cancel", id="cancel", compact=True)
            yield Static("", id="settings-status", markup=False)
        yield FittingFooter()

    @staticmethod
    def _input(key: str, text: str) -> Input:
        """An input for setting ``key`` validated by its declared check."""
        parse = INPUT_PARSERS[key]
        if parse is parse_int:
            return Input(text, id=key, type="integer", compact=True, max_length=3,
                         validators=[SettingValidator(key, parse)])
        return Input(text, id=key, compact=True, classes="-wide", validators=[SettingValidator(key, parse)])

    def _reminder_rows(self, settings: Settings) -> ComposeResult:
        """The ``[reminders]`` section: enabled, then one validated input per entry."""
        table = reminders_to_dict(settings.reminders)
        yield Static("Reminders", classes="settings-section", markup=False)
        yield SettingRow(
            "reminders-enabled",
            "Enabled",
            TickBox("Remind me to stretch", settings.reminders.enabled, compact=True,
                    id="reminders-enabled"),
            hint='delivered by "psoas-tui remind" and "psoas-tui status" (README: Reminders)',
        )
        for entry, label, hint in REMINDER_FIELDS:
            widget = Input(reminder_text(table, entry), id=f"reminders-{entry}", compact=True,
                           validators=[ReminderValidator(entry, self.reminder_table)])
            widget.set_class(entry in LIST_ENTRIES | {"every", "hours"}, "-wide")
            yield SettingRow(f"reminders-{entry}", label, widget, hint=hint)

    def reminder_table(self) -> dict[str, Any]:
        """The form's ``[reminders]`` table as TOML values (empty optional entries left out;
        an entry whose input is not mounted yet keeps its saved value)."""
        data = reminders_to_dict(self.ctx.settings.reminders)
        for box in self.query("#reminders-enabled").results(TickBox):
            data["enabled"] = box.value
        for entry, _label, _hint in REMINDER_FIELDS:
            for widget in self.query(f"#reminders-{entry}").results(Input):
                data[entry] = reminder_value(entry, widget.value)
        return {key: value for key, value in data.items() if value is not None}

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
            lambda: (available_cue_styles(app), _speaker()), thread=True, group="cue-styles",
            exit_on_error=False,
        )

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "cue-styles":
            return
        if event.state is WorkerState.SUCCESS:
            registered, speaker = event.worker.result or ([], None)
            await self._show_styles(registered, speaker)
        elif event.state is WorkerState.ERROR:
            await self._show_styles([], None)

    async def _show_styles(self, registered: list[tuple[str, str]], speaker: str | None) -> None:
        enabled = set(self.ctx.settings.cue_styles)
        boxes: list[StyleCheckbox] = []
        names: list[str] = []
        for name, title in registered:
            boxes.append(style_box(name, title, name in enabled, speaker))
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
        for key, parse in INPUT_PARSERS.items():
            widget = self.query_one(f"#{key}", Input)
            values[key] = parse(widget.value)
            if message := first_failure(widget):
                errors[key] = message
        theme = self.query_one("#theme", Select).value
        values["theme"] = theme if isinstance(theme, str) else self.ctx.settings.theme
        values["reminders"] = self.reminder_table()
        for entry, _label, _hint in REMINDER_FIELDS:
            if message := first_failure(self.query_one(f"#reminders-{entry}", Input)):
                errors[f"reminders-{entry}"] = message
        return values, errors

    def show_errors(self) -> dict[str, Any]:
        """Show every field's error at its field, disable Save while there are any; the values."""
        values, errors = self.collect()
        for row in self.query(SettingRow):
            row.show_error(errors.get(row.key))
        self.query_one("#save", Button).disabled = bool(errors)
        self._errors = errors
        return values

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_errors()  # every field: a reminder entry can make another one wrong

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "reminders-enabled":
            self.show_errors()

    def action_save(self) -> None:
        """Check every field; save only when all are good."""
        values = self.show_errors()
        errors = self._errors
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
