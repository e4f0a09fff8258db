"""The session history: one SQLite file in the data folder.

* WAL journal and a busy timeout, every write in a ``BEGIN IMMEDIATE`` transaction, so two
  running copies of the app queue their writes instead of losing one.
* The schema version lives in ``PRAGMA user_version``; ``MIGRATIONS`` moves any older file
  forward, one step at a time, inside a transaction.
* A session row is written when the session starts and checkpointed at every segment end.
  The process that runs a session holds an exclusive lock on ``<db>.locks/<id>.lock``; the
  kernel drops that lock when the process dies, however it dies. Whenever the store is opened,
  every ``running`` row whose lock can be taken belongs to a dead process and becomes
  ``interrupted`` (keeping the time it had reached); a row whose lock is held by another live
  copy of the app is left alone. A lock cannot be fooled by a recycled process id.

Times are stored as UTC ISO strings (fixed width, so they sort) plus the UTC offset, in
minutes, of the place where the session started, and that place's calendar ``day``: streaks
and "per day" figures use the day the person lived, even after they travel. Records come back
with ``started_at`` in that original offset; callers present them with ``astimezone()``.
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from psoas_tui import paths
from psoas_tui.errors import UserError
from psoas_tui.files import make_private_dir
from psoas_tui.history.bulk import collector_paused
from psoas_tui.model import CheckIn, Routine, SessionRecord, SessionStatus

SCHEMA_VERSION = 4
BUSY_TIMEOUT_MS = 15_000
FINAL_STATUSES = frozenset({SessionStatus.COMPLETED, SessionStatus.STOPPED, SessionStatus.INTERRUPTED})
SCALE = range(0, 11)  # check-in answers are whole numbers 0-10
# The times the history keeps: far from the edges of ``datetime`` (year 1 and 9999 overflow as
# soon as they are shown in another time zone), and far beyond any real session.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
_EARLIEST_TEXT, _LATEST_TEXT = EARLIEST.isoformat(), LATEST.isoformat()

# -- migrations ----------------------------------------------------------------------------
# Version 1 was the first layout: local ISO strings with their offset, no owner, no day column.
_V1 = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    routine_id TEXT NOT NULL,
    routine_title TEXT NOT NULL DEFAULT '',
    routine_source TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    planned_seconds INTEGER NOT NULL DEFAULT 0,
    done_seconds REAL NOT NULL DEFAULT 0,
    segments_done INTEGER NOT NULL DEFAULT 0,
    left_seconds REAL NOT NULL DEFAULT 0,
    right_seconds REAL NOT NULL DEFAULT 0,
    feeling_before INTEGER,
    feeling_after INTEGER,
    note TEXT
);
CREATE INDEX sessions_started ON sessions(started_at);
"""

# Version 2: UTC times + offset + local day, tightness per side, owner and checkpoint time,
# status checked by the database, indexes for date ranges, streaks and crash recovery.
_V2_TABLE = """
CREATE TABLE sessions_v2 (
    id TEXT PRIMARY KEY NOT NULL,
    routine_id TEXT NOT NULL,
    routine_title TEXT NOT NULL DEFAULT '',
    routine_source TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'interrupted')),
    started_at TEXT NOT NULL,
    utc_offset INTEGER NOT NULL DEFAULT 0,
    day TEXT NOT NULL,
    ended_at TEXT,
    updated_at TEXT NOT NULL,
    planned_seconds INTEGER NOT NULL DEFAULT 0,
    done_seconds REAL NOT NULL DEFAULT 0,
    segments_done INTEGER NOT NULL DEFAULT 0,
    left_seconds REAL NOT NULL DEFAULT 0,
    right_seconds REAL NOT NULL DEFAULT 0,
    feeling_before INTEGER,
    feeling_after INTEGER,
    tightness_left INTEGER,
    tightness_right INTEGER,
    note TEXT,
    owner_pid INTEGER
)
"""
_V2_INDEXES = """
CREATE INDEX sessions_by_day ON sessions(day, started_at, id);
CREATE INDEX sessions_running ON sessions(id) WHERE status = 'running';
"""
_DAY_TOTALS = """
-- One row per local day, kept exact: inserts refresh it explicitly (see _refresh_days, so a
-- bulk import refreshes each day once), updates and deletes through these triggers.
CREATE TABLE IF NOT EXISTS day_totals (
    day TEXT PRIMARY KEY NOT NULL,
    sessions INTEGER NOT NULL,
    completed INTEGER NOT NULL,
    seconds REAL NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS day_totals_update AFTER UPDATE OF day, status, done_seconds ON sessions BEGIN
    DELETE FROM day_totals WHERE day IN (OLD.day, NEW.day);
    INSERT INTO day_totals (day, sessions, completed, seconds)
    SELECT day, COUNT(*), SUM(status = 'completed'), TOTAL(done_seconds)
    FROM sessions WHERE day IN (OLD.day, NEW.day) GROUP BY day;
END;
CREATE TRIGGER IF NOT EXISTS day_totals_delete AFTER DELETE ON sessions BEGIN
    DELETE FROM day_totals WHERE day = OLD.day;
    INSERT INTO day_totals (day, sessions, completed, seconds)
    SELECT day, COUNT(*), SUM(status = 'completed'), TOTAL(done_seconds)
    FROM sessions WHERE day = OLD.day GROUP BY day;
END;
INSERT INTO day_totals (day, sessions, completed, seconds)
SELECT day, COUNT(*), SUM(status = 'completed'), TOTAL(done_seconds) FROM sessions GROUP BY day;
"""


