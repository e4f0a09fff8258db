"""Reminder events in the history database, and the few facts the schedule reads from it.

Light on purpose (sqlite3 and datetime only): ``psoas-tui status`` runs every few seconds in a
status bar and reads everything it needs here in one small set of indexed queries, on a
connection opened read-only. ``psoas_tui.history.store`` creates the table (``SCHEMA``, one migration)
and offers the same reads and writes as store methods.

Events: ``shown`` (``remind`` ran while a reminder was due; ``due_at`` the reminder, ``until``
when it lapses), ``snoozed`` (``until`` the snooze's end), ``skipped`` and ``followed`` (a session
with real practice ended while a shown reminder was unanswered; written by a trigger when the
session finishes, with its ``session_id``). Times are UTC ISO strings like the sessions' own;
``day`` is the local day of the event, for "skips today" and the 7-day counts.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from psoas_tui.reminders.schedule import MIN_PRACTICE_SECONDS, ReminderFacts

KINDS = ("shown", "snoozed", "skipped", "followed")
RECENT_DAYS = 7
STREAK_LOOKBACK = 4000  # day rows read for the current streak (about eleven years of daily practice)
# The history schema (``PRAGMA user_version``) ``EventLog`` knows; ``psoas_tui.history.store``
# creates and migrates every other file (a test keeps the two equal).
HISTORY_SCHEMA_VERSION = 4

_MIN = f"{MIN_PRACTICE_SECONDS:g}"
_REAL_PRACTICE = f"(status = 'completed' OR (status = 'stopped' AND done_seconds >= {_MIN}))"

# The migration (psoas_tui.history.store): the table, its indexes, an index for the last practice's
# end, and the trigger that records ``followed`` when a session with real practice finishes
# while the last shown reminder is unanswered and has not lapsed.
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS reminder_events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('shown', 'snoozed', 'skipped', 'followed')),
    at TEXT NOT NULL,
    utc_offset INTEGER NOT NULL DEFAULT 0,
    day TEXT NOT NULL,
    due_at TEXT,
    until TEXT,
    session_id TEXT
);
CREATE INDEX IF NOT EXISTS reminder_events_by_kind ON reminder_events(kind, at);
CREATE INDEX IF NOT EXISTS reminder_events_by_day ON reminder_events(day, kind);
CREATE INDEX IF NOT EXISTS sessions_by_end ON sessions(ended_at);
CREATE TRIGGER IF NOT EXISTS reminder_followed
AFTER UPDATE OF status ON sessions
WHEN OLD.status = 'running' AND NEW.ended_at IS NOT NULL
    AND (NEW.status = 'completed' OR (NEW.status = 'stopped' AND NEW.done_seconds >= {_MIN}))
BEGIN
    INSERT INTO reminder_events (kind, at, utc_offset, day, due_at, session_id)
    SELECT 'followed', NEW.ended_at, NEW.utc_offset,
           date(substr(NEW.ended_at, 1, 19), printf('%+d minutes', NEW.utc_offset)),
           shown.due_at, NEW.id
    FROM reminder_events AS shown
    WHERE shown.kind = 'shown' AND shown.at <= NEW.ended_at
        AND (shown.until IS NULL OR shown.until >= NEW.ended_at)
        AND NOT EXISTS (
            SELECT 1 FROM reminder_events AS answer
            WHERE answer.kind IN ('skipped', 'followed') AND answer.at >= shown.at
        )
    ORDER BY shown.at DESC LIMIT 1;
END;
"""


class ReminderSnapshot(NamedTuple):
    """Everything ``status`` and ``remind`` read from the history, in one go.

    ``facts`` feed ``reminder_state``; ``last_shown`` feeds ``should_notify``; ``skips_today``
    the skip limit; ``streak`` (days in a row with a completed session, today not yet breaking
    it) and ``today_seconds`` (practice started today) are for the status line.
    """

    facts: ReminderFacts = ReminderFacts()
    last_shown: datetime | None = None
    skips_today: int = 0
    streak: int = 0
    today_seconds: float = 0.0


def utc_text(moment: datetime) -> str:
    """An aware datetime as the history's fixed-width UTC ISO text."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"reminder event times must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _moment(text: str | None, zone: object) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).astimezone(zone)  # type: ignore[arg-type]
    except (ValueError, TypeError, OverflowError):
        return None  # a row the app never writes: treated as absent


def has_events_table(conn: sqlite3.Connection) -> bool:
    """Whether the database has been migrated to hold reminder events."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reminder_events'"
    ).fetchone()
    return row is not None


_SESSION_FACTS = (
    f"(SELECT ended_at FROM sessions WHERE ended_at IS NOT NULL AND {_REAL_PRACTICE}"
    " ORDER BY ended_at DESC LIMIT 1),"
    " (SELECT seconds FROM day_totals WHERE day = :today)"
)
_EVENT_FACTS = (
    "(SELECT MAX(at) FROM reminder_events WHERE kind = 'skipped'),"
    " (SELECT at FROM reminder_events WHERE kind = 'snoozed' ORDER BY at DESC LIMIT 1),"
    " (SELECT until FROM reminder_events WHERE kind = 'snoozed' ORDER BY at DESC LIMIT 1),"
    " (SELECT MAX(at) FROM reminder_events WHERE kind = 'shown'),"
    " (SELECT COUNT(*) FROM reminder_events WHERE day = :today AND kind = 'skipped')"
)
_NO_EVENT_FACTS = "NULL, NULL, NULL, NULL, 0"


