"""The history store on a real SQLite file: writing a session, reading it back, paging."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from history_helpers import CET, ROUTINE, T0, FakeNow, db_path, make_record, open_store

from psoas_tui import paths
from psoas_tui.errors import UserError
from psoas_tui.history.store import SCHEMA_VERSION, HistoryStore
from psoas_tui.model import CheckIn, SessionStatus


def test_open_creates_folders_and_sets_up_sqlite(tmp_path):
    store = open_store(tmp_path)
    try:
        assert db_path(tmp_path).is_file()
        conn = sqlite3.connect(db_path(tmp_path))
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "sessions_by_day" in indexes
        conn.close()
        assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    finally:
        store.close()


def test_default_path_is_in_the_data_dir(isolated_dirs):
    with HistoryStore.open() as store:
        assert store.path == paths.history_file()
        assert store.path.parent == isolated_dirs.data
    assert paths.history_file().exists()


def test_a_session_is_written_at_start_checkpointed_and_finished(tmp_path):
    now = FakeNow()
    store = open_store(tmp_path, now)
    record = store.start_session(ROUTINE, 130)
    assert record.status is SessionStatus.RUNNING
    assert record.started_at == T0 and record.started_at.utcoffset() == timedelta(hours=1)
    stored = store.get(record.id)
    assert stored == record
    now.advance(40)
    store.checkpoint(record.id, done_seconds=40, segments_done=2, left_seconds=20, right_seconds=10)
    mid = store.get(record.id)
    assert (mid.done_seconds, mid.segments_done, mid.left_seconds, mid.right_seconds) == (40, 2, 20, 10)
    assert mid.status is SessionStatus.RUNNING
    now.advance(90)
    done = store.finish(record.id, SessionStatus.COMPLETED, done_seconds=130, segments_done=5,
                        left_seconds=60, right_seconds=60)
    assert done.status is SessionStatus.COMPLETED
    assert done.ended_at == T0 + timedelta(seconds=130)
    assert done.ended_at.tzinfo is not None and done.checkin is None
    with_checkin = store.save_checkin(record.id, CheckIn(3, 8, None, 4, 'left "tight"\nbetter'))
    assert with_checkin.checkin == CheckIn(3, 8, None, 4, 'left "tight"\nbetter')
    store.close()
    with open_store(tmp_path) as again:
        assert again.get(record.id) == with_checkin
        assert again.recovered == []


def test_records_keep_the_offset_they_started_in(tmp_path):
    tokyo = timezone(timedelta(hours=9))
    with open_store(tmp_path) as store:
        new_year = datetime(2026, 1, 1, 0, 30, tzinfo=tokyo)
        store.add_records([make_record(1, started_at=new_year, ended_at=None)])
        record = store.get(make_record(1).id)
    assert record.started_at.utcoffset() == timedelta(hours=9)
    assert record.started_at == datetime(2025, 12, 31, 15, 30, tzinfo=UTC)
    # its local day is the 1st of January, although it was still 2025 in UTC
    with open_store(tmp_path) as store:
        assert store.count(since=date(2026, 1, 1), until=date(2026, 1, 1)) == 1
        assert store.count(until=date(2025, 12, 31)) == 0


def test_naive_datetimes_and_bad_statuses_are_refused(tmp_path):
    with open_store(tmp_path) as store:
        with pytest.raises(ValueError, match="timezone"):
            store.start_session(ROUTINE, 10, started_at=datetime(2026, 1, 1, 8))
        record = store.start_session(ROUTINE, 10)
        with pytest.raises(ValueError):
            store.finish(record.id, SessionStatus.RUNNING, done_seconds=0, segments_done=0,
                         left_seconds=0, right_seconds=0)
        with pytest.raises(ValueError):
            store.checkpoint(record.id, done_seconds=float("nan"), segments_done=0,
                             left_seconds=0, right_seconds=0)
        with pytest.raises(KeyError):
            store.finish("nope", SessionStatus.STOPPED, done_seconds=0, segments_done=0,
                         left_seconds=0, right_seconds=0)


@pytest.mark.parametrize("bad", [CheckIn(feeling_before=11), CheckIn(tightness_left=-1),
                                 CheckIn(feeling_after=True), CheckIn(note="\ud800")])
def test_check_in_answers_are_checked(tmp_path, bad):
    with open_store(tmp_path) as store:
        store.add_records([make_record(0)])
        with pytest.raises(UserError, match="check-in"):
            store.save_checkin(make_record(0).id, bad)
        assert store.get(make_record(0).id).checkin == make_record(0).checkin


def test_close_saves_its_own_running_sessions_as_interrupted(tmp_path):
    now = FakeNow()
    store = open_store(tmp_path, now)
    record = store.start_session(ROUTINE, 100)
    now.advance(30)
    store.checkpoint(record.id, done_seconds=30, segments_done=1, left_seconds=30, right_seconds=0)
    now.advance(500)
    store.close()
    with open_store(tmp_path) as store:
        saved = store.get(record.id)
    assert saved.status is SessionStatus.INTERRUPTED
    assert saved.done_seconds == 30
    assert saved.ended_at == T0 + timedelta(seconds=30)  # the last checkpoint, not the close


def test_count_page_and_iter_agree_with_dates(tmp_path):
    with open_store(tmp_path) as store:
        added, skipped = store.add_records(make_record(n * 7) for n in range(40))  # every 7 hours
        assert (added, skipped) == (40, 0)
        assert store.add_records([make_record(0), make_record(7)]) == (0, 2)
        oldest_first = list(store.iter_sessions())
        assert [r.started_at for r in oldest_first] == sorted(r.started_at for r in oldest_first)
        assert store.count() == 40
        newest = store.page(0, 5)
        assert newest == oldest_first[::-1][:5]
        assert store.page(35, 10) == oldest_first[::-1][35:]
        day = date(2026, 11, 22)
        on_day = [r for r in oldest_first if r.started_at.date() == day]
        assert store.count(since=day, until=day) == len(on_day) > 0
        assert list(store.iter_sessions(day, day)) == on_day
        assert store.page(0, 100, since=day, until=day) == on_day[::-1]


def test_paging_by_offset_walks_the_whole_log(tmp_path):
    with open_store(tmp_path) as store:
        store.add_records(make_record(n % 5 * 24 + n // 5) for n in range(23))
        expected = store.page(0, 100)
        walked: list[object] = []
        while page := store.page(len(walked), 4):  # as the log screen pages
            walked.extend(page)
        assert walked == expected


def test_day_totals_follow_inserts_updates_and_deletes(tmp_path):
    now = FakeNow()
    store = open_store(tmp_path, now)
    store.add_records([make_record(0), make_record(1, status=SessionStatus.STOPPED, done_seconds=100.0)])
    running = store.start_session(ROUTINE, 50)
    store.checkpoint(running.id, done_seconds=12.5, segments_done=1, left_seconds=0, right_seconds=0)
    store.finish(running.id, SessionStatus.COMPLETED, done_seconds=50, segments_done=2,
                 left_seconds=25, right_seconds=25)
    store._conn.execute("DELETE FROM sessions WHERE id = ?", (make_record(0).id,))
    expected = store.query(
        "SELECT day, COUNT(*), SUM(status = 'completed'), TOTAL(done_seconds) FROM sessions GROUP BY day"
    )
    assert store.query("SELECT day, sessions, completed, seconds FROM day_totals ORDER BY day") == expected
    assert expected == [("2026-11-20", 2, 1, 150.0)]
    store.close()


def test_a_newer_schema_is_refused(tmp_path):
    path = db_path(tmp_path)
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(UserError, match="newer"):
        HistoryStore.open(path)


def test_a_file_that_is_not_a_database_is_a_user_error(tmp_path):
    path = db_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UserError, match="history"):
        HistoryStore.open(path)


def test_the_store_can_be_used_from_another_thread(tmp_path):
    import threading

    store = open_store(tmp_path)
    errors = []

    def work() -> None:
        try:
            store.add_records([make_record(3)])
            assert store.count() == 1
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    store.close()
    assert errors == []


def test_started_at_default_comes_from_the_injected_clock(tmp_path):
    now = FakeNow(datetime(2026, 3, 1, 23, 59, tzinfo=CET))
    with open_store(tmp_path, now) as store:
        record = store.start_session(ROUTINE, 10)
        assert record.started_at == now.value
        assert store.count(since=date(2026, 3, 1), until=date(2026, 3, 1)) == 1
