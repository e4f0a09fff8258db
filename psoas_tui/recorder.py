"""Glue between a running session and the history store.

The runner (``psoas_tui.session``) knows nothing about SQLite; whoever drives it (the TUI's
run screen or plain mode) makes a ``SessionRecorder`` and calls ``start`` when the session
begins, ``checkpoint`` at every segment end, ``finish`` when it ends, and ``complete`` once the
check-in questions are answered (or skipped). ``complete`` tells plugins through
``psoas_tui_session_finished``; a plugin that raises is recorded on the host, never raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psoas_tui.model import CheckIn, Routine, SessionRecord, SessionStatus

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

    def finish(self, state: Any, status: SessionStatus) -> SessionRecord:
        """Save the final progress and status (``completed``, ``stopped``, ``interrupted``)."""
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