def read_snapshot(conn: sqlite3.Connection, now: datetime) -> ReminderSnapshot:
    """The facts as of ``now`` (aware; its zone gives "today"): two small indexed queries.

    A history not yet migrated (no ``reminder_events``) simply has no events.
    """
    zone = now.tzinfo
    today = now.date()
    events = _EVENT_FACTS if has_events_table(conn) else _NO_EVENT_FACTS
    row = conn.execute(f"SELECT {_SESSION_FACTS}, {events}", {"today": today.isoformat()}).fetchone()
    practice_end, today_seconds, last_skip, snoozed_at, snoozed_until, last_shown, skips = row
    facts = ReminderFacts(
        last_practice_end=_moment(practice_end, zone),
        last_skip=_moment(last_skip, zone),
        snoozed_at=_moment(snoozed_at, zone),
        snoozed_until=_moment(snoozed_until, zone),
    )
    return ReminderSnapshot(
        facts=facts,
        last_shown=_moment(last_shown, zone),
        skips_today=int(skips or 0),
        streak=current_streak(conn, today),
        today_seconds=float(today_seconds or 0.0),
    )


def current_streak(conn: sqlite3.Connection, today: date) -> int:
    """Days in a row up to today (or yesterday) with a completed session, from ``day_totals``."""
    rows = conn.execute(
        "SELECT day FROM day_totals WHERE completed > 0 AND day <= ? ORDER BY day DESC LIMIT ?",
        (today.isoformat(), STREAK_LOOKBACK),
    )
    expected = today
    streak = 0
    for (text,) in rows:
        try:
            day = date.fromisoformat(text)
        except (TypeError, ValueError):
            continue
        if streak == 0 and day == today - timedelta(days=1):
            expected = day  # today without a session yet does not break the streak
        if day != expected:
            break
        streak += 1
        expected = day - timedelta(days=1)
    return streak


def record_event(
    conn: sqlite3.Connection,
    kind: str,
    at: datetime,
    *,
    due_at: datetime | None = None,
    until: datetime | None = None,
) -> None:
    """Insert one event (the caller holds the write transaction)."""
    if kind not in KINDS:
        raise ValueError(f"unknown reminder event {kind!r} (known: {', '.join(KINDS)})")
    offset = at.utcoffset()
    if offset is None:
        raise ValueError(f"reminder event times must be timezone-aware, got {at!r}")
    conn.execute(
        "INSERT INTO reminder_events (kind, at, utc_offset, day, due_at, until)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (kind, utc_text(at), round(offset.total_seconds() / 60), at.date().isoformat(),
         utc_text(due_at) if due_at else None, utc_text(until) if until else None),
    )


Query = Callable[[str, tuple[Any, ...]], Iterable[tuple[Any, ...]]]


def count_events(query: Query, today: date) -> dict[str, dict[str, int]]:
    """``{"all_time": {kind: n}, "last_7_days": {kind: n}}`` for every kind (0 when none);
    ``query`` runs SQL (``HistoryStore.query``). The 7 days end with ``today``."""
    all_time = dict.fromkeys(KINDS, 0)
    recent = dict.fromkeys(KINDS, 0)
    if query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reminder_events'", ()):
        first = (today - timedelta(days=RECENT_DAYS - 1)).isoformat()
        for kind, total, last_week in query(
            "SELECT kind, COUNT(*), TOTAL(day >= ? AND day <= ?) FROM reminder_events GROUP BY kind",
            (first, today.isoformat()),
        ):
            if kind in all_time:
                all_time[kind] = int(total)
                recent[kind] = int(last_week)
    return {"all_time": all_time, "last_7_days": recent}


def open_read_only(path: str | os.PathLike[str]) -> sqlite3.Connection | None:
    """The history file opened for reading only, or ``None`` when there is none (nothing is
    created). Raises ``sqlite3.Error`` when it exists but cannot be read."""
    if not os.path.isfile(path):
        return None
    text = os.path.realpath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    conn = sqlite3.connect(f"file:{text}?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA query_only = 1")
    return conn


class EventLog:
    """Reading and recording reminder events on one connection to an up-to-date history file,
    without ``psoas_tui.history.store`` (a waiting ``remind`` stays small). It offers the
    store's ``reminder_snapshot`` and ``record_reminder_event``; each write is one
    ``BEGIN IMMEDIATE`` transaction, as the store's are."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @classmethod
    def open(cls, path: str | os.PathLike[str], busy_timeout_ms: int) -> EventLog | None:
        """The log for ``path``, or ``None`` when the store must open it instead: no file, an
        older or newer schema, or a file that cannot be read or written (the store creates,
        migrates, or words the error)."""
        if not os.path.isfile(path):
            return None
        try:
            conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
        except sqlite3.Error:
            return None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if conn.execute("PRAGMA user_version").fetchone()[0] != HISTORY_SCHEMA_VERSION:
                conn.close()
                return None
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("BEGIN IMMEDIATE")  # writable now, or the store says why not
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            conn.close()
            return None
        return cls(conn)

    def reminder_snapshot(self, now: datetime) -> ReminderSnapshot:
        """``read_snapshot`` as of ``now`` (aware)."""
        return read_snapshot(self._conn, now)

    def record_reminder_event(
        self, kind: str, *, at: datetime, due_at: datetime | None = None, until: datetime | None = None
    ) -> None:
        """``record_event`` in its own write transaction."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            record_event(self._conn, kind, at, due_at=due_at, until=until)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
