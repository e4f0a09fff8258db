"""Routine -> timeline: get-ready, sides with switches, reps with rests, manual reps, totals."""

from __future__ import annotations

from psoas_tui.model import BreathPattern, Routine, Step, StepKind
from psoas_tui.practice.timeline import build_timeline
from psoas_tui.text import format_seconds


def routine(*steps: Step) -> Routine:
    return Routine(id="r", title="R", summary="", steps=steps)


def test_get_ready_comes_first_and_counts() -> None:
    timeline = build_timeline(routine(Step(StepKind.HOLD, "Hold", seconds=30)), get_ready_seconds=7)
    kinds = [(s.kind, s.start, s.duration) for s in timeline.segments]
    assert kinds == [("get_ready", 0, 7), ("step", 7, 30)]
    assert timeline.total_seconds == 37
    assert "Hold" in timeline.segments[0].cue


def test_no_get_ready_when_zero() -> None:
    timeline = build_timeline(routine(Step(StepKind.HOLD, "Hold", seconds=30)), get_ready_seconds=0)
    assert [s.kind for s in timeline.segments] == ["step"]


def test_sides_reps_switches_and_rests() -> None:
    step = Step(StepKind.HOLD, "Lunge", seconds=30, sides=("left", "right"), reps=2, rest_seconds=10)
    timeline = build_timeline(routine(step), get_ready_seconds=5, switch_seconds=4)
    shape = [(s.kind, s.side, s.rep, s.start, s.duration) for s in timeline.segments]
    assert shape == [
        ("get_ready", None, 1, 0, 5),
        ("step", "left", 1, 5, 30),
        ("switch", "right", 1, 35, 4),
        ("step", "right", 1, 39, 30),
        ("rest", None, 1, 69, 10),
        ("step", "left", 2, 79, 30),
        ("switch", "right", 2, 109, 4),
        ("step", "right", 2, 113, 30),
    ]
    assert timeline.total_seconds == 143 == timeline.segments[-1].end
    assert timeline.segments[2].cue == "Switch to the right side"
    assert [s.index for s in timeline.segments] == list(range(8))


def test_manual_reps_add_nothing_to_the_total() -> None:
    steps = (Step(StepKind.REPS, "Tilts", count=8), Step(StepKind.HOLD, "Hold", seconds=20))
    timeline = build_timeline(routine(*steps), get_ready_seconds=5)
    manual = timeline.segments[1]
    assert manual.manual and manual.count == 8 and manual.duration is None
    assert timeline.segments[2].start == 5
    assert timeline.total_seconds == 25
    assert timeline.manual_count == 1


def test_default_breath_paces_breathe_steps_only() -> None:
    pattern = BreathPattern(4, 0, 6, 0)
    steps = (Step(StepKind.BREATHE, "Breathe", seconds=20), Step(StepKind.HOLD, "Hold", seconds=20))
    timeline = build_timeline(routine(*steps), default_breath=pattern)
    assert timeline.segments[1].breath == pattern
    assert timeline.segments[2].breath is None


def test_start_plus_duration_is_contiguous() -> None:
    step = Step(StepKind.HOLD, "S", seconds=13, sides=("left", "right"), reps=3, rest_seconds=7)
    timeline = build_timeline(routine(step))
    for before, after in zip(timeline.segments, timeline.segments[1:], strict=False):
        assert after.start == before.end


def test_empty_routine_has_no_segments() -> None:
    assert len(build_timeline(routine())) == 0


def test_format_seconds() -> None:
    assert format_seconds(0) == "0:00"
    assert format_seconds(75) == "1:15"
    assert format_seconds(3725) == "1:02:05"
