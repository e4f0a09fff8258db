"""A routine as a flat list of timed segments: steps x reps x sides, with switches and rests.

The timeline is where totals come from; they are never written by hand. A ``reps`` step
becomes a manual segment (``duration is None``) that waits for the person to say "done";
it adds nothing to the timed total.
"""

from __future__ import annotations

from dataclasses import dataclass

from psoas_tui.model import BreathPattern, Routine, Step, StepKind

DEFAULT_GET_READY = 5
DEFAULT_SWITCH = 5
OWN_PACE = " + own pace"
"""The mark after a total whose routine also has sets of reps done at one's own pace."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of time the runner counts down (or waits on, when manual)."""

    index: int
    kind: str  # "get_ready", "step", "switch", "rest"
    title: str
    cue: str
    start: int
    duration: int | None
    step_index: int | None = None
    step_kind: StepKind | None = None
    side: str | None = None
    rep: int = 1
    reps: int = 1
    count: int | None = None
    breath: BreathPattern | None = None

    @property
    def manual(self) -> bool:
        """True when the segment waits for "done" instead of a clock."""
        return self.duration is None

    @property
    def end(self) -> int:
        """Planned end, in seconds from the start of the session."""
        return self.start + (self.duration or 0)


@dataclass(frozen=True, slots=True)
class Timeline:
    """The routine's segments in order, with the timed total."""

    routine: Routine
    segments: tuple[Segment, ...]

    @property
    def total_seconds(self) -> int:
        """Sum of every timed segment (manual ``reps`` segments add nothing)."""
        return sum(s.duration or 0 for s in self.segments)

    @property
    def manual_count(self) -> int:
        """How many segments wait for a manual "done"."""
        return sum(1 for s in self.segments if s.manual)

    def __len__(self) -> int:
        return len(self.segments)


def build_timeline(
    routine: Routine,
    *,
    get_ready_seconds: int = DEFAULT_GET_READY,
    switch_seconds: int = DEFAULT_SWITCH,
    default_breath: BreathPattern | None = None,
) -> Timeline:
    """Expand ``routine`` into segments.

    A get-ready segment comes first; then, for each step, rep by rep, each side in turn, with
    a "switch sides" segment between sides and ``rest_seconds`` of rest between reps.
    ``default_breath`` (the user's breath setting) paces ``breathe`` steps that give no
    ``breath`` of their own and steps that ask for it with ``breath = "default"``.
    """
    segments: list[Segment] = []
    clock = 0

    def add(**fields: object) -> None:
        nonlocal clock
        segment = Segment(index=len(segments), start=clock, **fields)  # type: ignore[arg-type]
        segments.append(segment)
        clock += segment.duration or 0

    if get_ready_seconds > 0 and routine.steps:
        first = routine.steps[0]
        add(
            kind="get_ready",
            title="Get ready",
            cue=f"Coming up: {first.title}",
            duration=get_ready_seconds,
        )
    for step_index, step in enumerate(routine.steps):
        breath = step_breath(step, default_breath)
        sides: tuple[str | None, ...] = step.sides or (None,)
        for rep in range(1, step.reps + 1):
            for side_number, side in enumerate(sides):
                if side_number > 0 and switch_seconds > 0:
                    add(
                        kind="switch",
                        title="Switch sides",
                        cue=f"Switch to the {side} side",
                        duration=switch_seconds,
                        step_index=step_index,
                        side=side,
                        rep=rep,
                        reps=step.reps,
                    )
                add(
                    kind="step",
                    title=step.title,
                    cue=step.cue,
                    duration=_duration(step),
                    step_index=step_index,
                    step_kind=step.kind,
                    side=side,
                    rep=rep,
                    reps=step.reps,
                    count=step.count,
                    breath=breath,
                )
            if rep < step.reps and step.rest_seconds > 0:
                add(
                    kind="rest",
                    title="Rest",
                    cue="Rest and breathe freely",
                    duration=step.rest_seconds,
                    step_index=step_index,
                    rep=rep,
                    reps=step.reps,
                )
    return Timeline(routine=routine, segments=tuple(segments))


def follows_setting(step: Step) -> bool:
    """True when the user's breath setting paces ``step`` (``breath = "default"``, or a
    ``breathe`` step without a ``breath``)."""
    return step.breath_default or (step.breath is None and step.kind is StepKind.BREATHE)


def step_breath(step: Step, default_breath: BreathPattern | None) -> BreathPattern | None:
    """The pattern that paces ``step``: its own, or ``default_breath`` (the user's setting) for a
    step marked ``breath = "default"`` and for a ``breathe`` step without a ``breath``."""
    if follows_setting(step) and default_breath is not None:
        return default_breath
    return step.breath


def _duration(step: Step) -> int | None:
    return None if step.manual else step.seconds
