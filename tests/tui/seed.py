"""Test helpers for the log, plugins and settings screens.

* ``HarnessApp``: a tiny app with a ``ctx`` that pushes one screen, for testing screens on
  their own (the real ``PsoasApp`` is tested by the app tests).
* ``make_record`` / ``seed_history``: write ``SessionRecord`` objects through the real
  ``HistoryStore`` into a SQLite file (never a mock).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import Screen

from psoas_tui.model import CheckIn, SessionRecord, SessionStatus
from psoas_tui.tui.context import AppContext


class HarnessApp(App[None]):
    """An app that owns ``ctx`` and shows ``make_screen()`` on mount."""

    def __init__(self, ctx: AppContext, make_screen: Callable[[], Screen]) -> None:
        super().__init__()
        self.ctx = ctx
        self._make_screen = make_screen
        self.notices: list[tuple[str, str]] = []  # (severity, message) of every notify()

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())

    def notify(self, message: str, *, severity: str = "information", **kwargs: Any) -> None:  # type: ignore[override]
        """Remember the notice, then show it as usual."""
        self.notices.append((severity, message))
        super().notify(message, severity=severity, **kwargs)  # type: ignore[arg-type]


async def settle(app: App[Any], pilot: Any, rounds: int = 3) -> None:
    """Let workers finish and their results be shown (no sleeping on wall-clock time)."""
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


# -- history -----------------------------------------------------------------------------------
FIXED_TODAY = date(2026, 11, 23)  # a Monday
TZ = timezone(timedelta(hours=1))
ROUTINES: tuple[tuple[str, str, int], ...] = (
    ("desk-break", "Desk break", 120),
    ("half-kneeling", "Half-kneeling hip flexor", 420),
    ("thomas-stretch", "Thomas stretch", 300),
)


def make_record(
    index: int,
    started_at: datetime,
    *,
    routine: tuple[str, str, int] = ROUTINES[0],
    status: SessionStatus = SessionStatus.COMPLETED,
    checkin: CheckIn | None = None,
    done_seconds: float | None = None,
) -> SessionRecord:
    """A finished session with a stable id (``index`` makes it unique)."""
    routine_id, title, planned = routine
    done = float(planned if done_seconds is None else done_seconds)
    return SessionRecord(
        id=f"00000000-0000-4000-8000-{index:012d}",
        routine_id=routine_id,
        routine_title=title,
        routine_source="builtin",
        started_at=started_at,
        planned_seconds=planned,
        status=status,
        ended_at=started_at + timedelta(seconds=done),
        done_seconds=done,
        segments_done=5,
        left_seconds=done / 3,
        right_seconds=done / 3,
        checkin=checkin,
    )


def sample_records(today: date = FIXED_TODAY, days: int = 84) -> list[SessionRecord]:
    """A varied, deterministic history over the last ``days`` days (newest is ``today``)."""
    records: list[SessionRecord] = []
    index = 0
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        pattern = (back * 7) % 5  # some days empty, some busy
        for slot in range(pattern if pattern < 3 else 1 if back % 2 else 0):
            routine = ROUTINES[(back + slot) % len(ROUTINES)]
            started = datetime.combine(day, time(7 + 5 * slot, 30), TZ)
            status = SessionStatus.STOPPED if (back + slot) % 9 == 4 else SessionStatus.COMPLETED
            checkin = None
            if (back + slot) % 3:
                checkin = CheckIn(
                    feeling_before=(back % 5) + 2,
                    feeling_after=min(10, (back % 5) + 4 + slot),
                    tightness_left=(back % 4) + 3,
                    tightness_right=(back % 3) + 3,
                    note="felt [b]loose[/b] & calm" if back % 7 == 0 else "",
                )
            done = routine[2] * (0.5 if status is SessionStatus.STOPPED else 1.0)
            records.append(make_record(index, started, routine=routine, status=status,
                                       checkin=checkin, done_seconds=done))
            index += 1
    # today's: a routine whose title looks like a Textual action, with an awkward note
    records.append(make_record(
        index, datetime.combine(today, time(18, 5), TZ),
        routine=("odd", "[@click=app.quit]Odd title", 60),
        checkin=CheckIn(3, 8, 6, 4, 'line one "quoted"\nline two [red]not red[/red] ✓'),
    ))
    return records


def seed_history(path: Path, records: Iterable[SessionRecord]) -> int:
    """Write ``records`` to the SQLite history at ``path`` through the real store."""
    from psoas_tui.history.store import HistoryStore

    store = HistoryStore.open(path)
    try:
        added, _skipped = store.add_records(records)
    finally:
        store.close()
    return added


def bulk_records(count: int, today: date = FIXED_TODAY) -> Iterator[SessionRecord]:
    """``count`` sessions spread backwards from ``today``, several a day (for paging tests)."""
    start = datetime.combine(today, time(20, 0), TZ)
    for index in range(count):
        yield make_record(index + 1_000_000, start - timedelta(hours=5 * index),
                          routine=ROUTINES[index % len(ROUTINES)])
