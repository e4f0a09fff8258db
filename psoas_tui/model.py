"""Frozen value types shared by every layer: routines, sessions, cues, styles and exporters.

Nothing here imports Textual or touches the disk; these are plain data.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

SIDES: tuple[str, ...] = ("left", "right")
LEVELS: tuple[str, ...] = ("gentle", "beginner", "intermediate", "advanced")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class StepKind(enum.StrEnum):
    """What a step asks of the person."""

    PREPARE = "prepare"
    HOLD = "hold"
    BREATHE = "breathe"
    REPS = "reps"
    REST = "rest"


@dataclass(frozen=True, slots=True)
class BreathPattern:
    """Inhale, hold, exhale, hold — in whole seconds, written ``"4-0-6-0"``."""

    inhale: int
    hold_in: int
    exhale: int
    hold_out: int

    @property
    def cycle_seconds(self) -> int:
        """Seconds for one whole breath."""
        return self.inhale + self.hold_in + self.exhale + self.hold_out

    def __str__(self) -> str:
        return f"{self.inhale}-{self.hold_in}-{self.exhale}-{self.hold_out}"


DEFAULT_BREATH = BreathPattern(4, 0, 6, 0)  # the ``breath`` setting's default


@dataclass(frozen=True, slots=True)
class Step:
    """One movement of a routine, before sides and reps are expanded."""

    kind: StepKind
    title: str
    cue: str = ""
    seconds: int | None = None
    count: int | None = None
    sides: tuple[str, ...] = ()
    reps: int = 1
    rest_seconds: int = 0
    breath: BreathPattern | None = None
    breath_default: bool = False
    """True for ``breath = "default"``: paced by the user's breath setting (``breath`` then holds
    ``DEFAULT_BREATH``, used when no setting is given)."""

    @property
    def manual(self) -> bool:
        """True when the step waits for the person to say it is done (a ``reps`` step)."""
        return self.kind is StepKind.REPS


@dataclass(frozen=True, slots=True)
class RoutineSource:
    """Where a routine came from: ``builtin``, ``user`` or ``plugin`` (with the plugin name)."""

    kind: str
    name: str = ""
    path: str = ""

    def __str__(self) -> str:
        if self.kind == "plugin" and self.name:
            return f"plugin:{self.name}"
        return self.kind


@dataclass(frozen=True, slots=True)
class Routine:
    """A validated routine. Totals are computed from the steps (see ``timeline``)."""

    id: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    level: str = "gentle"
    tags: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    source: RoutineSource = field(default_factory=lambda: RoutineSource("builtin"))

    @property
    def sided(self) -> bool:
        """True when any step is done on both sides."""
        return any(step.sides for step in self.steps)


class SessionStatus(enum.StrEnum):
    """Life cycle of a logged session."""

    RUNNING = "running"
    COMPLETED = "completed"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True, slots=True)
class CheckIn:
    """How the person felt: 0-10 scales, optional per-side tightness and a free note."""

    feeling_before: int | None = None
    feeling_after: int | None = None
    tightness_left: int | None = None
    tightness_right: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One practice session as the history keeps it."""

    id: str
    routine_id: str
    routine_title: str
    routine_source: str
    started_at: datetime
    planned_seconds: int
    status: SessionStatus
    ended_at: datetime | None = None
    done_seconds: float = 0.0
    segments_done: int = 0
    left_seconds: float = 0.0
    right_seconds: float = 0.0
    checkin: CheckIn | None = None


class CueKind(enum.StrEnum):
    """Moments the runner announces."""

    SEGMENT_START = "segment_start"
    SIDE_SWITCH = "side_switch"
    BREATH_IN = "breath_in"
    BREATH_HOLD = "breath_hold"
    BREATH_OUT = "breath_out"
    COUNTDOWN = "countdown"
    HALFWAY = "halfway"
    SEGMENT_END = "segment_end"
    PAUSED = "paused"
    RESUMED = "resumed"
    COMPLETE = "complete"
    STOPPED = "stopped"
    TICK = "tick"  # status refresh for ``CueStyle.tick`` only; never passed to ``handler``


@dataclass(frozen=True, slots=True)
class Cue:
    """Something a person should hear or read now, e.g. "Switch to the right side"."""

    kind: CueKind
    text: str
    segment_index: int = 0
    step_title: str = ""
    side: str | None = None
    remaining: int | None = None


@dataclass(frozen=True, slots=True)
class CueStyle:
    """A way of delivering cues. ``handler`` is called with every ``Cue``; keep it quick.

    ``tick``, when given, is called whenever the displayed time changes (about once a second
    while a timed segment runs) with a ``Cue`` of kind ``TICK`` whose ``text`` is a short
    status line such as ``"Left · 0:23 · Half-kneeling"``. ``close`` is called once when the
    session ends.
    """

    name: str
    title: str
    handler: Callable[[Cue], None]
    description: str = ""
    close: Callable[[], None] | None = None
    tick: Callable[[Cue], None] | None = None


@dataclass(frozen=True, slots=True)
class Exporter:
    """An export format: ``write`` streams records to a binary file, one at a time."""

    name: str
    suffix: str
    title: str
    write: Callable[[Iterable[SessionRecord], BinaryIO], None]
    description: str = ""