_REFRESH_DAY = (
    "INSERT OR REPLACE INTO day_totals (day, sessions, completed, seconds)"
    " SELECT day, COUNT(*), SUM(status = 'completed'), TOTAL(done_seconds)"
    " FROM sessions WHERE day = ? GROUP BY day"
)


def _refresh_days(conn: sqlite3.Connection, days: set[str]) -> None:
    """Recompute ``day_totals`` for ``days`` after inserting sessions."""
    if len(days) > 1000:
        conn.execute("DELETE FROM day_totals")
        conn.execute(
            "INSERT INTO day_totals (day, sessions, completed, seconds) SELECT day, COUNT(*),"
            " SUM(status = 'completed'), TOTAL(done_seconds) FROM sessions GROUP BY day"
        )
    else:
        conn.executemany(_REFRESH_DAY, [(day,) for day in sorted(days)])


def _script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements one by one (``executescript`` would COMMIT)."""
    statement = ""
    for line in script.strip().splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    _script(conn, _V1)


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    conn.execute(_V2_TABLE)
    rows = conn.execute(
        "SELECT id, routine_id, routine_title, routine_source, status, started_at, ended_at,"
        " planned_seconds, done_seconds, segments_done, left_seconds, right_seconds,"
        " feeling_before, feeling_after, note FROM sessions ORDER BY started_at"
    ).fetchall()
    for row in rows:
        (sid, rid, title, source, status, started, ended, planned, done, segs, left, right,
         before, after, note) = row
        start = _parse_v1_time(started)
        end = _parse_v1_time(ended) if ended else None
        if status not in {s.value for s in SessionStatus}:
            status = SessionStatus.INTERRUPTED.value
        if status == SessionStatus.RUNNING.value:  # v1 had no owner: nobody can still run it
            status = SessionStatus.INTERRUPTED.value
        conn.execute(
            "INSERT INTO sessions_v2 (id, routine_id, routine_title, routine_source, status,"
            " started_at, utc_offset, day, ended_at, updated_at, planned_seconds, done_seconds,"
            " segments_done, left_seconds, right_seconds, feeling_before, feeling_after, note)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (sid, rid, title, source, status, utc_text(start), offset_minutes(start),
             start.date().isoformat(), utc_text(end) if end else None, utc_text(end or start),
             planned, done, segs, left, right, before, after, note),
        )
    conn.execute("DROP TABLE sessions")
    conn.execute("ALTER TABLE sessions_v2 RENAME TO sessions")
    _script(conn, _V2_INDEXES)
    _script(conn, _DAY_TOTALS)


def _parse_v1_time(text: str) -> datetime:
    """v1 kept ISO strings with an offset; a bare one is taken as UTC."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _create_private(path: Path) -> None:
    """Create the history file, empty, readable and writable by its owner only (0600: it holds
    health notes). SQLite gives its ``-wal`` and ``-shm`` files the same mode. An existing
    file is left as it is."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _migrate_reminder_events(conn: sqlite3.Connection) -> None:
    """Reminder events (shown, snoozed, skipped, followed) and the trigger that records
    ``followed``; see ``psoas_tui.reminders.events``. Sessions are untouched."""
    from psoas_tui.reminders.events import SCHEMA

    _script(conn, SCHEMA)


def _migrate_add_changed_at(conn: sqlite3.Connection) -> None:
    """Add ``changed_at``: when the row last changed on any device (UTC text), the clock sync's
    "later update wins" reads. ``updated_at`` stays the checkpoint time a recovered session
    ends at. Existing rows take their ``updated_at``."""
    conn.execute("ALTER TABLE sessions ADD COLUMN changed_at TEXT")
    conn.execute("UPDATE sessions SET changed_at = updated_at")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migrate_to_1, _migrate_to_2, _migrate_reminder_events, _migrate_add_changed_at,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


# -- time helpers --------------------------------------------------------------------------
_TZ_CACHE: dict[int, timezone] = {}


def _tz(minutes: int) -> timezone:
    tz = _TZ_CACHE.get(minutes)
    if tz is None:
        tz = UTC if minutes == 0 else timezone(timedelta(minutes=minutes))
        _TZ_CACHE[minutes] = tz
    return tz


def require_aware(value: datetime, what: str = "datetime") -> datetime:
    """``value`` itself, or a ``ValueError`` when it has no timezone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {value!r}")
    return value


