"""The session runner with a fake clock: every transition, cues, deadlines; the asyncio ticker."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from psoas_tui.model import BreathPattern, Cue, CueKind, Routine, Step, StepKind
from psoas_tui.practice.clock import FakeClock, ScaledClock
from psoas_tui.practice.runner import BACK_WINDOW, RunnerState, SessionRunner
from psoas_tui.practice.ticker import DeadlineTicker
from psoas_tui.practice.timeline import Timeline, build_timeline


def make_timeline(*steps: Step, get_ready: int = 5, switch: int = 5) -> Timeline:
    routine = Routine(id="t", title="Test", summary="", steps=steps)
    return build_timeline(routine, get_ready_seconds=get_ready, switch_seconds=switch)


SIDED = Step(StepKind.HOLD, "Lunge", cue="Tuck the pelvis", seconds=20, sides=("left", "right"))
BREATHE = Step(StepKind.BREATHE, "Breathe", seconds=20, breath=BreathPattern(4, 2, 6, 0))
REPS = Step(StepKind.REPS, "Tilts", count=8)


class Harness:
    """A runner on a fake clock that records cues and recorder callbacks."""

    def __init__(self, timeline: Timeline) -> None:
        self.clock = FakeClock(100.0)
        self.cues: list[Cue] = []
        self.segment_ends: list[RunnerState] = []
        self.finishes: list[RunnerState] = []
        self.runner = SessionRunner(
            timeline,
            self.clock,
            on_cue=self.cues.append,
            on_segment_end=self.segment_ends.append,
            on_finish=self.finishes.append,
        )

    def at(self, seconds: float) -> RunnerState:
        """Advance by ``seconds``, tick, and return the snapshot."""
        self.clock.advance(seconds)
        self.runner.tick()
        return self.runner.snapshot()

    def kinds(self) -> list[CueKind]:
        return [c.kind for c in self.cues]

    def texts(self) -> list[str]:
        return [c.text for c in self.cues]


def test_ready_state_before_start() -> None:
    h = Harness(make_timeline(SIDED))
    state = h.runner.snapshot()
    assert state.status == "ready" and not state.finished
    assert state.segment is not None and state.segment.kind == "get_ready"
    assert state.remaining == 5 and state.elapsed == 0 and state.time_left == 50
    assert h.runner.next_deadline() is None
    assert h.runner.tick() == []


def test_remaining_is_the_ceiling_of_deadline_minus_now() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    assert h.runner.snapshot().remaining == 5
    assert h.at(0.2).remaining == 5
    state = h.at(0.8)
    assert state.remaining == 4 and state.remaining_exact == pytest.approx(4.0)
    assert state.elapsed == pytest.approx(1.0)
    assert state.progress == pytest.approx(1 / 50)


def test_full_sided_run_cues_in_order_and_totals() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    state = h.at(50)
    assert state.status == "completed" and state.finished
    assert state.elapsed == 50 and state.progress == 1.0 and state.time_left == 0
    assert state.left_seconds == 20 and state.right_seconds == 20
    assert state.segments_done == 4
    kinds = h.kinds()
    assert kinds[0] is CueKind.SEGMENT_START and kinds[-1] is CueKind.COMPLETE
    assert kinds.count(CueKind.SIDE_SWITCH) == 1
    assert kinds.count(CueKind.SEGMENT_END) == 4
    assert kinds.count(CueKind.HALFWAY) == 2
    assert kinds.count(CueKind.COUNTDOWN) == 12  # 3-2-1 before each of the 4 ends
    assert "Switch to the right side" in h.texts()
    assert "Halfway on the left side" in h.texts()
    texts = h.texts()
    assert texts.index("Release the left side") < texts.index("Switch to the right side")
    assert len(h.finishes) == 1 and h.finishes[0].status == "completed"


def test_cues_carry_their_own_remaining_even_when_noticed_late() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(49.5)  # one very late tick crosses three segment ends
    countdowns = [c.remaining for c in h.cues if c.kind is CueKind.COUNTDOWN]
    assert countdowns[:3] == [3, 2, 1]
    halfway = [c for c in h.cues if c.kind is CueKind.HALFWAY]
    assert [c.remaining for c in halfway] == [10, 10]
    state = h.runner.snapshot()
    # no drift: the last segment started at its planned time, not when the tick noticed it
    assert state.index == 3 and state.remaining_exact == pytest.approx(0.5)


def test_late_ticks_never_shift_the_schedule() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    for _ in range(30):
        h.at(1.37)  # uneven, late-looking ticks
    assert h.runner.snapshot().elapsed == pytest.approx(30 * 1.37)
    assert h.runner.snapshot().time_left == pytest.approx(50 - 30 * 1.37)


def test_pause_freezes_exactly_and_resume_continues() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(7.3)  # 2.3 s into the left side
    h.runner.pause()
    frozen = h.runner.snapshot()
    assert frozen.paused and frozen.status == "paused"
    assert h.runner.next_deadline() is None
    later = h.at(1000)
    assert later.remaining_exact == frozen.remaining_exact == pytest.approx(17.7)
    assert later.elapsed == pytest.approx(7.3)
    h.runner.resume()
    assert h.at(17.7).index == 2  # the switch starts exactly when the hold's time is up
    assert CueKind.PAUSED in h.kinds() and CueKind.RESUMED in h.kinds()


def test_pause_across_a_side_switch() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(24.5)  # 0.5 s left on the left side
    h.runner.pause()
    h.at(60)
    h.runner.resume()
    state = h.at(1.0)  # the left side ends 0.5 s after resuming, then 0.5 s of the switch
    assert state.segment is not None and state.segment.kind == "switch"
    assert state.remaining_exact == pytest.approx(4.5)
    h.runner.pause()  # pause during the switch itself
    h.at(30)
    assert h.runner.snapshot().segment.kind == "switch"  # type: ignore[union-attr]
    h.runner.resume()
    state = h.at(4.5)
    assert state.segment is not None and state.segment.side == "right" and state.remaining == 20
    final = h.at(20)
    assert final.status == "completed"
    assert final.left_seconds == pytest.approx(20) and final.right_seconds == pytest.approx(20)
    assert final.elapsed == pytest.approx(50)  # 90 s of pauses are not counted


def test_toggle_pause() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.runner.toggle_pause()
    assert h.runner.status == "paused"
    h.runner.toggle_pause()
    assert h.runner.status == "running"


def test_skip_moves_on_without_counting_done() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(2)
    h.runner.skip()
    state = h.runner.snapshot()
    assert state.index == 1 and state.remaining == 20 and state.segments_done == 0
    assert state.elapsed == pytest.approx(2)
    assert len(h.segment_ends) == 1  # the recorder still checkpoints


def test_skip_on_the_last_segment_completes() -> None:
    h = Harness(make_timeline(SIDED))  # 5 + 20 + 5 + 20 = 50 s planned
    h.runner.start()
    h.at(27)  # inside the switch
    h.runner.skip()
    h.at(15)  # 42 of 50 s spent: most of the plan (the item: skipped sessions are stopped)
    h.runner.skip()  # on the last segment (right side)
    state = h.runner.snapshot()
    assert state.status == "completed" and state.progress == 1.0 and state.segment is None
    assert h.kinds()[-1] is CueKind.COMPLETE
    assert state.right_seconds == pytest.approx(15)
    assert len(h.finishes) == 1


def test_reaching_the_end_by_skipping_is_stopped_and_says_so() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(2)
    for _ in range(4):
        h.runner.skip()
    state = h.runner.snapshot()
    assert state.status == "stopped" and state.finished
    assert h.kinds()[-1] is CueKind.STOPPED and CueKind.COMPLETE not in h.kinds()
    assert h.cues[-1].text == "Session stopped after 0:02."
    assert len(h.finishes) == 1
    h.runner.skip()  # no-op when finished
    assert len(h.finishes) == 1


def test_back_on_the_first_segment_restarts_it() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(3)
    h.runner.back()
    state = h.runner.snapshot()
    assert state.index == 0 and state.remaining == 5
    h.at(1)
    h.runner.back()  # a second quick back: there is no previous segment, restart again
    state = h.runner.snapshot()
    assert state.index == 0 and state.remaining == 5
    assert state.elapsed == pytest.approx(4)  # time actually spent is kept


def test_back_twice_quickly_goes_to_the_previous_segment() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(12)  # 7 s into the left side (index 1)
    h.runner.back()
    assert h.runner.snapshot().index == 1 and h.runner.snapshot().remaining == 20
    h.at(BACK_WINDOW - 0.5)
    h.runner.back()
    state = h.runner.snapshot()
    assert state.index == 0 and state.remaining == 5


def test_back_twice_slowly_restarts_twice() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(12)
    h.runner.back()
    h.at(BACK_WINDOW + 0.5)
    h.runner.back()
    assert h.runner.snapshot().index == 1


def test_back_while_paused_stays_paused() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(10)
    h.runner.pause()
    h.runner.back()
    state = h.at(50)
    assert state.paused and state.index == 1 and state.remaining == 20


def test_manual_reps_wait_for_done() -> None:
    h = Harness(make_timeline(REPS, SIDED, get_ready=0))
    h.runner.start()
    state = h.at(500)
    assert state.segment is not None and state.segment.manual
    assert state.remaining == 0 and state.status == "running"
    assert h.runner.next_deadline() is None
    assert h.runner.done() is True
    state = h.runner.snapshot()
    assert state.index == 1 and state.remaining == 20 and state.segments_done == 1
    assert state.elapsed == 0  # manual time is not timed time
    assert h.runner.done() is False  # not on a manual segment
    assert "Tilts: 8 reps at your own pace" in h.texts()[0]  # "reps" since issue 9 item 24


def test_stop_keeps_time_spent() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(9)
    h.runner.stop()
    state = h.at(100)
    assert state.status == "stopped" and state.finished
    assert state.elapsed == pytest.approx(9) and state.left_seconds == pytest.approx(4)
    assert h.kinds()[-1] is CueKind.STOPPED
    assert h.finishes[0].status == "stopped"
    h.runner.resume()
    h.runner.back()
    assert h.runner.status == "stopped"


def test_stop_while_paused_counts_up_to_the_pause() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(6)
    h.runner.pause()
    h.at(100)
    h.runner.stop()
    assert h.runner.snapshot().elapsed == pytest.approx(6)


def test_breath_phase_and_progress() -> None:
    h = Harness(make_timeline(BREATHE, get_ready=0))
    h.runner.start()
    assert (h.runner.snapshot().breath_phase, h.runner.snapshot().breath_progress) == ("in", 0.0)
    state = h.at(2)
    assert state.breath_phase == "in" and state.breath_progress == pytest.approx(0.5)
    state = h.at(3)
    assert state.breath_phase == "hold_in" and state.breath_progress == pytest.approx(0.5)
    state = h.at(4)
    assert state.breath_phase == "out" and state.breath_progress == pytest.approx(3 / 6)
    state = h.at(3)  # 12 s: the second cycle
    assert state.breath_phase == "in" and state.breath_progress == 0
    breath = [c.kind for c in h.cues if c.kind.name.startswith("BREATH")]
    assert breath == [CueKind.BREATH_IN, CueKind.BREATH_HOLD, CueKind.BREATH_OUT, CueKind.BREATH_IN]
    assert "Breathe in" in h.texts()


def test_next_deadline_covers_seconds_breath_and_halfway() -> None:
    step = Step(StepKind.HOLD, "Odd", seconds=25, breath=BreathPattern(3, 0, 4, 0))
    h = Harness(make_timeline(step, get_ready=0))
    h.runner.start()
    start = h.clock.now
    seen = []
    while not h.runner.finished:
        deadline = h.runner.next_deadline()
        assert deadline is not None and deadline > h.clock.now
        h.clock.now = deadline
        h.runner.tick()
        seen.append(round(deadline - start, 6))
    assert 12.5 in seen  # halfway of 25 s
    assert 3.0 in seen and 7.0 in seen  # breath phases
    assert seen == sorted(set(seen)) and seen[-1] == 25
    assert len(seen) <= 27  # every whole second plus one halfway: no busy polling


def test_tick_returns_control_cues_and_on_cue_sees_each_once() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.runner.pause()
    cues = h.runner.tick()
    assert [c.kind for c in cues] == [CueKind.SEGMENT_START, CueKind.PAUSED]
    assert h.runner.tick() == []
    assert h.cues == cues


def test_on_segment_end_gets_every_segment() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.start()
    h.at(50)
    assert [s.segments_done for s in h.segment_ends] == [1, 2, 3, 4]
    assert h.segment_ends[-1].status == "completed"


def test_empty_timeline_completes_at_once() -> None:
    h = Harness(make_timeline())
    h.runner.start()
    assert h.runner.snapshot().status == "completed"


def test_stop_before_start() -> None:
    h = Harness(make_timeline(SIDED))
    h.runner.stop()
    assert h.runner.status == "stopped"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 9.0), st.booleans()), min_size=1, max_size=40))
def test_pauses_never_count_and_time_never_drifts(moves: list[tuple[float, bool]]) -> None:
    h = Harness(make_timeline(SIDED, BREATHE))
    h.runner.start()
    running_time = 0.0
    for seconds, toggle in moves:
        if h.runner.status == "running":
            running_time += seconds
        h.at(seconds)
        if toggle:
            h.runner.toggle_pause()
    state = h.runner.snapshot()
    total = h.runner.timeline.total_seconds
    assert state.elapsed == pytest.approx(min(running_time, total), abs=1e-6)
    assert state.time_left == pytest.approx(max(total - running_time, 0), abs=1e-6)


# -- the asyncio ticker --------------------------------------------------------------------


async def test_ticker_runs_a_session_to_the_end_on_a_real_loop() -> None:
    timeline = make_timeline(SIDED, BREATHE)
    runner = SessionRunner(timeline, ScaledClock(0.0005))
    updates: list[tuple[RunnerState, list[Cue]]] = []
    runner.start()
    state = await asyncio.wait_for(DeadlineTicker(runner, lambda s, c: updates.append((s, c))).run(), 10)
    assert state.status == "completed" and state.elapsed == timeline.total_seconds
    cues = [c for _, batch in updates for c in batch]
    assert cues[-1].kind is CueKind.COMPLETE
    assert sum(1 for c in cues if c.kind is CueKind.SEGMENT_END) == len(timeline)
    # it woke at deadlines, not on a poll: at most one wake per second of session plus cue moments
    assert len(updates) <= timeline.total_seconds + 20


async def test_ticker_wake_replans_after_pause_resume_and_skip() -> None:
    timeline = make_timeline(SIDED, REPS)
    runner = SessionRunner(timeline, ScaledClock(0.0005))
    loop = asyncio.get_running_loop()
    seen: list[str] = []
    ticker: DeadlineTicker

    def on_update(state: RunnerState, cues: list[Cue]) -> None:
        seen.append(state.status)
        if state.index == 1 and state.status == "running" and "paused" not in seen:
            runner.pause()
            ticker.wake()
            loop.call_soon(lambda: (runner.resume(), ticker.wake()))
        if state.segment is not None and state.segment.manual:
            loop.call_soon(lambda: (runner.done(), ticker.wake()))

    ticker = DeadlineTicker(runner, on_update)
    runner.start()
    state = await asyncio.wait_for(ticker.run(), 10)
    assert "paused" in seen and state.status == "completed"
    assert state.elapsed == pytest.approx(timeline.total_seconds)


async def test_ticker_stop_returns_early() -> None:
    runner = SessionRunner(make_timeline(SIDED), FakeClock())
    ticker = DeadlineTicker(runner, lambda s, c: None)
    runner.start()
    runner.pause()  # paused: the ticker sleeps until woken
    future = ticker.start()
    ticker.stop()
    state = await asyncio.wait_for(future, 5)
    assert state.status == "paused"
