"""The export dialog: pick a format from the registered exporters and a file, then write it.

The file defaults to ``~/psoas-tui-history-<date>.<suffix>`` (in the folder of the last export
made in this app session, once there is one) and follows the format's suffix until the person
edits it. As in the CLI, the file's suffix picks the format: typing ``x.json`` selects JSON, a
suffix no format writes (``x.csv`` without a CSV plugin) is refused, a name without a suffix gets
the chosen format. Only regular files are written: a symbolic link is written through, a
device, FIFO or socket is refused. An existing file is only replaced when "Replace it" is ticked. The
export itself runs in a thread worker owned by the app (so it carries on after the dialog
closes): a long export is announced when it starts ("Exporting 100,000 sessions…") and every
export ends with a notification saying how many sessions were written, or why not.

The format list is a ``Select`` with no blank choice; until the exporters are known (they come
from plugins, found in a worker) a "Looking for formats…" line stands in its place.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from psoas_tui.errors import UserError
from psoas_tui.text import plural, safe
from psoas_tui.tui.host import services
from psoas_tui.tui.overrides import TickBox
from psoas_tui.tui.screens.base import PsoasModal

LONG_EXPORT = 2_000
"""Exports of at least this many sessions say so when they start (they take a second or more)."""

APP_ADVICE = "; choose a file name"
"""Ends the line refusing a device, FIFO or socket (the CLI's ``-o -`` advice means nothing here)."""

_last_folder: WeakKeyDictionary[App[Any], Path] = WeakKeyDictionary()
"""The folder of each running app's last export (remembered for the app session)."""


def sessions_text(count: int) -> str:
    """``1 session``, ``100,000 sessions``."""
    return plural(count, "session")


def default_export_path(suffix: str, today: date | None = None, folder: Path | None = None) -> str:
    """``~/psoas-tui-history-2026-11-23.toml`` (``~`` is expanded when the file is written), or
    the same name in ``folder``."""
    day = (today or date.today()).isoformat()
    suffix = suffix.lstrip(".")
    name = f"psoas-tui-history-{day}.{suffix}" if suffix else f"psoas-tui-history-{day}"
    return str(folder / name) if folder is not None else f"~/{name}"


def check_destination(text: str, replace: bool) -> Path:
    """The file to write, or a ``UserError`` saying what is wrong with ``text``."""
    text = text.strip()
    if not text:
        raise UserError("give a file to write")
    from psoas_tui.history.export import export_target

    path = Path(text).expanduser()
    target = export_target(path, advice=APP_ADVICE)  # a folder, device, FIFO or socket is refused
    if not target.parent.is_dir():
        raise UserError(f"{path.parent}: no such folder")
    if target.exists() and not replace:
        raise UserError(f"{path}: already exists; tick \u201creplace it\u201d to overwrite")
    return path


def format_for_path(path: Path, suffixes: dict[str, str], chosen: str) -> str:
    """The format to write ``path`` with: the one its suffix names (as ``psoas-tui export -o``
    picks it), ``chosen`` when the name has no suffix; a ``UserError`` for a suffix no format
    writes."""
    from psoas_tui.history.export import format_for_suffix

    found = format_for_suffix(suffixes, path.name)
    if found is not None:
        return found
    if not path.suffix:
        return chosen
    known = ", ".join(sorted({s for s in suffixes.values() if s}))
    raise UserError(f"{path.name}: no export format writes {path.suffix!r} files (available: {known})")


def path_for_format(text: str, suffixes: dict[str, str], name: str) -> str:
    """``text`` with format ``name``'s suffix in place of another format's (``x.toml`` ->
    ``x.json``), so the file and the Format menu agree; unchanged otherwise."""
    from psoas_tui.history.export import format_for_suffix

    stripped = text.rstrip()
    found = format_for_suffix(suffixes, Path(stripped).name)
    new = suffixes.get(name, "")
    if found is None or found == name or not new:
        return text
    return stripped[: len(stripped) - len(suffixes[found])] + new


def load_exporters(app: Any) -> list[tuple[str, str, str]]:
    """``(name, title, suffix)`` of every registered exporter."""
    from psoas_tui.history.export import available_exporters
    from psoas_tui.tui.screens.plugins import loaded_host

    return [(e.name, e.title or e.name, e.suffix) for e in available_exporters(loaded_host(app)).values()]


def start_export(app: App[Any], exporter_name: str, path: Path, *, replace: bool) -> Worker[int]:
    """Write the whole history to ``path`` in a thread worker owned by ``app``; notify when done."""
    ctx = services(app)

    def work() -> int:
        from psoas_tui.history.export import available_exporters, export_history
        from psoas_tui.tui.screens.plugins import loaded_host

        try:
            exporter = available_exporters(loaded_host(app))[exporter_name]
            total = int(ctx.store.count())
            if total >= LONG_EXPORT:
                app.call_from_thread(
                    app.notify, f"Exporting {sessions_text(total)}\u2026", title="Export", markup=False
                )
            count = export_history(ctx.store, exporter, path, force=replace)
        except (UserError, OSError, KeyError) as exc:
            message = f"{exc.filename}: {exc.strerror}" if isinstance(exc, OSError) else str(exc)
            app.call_from_thread(
                app.notify, f"Export failed: {safe(message)}", title="Export", severity="error", markup=False
            )
            raise
        app.call_from_thread(
            app.notify, f"Exported {sessions_text(count)} to {safe(path)}", title="Export", markup=False
        )
        return count

    return app.run_worker(work, name="export", group="export", thread=True, exit_on_error=False)


class ExportScreen(PsoasModal[Path | None]):
    """Choose a format and a file; dismisses with the path being written (``None`` if cancelled)."""

    CSS_PATH = "export.tcss"

    AUTO_FOCUS = "#export-path"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export_cancel"),
        Binding("ctrl+s", "export", "Export", id="export_confirm", priority=True),
    ]

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self._today = today
        self._suffixes: dict[str, str] = {}
        self._auto_path = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static("Export history", id="export-title")
            yield Label("Format")
            yield Static("Looking for formats\u2026", id="export-format-loading", markup=False)
            yield Label("File")
            yield Input("", id="export-path", compact=True)
            yield TickBox("Replace it if the file exists", id="export-replace", compact=True)
            yield Static("", id="export-error", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        app = self.app
        if self.ctx.library_ready:  # plugins already loaded: no need to wait
            self.show_exporters(load_exporters(app))
        else:
            self.run_worker(lambda: load_exporters(app), thread=True, group="exporters", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "exporters":
            return
        if event.state is WorkerState.SUCCESS:
            self.show_exporters(event.worker.result or [])
        elif event.state is WorkerState.ERROR:
            self._error(f"Could not list export formats: {event.worker.error}")

    def show_exporters(self, exporters: list[tuple[str, str, str]]) -> None:
        """Put the format list (no blank choice; TOML chosen when offered) in the placeholder's place."""
        placeholder = self.query_one("#export-format-loading", Static)
        if not exporters:
            placeholder.update("none")
            self._error("No export formats are registered.")
            return
        self._suffixes = {name: suffix for name, _title, suffix in exporters}
        options = [(Content(f"{title} (.{suffix.lstrip('.')})"), name) for name, title, suffix in exporters]
        chosen = "toml" if "toml" in self._suffixes else exporters[0][0]
        select = Select[str](options, value=chosen, allow_blank=False, id="export-format", compact=True)
        placeholder.display = False
        self.query_one("#export-dialog").mount(select, after=placeholder)
        self._follow_format(chosen)

    def _follow_format(self, name: str) -> None:
        """Suggest a file with ``name``'s suffix; a typed file with another format's suffix
        takes ``name``'s (the menu and the file always agree)."""
        path_input = self.query_one("#export-path", Input)
        if path_input.value in ("", self._auto_path):
            folder = _last_folder.get(self.app)
            self._auto_path = default_export_path(self._suffixes.get(name, ""), self._today, folder)
            path_input.value = self._auto_path
            path_input.select_all()  # typing a path replaces the suggestion
        else:
            path_input.value = path_for_format(path_input.value, self._suffixes, name)

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._follow_format(event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        """A typed suffix selects its format (``x.json`` -> JSON), as the CLI's ``-o`` does."""
        if event.input.id != "export-path" or not self._suffixes:
            return
        from psoas_tui.history.export import format_for_suffix

        found = format_for_suffix(self._suffixes, Path(event.value.strip()).name)
        try:
            select = self.query_one("#export-format", Select)
        except NoMatches:
            return
        if found is not None and select.value != found:
            select.value = found

    def _show_format(self, name: str) -> str:
        """Put ``name`` in the Format menu (the file's suffix wins); returns it."""
        select = self.query_one("#export-format", Select)
        if select.value != name:
            select.value = name
        return name

    def _error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Content(message))

    def action_export(self) -> None:
        """Check the choices and start writing; refuse to overwrite unless "replace" is ticked."""
        try:
            name = self.query_one("#export-format", Select).value
        except NoMatches:
            self._error("The formats are still loading; try again in a moment.")
            return
        if not isinstance(name, str):
            self._error("Choose a format.")
            return
        replace = self.query_one("#export-replace", TickBox).value
        try:
            path = check_destination(self.query_one("#export-path", Input).value, replace)
            name = self._show_format(format_for_path(path, self._suffixes, name))
        except UserError as exc:
            self._error(safe(exc))
            return
        _last_folder[self.app] = path.parent
        start_export(self.app, name, path, replace=replace)
        self.dismiss(path)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self.action_export()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_export()