def offset_minutes(value: datetime) -> int:
    """The UTC offset of an aware datetime, in whole minutes."""
    offset = require_aware(value).utcoffset()
    assert offset is not None
    return round(offset.total_seconds() / 60)


def utc_text(value: datetime) -> str:
    """An aware datetime as a fixed-width, sortable UTC ISO string."""
    return require_aware(value).astimezone(UTC).isoformat(timespec="microseconds")


def system_now() -> datetime:
    """Now, aware, in the computer's local timezone."""
    return datetime.now().astimezone()


# -- owner locks ---------------------------------------------------------------------------
class _OwnerLock:
    """An exclusive, non-blocking lock on a small file; the OS drops it when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self, *, create: bool) -> bool:
        """Take the lock; ``False`` when a live process holds it (or, without ``create``,
        when the file is gone)."""
        flags = os.O_RDWR | (os.O_CREAT if create else 0)
        try:
            fd = os.open(self.path, flags, 0o600)
        except FileNotFoundError:
            return False
        if not _try_lock(fd):
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self, *, remove: bool = True) -> None:
        """Let go (and delete the file)."""
        if self.fd is None:
            return
        os.close(self.fd)  # closing drops the lock (close first: Windows cannot delete open files)
        self.fd = None
        if remove:
            with suppress(OSError):
                self.path.unlink()


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


# -- the store -----------------------------------------------------------------------------
_COLUMNS = (
    "id, routine_id, routine_title, routine_source, status, started_at, utc_offset, ended_at,"
    " planned_seconds, done_seconds, segments_done, left_seconds, right_seconds,"
    " feeling_before, feeling_after, tightness_left, tightness_right, note"
)
_ORDER_NEW = " ORDER BY day DESC, started_at DESC, id DESC"
_ORDER_OLD = " ORDER BY day, started_at, id"
_STATUS = {s.value: s for s in SessionStatus}


_NUMBER = (int, float)


def _score(value: Any) -> bool:
    """``value`` is a stored check-in score: absent, or a whole number 0-10."""
    return value is None or (type(value) is int and 0 <= value <= 10)


def _record(row: tuple[Any, ...]) -> SessionRecord:
    """A row as a record; a ``ValueError`` (or ``KeyError``, ``TypeError``, ``OverflowError``)
    when a value is not one the app writes (see ``HistoryStore.problems``)."""
    (sid, rid, title, source, status, started, minutes, ended, planned, done, segs, left, right,
     before, after, t_left, t_right, note) = row
    if type(planned) is not int or type(segs) is not int or type(done) not in _NUMBER \
            or type(left) not in _NUMBER or type(right) not in _NUMBER or type(minutes) is not int \
            or type(rid) is not str or type(title) is not str or type(source) is not str:
        raise ValueError("a value of the wrong type")
    low, high = _EARLIEST_TEXT, _LATEST_TEXT
    if not low <= started <= high or not low <= (ended or started) <= high:
        raise ValueError(f"a time outside {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}")
    tz = _TZ_CACHE.get(minutes) or _tz(minutes)
    checkin = None
    if note is not None or before is not None or after is not None or t_left is not None \
            or t_right is not None:
        if not (_score(before) and _score(after) and _score(t_left) and _score(t_right)) \
                or (note is not None and type(note) is not str):
            raise ValueError("a check-in value of the wrong type")
        checkin = CheckIn(before, after, t_left, t_right, note or "")
    return SessionRecord(
        sid, rid, title, source, datetime.fromisoformat(started).astimezone(tz), planned,
        _STATUS[status], datetime.fromisoformat(ended).astimezone(tz) if ended else None,
        float(done), segs, float(left), float(right), checkin,
    )


def _problem(row: tuple[Any, ...], exc: Exception) -> str:
    """Why a stored row cannot be shown, for ``HistoryStore.problems``."""
    reason = f"unknown status {row[4]!r}" if isinstance(exc, KeyError) else str(exc) or type(exc).__name__
    return f"session {str(row[0])[:40]!r}: {reason}; left out"


_STATUS_TEXT: dict[Any, str] = {s.value: s.value for s in SessionStatus}  # StrEnum members hash as text
_MINUTE = timedelta(minutes=1)


def _utc_parts(value: datetime | None, what: str) -> tuple[str, int, str]:
    """``(UTC text, offset minutes, local day)`` of an aware datetime, quickly."""
    offset = value.utcoffset() if isinstance(value, datetime) else None
    if offset is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {value!r}")
    assert value is not None
    utc = value.astimezone(UTC).isoformat(timespec="microseconds")
    if offset % _MINUTE:
        minutes = round(offset / _MINUTE)
        return utc, minutes, value.astimezone(_tz(minutes)).date().isoformat()
    return utc, offset // _MINUTE, value.date().isoformat()


def _row(record: SessionRecord) -> tuple[Any, ...]:
    """The ``INSERT`` values for a whole record (used by import and the benchmark)."""
    started, minutes, day = _utc_parts(record.started_at, "started_at")
    ended_at, ended = record.ended_at, None
    if ended_at is not None:
        if not isinstance(ended_at, datetime) or ended_at.utcoffset() is None:
            raise ValueError(f"ended_at must be a timezone-aware datetime, got {ended_at!r}")
        ended = ended_at.astimezone(UTC).isoformat(timespec="microseconds")
    status = _STATUS_TEXT.get(record.status)
    if status is None:
        raise ValueError(f"unknown session status {record.status!r}")
    c = record.checkin
    if c is None:
        scores: tuple[Any, ...] = (None, None, None, None, None)
    else:
        scores = (c.feeling_before, c.feeling_after, c.tightness_left, c.tightness_right, c.note)
    return (
        record.id, record.routine_id, record.routine_title, record.routine_source, status,
        started, minutes, day, ended, ended or started, int(record.planned_seconds),
        float(record.done_seconds), int(record.segments_done), float(record.left_seconds),
        float(record.right_seconds), *scores,
    )


_ROW_COLUMNS = (
    "id, routine_id, routine_title, routine_source, status,"
    " started_at, utc_offset, day, ended_at, updated_at, planned_seconds, done_seconds,"
    " segments_done, left_seconds, right_seconds, feeling_before, feeling_after,"
    " tightness_left, tightness_right, note"
)
_INSERT = f"INSERT OR IGNORE INTO sessions ({_ROW_COLUMNS}) VALUES ({', '.join('?' * 20)})"
# The same with ``changed_at`` last (import, sync).
_INSERT_CHANGED = (
    f"INSERT OR IGNORE INTO sessions ({_ROW_COLUMNS}, changed_at) VALUES ({', '.join('?' * 21)})"
)


def _range(since: date | None, until: date | None) -> tuple[str, list[Any]]:
    """A ``WHERE`` fragment (starting with `` WHERE``/empty) for local days in [since, until]."""
    clauses, args = [], []
    if since is not None:
        clauses.append("day >= ?")
        args.append(since.isoformat())
    if until is not None:
        clauses.append("day <= ?")
        args.append(until.isoformat())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def validate_checkin(checkin: CheckIn) -> CheckIn:
    """``checkin`` itself, or a ``UserError`` naming the answer that is not 0-10."""
    for name in ("feeling_before", "feeling_after", "tightness_left", "tightness_right"):
        value = getattr(checkin, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value not in SCALE):
            raise UserError(f"check-in: {name}: must be a whole number 0-10, got {value!r}")
    if not isinstance(checkin.note, str):
        raise UserError(f"check-in: note: must be text, got {type(checkin.note).__name__}")
    try:
        checkin.note.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError("check-in: note: is not valid Unicode text") from None
    return checkin


def _seconds(value: float, name: str) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


class _Unwritable(Exception):
    """The file cannot be opened for writing now (read-only, full disk, locked)."""

    def __init__(self, error: sqlite3.Error) -> None:
        super().__init__(str(error))
        self.error = error


class HistoryStore:
    """The history database. Open with ``HistoryStore.open()``; close when done.

    One store may be used from several threads (calls are serialised); an iterator from
    ``iter_sessions`` belongs to the thread that made it.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self.path = path
        self._now = now
        self._lock = threading.RLock()
        self._owned: dict[str, _OwnerLock] = {}
        self.recovered: list[str] = []  # ids this open marked interrupted
        self.read_only = False  # opened for reading only (see ``open``)
        self._busy_timeout_ms = BUSY_TIMEOUT_MS
        self.problems: list[str] = []  # stored rows that could not be read (left out), one line each

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        create: bool = True,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> HistoryStore:
        """Open (creating folders and file as needed), migrate, and recover dead sessions.

        ``now`` returns the current aware datetime (injected by tests). With ``create=False``
        (read-only commands: ``history``, ``stats``, ``export``) a missing file is not created:
        the store is then an empty one held in memory, and nothing appears on disk; and when
        the file cannot be opened for writing (a read-only folder, a full disk, a lock held
        past the busy timeout) it is opened read-only instead (``read_only`` is then True),
        so a backup can still be taken exactly when one is needed. ``busy_timeout_ms`` is how
        long a write waits for another copy's lock (a running session uses a short one).
        """
        path = Path(path) if path is not None else paths.history_file()
        try:
            return cls._open_writable(path, now, create, busy_timeout_ms)
        except _Unwritable as exc:
            if create:
                raise UserError(f"{path}: cannot open the history: {exc.error}") from None
            return cls._open_read_only(path, now, exc.error)

    @classmethod
    def _open_writable(
        cls, path: Path, now: Callable[[], datetime] | None, create: bool, busy_timeout_ms: int
    ) -> HistoryStore:
        try:
            if create:
                make_private_dir(path.parent)
                _create_private(path)
            target: Path | str = path if create or path.exists() else ":memory:"
            conn = sqlite3.connect(
                target, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.OperationalError as exc:
            raise _Unwritable(exc) from None
        except (OSError, sqlite3.Error) as exc:
            raise UserError(f"{path}: cannot open the history: {exc}") from None
        store = cls(conn, path, now or system_now)
        store._busy_timeout_ms = int(busy_timeout_ms)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            store._migrate()
            store.recover()
            store._restore_day_totals()
        except sqlite3.OperationalError as exc:  # read-only, disk I/O, full, locked: not corrupt
            conn.close()
            raise _Unwritable(exc) from None
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise UserError(f"{path}: not a usable history database: {exc}") from None
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def _open_read_only(
        cls, path: Path, now: Callable[[], datetime] | None, why: sqlite3.Error
    ) -> HistoryStore:
        """The file opened for reading only (``mode=ro``; ``immutable=1`` when even the WAL
        index cannot be made, as on a full disk). Sessions are shown as stored."""
        from urllib.parse import quote

        last: sqlite3.Error = why
        for flags in ("mode=ro", "immutable=1"):
            try:
                conn = sqlite3.connect(
                    f"file:{quote(str(path.resolve()))}?{flags}", uri=True,
                    isolation_level=None, check_same_thread=False,
                )
            except sqlite3.Error as exc:
                last = exc
                continue
            store = cls(conn, path, now or system_now)
            store.read_only = True
            try:
                version = store.schema_version
                conn.execute("SELECT COUNT(*) FROM sessions").fetchone()
            except sqlite3.OperationalError as exc:
                conn.close()
                last = exc
                continue
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise UserError(f"{path}: not a usable history database: {exc}") from None
            if version != SCHEMA_VERSION:
                conn.close()
                raise UserError(
                    f"{path}: cannot open the history for writing ({why}), and it needs an "
                    f"upgrade from schema {version} first"
                )
            return store
        raise UserError(f"{path}: cannot read the history: {last}")

    def now(self) -> datetime:
        """The store's idea of now (the injected clock in tests)."""
        return self._now()

    def _stamp(self) -> str:
        """Now as ``changed_at`` text."""
        return utc_text(require_aware(self._now(), "now"))

    def _stamp_after(self, conn: sqlite3.Connection, session_id: str) -> str:
        """``changed_at`` for an edit of a session that may have come from another machine:
        now, or just after the version it edits when this clock is behind, so an edit always
        wins over what it was based on (a sync's "later update wins")."""
        now = self._stamp()
        row = conn.execute("SELECT changed_at FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or not row[0] or row[0] < now:
            return now
        return utc_text(datetime.fromisoformat(row[0]) + timedelta(microseconds=1))

    @contextmanager
    def waiting_at_most(self, milliseconds: int) -> Iterator[None]:
        """Writes inside wait at most ``milliseconds`` for another copy's lock, then fail with
        ``sqlite3.OperationalError: database is locked`` (a running session retries later
        rather than freeze its countdown). Other threads' calls wait for the block to end."""
        with self._lock:
            self._conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
            try:
                yield
            finally:
                with suppress(sqlite3.Error):
                    self._conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def lock_dir(self) -> Path:
        """Where running sessions keep their owner locks."""
        return self.path.with_name(self.path.name + ".locks")

    @property
    def schema_version(self) -> int:
        """The file's ``user_version``."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so concurrent writers queue, never deadlock."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _migrate(self) -> None:
        if self.schema_version == SCHEMA_VERSION:
            return
        with self._write() as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])  # re-read, locked
            if version > SCHEMA_VERSION:
                raise UserError(
                    f"{self.path}: history schema {version} is newer than this psoas-tui "
                    f"understands ({SCHEMA_VERSION}); upgrade psoas-tui"
                )
            for step in range(version, SCHEMA_VERSION):
                try:
                    MIGRATIONS[step](conn)
                except ValueError as exc:  # a value an old version wrote that cannot be read
                    raise UserError(
                        f"{self.path}: cannot upgrade the history to schema {step + 1}: {exc}"
                    ) from None
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _restore_day_totals(self) -> None:
        """Rebuild the ``day_totals`` summary (derived data) when it has gone missing; noted in
        ``problems`` when the file cannot be written."""
        if self.schema_version != SCHEMA_VERSION or self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'day_totals'").fetchone():
            return
        try:
            with self._write() as conn:
                _script(conn, _DAY_TOTALS)
        except sqlite3.Error as exc:
            self.problems.append(f"{self.path}: the day_totals table is missing and cannot be rebuilt: {exc}")

    def recover(self) -> list[str]:
        """Mark running sessions whose process is gone ``interrupted``; returns their ids."""
        with self._lock:
            ids = [row[0] for row in self._conn.execute(
                "SELECT id FROM sessions WHERE status = 'running'")]
        recovered = []
        for sid in ids:
            if sid in self._owned:
                continue
            lock = _OwnerLock(self.lock_dir / f"{sid}.lock")
            held = lock.acquire(create=False)
            if not held and (self.lock_dir / f"{sid}.lock").exists():
                continue  # a live process owns it
            try:
                with self._write() as conn:
                    changed = conn.execute(
                        "UPDATE sessions SET status = 'interrupted', ended_at = updated_at,"
                        " changed_at = ?, owner_pid = NULL WHERE id = ? AND status = 'running'",
                        (self._stamp(), sid),
                    ).rowcount
            finally:
                lock.release()
            if changed:
                recovered.append(sid)
        self.recovered.extend(recovered)
        return recovered

    def close(self) -> None:
        """Close the file. Sessions this store still runs are saved as ``interrupted``."""
        with self._lock:
            for sid in list(self._owned):
                try:
                    with self._write() as conn:
                        conn.execute(
                            "UPDATE sessions SET status = 'interrupted', ended_at = updated_at,"
                            " changed_at = ?, owner_pid = NULL WHERE id = ? AND status = 'running'",
                            (self._stamp(), sid),
                        )
                except sqlite3.Error:
                    pass
                self._owned.pop(sid).release()
            self._conn.close()

    # -- writing a session ---------------------------------------------------------------
    def start_session(
        self, routine: Routine, planned_seconds: int, *, started_at: datetime | None = None
    ) -> SessionRecord:
        """Write a ``running`` session owned by this process and return it."""
        started = require_aware(started_at or self._now(), "started_at")
        sid = str(uuid.uuid4())
        make_private_dir(self.lock_dir)
        lock = _OwnerLock(self.lock_dir / f"{sid}.lock")
        if not lock.acquire(create=True):  # cannot happen with a fresh UUID
            raise RuntimeError(f"session lock {lock.path} is taken")
        record = SessionRecord(
            id=sid,
            routine_id=routine.id,
            routine_title=routine.title,
            routine_source=str(routine.source),
            started_at=started,
            planned_seconds=int(planned_seconds),
            status=SessionStatus.RUNNING,
        )
        try:
            row = _row(record)
            with self._write() as conn:
                conn.execute(_INSERT, row)
                conn.execute("UPDATE sessions SET owner_pid = ?, changed_at = ? WHERE id = ?",
                             (os.getpid(), self._stamp(), sid))
                _refresh_days(conn, {row[7]})
        except BaseException:
            lock.release()
            raise
        self._owned[sid] = lock
        return record

    def checkpoint(
        self,
        session_id: str,
        *,
        done_seconds: float,
        segments_done: int,
        left_seconds: float,
        right_seconds: float,
        at: datetime | None = None,
    ) -> None:
        """Save how far a running session got (called at every segment end); ``at`` is when
        (default now), kept as the end if the process dies before ``finish``."""
        with self._write() as conn:
            conn.execute(
                "UPDATE sessions SET done_seconds = ?, segments_done = ?, left_seconds = ?,"
                " right_seconds = ?, updated_at = ?, changed_at = ? WHERE id = ? AND status = 'running'",
                (_seconds(done_seconds, "done_seconds"), int(segments_done),
                 _seconds(left_seconds, "left_seconds"), _seconds(right_seconds, "right_seconds"),
                 utc_text(require_aware(at or self._now(), "at")), self._stamp(), session_id),
            )

    def finish(
        self,
        session_id: str,
        status: SessionStatus,
        *,
        done_seconds: float,
        segments_done: int,
        left_seconds: float,
        right_seconds: float,
        ended_at: datetime | None = None,
    ) -> SessionRecord:
        """End a session as ``completed``, ``stopped`` or ``interrupted``; returns the record."""
        status = SessionStatus(status)
        if status not in FINAL_STATUSES:
            raise ValueError(f"a finished session cannot be {status.value!r}")
        ended = utc_text(require_aware(ended_at or self._now(), "ended_at"))
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE sessions SET status = ?, done_seconds = ?, segments_done = ?,"
                " left_seconds = ?, right_seconds = ?, ended_at = ?, updated_at = ?,"
                " changed_at = ?, owner_pid = NULL WHERE id = ?",
                (status.value, _seconds(done_seconds, "done_seconds"), int(segments_done),
                 _seconds(left_seconds, "left_seconds"), _seconds(right_seconds, "right_seconds"),
                 ended, ended, self._stamp(), session_id),
            ).rowcount
        lock = self._owned.pop(session_id, None)
        if lock is not None:
            lock.release()
        if not changed:
            raise KeyError(f"no session {session_id!r} in {self.path}")
        record = self.get(session_id)
        assert record is not None
        return record

    def save_checkin(self, session_id: str, checkin: CheckIn) -> SessionRecord:
        """Attach (or replace) a session's check-in; returns the record."""
        validate_checkin(checkin)
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE sessions SET feeling_before = ?, feeling_after = ?, tightness_left = ?,"
                " tightness_right = ?, note = ?, changed_at = ? WHERE id = ?",
                (checkin.feeling_before, checkin.feeling_after, checkin.tightness_left,
                 checkin.tightness_right, checkin.note, self._stamp_after(conn, session_id), session_id),
            ).rowcount
        if not changed:
            raise KeyError(f"no session {session_id!r} in {self.path}")
        record = self.get(session_id)
        assert record is not None
        return record

    def add_records(self, records: Iterable[SessionRecord]) -> tuple[int, int]:
        """Insert whole records in ONE transaction, skipping ids already present.

        Returns ``(added, skipped)``. Nothing is written if anything fails.
        """
        seen = 0
        days: set[str] = set()

        def rows() -> Iterator[tuple[Any, ...]]:
            nonlocal seen
            for record in records:
                seen += 1
                row = _row(record)
                days.add(row[7])
                yield row

        stamp = self._stamp()
        with collector_paused(), self._write() as conn:
            added = max(conn.executemany(_INSERT_CHANGED, ((*row, stamp) for row in rows())).rowcount, 0)
            if added:
                _refresh_days(conn, days)
        return added, seen - added

    # -- reading -------------------------------------------------------------------------
    def get(self, session_id: str) -> SessionRecord | None:
        """One session by id."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        return self._read(row) if row else None

    def _read(self, row: tuple[Any, ...]) -> SessionRecord | None:
        """``row`` as a record, or ``None`` (noted in ``problems``) when it holds odd values."""
        try:
            return _record(row)
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            self.problems.append(f"{self.path}: {_problem(row, exc)}")
            return None

    def _read_all(self, rows: Iterable[tuple[Any, ...]]) -> list[SessionRecord]:
        return [record for row in rows if (record := self._read(row)) is not None]

    def count(self, since: date | None = None, until: date | None = None) -> int:
        """How many sessions started on local days in [since, until]."""
        where, args = _range(since, until)
        with self._lock:
            return int(self._conn.execute(f"SELECT COUNT(*) FROM sessions{where}", args).fetchone()[0])

    def page(
        self,
        offset: int,
        limit: int,
        *,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SessionRecord]:
        """Up to ``limit`` sessions, newest first, skipping ``offset``."""
        where, args = _range(since, until)
        sql = f"SELECT {_COLUMNS} FROM sessions{where}{_ORDER_NEW} LIMIT ? OFFSET ?"
        with self._lock:
            rows = self._conn.execute(sql, [*args, int(limit), int(offset)]).fetchall()
        return self._read_all(rows)

    def iter_sessions(
        self, since: date | None = None, until: date | None = None, *, newest_first: bool = False
    ) -> Iterator[SessionRecord]:
        """Every session in [since, until], oldest first (or newest first), read lazily from a
        cursor. Rows holding values the app never writes are left out and noted in ``problems``."""
        where, args = _range(since, until)
        cursor = self._conn.cursor()
        cursor.arraysize = 500
        order = _ORDER_NEW if newest_first else _ORDER_OLD
        cursor.execute(f"SELECT {_COLUMNS} FROM sessions{where}{order}", args)
        try:
            while rows := cursor.fetchmany():
                yield from self._read_all(rows)
        finally:
            with suppress(sqlite3.ProgrammingError):  # closed late, after the store itself
                cursor.close()

    def running(self) -> list[SessionRecord]:
        """Sessions still marked running (by this or another live copy of the app)."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM sessions WHERE status = 'running'{_ORDER_OLD}"
            ).fetchall()
        return self._read_all(rows)

    def query(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query on the store (used by ``stats``)."""
        with self._lock:
            return self._conn.execute(sql, list(args)).fetchall()

    # -- reminder events (psoas_tui.reminders.events) -------------------------------------
    def record_reminder_event(
        self,
        kind: str,
        *,
        at: datetime | None = None,
        due_at: datetime | None = None,
        until: datetime | None = None,
    ) -> None:
        """Store a ``shown``, ``snoozed``, ``skipped`` or ``followed`` event (at ``now``)."""
        from psoas_tui.reminders.events import record_event

        moment = require_aware(at or self._now(), "at")
        with self._write() as conn:
            record_event(conn, kind, moment, due_at=due_at, until=until)

    def reminder_snapshot(self, now: datetime | None = None) -> Any:
        """The schedule's facts, the last shown reminder, skips today, streak and today's
        practice (a ``psoas_tui.reminders.events.ReminderSnapshot``) as of ``now``."""
        from psoas_tui.reminders.events import read_snapshot

        with self._lock:
            return read_snapshot(self._conn, require_aware(now or self._now(), "now"))

    # -- sync (see psoas_tui/history/sync.py) ------------------------------------------------------
    def sync_versions(
        self, since: date | None = None, until: date | None = None
    ) -> Iterator[tuple[SessionRecord, str]]:
        """Every finished session (``running`` ones are still changing) of local days in
        [since, until] with its ``changed_at``, oldest first, read lazily."""
        where, args = _range(since, until)
        where += (" AND " if where else " WHERE ") + "status != 'running'"
        cursor = self._conn.cursor()
        cursor.arraysize = 500
        cursor.execute(f"SELECT {_COLUMNS}, changed_at FROM sessions{where}{_ORDER_OLD}", args)
        try:
            while rows := cursor.fetchmany():
                for row in rows:
                    record = self._read(row[:-1])
                    if record is not None:
                        yield record, row[-1] or ""
        finally:
            with suppress(sqlite3.ProgrammingError):
                cursor.close()

    def change_marks(self) -> list[tuple[str, str, str]]:
        """``(month, id, changed_at)`` of every finished session, by local day: cheap to read,
        and it changes whenever a session does (the sync's "has this month changed?")."""
        return self.query(
            "SELECT substr(day, 1, 7), id, coalesce(changed_at, '') FROM sessions"
            f" WHERE status != 'running'{_ORDER_OLD}"
        )

    def merge_newer(self, incoming: Iterable[tuple[SessionRecord, str]]) -> tuple[list[str], list[str]]:
        """Write each ``(record, changed_at)`` that is new here or newer than the local copy, in
        ONE transaction; returns ``(added ids, updated ids)``.

        Newer means a larger ``sync_key`` (``changed_at``, then the record's digest), so every
        device picks the same winner whatever the order it sees the copies in. A session this
        or another live copy of the app is running is never replaced.
        """
        added: list[str] = []
        updated: list[str] = []
        days: set[str] = set()
        with self._write() as conn:
            for record, changed in incoming:
                row = _row(record)
                local = conn.execute(
                    f"SELECT {_COLUMNS}, changed_at FROM sessions WHERE id = ?", (record.id,)
                ).fetchone()
                if local is None:
                    conn.execute(_INSERT_CHANGED, (*row, changed))
                    days.add(row[7])
                    added.append(record.id)
                elif local[4] != "running" and _newer(record, changed, local):
                    conn.execute(_REPLACE, (*row[1:], changed, record.id))
                    updated.append(record.id)
            if days:
                _refresh_days(conn, days)
        return added, updated


_REPLACE = (
    "UPDATE sessions SET " + ", ".join(f"{c.strip()} = ?" for c in _ROW_COLUMNS.split(",")[1:])
    + ", changed_at = ?, owner_pid = NULL WHERE id = ?"
)


def record_digest(record: SessionRecord) -> str:
    """A hash of everything a session holds, the same on every machine (the sync's tie-break)."""
    import hashlib
    import json

    text = json.dumps(_row(record), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sync_key(record: SessionRecord, changed_at: str) -> tuple[str, str]:
    """What "the later update wins" compares: ``(changed_at, digest)``, identical everywhere."""
    return changed_at, record_digest(record)


def newer_copy(record: SessionRecord, changed: str, other: SessionRecord, other_changed: str) -> bool:
    """True when ``(record, changed)`` wins over ``(other, other_changed)`` by ``sync_key``
    (the digests are only computed on a tie of different records)."""
    if changed != other_changed:
        return changed > other_changed
    row, other_row = _row(record), _row(other)
    return row != other_row and sync_key(record, changed) > sync_key(other, other_changed)


def _newer(record: SessionRecord, changed: str, local: tuple[Any, ...]) -> bool:
    """``newer_copy`` against a stored row (a row the app cannot read loses to any copy)."""
    mine = local[-1] or ""
    if changed != mine:
        return changed > mine
    try:
        current = _record(local[:-1])
    except (ValueError, KeyError, TypeError, OverflowError):
        return True
    return newer_copy(record, changed, current, mine)
