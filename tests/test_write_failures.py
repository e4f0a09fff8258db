"""Issue 9 items 7, 10 and 15: a history that refuses writes never ends or falsifies a
session; the end time comes from monotonic time; "completed" means the plan was done."""

from __future__ import annotations

import io
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from history_helpers import ROUTINE, T0, FakeNow, State, db_path, open_store

from psoas_tui.model import CheckIn, SessionStatus
from psoas_tui.practice.clock import FakeClock
from psoas_tui.practice.recorder import SessionRecorder, final_status
from psoas_tui.practice.runner import SessionRunner
from psoas_tui.practice.timeline import build_timeline


class Mono:
    """An injectable monotonic clock."""

    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _lock(path: Path) -> sqlite3.Connection:
    """Another program holding the write lock (as a second copy mid-import would)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path, FakeNow()) as opened:
        yield opened


def test_a_locked_history_is_told_once_and_retried_at_every_checkpoint(store, tmp_path):
    said: list[str] = []
    mono = Mono()
    recorder = SessionRecorder(store, ROUTINE, 30, monotonic=mono, notice=said.append)
    other = _lock(db_path(tmp_path))
    started = time.monotonic()
    assert recorder.start() is None  # not written yet, and no exception
    recorder.checkpoint(State(10.0, 1, 10.0))
    assert time.monotonic() - started < 5  # never the 15 s busy timeout on the countdown
    assert len(said) == 1 and "locked" in said[0] and not recorder.saved
    assert store.running() == []
    other.execute("ROLLBACK")
    mono.now += 20
    recorder.checkpoint(State(20.0, 2, 10.0, 10.0))  # the next checkpoint writes all of it
    (row,) = store.running()
    assert row.done_seconds == 20.0 and row.started_at == T0 and recorder.saved
    assert len(said) == 1


def test_a_session_finished_while_locked_is_saved_completed_with_its_checkin(store, tmp_path):
    mono = Mono()
    said: list[str] = []
    recorder = SessionRecorder(store, ROUTINE, 30, monotonic=mono, notice=said.append)
    recorder.start()
    other = _lock(db_path(tmp_path))
    mono.now += 30
    assert recorder.finish(State(30.0, 4, 15.0, 15.0, status="completed")) is None
    assert recorder.complete(CheckIn(3, 8, note="better")) is None
    assert recorder.unsaved() == ["its end (completed)", "the check-in"]
    sleeps = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        mono.sleep(seconds)
        if len(sleeps) == 5:
            other.execute("ROLLBACK")  # the other program lets go after 5 s

    lines: list[str] = []
    assert recorder.save_until(sleep=sleep, say=lines.append)
    assert len(lines) == 1 and "retrying for up to 60 s" in lines[0]
    record = store.get(recorder.session_id)
    assert record.status is SessionStatus.COMPLETED
    assert record.checkin == CheckIn(3, 8, note="better")
    assert record.ended_at == T0 + timedelta(seconds=30)


def test_retrying_gives_up_after_60_s_and_says_what_was_lost(store, tmp_path):
    mono = Mono()
    recorder = SessionRecorder(store, ROUTINE, 30, monotonic=mono)
    recorder.start()
    other = _lock(db_path(tmp_path))
    recorder.finish(State(30.0, 4, status="completed"))
    recorder.complete(CheckIn(5))
    assert not recorder.save_until(sleep=mono.sleep)
    assert mono.now == pytest.approx(500 + 60)
    report = recorder.failure_report()
    assert "its end (completed)" in report and "check-in" in report and "locked" in report
    other.execute("ROLLBACK")


def test_a_history_that_cannot_be_opened_at_the_start_is_created_later(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")  # the data folder cannot be made, for now
    path = blocker / "history.sqlite3"
    from psoas_tui.history.store import HistoryStore

    said: list[str] = []
    recorder = SessionRecorder(lambda: HistoryStore.open(path, now=FakeNow()), ROUTINE, 30,
                               monotonic=Mono(), notice=said.append)
    recorder.start()
    recorder.checkpoint(State(10.0, 1))
    assert len(said) == 1 and not recorder.saved
    blocker.unlink()
    recorder.finish(State(30.0, 2, status="completed"))
    assert recorder.saved
    assert recorder.store.get(recorder.session_id).status is SessionStatus.COMPLETED
    recorder.close()


def test_the_wall_clock_stepping_back_cannot_end_a_session_before_it_began(tmp_path):
    now = FakeNow()
    mono = Mono()
    with open_store(tmp_path, now) as store:
        recorder = SessionRecorder(store, ROUTINE, 30, monotonic=mono)
        record = recorder.start()
        now.advance(-3600)  # NTP or a person moves the clock back an hour
        mono.now += 25
        recorder.checkpoint(State(25.0, 1))
        mono.now += 5
        done = recorder.finish(State(30.0, 2, status="completed"))
    assert done.ended_at == record.started_at + timedelta(seconds=30)
    assert done.ended_at > done.started_at


def _run_through(skip: bool) -> State:
    timeline = build_timeline(ROUTINE, get_ready_seconds=5, switch_seconds=5)
    clock = FakeClock()
    runner = SessionRunner(timeline, clock)
    runner.start()
    while not runner.finished:
        if skip:
            runner.skip()
        else:
            clock.advance(1)
            runner.tick()
    return runner.snapshot(), timeline


@pytest.mark.parametrize(("skip", "expected"), [
    (False, SessionStatus.COMPLETED), (True, SessionStatus.STOPPED),
])
def test_completed_means_most_of_the_plan_was_done(skip, expected):
    state, timeline = _run_through(skip)
    assert state.finished  # the runner reached the end either way; by skipping it says "stopped"
    assert state.status == expected.value  # the words follow the stored status (issue 9)
    assert final_status(state, timeline.total_seconds) is expected


def test_skipping_through_is_stored_stopped_and_does_not_count_for_the_streak(tmp_path):
    from psoas_tui.history.stats import compute_stats

    state, timeline = _run_through(True)
    with open_store(tmp_path, FakeNow()) as store:
        recorder = SessionRecorder(store, ROUTINE, timeline.total_seconds)
        recorder.start()
        assert recorder.finish(state).status is SessionStatus.STOPPED
        stats = compute_stats(store, weekly_goal=3, today=T0.date())
    assert stats.completed_sessions == 0 and stats.current_streak == 0 and stats.week_days_done == 0


def test_a_routine_with_nothing_timed_completes_when_its_sets_are_done():
    assert final_status(State(0.0, 4, status="completed"), 0) is SessionStatus.COMPLETED
    skipped = State(0.0, 0, status="completed")
    skipped.count = 4  # type: ignore[attr-defined]
    assert final_status(skipped, 0) is SessionStatus.STOPPED


def _full_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))  # no file may grow: a full disk


@pytest.mark.parametrize("command", [["history"], ["stats"], ["export", "-o", "-"]])
def test_reading_commands_work_on_a_full_disk(tmp_path, command):
    import psoas_tui

    path = db_path(tmp_path)
    with open_store(tmp_path, FakeNow()) as store:
        recorder = SessionRecorder(store, ROUTINE, 30, monotonic=Mono())
        recorder.start()
        recorder.finish(State(30.0, 2, status="completed"))
    env = {"PSOAS_TUI_DATA_DIR": str(path.parent), "PSOAS_TUI_NO_PLUGINS": "1",
           "PSOAS_TUI_CONFIG_DIR": str(tmp_path / "config"), "PATH": "/usr/bin:/bin",
           "PYTHONDONTWRITEBYTECODE": "1",  # a .pyc cut short by the limit would break later runs
           "PYTHONPATH": str(Path(psoas_tui.__file__).parent.parent)}
    result = subprocess.run([sys.executable, "-m", "psoas_tui", *command], env=env,
                            preexec_fn=_full_disk, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Tiny routine" in result.stdout or "1 session" in result.stdout


def test_plain_mode_runs_through_a_locked_history(tmp_path, monkeypatch, capsys):
    """``run --plain`` with the history locked for the whole session and 3 s after: the
    session runs, one line says so, and the completed session is saved once the lock goes."""
    import argparse

    from psoas_tui.commands import run as run_command

    path = db_path(tmp_path)
    monkeypatch.setenv("PSOAS_TUI_DATA_DIR", str(path.parent))
    monkeypatch.setenv("PSOAS_TUI_TIME_SCALE", "0.002")
    open_store(tmp_path).close()
    other = _lock(path)
    sleeps = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 3:
            other.execute("ROLLBACK")

    monkeypatch.setattr("psoas_tui.practice.recorder.pause", sleep)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    args = argparse.Namespace(routine="desk-break", plain=True, cue=None, no_checkin=True)
    assert run_command.run(args) == 0
    err = capsys.readouterr().err
    assert err.count("History not saved yet") == 1 and "retrying for up to 60 s" in err
    assert "Traceback" not in err and "Not saved" not in err
    with open_store(tmp_path) as store:
        (record,) = store.page(0, 5)
    assert record.status is SessionStatus.COMPLETED
