"""How late does a running session notice segment ends, with a busy event loop?

Drives a ``SessionRunner`` the way the app does: on a real asyncio loop, with the same
``DeadlineTicker`` the TUI and plain mode use, on a ``ScaledClock`` whose scale puts segment
ends at uneven real times (not in step with anything else). Every ``BLOCK_EVERY`` seconds the
loop is blocked for ``BLOCK_MS`` (a ``time.sleep`` in a loop callback), like a busy UI.

For each segment end (a ``segment_end`` cue) it measures when the ticker noticed it:

* ends outside a blocked stretch: lateness after the true deadline;
* ends inside a blocked stretch: lateness after the block ends (the earliest anything could
  notice them).

It also reports the drift between the runner's ``elapsed`` and the true elapsed real time
(read at the last wake before the session completes). Output: one JSON object per line,
``{"bench", "metric", "value", "unit", "target"}``; value at most target means met
(``target`` null: for information). Run: ``python bench/timer_accuracy.py [--quick]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from dataclasses import dataclass, field

from psoas_tui.model import Cue, CueKind, Routine, Step, StepKind
from psoas_tui.practice.clock import ScaledClock
from psoas_tui.practice.runner import RunnerState, SessionRunner
from psoas_tui.practice.ticker import DeadlineTicker
from psoas_tui.practice.timeline import Timeline, build_timeline
from psoas_tui.routines import parse_breath

BENCH = "timer_accuracy"
BLOCK_MS = 300
BLOCK_EVERY = 2.0
SCALE = 0.0473  # real seconds per session second: ends fall at uneven real times
TARGET_P95_MS = 5.0
TARGET_MAX_MS = 25.0
TARGET_DRIFT_MS = 5.0

_PATTERN = (
    (StepKind.HOLD, 7, ("left", "right"), 1, 0, "3-1-5-0"),
    (StepKind.BREATHE, 11, (), 1, 0, "4-0-6-0"),
    (StepKind.HOLD, 13, ("left", "right"), 2, 3, None),
    (StepKind.REST, 6, (), 1, 0, None),
    (StepKind.HOLD, 9, ("left", "right"), 1, 0, "4-2-6-1"),
    (StepKind.PREPARE, 5, (), 1, 0, None),
    (StepKind.BREATHE, 17, (), 1, 0, "5-0-5-0"),
)


def make_timeline(real_seconds: float) -> Timeline:
    """A synthetic routine with sides, reps, rests and breath, at least ``real_seconds`` long."""
    steps: list[Step] = []
    while True:
        kind, seconds, sides, reps, rest, breath = _PATTERN[len(steps) % len(_PATTERN)]
        steps.append(
            Step(
                kind=kind,
                title=f"Step {len(steps) + 1}",
                seconds=seconds,
                sides=sides,
                reps=reps,
                rest_seconds=rest,
                breath=parse_breath(breath) if breath else None,
            )
        )
        routine = Routine(id="bench", title="Bench", summary="", steps=tuple(steps))
        timeline = build_timeline(routine)
        if timeline.total_seconds * SCALE >= real_seconds:
            return timeline


@dataclass
class Recorder:
    """What the run saw: when each end was noticed, the blocks, and the drift samples."""

    timeline: Timeline
    runner: SessionRunner
    noticed: dict[int, float] = field(default_factory=dict)
    blocks: list[tuple[float, float]] = field(default_factory=list)
    drift_ms: float = math.nan
    start_real: float = 0.0

    def on_update(self, state: RunnerState, cues: list[Cue]) -> None:
        now = time.monotonic()
        for cue in cues:
            if cue.kind is CueKind.SEGMENT_END:
                self.noticed.setdefault(cue.segment_index, now)
        if not state.finished:
            real = time.monotonic()
            elapsed = self.runner.snapshot().elapsed
            self.drift_ms = abs(elapsed * SCALE - (real - self.start_real)) * 1000


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``nan`` for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


async def drive(real_seconds: float) -> tuple[Recorder, float]:
    """Run one session; returns the recorder and the real seconds it took."""
    loop = asyncio.get_running_loop()
    timeline = make_timeline(real_seconds)
    clock = ScaledClock(SCALE)
    runner = SessionRunner(timeline, clock)
    recorder = Recorder(timeline, runner)
    ticker = DeadlineTicker(runner, recorder.on_update, scale=SCALE)

    runner.start()
    assert runner.started_at is not None
    recorder.start_real = runner.started_at * SCALE
    finished = False

    def block(k: int) -> None:
        if finished:
            return
        b0 = time.monotonic()
        time.sleep(BLOCK_MS / 1000)
        recorder.blocks.append((b0, time.monotonic()))
        loop.call_at(recorder.start_real + (k + 1) * BLOCK_EVERY, block, k + 1)

    loop.call_at(recorder.start_real + BLOCK_EVERY, block, 1)
    await ticker.run()
    finished = True
    return recorder, time.monotonic() - recorder.start_real


def report(recorder: Recorder, real: float) -> list[dict[str, object]]:
    """The JSON lines."""
    outside: list[float] = []
    after_block: list[float] = []
    for segment in recorder.timeline.segments:
        noticed = recorder.noticed.get(segment.index)
        if noticed is None:
            continue
        deadline = recorder.start_real + segment.end * SCALE
        inside = next((b for b in recorder.blocks if b[0] <= deadline <= b[1]), None)
        if inside is None:
            outside.append((noticed - deadline) * 1000)
        else:
            after_block.append((noticed - inside[1]) * 1000)

    def line(metric: str, value: float, unit: str, target: float | None) -> dict[str, object]:
        shown: object = round(value, 4) if math.isfinite(value) else None
        return {
            "bench": BENCH,
            "metric": metric,
            "value": shown,
            "unit": unit,
            "target": target,
        }

    return [
        line("late_p95_ms", percentile(outside, 95), "ms", TARGET_P95_MS),
        line("late_max_ms", max(outside, default=math.nan), "ms", TARGET_MAX_MS),
        line("late_after_block_p95_ms", percentile(after_block, 95), "ms", TARGET_P95_MS),
        line("late_after_block_max_ms", max(after_block, default=math.nan), "ms", TARGET_MAX_MS),
        line("elapsed_drift_ms", recorder.drift_ms, "ms", TARGET_DRIFT_MS),
        line("segment_ends_outside_blocks", float(len(outside)), "count", None),
        line("segment_ends_in_blocks", float(len(after_block)), "count", None),
        line("loop_blocks", float(len(recorder.blocks)), "count", None),
        line("real_seconds", real, "s", None),
        line("time_scale", SCALE, "real s per session s", None),
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a ~5 s smoke run instead of >= 60 s")
    args = parser.parse_args(argv)
    real_seconds = 5.0 if args.quick else 61.0
    recorder, real = asyncio.run(drive(real_seconds))
    for row in report(recorder, real):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
