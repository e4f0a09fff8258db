"""Opening a history file written by an older psoas-tui moves it forward without losing data."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

from history_helpers import db_path

from psoas_tui.history.store import SCHEMA_VERSION, HistoryStore
from psoas_tui.model import CheckIn, SessionStatus

# The version 1 layout, written out here by hand (not imported) so that an accidental edit of
# the migration code cannot change what "an old file" means.
V1_SCHEMA = """
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
PRAGMA user_version = 1;
"""

V1_ROWS = [
    # a late-evening session in UTC+2: its local day is the 14th although UTC says the 14th 21:30
    ("a", "couch-stretch", "Couch stretch", "builtin", "completed", "2026-03-14T23:30:00+02:00",
     "2026-03-14T23:40:00+02:00", 600, 600.0, 4, 250.0, 250.0, 3, 7, "old \"note\"\nline 2"),
    ("b", "desk-reset", "Desk reset", "user", "stopped", "2026-03-15T07:00:00-05:00", None,
     300, 120.5, 2, 60.0, 0.0, None, None, None),
    # v1 had no owners: a row left running by an old version can only be a crash
    ("c", "desk-reset", "Desk reset", "user", "running", "2026-03-16T08:00:00+00:00", None,
     300, 30.0, 1, 0.0, 0.0, None, None, None),
]


def _write_v1(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.executemany("INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", V1_ROWS)
    conn.commit()
    conn.close()


def test_a_version_1_file_is_migrated(tmp_path):
    path = db_path(tmp_path)
    _write_v1(path)
    with HistoryStore.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        a, b, c = (store.get(x) for x in "abc")
        assert store.count() == 3
        assert store.count(since=date(2026, 3, 14), until=date(2026, 3, 14)) == 1
        totals = store.query("SELECT day, sessions, completed, seconds FROM day_totals ORDER BY day")
    assert a.started_at == datetime(2026, 3, 14, 21, 30, tzinfo=UTC)
    assert a.started_at.utcoffset() == timedelta(hours=2)
    assert a.ended_at == datetime(2026, 3, 14, 23, 40, tzinfo=timezone(timedelta(hours=2)))
    assert a.status is SessionStatus.COMPLETED
    assert a.checkin == CheckIn(3, 7, None, None, 'old "note"\nline 2')
    assert (a.planned_seconds, a.done_seconds, a.segments_done, a.left_seconds) == (600, 600.0, 4, 250.0)
    assert b.status is SessionStatus.STOPPED and b.checkin is None and b.ended_at is None
    assert b.started_at.utcoffset() == timedelta(hours=-5)
    assert c.status is SessionStatus.INTERRUPTED and c.done_seconds == 30.0
    assert totals == [("2026-03-14", 1, 1, 600.0), ("2026-03-15", 1, 0, 120.5), ("2026-03-16", 1, 0, 30.0)]


def test_the_migrated_file_takes_new_sessions_and_reopens_unchanged(tmp_path):
    path = db_path(tmp_path)
    _write_v1(path)
    HistoryStore.open(path).close()
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert "tightness_left" in columns and "day" in columns and "utc_offset" in columns
    assert "sessions_started" not in indexes and "sessions_by_day" in indexes
    with HistoryStore.open(path) as store:
        assert store.save_checkin("b", CheckIn(tightness_left=5)).checkin == CheckIn(tightness_left=5)
        assert store.count() == 3


def test_an_empty_version_0_file_gets_the_current_schema(tmp_path):
    path = db_path(tmp_path)
    path.parent.mkdir(parents=True)
    sqlite3.connect(path).close()  # a zero-byte file: user_version 0, no tables
    with HistoryStore.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.count() == 0


def test_an_unreadable_old_value_is_a_user_error_and_the_file_is_left_as_it_was(tmp_path):
    import pytest

    from psoas_tui.errors import UserError

    path = db_path(tmp_path)
    _write_v1(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE sessions SET started_at = 'last tuesday' WHERE id = 'b'")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="cannot upgrade"):
        HistoryStore.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 3
    conn.close()
