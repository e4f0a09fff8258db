"""Help: every key of every screen, read from the live bindings (so remapped keys show)."""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from psoas_tui.tui.keys import declared_bindings
from psoas_tui.tui.overrides import applied_keymap
from psoas_tui.tui.screens.base import PsoasModal

# (section title, the screen and widget classes whose keys it lists, as "module:Class" under
# psoas_tui.tui; no classes = the app itself).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Everywhere", ()),
    ("Choose a routine", ("screens.choose:ChooseScreen",)),
    ("Run", ("screens.run:RunScreen",)),
    ("Stop the session?", ("screens.run:ConfirmStop",)),
    ("Check-in", ("screens.checkin:CheckInScreen", "screens.checkin:Scale")),
    ("Log", ("screens.log:LogScreen", "widgets.paged_table:PagedTable")),
    ("Session details", ("screens.session_detail:SessionDetailScreen",)),
    ("Export", ("screens.export:ExportScreen",)),
    ("Plugins", ("screens.plugins:PluginsScreen",)),
    ("Settings", ("screens.settings:SettingsScreen",)),
    ("Help", ("screens.help:HelpScreen",)),
    ("Safety notice", ("screens.safety:SafetyScreen",)),
)
# Keys a screen handles without a binding (typing, digits), listed before its bindings.
EXTRA_ROWS: dict[str, tuple[tuple[str, str], ...]] = {
    "screens.choose:ChooseScreen": (
        ("letters digits", "Filter the list (from anywhere here)"),
    ),
    "screens.checkin:Scale": (("0-9", "Rate 0-10 (1 then 0 makes 10)"),),
}
KEY_WIDTH = 16


def _bindings_of(node_class: Any, keymap: dict[str, str]) -> list[Binding]:
    """The bindings psoas-tui declares on a class (and its psoas-tui bases), keymap applied.

    Textual's generic bindings (tab to move focus, copy) are left out: they are the same
    everywhere and listed once under "Everywhere".
    """
    declared: list[Binding] = []
    for klass in reversed(node_class.__mro__):
        if klass.__module__.startswith("psoas_tui") or klass is node_class:
            declared.extend(Binding.make_bindings(klass.__dict__.get("BINDINGS", [])))
    bindings_map = BindingsMap(declared)
    if keymap:
        bindings_map.apply_keymap(keymap)
    return [binding for _key, binding in bindings_map]


def _load(ref: str) -> Any:
    module, name = ref.split(":")
    return getattr(importlib.import_module(f"psoas_tui.tui.{module}"), name)


