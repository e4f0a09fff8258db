"""Glue between a running session and the history store.

The runner (``psoas_tui.session``) knows nothing about SQLite; whoever drives it (the TUI's
run screen or plain mode) makes a ``SessionRecorder`` and calls ``start`` when the session
begins, ``checkpoint`` at every segment end, ``finish`` when it ends, and ``complete`` once the
check-in questions are answered (or skipped). ``complete`` tells plugins through
``psoas_tui_session_finished``; a plugin that raises is recorded on the host, never raised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from psoas_tui.model import CheckIn, Routine, SessionRecord, SessionStatus
from psoas_tui.text import drop_controls

if TYPE_CHECKING:
    from psoas_tui.history import HistoryStore
    from psoas_tui.plugins import PluginHost


def _progress(state: Any) -> dict[str, Any]:
    """What the store keeps from a runner state (duck-typed: anything with these attributes)."""
    return {
        "done_seconds": float(state.elapsed),
        "segments_done": int(state.segments_done),
        "left_seconds": float(getattr(state, "left_seconds", 0.0) or 0.0),
        "right_seconds": float(getattr(state, "right_seconds", 0.0) or 0.0),
    }


_STATUS_FROM_RUNNER = {"completed": SessionStatus.COMPLETED, "stopped": SessionStatus.STOPPED}


class SessionRecorder:
    """Writes one session to the store as it runs."""

    def __init__(
        self,
        store: HistoryStore,
        routine: Routine,
        planned_seconds: int,
        host: PluginHost | None = None,
    ) -> None:
        self.store = store
        self.routine = routine
        self.planned_seconds = int(planned_seconds)
        self.host = host
        self.record: SessionRecord | None = None
        self.notified = False

    @property
    def session_id(self) -> str:
        """The id of the started session."""
        if self.record is None:
            raise RuntimeError("the session has not been started")
        return self.record.id

    def start(self) -> SessionRecord:
        """Write the ``running`` row (call once, when the session begins)."""
        if self.record is not None:
            return self.record
        self.record = self.store.start_session(self.routine, self.planned_seconds)
        return self.record

    def checkpoint(self, state: Any) -> None:
        """Save progress; ``state`` has ``elapsed``, ``segments_done``, ``left_seconds``,
        ``right_seconds``."""
        self.store.checkpoint(self.session_id, **_progress(state))

    @property
    def started(self) -> bool:
        """True once ``start`` has written the session."""
        return self.record is not None

    def finish(self, state: Any, status: SessionStatus | None = None) -> SessionRecord:
        """Save the final progress and status (``completed``, ``stopped``, ``interrupted``).

        Without ``status`` it follows ``state.status`` (``completed`` / ``stopped``; anything
        else is ``interrupted``), so ``finish`` can be the runner's ``on_finish`` callback.
        """
        if status is None:
            status = _STATUS_FROM_RUNNER.get(str(getattr(state, "status", "")), SessionStatus.INTERRUPTED)
        self.record = self.store.finish(self.session_id, status, **_progress(state))
        return self.record

    def complete(self, checkin: CheckIn | None) -> SessionRecord:
        """Save the check-in (if any), then tell plugins the session was saved (once)."""
        if self.record is None:
            raise RuntimeError("the session has not been started")
        if self.record.status is SessionStatus.RUNNING:
            raise RuntimeError("finish the session before completing it")
        if checkin is not None:
            self.record = self.store.save_checkin(self.session_id, checkin)
        record = self.record
        if self.host is not None and not self.notified:
            self.notified = True
            self.host.notify("psoas_tui_session_finished", record=record)
        return record


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
