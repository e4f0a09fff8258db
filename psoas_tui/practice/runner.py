"""The session runner: a clock-driven state machine over a ``Timeline`` (no Textual here).

Time never drifts: every timed segment has a deadline on the injected monotonic clock, and
``remaining`` is ``ceil(deadline - now)``, never a count of ticks. When a segment ends, the
next one starts *at the old deadline*, not when the end was noticed, so a late wake-up (a busy
UI, a slow terminal) delays what is shown but never shifts the schedule. Pausing freezes the
segment's own time exactly; resuming moves its deadline by the length of the pause.

Controls: ``start``, ``pause``, ``resume``, ``toggle_pause``, ``skip``, ``back`` (restart the
segment; a second ``back`` within ``BACK_WINDOW`` seconds of session time goes to the previous
one), ``done`` (finishes a manual ``reps`` segment) and ``stop``. ``tick()`` brings the state up
to the clock and returns the cues due since the last ``tick`` (including those emitted by the
controls); every cue is also passed to ``on_cue`` the moment it is emitted (use one or the
other, not both). ``snapshot()`` describes the state at the current clock reading and
``next_deadline()`` says when it next changes, so a caller can sleep exactly until then.

Seams for the history recorder: ``on_segment_end(state)`` runs whenever a segment is left
(ended, done, skipped or restarted by ``back``) and ``on_finish(state)`` once when the session
completes or is stopped; both get the state at the logical moment of the event.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from psoas_tui.model import Cue, CueKind
from psoas_tui.practice import wording as texts
from psoas_tui.practice.clock import Clock
from psoas_tui.practice.timeline import Segment, Timeline

Status = Literal["ready", "running", "paused", "completed", "stopped"]
COMPLETED_SHARE = 0.8  # the share of the timed plan a session must really spend to be completed


def spent_enough(elapsed: float, planned_seconds: float, segments_done: int, count: int) -> bool:
    """True when a session that reached its end counts as completed: at least
    ``COMPLETED_SHARE`` of the timed plan spent (session-clock seconds); for a plan with nothing
    timed, that share of its ``count`` segments done, not skipped."""
    if planned_seconds > 0:
        return elapsed + 1e-6 >= COMPLETED_SHARE * planned_seconds
    return segments_done >= math.ceil(COMPLETED_SHARE * count)
BreathPhase = Literal["in", "hold_in", "out", "hold_out"]

BACK_WINDOW = 3.0
COUNTDOWN_FROM = 3
HALFWAY_MIN_SECONDS = 10
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class RunnerState:
    """The runner at one moment. Times are session seconds.

    ``remaining`` is the whole seconds shown (``ceil`` of deadline minus now; 0 for a manual
    segment); ``elapsed`` is the time actually spent in timed segments (pauses excluded);
    ``progress`` (0..1) and ``time_left`` are positions on the timed total; ``left_seconds`` /
    ``right_seconds`` are time spent in timed steps on each side.
    """

    segment: Segment | None
    index: int
    count: int
    remaining: int
    remaining_exact: float
    elapsed: float
    progress: float
    total_seconds: int
    time_left: float
    paused: bool
    finished: bool
    status: Status
    breath_phase: BreathPhase | None
    breath_progress: float
    next_segment: Segment | None
    segments_done: int
    left_seconds: float
    right_seconds: float


@dataclass(frozen=True, slots=True)
class _Event:
    """A cue due at ``offset`` seconds into the current segment."""

    offset: float
    kind: CueKind
    text: str


class SessionRunner:
    """Runs ``timeline`` against ``clock``; see the module docstring for the contract."""

    def __init__(
        self,
        timeline: Timeline,
        clock: Clock,
        on_cue: Callable[[Cue], None] | None = None,
        on_segment_end: Callable[[RunnerState], None] | None = None,
        on_finish: Callable[[RunnerState], None] | None = None,
    ) -> None:
        self.timeline = timeline
        self.segments: tuple[Segment, ...] = timeline.segments
        self.clock = clock
        self.on_cue = on_cue
        self.on_segment_end = on_segment_end
        self.on_finish = on_finish
        self._status: Status = "ready"
        self._index = 0
        self._origin = 0.0  # clock reading at which the current segment's own time is 0
        self._frozen_at: float | None = None  # clock reading where segment time stands still
        self._events: list[_Event] = []
        self._next_event = 0
        self._spent = 0.0
        self._sides = {"left": 0.0, "right": 0.0}
        self._done = 0
        self._pending: list[Cue] = []
        self._last_back: tuple[float, int] | None = None
        self.started_at: float | None = None
        """Clock reading at ``start()``: with no pause, segment ``i`` ends at ``started_at + end``."""

    # -- properties ---------------------------------------------------------------------
    @property
    def status(self) -> Status:
        """``ready``, ``running``, ``paused``, ``completed`` or ``stopped``."""
        return self._status

    @property
    def finished(self) -> bool:
        """True once the session completed or was stopped."""
        return self._status in ("completed", "stopped")

    @property
    def current(self) -> Segment | None:
        """The current segment (None before a non-empty start or after completion)."""
        if self._status == "completed" or not self.segments:
            return None
        return self.segments[self._index]

    # -- controls -----------------------------------------------------------------------
    def start(self) -> None:
        """Begin with the first segment (no-op unless ``ready``)."""
        if self._status != "ready":
            return
        now = self.clock()
        self.started_at = now
        self._status = "running"
        if not self.segments:
            self._finish("completed", now)
            return
        self._enter(0, now)

    def pause(self) -> None:
        """Freeze the current segment exactly where it is."""
        if self._status != "running":
            return
        now = self.clock()
        self._advance(now)
        if self._status != "running":
            return
        self._status = "paused"
        self._frozen_at = now
        self._emit(CueKind.PAUSED, "Paused", now)

    def resume(self) -> None:
        """Carry on from where ``pause`` froze the segment."""
        if self._status != "paused" or self._frozen_at is None:
            return
        now = self.clock()
        self._origin += now - self._frozen_at
        self._frozen_at = None
        self._status = "running"
        self._emit(CueKind.RESUMED, "Resumed", now)

    def toggle_pause(self) -> None:
        """Pause when running, resume when paused."""
        if self._status == "paused":
            self.resume()
        else:
            self.pause()

    def skip(self) -> None:
        """Leave the current segment now (not counted as done); on the last one, complete."""
        at = self._control_time()
        if at is None:
            return
        self._leave(at, completed=False)
        self._go(self._index + 1, at)

    def back(self) -> None:
        """Restart the current segment; a second ``back`` within 3 s goes to the previous one."""
        at = self._control_time()
        if at is None:
            return
        now = self.clock()
        quick = (
            self._last_back is not None
            and self._last_back[1] == self._index
            and now - self._last_back[0] <= BACK_WINDOW + _EPS
        )
        target = self._index - 1 if quick and self._index > 0 else self._index
        self._leave(at, completed=False)
        self._go(target, at)
        self._last_back = (now, target)

    def done(self) -> bool:
        """Mark a manual (``reps``) segment done and move on; False when not on one."""
        segment = self.current
        if segment is None or not segment.manual:
            return False
        at = self._control_time()
        if at is None:
            return False
        self._leave(at, completed=True)
        self._go(self._index + 1, at)
        return True

    def stop(self) -> None:
        """End the session early; time spent so far is kept."""
        if self.finished:
            return
        now = self.clock()
        if self._status == "ready":
            self._finish("stopped", now)
            return
        at = self._control_time()
        if at is None:  # finished while catching up
            return
        self._account(at)
        self._finish("stopped", at)

    # -- clock --------------------------------------------------------------------------
    def tick(self) -> list[Cue]:
        """Bring the state up to ``clock()``; return the cues emitted since the last ``tick``."""
        if self._status == "running":
            self._advance(self.clock())
        pending, self._pending = self._pending, []
        return pending

    def next_deadline(self) -> float | None:
        """Clock reading at which the display or a cue next changes; None when nothing will.

        That is the next whole second of ``remaining``, the next breath phase, halfway or
        countdown cue, or the segment's end. None while ready, paused, finished or on a manual
        segment. A reading in the past means "tick now".
        """
        segment = self.current
        if self._status != "running" or segment is None or segment.manual:
            return None
        now = self.clock()
        deadline = self._origin + (segment.duration or 0)
        left = deadline - now
        if left <= _EPS:
            return now
        whole = math.ceil(left - _EPS)
        candidate = deadline - (whole - 1)
        if self._next_event < len(self._events):
            candidate = min(candidate, self._origin + self._events[self._next_event].offset)
        return candidate

    def snapshot(self) -> RunnerState:
        """The state at the current clock reading (does not advance; call ``tick`` for that)."""
        return self._snapshot(self.clock())

    # -- internals ----------------------------------------------------------------------
    def _control_time(self) -> float | None:
        """Catch up with the clock, then the moment a control acts at (None if finished)."""
        if self._status not in ("running", "paused"):
            return None
        now = self.clock()
        if self._status == "running":
            self._advance(now)
            if self._status != "running":
                return None
            return now
        return self._frozen_at

    def _advance(self, now: float) -> None:
        """Emit every cue due up to ``now`` and cross every segment end before it."""
        while self._status == "running":
            segment = self.segments[self._index]
            if segment.manual:
                return
            self._emit_due(now - self._origin)
            deadline = self._origin + (segment.duration or 0)
            if now + _EPS < deadline:
                return
            self._leave(deadline, completed=True)
            self._go(self._index + 1, deadline)

    def _emit_due(self, seg_time: float) -> None:
        segment = self.segments[self._index]
        events = self._events
        while self._next_event < len(events) and events[self._next_event].offset <= seg_time + _EPS:
            event = events[self._next_event]
            self._next_event += 1
            remaining = math.ceil((segment.duration or 0) - event.offset - _EPS)
            self._emit(event.kind, event.text, self._origin + event.offset, remaining=remaining)

    def _enter(self, index: int, at: float) -> None:
        """Make ``segments[index]`` current, its own time 0 at clock reading ``at``."""
        self._index = index
        self._origin = at
        if self._frozen_at is not None:
            self._frozen_at = at
        segment = self.segments[index]
        self._events = _events_for(segment)
        self._next_event = 0
        kind, text = texts.start_text(segment)
        self._emit(kind, text, at)
        self._emit_due(0.0)

    def _seg_time(self, now: float) -> float:
        segment = self.segments[self._index]
        if segment.manual:
            return 0.0
        ref = self._frozen_at if self._frozen_at is not None else now
        return min(max(ref - self._origin, 0.0), float(segment.duration or 0))

    def _account(self, at: float) -> None:
        """Add the time spent in the current segment up to ``at`` to the totals."""
        segment = self.segments[self._index]
        spent = self._seg_time(at)
        self._spent += spent
        if segment.kind == "step" and segment.side in self._sides:
            self._sides[segment.side] += spent

    def _leave(self, at: float, *, completed: bool) -> None:
        self._account(at)
        if completed:
            self._done += 1
            segment = self.segments[self._index]
            remaining = None if segment.manual else 0
            self._emit(CueKind.SEGMENT_END, texts.end_text(segment), at, remaining=remaining)

    def _go(self, index: int, at: float) -> None:
        """Enter segment ``index`` (or complete past the end), then tell the recorder."""
        if index < len(self.segments):
            self._enter(index, at)
        else:
            self._finish(self._end_status(), at, notify_segment=True)
            return
        if self.on_segment_end is not None:
            self.on_segment_end(self._snapshot(at))

    def _end_status(self) -> Status:
        """Reaching the end is ``completed`` only when most of the plan was really done
        (``spent_enough``); reached by skipping, it is ``stopped``, as the history stores it."""
        done = spent_enough(self._spent, self.timeline.total_seconds, self._done, len(self.segments))
        return "completed" if done else "stopped"

    def _finish(self, status: Status, at: float, *, notify_segment: bool = False) -> None:
        self._status = status
        self._frozen_at = at
        self._events, self._next_event = [], 0
        if status == "completed":
            self._emit(CueKind.COMPLETE, texts.complete_text(self._spent), at, remaining=0)
        else:
            self._emit(CueKind.STOPPED, texts.stopped_text(self._spent), at)
        state = self._snapshot(at)
        if notify_segment and self.on_segment_end is not None:
            self.on_segment_end(state)
        if self.on_finish is not None:
            self.on_finish(state)

    def _emit(self, kind: CueKind, text: str, at: float, *, remaining: int | None = None) -> None:
        segment = self.current
        if remaining is None and segment is not None and not segment.manual and not self.finished:
            remaining = math.ceil((segment.duration or 0) - self._seg_time(at) - _EPS)
        cue = Cue(
            kind=kind,
            text=text,
            segment_index=self._index if segment is not None else len(self.segments),
            step_title=segment.title if segment is not None else "",
            side=segment.side if segment is not None else None,
            remaining=remaining,
        )
        self._pending.append(cue)
        if self.on_cue is not None:
            self.on_cue(cue)

    def _snapshot(self, now: float) -> RunnerState:
        total = self.timeline.total_seconds
        count = len(self.segments)
        common = {
            "count": count,
            "total_seconds": total,
            "segments_done": self._done,
            "status": self._status,
            "paused": self._status == "paused",
            "finished": self.finished,
        }
        if self._status == "completed" or not self.segments:
            return RunnerState(
                segment=None, index=count, remaining=0, remaining_exact=0.0, elapsed=self._spent,
                progress=1.0 if self._status == "completed" else 0.0, time_left=0.0,
                breath_phase=None, breath_progress=0.0, next_segment=None,
                left_seconds=self._sides["left"], right_seconds=self._sides["right"], **common,
            )  # fmt: skip
        segment = self.segments[self._index]
        live = self._status in ("running", "paused")
        seg_time = self._seg_time(now) if self._status != "ready" else 0.0
        duration = float(segment.duration or 0)
        remaining_exact = 0.0 if segment.manual else duration - seg_time
        position = segment.start + seg_time
        current_side = segment.side if live and segment.kind == "step" else None
        left = self._sides["left"] + (seg_time if current_side == "left" else 0.0)
        right = self._sides["right"] + (seg_time if current_side == "right" else 0.0)
        phase, phase_progress = (None, 0.0)
        if live and segment.breath is not None and not segment.manual and seg_time < duration:
            phase, phase_progress = breath_at(segment, seg_time)
        progress = position / total if total > 0 else self._index / count
        return RunnerState(
            segment=segment,
            index=self._index,
            remaining=0 if segment.manual else max(0, math.ceil(remaining_exact - _EPS)),
            remaining_exact=remaining_exact,
            elapsed=self._spent + (seg_time if live else 0.0),
            progress=min(max(progress, 0.0), 1.0),
            time_left=max(total - position, 0.0),
            breath_phase=phase,
            breath_progress=phase_progress,
            next_segment=self.segments[self._index + 1] if self._index + 1 < count else None,
            left_seconds=left,
            right_seconds=right,
            **common,
        )


def _phases(segment: Segment) -> list[tuple[BreathPhase, int]]:
    breath = segment.breath
    if breath is None:
        return []
    phases: list[tuple[BreathPhase, int]] = [
        ("in", breath.inhale),
        ("hold_in", breath.hold_in),
        ("out", breath.exhale),
        ("hold_out", breath.hold_out),
    ]
    return [(name, length) for name, length in phases if length > 0]


def breath_at(segment: Segment, seg_time: float) -> tuple[BreathPhase | None, float]:
    """The breath phase ``seg_time`` seconds into ``segment`` and how far through it (0..1)."""
    phases = _phases(segment)
    cycle = sum(length for _, length in phases)
    if cycle <= 0:
        return None, 0.0
    position = seg_time % cycle
    for name, length in phases:
        if position < length:
            return name, position / length
        position -= length
    return phases[-1][0], 1.0


def _events_for(segment: Segment) -> list[_Event]:
    """Every timed cue inside ``segment``, by offset: breath phases, halfway, 3-2-1."""
    if segment.manual or not segment.duration:
        return []
    duration = segment.duration
    events: list[tuple[float, int, _Event]] = []
    phases = _phases(segment)
    cycle = sum(length for _, length in phases)
    if cycle > 0:
        start = 0
        while start < duration:
            offset = start
            for name, length in phases:
                if offset < duration:
                    kind, text = texts.breath_text(segment, name)
                    events.append((offset, 0, _Event(offset, kind, text)))
                offset += length
            start += cycle
    if segment.kind == "step" and duration >= HALFWAY_MIN_SECONDS:
        half = duration / 2
        events.append((half, 1, _Event(half, CueKind.HALFWAY, texts.halfway_text(segment))))
    for n in range(COUNTDOWN_FROM, 0, -1):
        if duration > n:
            events.append((duration - n, 2, _Event(duration - n, CueKind.COUNTDOWN, texts.countdown_text(n))))
    events.sort(key=lambda item: (item[0], item[1]))
    return [event for _, _, event in events]