def key_sections(app: App[Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each screen's keys as ``(keys, what they do)`` rows; screens not installed are left out."""
    keymap = applied_keymap(app)
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for title, refs in SECTIONS:
        classes: list[tuple[str, Any]] = []
        for ref in refs:
            try:
                classes.append((ref, _load(ref)))
            except (ImportError, AttributeError, ValueError):
                continue
        if refs and not classes:
            continue
        if not refs:
            classes = [("", type(app))]
        table: list[tuple[str, str]] = []
        for ref, node_class in classes:
            table.extend(EXTRA_ROWS.get(ref, ()))
            rows: dict[str, list[str]] = {}
            for binding in _bindings_of(node_class, keymap):
                if binding.system or not binding.description:
                    continue
                keys = rows.setdefault(binding.description, [])
                shown = app.get_key_display(binding)
                if shown not in keys:
                    keys.append(shown)
            table.extend((" ".join(keys), description) for description, keys in rows.items())
        if not refs:
            table.extend(_typed_key_notes(app, keymap))
        if not refs and getattr(app, "ENABLE_COMMAND_PALETTE", False):
            palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette")
            table.append((app.get_key_display(palette), "Command palette: start a routine, export, …"))
            table.append(("tab shift+tab", "Move between fields and panes"))
        if table:
            sections.append((title, table))
    return sections


def _typed_key_notes(app: App[Any], keymap: dict[str, str]) -> list[tuple[str, str]]:
    """A note for each global key that is also a character (``?``): a focused text field (a
    setting, the export file name) types it instead, so say so, and name the key that always
    works. The choose screen's filter is the exception: it never types ``?``."""
    by_action: dict[str, list[Binding]] = {}
    for binding in _bindings_of(type(app), keymap):
        if binding.description and not binding.system:
            by_action.setdefault(binding.id or binding.action, []).append(binding)
    notes: list[tuple[str, str]] = []
    for bindings in by_action.values():
        typed = [app.get_key_display(b) for b in bindings if _character_of(b.key)]
        always = [app.get_key_display(b) for b in bindings if not _character_of(b.key)]
        if typed:
            what = bindings[0].description.lower()
            note = f"In a text field: typed; {' or '.join(always)} always opens {what}" if always else (
                "In a text field: typed")
            notes.append((" ".join(typed), note))
    return notes


def _character_of(key: str) -> str:
    """The character a key types, or "" for keys that type nothing (f1, ctrl+q, escape)."""
    from textual.keys import key_to_character

    character = key_to_character(key)
    return character if character and character.isprintable() else ""


def _installed_classes() -> list[Any]:
    classes: list[Any] = []
    for _title, refs in SECTIONS:
        for ref in refs:
            try:
                classes.append(_load(ref))
            except (ImportError, AttributeError, ValueError):
                continue
    return classes


def _declared(node_class: Any) -> list[Binding]:
    """The bindings ``node_class`` declares with its bases' (``keys.declared_bindings``)."""
    return [binding for _key, binding in declared_bindings(node_class)]


def known_binding_ids(app: App[Any]) -> set[str]:
    """Every binding id the app and its screens and widgets declare (for checking keymaps)."""
    return {
        binding.id
        for node_class in [type(app), *_installed_classes()]
        for binding in _declared(node_class)
        if binding.id
    }


def keymap_clashes(app: App[Any], keymap: dict[str, str]) -> list[str]:
    """Keys the user's keymap gives to two actions at once (on one screen, or with a global key).

    Textual lets the remapped binding win silently; this says which one loses.
    """
    app_bindings = _declared(type(app))
    found: list[str] = []
    for node_class in [None, *_installed_classes()]:
        bindings = app_bindings + ([] if node_class is None else _declared(node_class))
        by_key: dict[str, dict[str, Binding]] = {}
        for binding in bindings:
            remapped = binding.id is not None and binding.id in keymap
            keys = keymap[binding.id].split(",") if remapped and binding.id else [binding.key]
            for key in (k.strip() for k in keys):
                name = binding.id or binding.action
                by_key.setdefault(key, {})[name] = binding
        for key, named in by_key.items():
            if len(named) > 1 and any(name in keymap for name in named):
                what = " and ".join(f"{b.description or b.action} ({name})" for name, b in named.items())
                message = f"{key!r} is given to {what}; only one of them will run"
                if message not in found:
                    found.append(message)
    return found


def help_content(sections: list[tuple[str, list[tuple[str, str]]]]) -> Content:
    """The help text: a heading per screen, then one key per line."""
    lines: list[Content] = []
    for title, rows in sections:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(title, "bold underline"))
        for keys, description in rows:
            lines.append(Content.assemble((f"  {keys:<{KEY_WIDTH}}", "bold $accent"), " ", description))
    return Content("\n").join(lines)


class HelpScreen(PsoasModal[None]):
    """Every key, and the way back to the safety notice."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="help_close"),
        Binding("s", "safety", "Safety notice", id="help_safety"),
    ]

    def compose(self) -> ComposeResult:
        """A scrolling list of keys and two buttons."""
        with Vertical(id="help-dialog"):
            yield Static("Keys", id="help-title", markup=False)
            with VerticalScroll(id="help-keys", can_focus=True):
                yield Static(help_content(key_sections(self.app)), id="help-body", markup=False)
            with Horizontal(id="help-buttons"):
                yield Button("Safety notice (s)", id="help-safety")
                yield Button("Close (Esc)", id="help-close", variant="primary")

    def on_mount(self) -> None:
        """Focus the keys so arrows and page keys scroll them."""
        self.query_one("#help-keys").focus()

    @on(Button.Pressed, "#help-close")
    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss(None)

    @on(Button.Pressed, "#help-safety")
    def action_safety(self) -> None:
        """Show the safety notice again."""
        from psoas_tui.tui.screens.safety import SafetyScreen

        self.app.push_screen(SafetyScreen())
