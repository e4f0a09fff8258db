"""The reminder banner on the choose screen: "Time to stretch: desk-break" with Start, Snooze
and Skip, and the same words in the app's sub-title (the header, the window's title line).

The banner looks at the schedule (``psoas_tui.reminders``) when it is mounted, when it is asked
to (the choose screen comes back, an answer was given) and then by one timer set from
``wake_delay``: until the next reminder falls due, at most a minute (a suspended laptop or an
answer given in another terminal shows up within that minute). The history is read in a thread
worker; nothing else polls. A reminder is recorded as ``shown`` when the banner first shows it
(unless ``remind`` already showed it), so a ``remind`` running elsewhere does not notify again.

Time comes from ``ctx.now`` when the services carry one (tests inject a clock), else the
computer's clock in its named zone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from psoas_tui.errors import UserError
from psoas_tui.reminders.schedule import Reminder, ReminderState, should_notify, skips_left, wake_delay
from psoas_tui.text import safe
from psoas_tui.tui.host import psoas_host, services

if TYPE_CHECKING:
    from psoas_tui.services import Services

TITLE_PREFIX = "Time to stretch"
_LOOKING = threading.Lock()  # one look at a time: a reminder is recorded as shown once
NOTICE_TIMEOUT = 8.0


class Look(NamedTuple):
    """One look at the schedule: the state at ``now`` and the skips left today."""

    now: datetime
    state: ReminderState
    skips_left: int | None


def reminder_words(reminder: Reminder) -> str:
    """``Time to stretch: desk-break``."""
    return f"{TITLE_PREFIX}: {safe(reminder.routine)}"


class ReminderBanner(Horizontal):
    """A due reminder and the three answers; hidden when nothing is due."""

    DEFAULT_CSS = """
    ReminderBanner {
        height: auto;
        display: none;
        background: $warning 25%;
        padding: 0 1;
    }
    ReminderBanner.-due {
        display: block;
    }
    ReminderBanner > #reminder-text {
        width: 1fr;
        min-width: 16;
        text-style: bold;
    }
    ReminderBanner > Button {
        width: auto;
        min-width: 0;
        margin-left: 1;
    }
    """

    def __init__(self, *, key_label: Callable[[str], str] | None = None, id: str | None = None) -> None:
        """``key_label(binding_id)`` names the key of an answer on its button (remaps shown)."""
        super().__init__(id=id)
        self.due: Reminder | None = None
        self.look: Look | None = None
        self.next_check: float | None = None  # seconds until the timer looks again
        self._timer: Timer | None = None
        self._key_label = key_label or (lambda _binding_id: "")

    # -- what it needs from the app ----------------------------------------------------
    @property
    def ctx(self) -> Services:
        """The app's services."""
        return services(self.app)

    def now(self) -> datetime:
        """Now, from ``ctx.now`` when injected, else the computer's clock in its zone."""
        if self.ctx.now is not None:
            return self.ctx.now()
        from psoas_tui.reminder_runtime import system_now

        return system_now()

    def compose(self) -> ComposeResult:
        yield Static("", id="reminder-text", markup=False)
        yield Button("Start", id="reminder-start", variant="primary", compact=True)
        yield Button("Snooze", id="reminder-snooze", compact=True)
        yield Button("Skip", id="reminder-skip", compact=True)

    def on_mount(self) -> None:
        self.check()

    def on_unmount(self) -> None:
        self._show(None)

    # -- looking -----------------------------------------------------------------------
    def check(self) -> None:
        """Look at the schedule again (in a thread worker when reminders are on)."""
        settings = self.ctx.settings.reminders
        now = self.now()
        if not settings.enabled:
            self._apply(Look(now, ReminderState(), None))
            return
        ctx = self.ctx
        from psoas_tui.reminder_runtime import current_state

        def read() -> Look:
            with _LOOKING:
                return look(now)

        def look(now: datetime) -> Look:
            store = ctx.store
            snapshot = store.reminder_snapshot(now)
            state = current_state(settings, now, snapshot)
            if should_notify(state, snapshot.last_shown) and state.due is not None:
                store.record_reminder_event("shown", at=now, due_at=state.due.due_at, until=state.due.until)
            return Look(now, state, skips_left(settings, snapshot.skips_today))

        self.run_worker(read, thread=True, group="reminder", exclusive=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "reminder":
            return
        event.stop()
        if event.state is WorkerState.SUCCESS:
            self._apply(event.worker.result)
        elif event.state is WorkerState.ERROR:  # an unreadable history: no banner, look again later
            self._apply(Look(self.now(), ReminderState(), None))

    def _apply(self, look: Look) -> None:
        self.look = look
        self._show(look.state.due)
        if look.state.due is not None:
            self.query_one("#reminder-skip", Button).disabled = look.skips_left == 0
        self._schedule(wake_delay(look.state, look.now) if self.ctx.settings.reminders.enabled else None)

    def _schedule(self, delay: float | None) -> None:
        """The one timer: look again after ``delay`` seconds (none while reminders are off)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.next_check = delay
        if delay is not None:
            self._timer = self.set_timer(max(delay, 1.0), self.check)

    def _show(self, reminder: Reminder | None) -> None:
        """The banner and the app's sub-title for ``reminder`` (hidden and restored for None)."""
        self.due = reminder
        self.set_class(reminder is not None, "-due")
        app = self.app
        default = type(app).SUB_TITLE
        if reminder is None:
            if app.sub_title.startswith(TITLE_PREFIX):
                app.sub_title = default
            return
        words = reminder_words(reminder)
        self.query_one("#reminder-text", Static).update(words)
        app.sub_title = words
        self.refresh_labels()

    def refresh_labels(self) -> None:
        """The buttons' words with their keys (``[keys]`` remaps shown)."""
        snooze = self.ctx.settings.reminders.snooze
        from psoas_tui.reminders.durations import format_duration

        labels = {
            "reminder-start": ("Start", "reminder_start"),
            "reminder-snooze": (f"Snooze {format_duration(snooze)}", "reminder_snooze"),
            "reminder-skip": ("Skip", "reminder_skip"),
        }
        for button_id, (words, binding_id) in labels.items():
            key = self._key_label(binding_id)
            self.query_one(f"#{button_id}", Button).label = f"{words} {key}" if key else words

    # -- answers -----------------------------------------------------------------------
    @on(Button.Pressed, "#reminder-start")
    def start(self) -> None:
        """Start the suggested routine (a session with real practice answers the reminder)."""
        if self.due is not None:
            psoas_host(self.app).action_start_routine(self.due.routine)

    @on(Button.Pressed, "#reminder-snooze")
    def snooze(self) -> None:
        """Hide the reminder for the configured snooze length."""
        from psoas_tui import reminder_answers

        settings = self.ctx.settings.reminders
        self._answer(lambda store, now: reminder_answers.snooze(store, settings, settings.snooze, now))

    @on(Button.Pressed, "#reminder-skip")
    def skip(self) -> None:
        """Skip this reminder (refused at the daily limit, with the reason as a notice)."""
        from psoas_tui import reminder_answers

        settings = self.ctx.settings.reminders
        self._answer(lambda store, now: reminder_answers.skip(store, settings, now))

    def _answer(self, answer: Callable[[Any, datetime], str]) -> None:
        """Record one answer, say what it did, tell a running ``remind``, then look again."""
        if self.due is None:
            return
        try:
            line = answer(self.ctx.store, self.now())
        except UserError as exc:
            self.notify(safe(str(exc)), title="Reminder", severity="warning", timeout=NOTICE_TIMEOUT,
                        markup=False)
            return
        self.notify(line[:1].upper() + line[1:], title="Reminder", timeout=NOTICE_TIMEOUT, markup=False)
        self._wake_remind()
        self._show(None)
        self.check()

    def _wake_remind(self) -> None:
        """Tell a ``remind`` running for the same history to look again now."""
        from psoas_tui.reminder_answers import wake_remind

        path = self.ctx.history_path
        if path is None:
            from psoas_tui import paths

            path = paths.history_file()
        wake_remind(path.parent)

