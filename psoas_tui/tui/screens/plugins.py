"""The plugins screen: every plugin with its version, hooks, contributions and failures.

Plugin names, versions and failure messages are data from third parties, so they are shown
through ``rich.text.Text`` objects (never parsed as markup) after ``psoas_tui.text.safe``
(Rich would pass ESC and C1 controls to the terminal). The survey (building the host,
loading routines, collecting cue styles and exporters so every hook has been called) runs in
a thread worker; the screen paints a loading line first.

``r`` rescans: a fresh host is built (``psoas_tui.plugin_report.survey``) in a worker, so
plugins installed since start-up appear and uninstalled ones vanish. Python cannot unload an
imported module, so the running app keeps the plugins it started with; the screen says that
changes take effect after a restart.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from psoas_tui.labels import BUILTIN_PLUGIN, contribution_label
from psoas_tui.text import plural, safe
from psoas_tui.tui.host import services
from psoas_tui.tui.screens.base import PsoasScreen
from psoas_tui.tui.widgets.footer import FittingFooter

if TYPE_CHECKING:
    from psoas_tui.plugin_host.host import PluginHost, PluginInfo

def loaded_host(app: App[Any]) -> PluginHost:
    """The app's plugin host with the routine library loaded (so ``psoas_tui_routines`` ran).

    ``Services.library`` holds a lock while it discovers plugins, so a screen's worker and the
    choose screen's never build two hosts at once.
    """
    ctx = services(app)
    _ = ctx.library
    return ctx.host


def survey_host(app: App[Any]) -> PluginHost:
    """Call every hook of the app's host so contributions and failures are known."""
    from psoas_tui.model import CueStyle, Exporter

    host = loaded_host(app)
    host.collect("psoas_tui_cue_styles", CueStyle, "cue_styles")
    host.collect("psoas_tui_exporters", Exporter, "exporters")
    return host


RESTART_NOTE = (
    "r rescans what is installed. Routines, cue styles and exporters of added, removed or "
    "updated plugins take effect after restarting psoas-tui."
)


def rescan_host() -> PluginHost:
    """A new host built from what is installed now, with every hook called (not the app's)."""
    from psoas_tui.plugin_report import survey

    importlib.invalidate_caches()  # see distributions installed or removed since start-up
    host, _library = survey()
    return host


def summary_text(infos: list[PluginInfo]) -> Text:
    """One line: how many plugins, how many of them built-in, how many failures."""
    builtin = sum(1 for info in infos if info.builtin)
    failures = sum(len(info.failures) for info in infos)
    text = Text(f"{plural(len(infos), 'plugin')} ({builtin} built-in, {len(infos) - builtin} installed)")
    if failures:
        text.append(f" · {plural(failures, 'failure')}", style="bold red")
    else:
        text.append(" · no failures")
    return text


def plugin_text(info: PluginInfo) -> Text:
    """A plugin's card: name and version, origin, hooks, contributions, failures."""
    text = Text()
    text.append(safe(info.name), style="bold")
    text.append(f" {safe(info.version)}")
    origin = BUILTIN_PLUGIN if info.builtin else f"from {safe(info.distribution)}"
    text.append(f"  ({origin})", style="dim")
    if info.disabled:
        text.append(f"\n  disabled by {safe(info.disabled)}", style="yellow")
        return text
    text.append("\n  hooks: ")
    text.append(safe(", ".join(info.hooks) or "-"))
    for what, names in info.contributions.items():
        if names:
            text.append(f"\n  {safe(contribution_label(what))}: ")
            text.append(safe(", ".join(names)))
    for failure in info.failures:
        text.append("\n  FAILED ", style="bold red")
        text.append(f"{safe(failure.stage)}: ", style="red")
        text.append(safe(failure.message))
    return text


class PluginCard(Static):
    """One plugin, shown as plain text."""

    DEFAULT_CSS = """
    PluginCard {
        padding: 0 1;
        margin-bottom: 1;
        border-left: tall $primary;
    }
    PluginCard.-failed {
        border-left: tall $error;
    }
    """

    def __init__(self, info: PluginInfo) -> None:
        super().__init__(plugin_text(info), markup=False)
        self.info = info
        self.set_class(bool(info.failures), "-failed")


class PluginsScreen(PsoasScreen[None]):
    """Installed plugins, what each contributes, and what failed."""

    TITLE = "Plugins"

    CSS_PATH = "plugins.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="plugins_back"),
        Binding("r", "rescan", "Rescan", id="plugins_refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Looking for plugins…", id="plugins-summary", markup=False)
        yield VerticalScroll(id="plugins-list", can_focus=True)
        yield Static(RESTART_NOTE, id="plugins-note", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#plugins-list").focus()
        self._start_survey()

    def _start_survey(self) -> None:
        app = self.app
        self.run_worker(
            lambda: survey_host(app), thread=True, exclusive=True, group="plugins", exit_on_error=False
        )

    def action_rescan(self) -> None:
        """Look for installed plugins again, with a new host (the app keeps its own)."""
        self.query_one("#plugins-summary", Static).update(Text("Looking for plugins…"))
        self.run_worker(rescan_host, thread=True, exclusive=True, group="plugins", exit_on_error=False)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "plugins":
            return
        summary = self.query_one("#plugins-summary", Static)
        if event.state is WorkerState.ERROR:
            summary.update(Text(f"Could not list plugins: {safe(event.worker.error)}", style="red"))
        elif event.state is WorkerState.SUCCESS:
            await self.show_host(event.worker.result)

    async def show_host(self, host: PluginHost) -> None:
        """Replace the list with the host's plugins."""
        infos = list(host.infos.values())
        self.query_one("#plugins-summary", Static).update(summary_text(infos))
        listing = self.query_one("#plugins-list", VerticalScroll)
        await listing.remove_children()
        await listing.mount_all([PluginCard(info) for info in infos])
