"""SessionRecorder: the glue between a running session, the store and the plugins."""

from __future__ import annotations

import pytest
from history_helpers import ROUTINE, FakeNow, State, open_store

from psoas_tui.model import CheckIn, SessionStatus
from psoas_tui.plugin_host.hookspecs import hookimpl
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.practice.recorder import SessionRecorder, ask_checkin


class Listener:
    def __init__(self) -> None:
        self.records = []

    @hookimpl
    def psoas_tui_session_finished(self, record):
        self.records.append(record)


class Broken:
    @hookimpl
    def psoas_tui_session_finished(self, record):
        raise RuntimeError("listener fell over")


def test_a_session_is_recorded_from_start_to_check_in(tmp_path):
    listener = Listener()
    host = build_plugin_host(entry_points=False, extra=[("broken", Broken()), ("listener", listener)])
    now = FakeNow()
    store = open_store(tmp_path, now)
    recorder = SessionRecorder(store, ROUTINE, 30, host)
    record = recorder.start()
    assert recorder.started and store.get(record.id).status is SessionStatus.RUNNING
    now.advance(12)
    recorder.checkpoint(State(elapsed=12.0, segments_done=2, left_seconds=10.0))
    assert store.get(record.id).done_seconds == 12.0
    now.advance(18)
    finished = recorder.finish(State(30.0, 4, 10.0, 10.0, status="completed"))
    assert finished.status is SessionStatus.COMPLETED and listener.records == []  # not before check-in
    done = recorder.complete(CheckIn(3, 7, 5, 4, "ok"))
    assert done.checkin == CheckIn(3, 7, 5, 4, "ok") and store.get(record.id) == done
    assert listener.records == [done]
    assert any(f.plugin == "broken" and "listener fell over" in f.message for f in host.failures)
    recorder.complete(None)  # a second call does not notify again
    assert listener.records == [done]
    store.close()


@pytest.mark.parametrize(("runner_status", "saved"), [
    ("completed", SessionStatus.COMPLETED), ("stopped", SessionStatus.STOPPED),
    ("running", SessionStatus.INTERRUPTED),
])
def test_finish_follows_the_runner_status(tmp_path, runner_status, saved):
    with open_store(tmp_path) as store:
        recorder = SessionRecorder(store, ROUTINE, 30)
        recorder.start()
        # the whole plan spent: "completed" now also needs most of it (issue 9, item 15)
        assert recorder.finish(State(30.0, 1, status=runner_status)).status is saved
        assert recorder.complete(None).checkin is None


def test_complete_needs_a_finished_session(tmp_path):
    with open_store(tmp_path) as store:
        recorder = SessionRecorder(store, ROUTINE, 30)
        with pytest.raises(RuntimeError):
            recorder.complete(None)
        recorder.start()
        with pytest.raises(RuntimeError, match="finish"):
            recorder.complete(CheckIn(1, 2))
        recorder.finish(State(1.0, 0), SessionStatus.STOPPED)
        assert recorder.complete(CheckIn(1, 2)).checkin == CheckIn(1, 2)


def _asker(answers):
    replies = iter(answers)
    prompts = []

    def ask(prompt):
        prompts.append(prompt)
        try:
            return next(replies)
        except StopIteration:
            raise EOFError from None

    return ask, prompts


def test_ask_checkin_reads_answers_and_retries_bad_ones():
    ask, prompts = _asker(["4", "eleven", "8", "", "3", "  felt good  "])
    said = []
    checkin = ask_checkin(ask, said.append)
    assert checkin == CheckIn(4, 8, None, 3, "felt good")
    assert len(prompts) == 6 and any("0 to 10" in line for line in said)


@pytest.mark.parametrize("answers", [[], ["", "", "", "", ""], ["q"]])
def test_ask_checkin_skipped_gives_none(answers):
    ask, _prompts = _asker(answers)
    assert ask_checkin(ask, lambda _line: None) is None


def test_ask_checkin_q_keeps_what_was_answered():
    ask, _prompts = _asker(["5", "q"])
    assert ask_checkin(ask, lambda _line: None) == CheckIn(feeling_before=5)


def test_plain_mode_wiring_records_a_whole_session(tmp_path, capsys):
    """The lines proposed for ``commands/run.py``, exercised against the real runner."""
    import io
    import sys

    from psoas_tui.builtins.cue_styles import make_styles
    from psoas_tui.commands.run import PlainSession
    from psoas_tui.practice.clock import ScaledClock
    from psoas_tui.practice.engine import PracticeEngine
    from psoas_tui.practice.timeline import build_timeline

    listener = Listener()
    host = build_plugin_host(entry_points=False, extra=[("listener", listener)])
    timeline = build_timeline(ROUTINE, get_ready_seconds=2, switch_seconds=1)
    text = [s for s in make_styles() if s.name == "text"]
    with open_store(tmp_path) as store:
        recorder = SessionRecorder(store, timeline.routine, timeline.total_seconds, host)
        engine = PracticeEngine(timeline, ScaledClock(0.001), text, on_start=lambda _runner: recorder.start(),
                                on_segment_end=recorder.checkpoint, on_finish=recorder.finish)
        status = PlainSession(engine, stdin=io.StringIO(""), out=sys.stdout).run()
        assert status == 0 and recorder.started
        ask, _prompts = _asker(["3", "7", "", "", "fine"])
        record = recorder.complete(ask_checkin(ask, lambda _line: None))
        assert store.get(record.id) == record
    assert record.status is SessionStatus.COMPLETED
    assert record.planned_seconds == timeline.total_seconds == 23
    assert record.done_seconds == pytest.approx(23) and record.segments_done == len(timeline.segments)
    assert record.left_seconds == pytest.approx(10) and record.right_seconds == pytest.approx(10)
    assert record.checkin == CheckIn(3, 7, None, None, "fine")
    assert listener.records == [record]
