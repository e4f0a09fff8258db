"""Reminders in config.toml and in the history: loading, errors with lines, saving, the
migration, events, the snapshot the schedule reads, the ``followed`` trigger and the counts."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.config import Settings, load_settings, save_settings
from psoas_tui.errors import ConfigError
from psoas_tui.history.stats import compute_stats
from psoas_tui.history.store import SCHEMA_VERSION, HistoryStore
from psoas_tui.model import SessionStatus
from psoas_tui.reminders.events import (
    HISTORY_SCHEMA_VERSION,
    EventLog,
    count_events,
    open_read_only,
    read_snapshot,
)
from psoas_tui.reminders.settings import ReminderSettings
from tests.history_helpers import ROUTINE, FakeNow

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday


def write_config(app_dirs: Any, text: str) -> Path:
    app_dirs.config.mkdir(parents=True, exist_ok=True)
    path = app_dirs.config / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reminders_table_is_loaded(app_dirs: Any) -> None:
    write_config(app_dirs, 'weekly_goal = 4\n[reminders]\nenabled = true\nevery = "50m"\nat = ["15:00"]\n')
    settings = load_settings()
    assert settings.reminders == ReminderSettings(enabled=True, every=3000, at=(900,))
    assert load_settings(None) == settings


def test_missing_table_means_reminders_off(app_dirs: Any) -> None:
    write_config(app_dirs, "weekly_goal = 4\n")
    assert load_settings().reminders == ReminderSettings()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[reminders]\nenabled = true\n\nevery = "50"\n', ':4: reminders.every: must be a duration'),
        ('[reminders]\nhours = "9-17"\n', ":2: reminders.hours:"),
        ('weekly_goal = 4\n[reminders]\nbogus = 1\n', ":3: reminders.bogus: unknown setting"),
        ('reminders = 3\n', ":1: reminders: must be a table"),
        ('[reminders]\nenabled = true\n', ":1: reminders.every: reminders are enabled but neither"),
    ],
)
def test_bad_table_names_file_line_and_field(app_dirs: Any, text: str, where: str) -> None:
    path = write_config(app_dirs, text)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"{path}{where}")


def test_save_settings_round_trips_the_reminders(app_dirs: Any) -> None:
    chosen = ReminderSettings(enabled=True, every=1800, at=(630,), days=(0, 2), max_skips_per_day=2,
                              channels=("bell", "notify-send"))
    save_settings(Settings(reminders=chosen))
    assert load_settings().reminders == chosen
    assert Settings().replace(reminders=chosen).reminders == chosen


def test_migration_adds_the_table_and_keeps_sessions(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path, now=FakeNow(NOW)) as store:
        record = store.start_session(ROUTINE, 600, started_at=NOW)
        store.finish(record.id, SessionStatus.COMPLETED, done_seconds=600, segments_done=1,
                     left_seconds=300, right_seconds=300, ended_at=NOW + timedelta(minutes=10))
    conn = sqlite3.connect(path)  # back to schema 2, as an older psoas-tui left it
    conn.executescript(
        "DROP TRIGGER reminder_followed; DROP TABLE reminder_events;"
        " ALTER TABLE sessions DROP COLUMN changed_at; PRAGMA user_version = 2;"
    )
    conn.close()
    with HistoryStore.open(path, now=FakeNow(NOW)) as store:
        assert store.schema_version == SCHEMA_VERSION == 4
        assert [r.id for r in store.iter_sessions()] == [record.id]
        snapshot = store.reminder_snapshot(NOW + timedelta(hours=1))
    assert snapshot.facts.last_practice_end == NOW + timedelta(minutes=10)
    assert snapshot.today_seconds == 600 and snapshot.streak == 1


def test_snapshot_reads_every_fact(tmp_path: Path) -> None:
    clock = FakeNow(NOW)
    with HistoryStore.open(tmp_path / "h.sqlite3", now=clock) as store:
        store.record_reminder_event("shown", due_at=NOW, until=NOW + timedelta(hours=7))
        store.record_reminder_event("skipped", at=NOW + timedelta(minutes=1))
        store.record_reminder_event("skipped", at=NOW - timedelta(days=1))
        snoozed = NOW + timedelta(minutes=2)
        store.record_reminder_event("snoozed", at=snoozed, until=NOW + timedelta(minutes=17))
        snapshot = store.reminder_snapshot(NOW + timedelta(minutes=3))
        with pytest.raises(ValueError, match="unknown reminder event"):
            store.record_reminder_event("ignored")
    assert snapshot.last_shown == NOW
    assert snapshot.facts.last_skip == NOW + timedelta(minutes=1)
    assert snapshot.facts.snoozed_at == NOW + timedelta(minutes=2)
    assert snapshot.facts.snoozed_until == NOW + timedelta(minutes=17)
    assert snapshot.skips_today == 1


def _session(store: HistoryStore, start: datetime, status: SessionStatus, done: float) -> str:
    record = store.start_session(ROUTINE, 600, started_at=start)
    store.finish(record.id, status, done_seconds=done, segments_done=1, left_seconds=done / 2,
                 right_seconds=done / 2, ended_at=start + timedelta(seconds=max(done, 30)))
    return record.id


def test_a_session_with_real_practice_follows_a_shown_reminder(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite3", now=FakeNow(NOW)) as store:
        store.record_reminder_event("shown", at=NOW, due_at=NOW, until=NOW + timedelta(hours=7))
        _session(store, NOW + timedelta(minutes=1), SessionStatus.STOPPED, 30)  # too short
        assert count_events(store.query, NOW.date())["all_time"]["followed"] == 0
        sid = _session(store, NOW + timedelta(minutes=5), SessionStatus.COMPLETED, 600)
        _session(store, NOW + timedelta(minutes=30), SessionStatus.COMPLETED, 600)  # answered already
        rows = store.query("SELECT kind, session_id, due_at FROM reminder_events WHERE kind = 'followed'")
    assert rows == [("followed", sid, "2026-03-02T10:00:00.000000+00:00")]


def test_a_skipped_or_lapsed_reminder_is_not_followed(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite3", now=FakeNow(NOW)) as store:
        store.record_reminder_event("shown", at=NOW, due_at=NOW, until=NOW + timedelta(minutes=20))
        _session(store, NOW + timedelta(hours=1), SessionStatus.COMPLETED, 600)  # after it lapsed
        store.record_reminder_event("shown", at=NOW + timedelta(hours=2), due_at=NOW + timedelta(hours=2),
                                    until=NOW + timedelta(hours=7))
        store.record_reminder_event("skipped", at=NOW + timedelta(hours=2, minutes=1))
        _session(store, NOW + timedelta(hours=3), SessionStatus.COMPLETED, 600)
        assert count_events(store.query, NOW.date())["all_time"]["followed"] == 0


def test_stats_count_reminders_all_time_and_last_7_days(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite3", now=FakeNow(NOW)) as store:
        store.record_reminder_event("shown", at=NOW - timedelta(days=10))
        store.record_reminder_event("shown", at=NOW - timedelta(days=6))
        store.record_reminder_event("snoozed", at=NOW, until=NOW + timedelta(minutes=15))
        stats = compute_stats(store, weekly_goal=3, today=date(2026, 3, 2))
    assert stats.reminders == {
        "all_time": {"shown": 2, "snoozed": 1, "skipped": 0, "followed": 0},
        "last_7_days": {"shown": 1, "snoozed": 1, "skipped": 0, "followed": 0},
    }
    assert stats.as_dict()["reminders"] == stats.reminders


def test_read_only_snapshot_creates_nothing(tmp_path: Path) -> None:
    assert open_read_only(tmp_path / "none.sqlite3") is None
    assert list(tmp_path.iterdir()) == []
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)  # a schema-2 file: sessions and day_totals, no events yet
    conn.executescript("CREATE TABLE sessions (ended_at TEXT, status TEXT, done_seconds REAL);"
                       "CREATE TABLE day_totals (day TEXT, completed INTEGER, seconds REAL);")
    conn.close()
    reader = open_read_only(path)
    assert reader is not None
    assert read_snapshot(reader, NOW).skips_today == 0
    with pytest.raises(sqlite3.OperationalError):
        reader.execute("CREATE TABLE x (y)")


def test_event_log_knows_the_store_schema() -> None:
    assert HISTORY_SCHEMA_VERSION == SCHEMA_VERSION


def test_event_log_reads_and_records_like_the_store(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    assert EventLog.open(path, 1000) is None  # no file: the store creates it
    with HistoryStore.open(path, now=FakeNow(NOW)) as store:
        store.record_reminder_event("snoozed", at=NOW, until=NOW + timedelta(minutes=15))
    with EventLog.open(path, 1000) as log:  # type: ignore[union-attr]
        log.record_reminder_event("shown", at=NOW, due_at=NOW, until=NOW + timedelta(hours=1))
        with pytest.raises(ValueError, match="unknown reminder event"):
            log.record_reminder_event("bogus", at=NOW)
        snapshot = log.reminder_snapshot(NOW)
    with HistoryStore.open(path, now=FakeNow(NOW)) as store:
        assert store.reminder_snapshot(NOW) == snapshot
        assert [kind for (kind,) in store.query("SELECT kind FROM reminder_events ORDER BY id")] == [
            "snoozed", "shown"]
    assert snapshot.last_shown == NOW and snapshot.facts.snoozed_until == NOW + timedelta(minutes=15)


def test_event_log_leaves_other_schemas_and_files_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path, now=FakeNow(NOW)):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.close()
    assert EventLog.open(path, 1000) is None  # an older file: the store migrates it
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    assert EventLog.open(junk, 1000) is None  # the store words the error
