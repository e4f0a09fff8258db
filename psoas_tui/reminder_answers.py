"""Answering a reminder from the command line: ``snooze`` and ``skip``, and waking ``remind``.

Each answer is one event in the history; a running ``remind`` (found through its lock file in
the data folder) gets ``SIGUSR1`` so it looks again at once instead of at its next wake-up.
"""

from __future__ import annotations

import os
import signal
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from psoas_tui.errors import UserError
from psoas_tui.reminders.schedule import reminder_state, skip_refusal, skips_left
from psoas_tui.reminders.settings import ReminderSettings
from psoas_tui.text import plural

if TYPE_CHECKING:
    from pathlib import Path

    from psoas_tui.history.store import HistoryStore

LOCK_NAME = "remind.lock"
WAKE_SIGNAL = signal.SIGUSR1


def _clock(moment: datetime, now: datetime) -> str:
    return f"{moment:%H:%M}" if moment.date() == now.date() else f"{moment:%a %H:%M}"


def _unsnoozed_state(store: HistoryStore, settings: ReminderSettings, now: datetime) -> Any:
    """What is due at ``now`` even if a snooze hides it (an answer answers that too)."""
    facts = store.reminder_snapshot(now).facts._replace(snoozed_at=None, snoozed_until=None)
    return reminder_state(settings, now, facts)


def snooze(store: HistoryStore, settings: ReminderSettings, seconds: int, now: datetime) -> str:
    """Record a snooze of ``seconds`` from ``now``; returns the line to print."""
    state = _unsnoozed_state(store, settings, now)
    until = now + timedelta(seconds=seconds)
    store.record_reminder_event(
        "snoozed", at=now, due_at=state.due.due_at if state.due else None, until=until
    )
    what = f"{state.due.routine} " if state.due else "reminders "
    return f"snoozed {what}until {_clock(until, now)}"


def skip(store: HistoryStore, settings: ReminderSettings, now: datetime) -> str:
    """Record a skip (``UserError`` at the daily limit); returns the line to print."""
    snapshot = store.reminder_snapshot(now)
    refusal = skip_refusal(settings, snapshot.skips_today)
    if refusal is not None:
        raise UserError(refusal)
    state = _unsnoozed_state(store, settings, now)
    store.record_reminder_event("skipped", at=now, due_at=state.due.due_at if state.due else None)
    after = reminder_state(settings, now, store.reminder_snapshot(now).facts)
    line = f"skipped {state.due.routine}" if state.due else "skipped (nothing was due; the interval restarts)"
    if after.next_due is not None:
        line += f"; next stretch {_clock(after.next_due, now)}"
    left = skips_left(settings, snapshot.skips_today + 1)
    if left is not None:
        line += f" ({plural(left, 'skip')} left today)"
    return line


def lock_path(data_dir: Path) -> Path:
    """The lock file a running ``remind`` holds (it also holds its pid)."""
    return data_dir / LOCK_NAME


def lock_file(data_dir: str | os.PathLike[str]) -> str:
    """``lock_path`` as a string, without pathlib (for a waiting ``remind``)."""
    return os.path.join(os.fspath(data_dir), LOCK_NAME)


def running_remind(data_dir: str | os.PathLike[str]) -> int | None:
    """The pid of the ``remind`` that holds the lock for ``data_dir``, else ``None``.

    The pid is trusted only while the lock is held: a crashed ``remind`` leaves a file whose
    lock the kernel has dropped, so its stale pid is never used.
    """
    import fcntl

    try:
        fd = os.open(lock_file(data_dir), os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def wake_remind(data_dir: Path) -> bool:
    """Ask a running ``remind`` to look again now; True when there was one to ask."""
    pid = running_remind(data_dir)
    if pid is None or pid == os.getpid():
        return False
    try:
        os.kill(pid, WAKE_SIGNAL)
    except OSError:
        return False
    return True
