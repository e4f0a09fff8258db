"""Crash recovery and concurrent writers, with real child processes on a real SQLite file.

No sleeps: children say "ready" on stdout and wait on stdin; the parent reads that line
before it acts.
"""

from __future__ import annotations

import signal
import sys

import pytest
from history_helpers import ROUTINE, FakeNow, db_path, open_store, run_child

from psoas_tui.history.store import HistoryStore
from psoas_tui.model import SessionStatus

ROUTINE_CODE = """
import sys
from pathlib import Path
from psoas_tui.history.store import HistoryStore
from psoas_tui.model import Routine, SessionStatus, Step, StepKind
routine = Routine(id="tiny", title="Tiny", summary="", steps=(Step(StepKind.HOLD, "Hold", seconds=10),))
store = HistoryStore.open(Path(sys.argv[1]))
"""

CRASHING_CHILD = ROUTINE_CODE + """
record = store.start_session(routine, 120)
store.checkpoint(record.id, done_seconds=42.5, segments_done=3, left_seconds=20, right_seconds=22.5)
print(record.id, flush=True)
print("ready", flush=True)
sys.stdin.read()  # blocks until the parent kills us
"""

WRITER_CHILD = ROUTINE_CODE + """
print("ready", flush=True)
sys.stdin.readline()  # "go": both writers start together
for n in range(int(sys.argv[2])):
    record = store.start_session(routine, 60)
    for k in range(3):
        store.checkpoint(record.id, done_seconds=10.0 * k, segments_done=k, left_seconds=0, right_seconds=0)
    store.finish(record.id, SessionStatus.COMPLETED, done_seconds=60, segments_done=3,
                 left_seconds=30, right_seconds=30)
store.close()
print("done", flush=True)
"""


def _expect_line(child, wanted: str | None = None) -> str:
    line = child.stdout.readline().strip()
    if wanted is not None and line != wanted:
        child.kill()
        _out, err = child.communicate()
        pytest.fail(f"child said {line!r}, expected {wanted!r}; stderr:\n{err}")
    return line


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_session_becomes_interrupted_and_keeps_its_time(tmp_path):
    path = db_path(tmp_path)
    HistoryStore.open(path).close()
    child = run_child(CRASHING_CHILD, str(path))
    try:
        session_id = _expect_line(child)
        _expect_line(child, "ready")
        # the owner is alive: another copy of the app opening the store leaves it alone
        with HistoryStore.open(path) as store:
            assert store.recovered == []
            assert store.get(session_id).status is SessionStatus.RUNNING
            assert [r.id for r in store.running()] == [session_id]
        child.send_signal(signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    with HistoryStore.open(path) as store:
        assert store.recovered == [session_id]
        record = store.get(session_id)
    assert record.status is SessionStatus.INTERRUPTED
    assert (record.done_seconds, record.segments_done, record.left_seconds, record.right_seconds) == (
        42.5, 3, 20, 22.5)
    assert record.ended_at is not None and record.ended_at >= record.started_at
    assert not (path.parent / (path.name + ".locks") / f"{session_id}.lock").exists()


def test_a_running_row_without_a_lock_is_recovered(tmp_path):
    now = FakeNow()
    store = open_store(tmp_path, now)
    record = store.start_session(ROUTINE, 60)
    # simulate a crash that left no lock behind (say, the folder was cleaned): drop the lock
    store._owned.pop(record.id).release()
    store._conn.close()
    with open_store(tmp_path) as again:
        assert again.recovered == [record.id]
        assert again.get(record.id).status is SessionStatus.INTERRUPTED


def test_a_second_store_in_the_same_process_leaves_a_running_session_alone(tmp_path):
    first = open_store(tmp_path)
    record = first.start_session(ROUTINE, 60)
    with open_store(tmp_path) as second:
        assert second.recovered == []
        assert second.get(record.id).status is SessionStatus.RUNNING
    first.finish(record.id, SessionStatus.STOPPED, done_seconds=5, segments_done=0,
                 left_seconds=0, right_seconds=0)
    first.close()
    with open_store(tmp_path) as third:
        assert third.get(record.id).status is SessionStatus.STOPPED


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = db_path(tmp_path)
    HistoryStore.open(path).close()
    per_child = 40
    children = [run_child(WRITER_CHILD, str(path), str(per_child)) for _ in range(2)]
    try:
        for child in children:
            _expect_line(child, "ready")
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        for child in children:
            _expect_line(child, "done")
            assert child.wait() == 0
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.communicate()
    with HistoryStore.open(path) as store:
        records = list(store.iter_sessions())
        totals = store.query("SELECT TOTAL(sessions), TOTAL(completed), TOTAL(seconds) FROM day_totals")[0]
    assert len(records) == 2 * per_child
    assert {r.status for r in records} == {SessionStatus.COMPLETED}
    assert all(r.done_seconds == 60 and r.segments_done == 3 for r in records)
    assert totals == (2 * per_child, 2 * per_child, 60.0 * 2 * per_child)
    assert list((path.parent / (path.name + ".locks")).iterdir()) == []
