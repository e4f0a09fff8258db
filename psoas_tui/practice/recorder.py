"""Glue between a running session and the history store.

The runner (``psoas_tui.practice.runner``) knows nothing about SQLite; whoever drives it (the TUI's
run screen or plain mode) makes a ``SessionRecorder`` and calls ``start`` when the session
begins, ``checkpoint`` at every segment end, ``finish`` when it ends, and ``complete`` once the
check-in questions are answered (or skipped). ``complete`` tells plugins through
``psoas_tui_session_finished`` once the session is saved; a plugin that raises is recorded on
the host, never raised.

A write that fails (the file locked past the busy timeout, a full disk, a read-only folder)
never ends or falsifies the session: the recorder keeps what the store *should* hold (the
start, the latest progress, the final status, the check-in), says so once through ``notice``,
and tries again at every checkpoint, at the end, and whenever ``retry`` is called, until the
store has all of it. ``saved`` tells whether it has; ``problem`` is the last error;
``unsaved()`` names what is still missing. ``save_until`` is the end-of-session loop: keep
trying for up to ``SAVE_RETRY_SECONDS``.

What "completed" means (``final_status``, ``psoas_tui.practice.runner.spent_enough``): the runner
reached the end *and* at least ``COMPLETED_SHARE`` of the timed plan was actually spent
(session-clock seconds, so ``PSOAS_TUI_TIME_SCALE`` runs count as their full length); for a
routine with nothing timed, that share of its segments was done, not skipped. Reaching the end
by skipping is ``stopped``.

The end time is ``started_at`` plus the monotonic time since the start, never a second
reading of the wall clock, so a clock stepped back during the session (NTP, a manual change)
cannot store ``ended_at`` before ``started_at``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psoas_tui.errors import UserError
from psoas_tui.model import CheckIn, Routine, SessionRecord, SessionStatus
from psoas_tui.practice.runner import spent_enough
from psoas_tui.text import drop_controls, safe

if TYPE_CHECKING:
    from psoas_tui.history.store import HistoryStore
    from psoas_tui.plugin_host.host import PluginHost

SAVE_RETRY_SECONDS = 60.0
SAVE_RETRY_EVERY = 1.0
# A session's writes wait at most this long for another copy's lock, then are retried later:
# the countdown runs on the same thread and must never freeze while SQLite waits.
SESSION_BUSY_TIMEOUT_MS = 100
# What a failed write raises: SQLite (locked, read-only, disk I/O, full), the file system
# (the lock folder), and the store's own one-line errors (cannot open the history).
WRITE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, OSError, UserError)


def pause(seconds: float) -> None:
    """Wait between two retries (a module-level seam: tests replace it)."""
    time.sleep(seconds)


def _progress(state: Any) -> dict[str, Any]:
    """What the store keeps from a runner state (duck-typed: anything with these attributes)."""
    return {
        "done_seconds": float(state.elapsed),
        "segments_done": int(state.segments_done),
        "left_seconds": float(getattr(state, "left_seconds", 0.0) or 0.0),
        "right_seconds": float(getattr(state, "right_seconds", 0.0) or 0.0),
    }


def final_status(state: Any, planned_seconds: float) -> SessionStatus:
    """How a runner state ends up in the history; see the module docstring.

    ``state.status`` ``completed`` becomes ``COMPLETED`` only when most of the plan was really
    done; ``stopped`` is ``STOPPED``; anything else (still running, paused) is ``INTERRUPTED``.
    """
    status = str(getattr(state, "status", ""))
    if status == "stopped":
        return SessionStatus.STOPPED
    if status != "completed":
        return SessionStatus.INTERRUPTED
    count = int(getattr(state, "count", 0) or 0)
    done = spent_enough(float(state.elapsed), planned_seconds, int(state.segments_done), count)
    return SessionStatus.COMPLETED if done else SessionStatus.STOPPED


def describe_error(exc: BaseException) -> str:
    """A write error in words people can act on (``database is locked``, ``disk is full``)."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        return "the history file is locked by another program"
    return text


