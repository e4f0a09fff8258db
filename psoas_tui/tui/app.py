"""The full-screen app: owns the shared ``AppContext`` and the global keys, actions and commands.

Screens are imported lazily inside the actions that push them, so the first paint only pays
for the choose screen. Every global binding has an id, so people can remap it in
``config.toml`` (``[keys]`` table: ``open_log = "f2,ctrl+l"``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from psoas_tui.text import safe
from psoas_tui.tui.commands import PsoasCommands
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.host import SessionScreen
from psoas_tui.tui.overrides import applied_keymap
from psoas_tui.tui.widgets.footer import COMPACT_WIDTH
from psoas_tui.tui.widgets.too_small import SizeGuard

if TYPE_CHECKING:
    from textual.driver import Driver

    from psoas_tui.model import Routine
    from psoas_tui.routines import RoutineLibrary

NOTICE_TIMEOUT = 12.0
TERMINAL_CHECK_EVERY = 1.0  # seconds between checks that the terminal is still there
NOTICE_TITLES = {"error": "Routine file skipped", "override": "Routine hidden"}  # by notice kind
# Actions that open a screen of their own; held back while a dialog waits for an answer.
SCREEN_ACTIONS = frozenset({"open_log", "open_plugins", "open_settings", "export", "start_routine"})
# The screen each action opens, as (module in tui.screens, class), imported when first opened.
# On that screen itself the action's key is left out of the footer (it would do nothing), which
# leaves room for the screen's own keys in a narrow window.
OPENS = {"open_log": ("log", "LogScreen"), "open_plugins": ("plugins", "PluginsScreen"),
         "open_settings": ("settings", "SettingsScreen"), "export": ("export", "ExportScreen"),
         "help": ("help", "HelpScreen"), "safety": ("safety", "SafetyScreen")}


class PsoasApp(App[int]):
    """psoas-tui: choose a routine, run it, check in, and look back at the log."""

    CSS_PATH = "app.tcss"
    TITLE = "psoas-tui"
    SUB_TITLE = "psoas and hip-flexor stretches"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar = App.COMMANDS | {PsoasCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (COMPACT_WIDTH, "-wide")]  # as the footers
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("f2", "open_log", "Log", id="open_log"),
        Binding("f3", "open_plugins", "Plugins", id="open_plugins"),
        Binding("f4", "open_settings", "Settings", id="open_settings"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        ctx: AppContext | None = None,
        *,
        routine_id: str | None = None,
        routine: Routine | None = None,
    ) -> None:
        """``routine_id`` / ``routine`` open straight on the run screen."""
        super().__init__()
        self.ctx = ctx if ctx is not None else AppContext.from_environment()
        self._first_routine: Routine | str | None = routine or routine_id
        self._reported_notices = 0
        self._saving: list[tuple[Any, float]] = []  # (recorder, give-up time) still retrying
        self._save_timer: Timer | None = None
        self._keymap_checked = False
        self._ending = False  # a signal or a lost terminal asked the app to end
        self.size_guard = SizeGuard(self)
        self._was_running = False  # a session was under way at the last screen change (sync after it)
        self.theme = self._valid_theme(self.ctx.settings.theme)
        if self.ctx.settings.keys:
            self.set_keymap(self.ctx.settings.keys)

    def _valid_theme(self, name: str) -> str:
        return name if name in self.available_themes else "textual-dark"

    def get_default_screen(self) -> Screen:
        """The choose screen is the bottom of the stack."""
        from psoas_tui.tui.screens.choose import ChooseScreen

        return ChooseScreen()

    def on_mount(self) -> None:
        """Show the safety notice on first run, then honour ``routine_id``."""
        if not self.is_headless:  # tests' loops are shared: no process-wide handlers there
            self._install_signal_handlers()
            self.set_interval(TERMINAL_CHECK_EVERY, self._check_terminal)
        self.size_guard.start()
        self.screen_change_signal.subscribe(self, self._sync_after_session)
        self.start_sync()
        if not self.ctx.settings.safety_acknowledged:
            from psoas_tui.tui.screens.safety import SafetyScreen

            self.push_screen(SafetyScreen(first_run=True), self._after_safety)
        else:
            self._open_first_routine()

    async def on_event(self, event: events.Event) -> None:
        """Below 60x20 a notice covers every screen and only the quit key acts."""
        if self.size_guard.swallows(event):
            return
        await super().on_event(event)
        if isinstance(event, events.Resize):
            self.call_after_refresh(self.size_guard.update)

    def _after_safety(self, _result: object = None) -> None:
        self._open_first_routine()

    def _open_first_routine(self) -> None:
        first, self._first_routine = self._first_routine, None
        if first is None:
            return
        if isinstance(first, str):
            self.action_start_routine(first)
        else:
            self.start(first)

    def load_library(self) -> RoutineLibrary:
        """The full routine library, loaded once (safe to call from a worker thread: the
        context holds a lock while it discovers plugins)."""
        return self.ctx.library

    # -- saving sessions the history did not accept yet ---------------------------------
    def _monotonic(self) -> float:
        return (self.ctx.monotonic or time.monotonic)()

    def keep_saving(self, recorder: Any) -> None:
        """Retry ``recorder``'s writes every second for up to 60 s, saying so once; then
        "Session saved", or what could not be saved (the run screen is gone by then)."""
        from psoas_tui.practice.recorder import SAVE_RETRY_EVERY, SAVE_RETRY_SECONDS, describe_error

        reason = describe_error(recorder.problem) if recorder.problem is not None else "not saved"
        self.notify(
            f"Could not save the session yet ({reason}); retrying for up to {SAVE_RETRY_SECONDS:g} s.",
            severity="warning", timeout=NOTICE_TIMEOUT, markup=False,
        )
        self._saving.append((recorder, self._monotonic() + SAVE_RETRY_SECONDS))
        if self._save_timer is None:
            self._save_timer = self.set_interval(SAVE_RETRY_EVERY, self.retry_saves)

    def retry_saves(self) -> None:
        """One round of retries (the timer's callback; tests call it directly)."""
        now = self._monotonic()
        still: list[tuple[Any, float]] = []
        for recorder, give_up in self._saving:
            if recorder.retry():
                self.notify("Session saved", markup=False)
            elif now >= give_up:
                self.notify(recorder.failure_report(), title="History", severity="error",
                            timeout=NOTICE_TIMEOUT, markup=False)
            else:
                still.append((recorder, give_up))
        self._saving = still
        if not still and self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    # -- notices -----------------------------------------------------------------------
    def report_problems(self) -> None:
        """One in-app notice per new plugin failure or skipped routine file."""
        for failure in self.ctx.host.new_failures():
            self.notify(str(failure), title="Plugin problem", severity="warning", timeout=NOTICE_TIMEOUT,
                        markup=False)
        notices = self.ctx.library.notices
        for notice in notices[self._reported_notices :]:
            title = NOTICE_TITLES.get(getattr(notice, "kind", "error"))
            if title:
                self.notify(safe(notice), title=title, severity="warning", timeout=NOTICE_TIMEOUT,
                            markup=False)
        self._reported_notices = len(notices)
        self._check_keymap()

    def _check_keymap(self) -> None:
        """A notice for ``[keys]`` entries in the config that name no binding (typos)."""
        wanted = self.ctx.settings.keys
        if not wanted or self._keymap_checked:
            return
        self._keymap_checked = True
        from psoas_tui.tui.screens.help import keymap_clashes, known_binding_ids

        unknown = sorted(set(wanted) - known_binding_ids(self))
        if unknown:
            self.notify(
                f"config.toml [keys]: no binding with id {', '.join(map(repr, unknown))}; "
                "see the help screen (F1) for the keys and the README for their ids",
                title="Unknown key binding", severity="warning", timeout=NOTICE_TIMEOUT, markup=False,
            )
        for clash in keymap_clashes(self, applied_keymap(self)):
            self.notify(f"config.toml [keys]: {clash}", title="Key binding clash", severity="warning",
                        timeout=NOTICE_TIMEOUT, markup=False)

    # -- quitting ---------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit; during a session ask first (as Esc does), so it is stored as ``stopped``."""
        run = self._running_session()
        if run is None:
            self.exit()
            return
        if isinstance(self.screen, ModalScreen):  # already asking (stop?, check-in): answer it
            return
        run.action_stop(then_quit=True)

    def _running_session(self) -> SessionScreen | None:
        """The run screen whose session is still under way, if any."""
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen) and screen.runner is not None and not screen.runner.finished:
                return screen
        return None

    def get_driver_class(self) -> type[Driver]:
        """On Linux and macOS, a driver that notices a terminal gone away (``terminal_gone``)."""
        driver_class = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver_class is LinuxDriver:
            from psoas_tui.tui.driver import TerminalDriver

            return TerminalDriver
        return driver_class

    def _check_terminal(self) -> None:
        """End the app when its terminal hung up while nothing was drawn (an idle screen)."""
        hung_up = getattr(self._driver, "hung_up", None)
        if not self._ending and callable(hung_up) and hung_up():
            self.terminal_gone()

    def terminal_gone(self) -> None:
        """The terminal went away (writes fail with EIO): end as on SIGHUP, so the session
        under way is saved as ``interrupted`` and the process exits (status 129)."""
        import signal

        self._terminate(int(getattr(signal, "SIGHUP", 1)))

    def _install_signal_handlers(self) -> None:
        """SIGTERM and SIGHUP end the app the normal way: the terminal is restored (alternate
        screen off, cursor shown, mouse reporting off) and a session under way is saved as
        ``interrupted`` (the run screen's unmount). Exit status 128 + the signal's number.

        The handlers are plain Python signal handlers, not the event loop's, so they run even
        while the loop is stuck; a second SIGTERM or SIGHUP ends the process at once."""
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if signum is None:
                continue
            with contextlib.suppress(ValueError, OSError):  # not the main thread
                signal.signal(signum, functools.partial(self._on_signal, loop))

    def _on_signal(self, loop: asyncio.AbstractEventLoop, signum: int, _frame: object) -> None:
        """First signal: end the app on its loop. Any later one: end the process now."""
        if self._ending:
            os._exit(128 + signum)
        self._ending = True
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            loop.call_soon_threadsafe(self._terminate, signum)

    def _terminate(self, signum: int) -> None:
        self._ending = True
        self.exit(return_code=128 + signum)

    # -- sync (psoas_tui/history/sync.py) -------------------------------------------------------
    def start_sync(self) -> None:
        """Sync with ``sync_folder`` in a worker thread, when one is set: the screen never waits."""
        if self.ctx.settings.sync_folder:
            self.run_worker(self._sync, thread=True, group="sync", exit_on_error=False)

    def _sync_after_session(self, _screen: Screen) -> None:
        """After the run screen is gone (the session saved), sync again."""
        running = self.session_running
        if self._was_running and not running:
            self.start_sync()
        self._was_running = running

    def _sync(self) -> None:
        """One sync on its own connection to the history (the worker's body)."""
        from pathlib import Path

        from psoas_tui.errors import UserError
        from psoas_tui.history.device import this_device
        from psoas_tui.history.store import HistoryStore
        from psoas_tui.history.sync import sync
        from psoas_tui.text import safe

        settings, ctx = self.ctx.settings, self.ctx
        try:
            device = this_device(settings.device_name, ctx.config_path.parent if ctx.config_path else None)
            with HistoryStore.open(ctx.history_path) as store:
                report = sync(store, Path(settings.sync_folder).expanduser(), device)
        except UserError as exc:
            self.call_from_thread(self.notify, safe(str(exc)), title="Sync", severity="warning",
                                  timeout=NOTICE_TIMEOUT, markup=False)
            return
        if report.changed:
            self.call_from_thread(self.notify, report.summary(), title="Sync", markup=False)
        for notice in report.notices:  # file and device names are data: neutralised
            self.call_from_thread(self.notify, safe(notice), title="Sync", severity="warning",
                                  timeout=NOTICE_TIMEOUT, markup=False)

    # -- actions ----------------------------------------------------------------------
    @property
    def session_running(self) -> bool:
        """True while a run screen is on the stack (a session is under way)."""
        return any(isinstance(screen, SessionScreen) for screen in self.screen_stack)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog waits for an answer (safety notice, check-in, stop?), the global
        screens stay closed: they would open on top of the question. The key that opens the
        screen on show is hidden there (``OPENS``)."""
        screen = self.screen
        if action in SCREEN_ACTIONS and isinstance(screen, ModalScreen):
            return isinstance(screen, CommandPalette) or None
        opens = OPENS.get(action)
        return opens is None or opens[1] != type(screen).__name__

    def start(self, routine: Routine) -> None:
        """Push the run screen for ``routine`` (not while another session is under way)."""
        if self.session_running:
            self.notify("Finish or stop the session that is running first (Esc).", severity="warning",
                        markup=False)
            return
        from psoas_tui.tui.screens.run import RunScreen

        self.push_screen(RunScreen(routine))

    def action_start_routine(self, routine_id: str) -> None:
        """Start the routine with ``routine_id`` (a notice if there is none)."""
        from psoas_tui.errors import UserError

        try:
            routine = self.load_library().get(routine_id)
        except UserError as exc:
            self.notify(safe(exc), severity="error", markup=False)
            return
        self.start(routine)

    def _push_unique(self, action: str) -> None:
        """Open the screen of ``action`` (``OPENS``), unless it is the one on show."""
        import importlib

        module, name = OPENS[action]
        screen_class = getattr(importlib.import_module(f"psoas_tui.tui.screens.{module}"), name)
        if type(self.screen) is not screen_class:
            self.push_screen(screen_class())

    def action_open_log(self) -> None:
        """Open the history log."""
        self._push_unique("open_log")

    def action_open_plugins(self) -> None:
        """Open the plugins screen."""
        self._push_unique("open_plugins")

    def action_open_settings(self) -> None:
        """Open the settings screen."""
        self._push_unique("open_settings")

    def action_export(self) -> None:
        """Open the export dialog."""
        self._push_unique("export")

    def action_help(self) -> None:
        """Show every key."""
        self._push_unique("help")

    def action_safety(self) -> None:
        """Show the safety notice again."""
        self._push_unique("safety")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Only the system commands that fit psoas-tui: Quit, and Theme pointing to the settings
        (where a theme is saved to config.toml). Textual's "Keys" panel (a second, different
        help), its unsaved theme picker, screenshots and maximize are left out."""
        yield SystemCommand(
            "Theme", "Pick a theme in Settings (saved to config.toml)", self.action_open_settings
        )
        for command in super().get_system_commands(screen):
            if command.title == "Quit":
                yield command