class SessionRecorder:
    """Writes one session to the store as it runs, retrying writes that fail.

    ``store`` is an open ``HistoryStore``, or a function that opens one (called again after a
    failure, so a history that cannot be opened at the start is created once it can).
    ``now`` is the wall clock (default: the store's), ``monotonic`` the real monotonic clock
    (injected by tests), ``notice(message)`` is told once when writing starts to fail;
    ``folder`` (the history's folder) is named in ``failure_report``.
    """

    def __init__(
        self,
        store: HistoryStore | Callable[[], HistoryStore],
        routine: Routine,
        planned_seconds: int,
        host: PluginHost | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        notice: Callable[[str], None] | None = None,
        folder: Path | None = None,
    ) -> None:
        self._opener: Callable[[], HistoryStore] | None = None
        self.store: HistoryStore | None = None
        if callable(store) and not hasattr(store, "start_session"):
            self._opener = store
        else:
            self.store = store  # type: ignore[assignment]
        self.routine = routine
        self.planned_seconds = int(planned_seconds)
        self.host = host
        self._now = now
        self._monotonic = monotonic
        self.notice = notice
        self.folder = folder
        self.record: SessionRecord | None = None  # what the store holds, once it holds the row
        self.notified = False
        self.problem: BaseException | None = None
        self.told = False
        self.started_at: datetime | None = None
        self._started_mono = 0.0
        self._progress: dict[str, Any] | None = None
        self._progress_saved = True
        self._status: SessionStatus | None = None
        self._ended_at: datetime | None = None
        self._final_saved = False
        self._checkin: CheckIn | None = None
        self._checkin_saved = True
        self._completed = False

    # -- the session's life -------------------------------------------------------------
    @property
    def session_id(self) -> str:
        """The id of the started session."""
        if self.record is None:
            raise RuntimeError("the session has not been started")
        return self.record.id

    @property
    def started(self) -> bool:
        """True once ``start`` was called (whether or not the store has the row yet)."""
        return self.started_at is not None

    @property
    def finished(self) -> bool:
        """True once ``finish`` was called."""
        return self._status is not None

    def start(self) -> SessionRecord | None:
        """Note the start and write the ``running`` row (call once, when the session begins).

        Returns the record, or ``None`` while the store does not accept it yet."""
        if self.started_at is None:
            self._started_mono = self._monotonic()
            self.started_at = self._wall_now()
        self._sync()
        return self.record

    def checkpoint(self, state: Any) -> None:
        """Save progress; ``state`` has ``elapsed``, ``segments_done``, ``left_seconds``,
        ``right_seconds``."""
        self._progress, self._progress_saved = _progress(state), False
        self._sync()

    def finish(self, state: Any, status: SessionStatus | None = None) -> SessionRecord | None:
        """Save the final progress and status (``completed``, ``stopped``, ``interrupted``).

        Without ``status`` it follows ``final_status(state)``, so ``finish`` can be the
        runner's ``on_finish`` callback. Returns the saved record, or ``None`` while the store
        does not accept it (see ``retry``); ``final`` is what will be saved either way.
        """
        if self._status is not None:
            return self.record if self._final_saved else None
        if self.started_at is None:
            raise RuntimeError("the session has not been started")
        self._status = status if status is not None else final_status(state, self.planned_seconds)
        self._progress, self._progress_saved = _progress(state), False
        elapsed = max(self._monotonic() - self._started_mono, 0.0)
        self._ended_at = self.started_at + timedelta(seconds=elapsed)
        self._sync()
        return self.record if self._final_saved else None

    @property
    def final(self) -> SessionStatus | None:
        """The status ``finish`` decided on (None before)."""
        return self._status

    def complete(self, checkin: CheckIn | None) -> SessionRecord | None:
        """Save the check-in (if any), then tell plugins the session was saved (once).

        Returns the saved record, or ``None`` while the store does not accept it."""
        if self.started_at is None:
            raise RuntimeError("the session has not been started")
        if self._status is None:
            raise RuntimeError("finish the session before completing it")
        if checkin is not None:
            self._checkin, self._checkin_saved = checkin, False
        self._completed = True
        self._sync()
        return self.record if self.saved else None

    def retry_open(self) -> bool:
        """Open the store now if it is not open (so the session's first write is quick);
        a failure is left for the first write to report. True when open."""
        try:
            self._open()
        except WRITE_ERRORS as exc:
            self.problem = exc
        return self.store is not None

    def close(self) -> None:
        """Close a store the recorder opened itself (a session not finished is saved as
        ``interrupted`` by the store)."""
        if self._opener is not None and self.store is not None:
            store, self.store = self.store, None
            store.close()

    def retry(self) -> bool:
        """Try the writes that failed again; True once everything is saved."""
        self._sync()
        return self.saved

    @property
    def saved(self) -> bool:
        """True when the store holds everything this session has to say so far."""
        if self.started_at is None:
            return True
        return (
            self.record is not None
            and self._progress_saved
            and (self._status is None or self._final_saved)
            and self._checkin_saved
        )

    def unsaved(self) -> list[str]:
        """What the store does not hold yet, in words (empty once ``saved``)."""
        if self.saved:
            return []
        missing = ["this session" if self.record is None else "its progress"]
        if self._status is not None and not self._final_saved and self.record is not None:
            missing = [f"its end ({self._status.value})"]
        if not self._checkin_saved:
            missing.append("the check-in")
        return missing

    def save_until(
        self,
        *,
        seconds: float = SAVE_RETRY_SECONDS,
        every: float = SAVE_RETRY_EVERY,
        sleep: Callable[[float], None] | None = None,
        say: Callable[[str], None] | None = None,
    ) -> bool:
        """After the session: retry for up to ``seconds`` (saying so once through ``say``);
        True once saved. ``sleep`` (default ``pause``) and the recorder's ``monotonic`` are
        injectable."""
        sleep = sleep or pause
        if self.retry():
            return True
        if say is not None:
            say(
                f"Could not save to your history yet ({describe_error(self.problem or OSError())}); "
                f"retrying for up to {seconds:g} s..."
            )
        deadline = self._monotonic() + seconds
        while self._monotonic() < deadline:
            sleep(min(every, max(deadline - self._monotonic(), 0.0)))
            if self.retry():
                return True
        return False

    def failure_report(self) -> str:
        """One line for when retrying gave up: what was not saved, why, and where the history is."""
        what = " and ".join(self.unsaved()) or "nothing"
        reason = describe_error(self.problem) if self.problem is not None else "unknown error"
        where = f" in {self.folder}" if self.folder is not None else ""
        locked = isinstance(self.problem, sqlite3.OperationalError) and "locked" in str(self.problem)
        advice = "" if locked else "; check that the folder exists and that you can write to it"
        why = f"The history{where} could not be written ({reason}){advice}."
        return safe(f"Not saved to your history: {what}. {why}")

    # -- writing ------------------------------------------------------------------------
    def _wall_now(self) -> datetime:
        if self._now is not None:
            return self._now()
        if self.store is not None:
            return self.store.now()
        from psoas_tui.history.store import system_now

        return system_now()

    def _sync(self) -> None:
        """Bring the store up to what it should hold; a failure is kept, told once."""
        if self.started_at is None:
            return
        try:
            self._write_all()
        except WRITE_ERRORS as exc:
            self.problem = exc
            if not self.told:
                self.told = True
                if self.notice is not None:
                    self.notice(
                        f"History not saved yet: {describe_error(exc)}. The session goes on; "
                        "saving is tried again at every step and at the end."
                    )
            return
        self.problem = None
        if self._completed and self.saved:
            self._tell_plugins()

    def _write_all(self) -> None:
        store = self._open()
        waiting = getattr(store, "waiting_at_most", None)
        if waiting is None:
            self._write_to(store)
            return
        with waiting(SESSION_BUSY_TIMEOUT_MS):
            self._write_to(store)

    def _write_to(self, store: HistoryStore) -> None:
        if self.record is None:
            self.record = store.start_session(
                self.routine, self.planned_seconds, started_at=self.started_at
            )
        if self._status is not None and not self._final_saved:
            assert self._progress is not None
            self.record = store.finish(
                self.session_id, self._status, ended_at=self._ended_at, **self._progress
            )
            self._final_saved = self._progress_saved = True
        elif not self._progress_saved and self._progress is not None:
            store.checkpoint(self.session_id, **self._progress, at=self._mono_now())
            self._progress_saved = True
        if not self._checkin_saved and self._checkin is not None:
            self.record = store.save_checkin(self.session_id, self._checkin)
            self._checkin_saved = True

    def _mono_now(self) -> datetime:
        """Now, as ``started_at`` plus monotonic time (immune to the wall clock stepping)."""
        assert self.started_at is not None
        return self.started_at + timedelta(seconds=max(self._monotonic() - self._started_mono, 0.0))

    def _open(self) -> HistoryStore:
        if self.store is None:
            assert self._opener is not None
            self.store = self._opener()
        return self.store

    def _tell_plugins(self) -> None:
        if self.host is not None and not self.notified and self.record is not None:
            self.notified = True
            self.host.notify("psoas_tui_session_finished", record=self.record)


CHECKIN_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("feeling_before", "Before you started, how did you feel? (0 = awful, 10 = great)"),
    ("feeling_after", "And now? (0-10)"),
    ("tightness_left", "Tightness on the LEFT hip flexor? (0 = none, 10 = very tight)"),
    ("tightness_right", "Tightness on the RIGHT hip flexor? (0-10)"),
)
RATINGS = {str(n): n for n in range(11)}  # ASCII only: str.isdigit() also accepts "²"


def parse_rating(text: str) -> int | None:
    """``text`` as a 0-10 rating (ASCII digits, surrounding blanks ignored), else ``None``."""
    return RATINGS.get(text.strip())


def ask_checkin(
    ask: Callable[[str], str] = input,
    say: Callable[[str], None] = print,
) -> CheckIn | None:
    """Plain mode's check-in questions. Enter skips a question; ``q`` or end of input skips
    the rest. Returns ``None`` when nothing was answered.

    ``ask(prompt)`` returns the typed line (``input`` by default; ``EOFError`` ends it).
    Only ``0``-``10`` in ASCII digits are ratings; the note is one line, with any control
    character dropped.
    """
    say("Check-in (Enter skips a question, q skips the rest):")
    answers: dict[str, Any] = {}
    try:
        for name, question in CHECKIN_QUESTIONS:
            while True:
                text = ask(f"  {question} ").strip()
                if text.lower() in ("q", "quit"):
                    raise EOFError
                if text == "":
                    break
                rating = parse_rating(text)
                if rating is not None:
                    answers[name] = rating
                    break
                say("  Please type a whole number from 0 to 10, or press Enter to skip.")
        note = drop_controls(ask("  A note for your log? ")).strip()
        if note.lower() not in ("q", "quit"):
            answers["note"] = note
    except (EOFError, KeyboardInterrupt):
        say("")
    if not any(v not in (None, "") for v in answers.values()):
        return None
    return CheckIn(**answers)
