"""The words of a session: what a person should hear or read at each moment.

Pure text functions ("Switch to the right side", "Inhale to lengthen"). The runner
(``psoas_tui.practice.runner``) builds its ``Cue`` values with them, so the wording lives in one place;
how cues are delivered to the cue styles is ``psoas_tui.practice.delivery``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psoas_tui.model import CueKind, StepKind
from psoas_tui.text import format_seconds, plural

if TYPE_CHECKING:
    from psoas_tui.practice.timeline import Segment

BREATH_TEXTS: dict[str, tuple[CueKind, str]] = {
    "in": (CueKind.BREATH_IN, "Inhale to lengthen"),
    "hold_in": (CueKind.BREATH_HOLD, "Hold, stay soft"),
    "out": (CueKind.BREATH_OUT, "Exhale and ease a little deeper"),
    "hold_out": (CueKind.BREATH_HOLD, "Rest before the next breath"),
}

CALM_BREATH_TEXTS: dict[str, tuple[CueKind, str]] = {
    "in": (CueKind.BREATH_IN, "Breathe in"),
    "hold_in": (CueKind.BREATH_HOLD, "Hold"),
    "out": (CueKind.BREATH_OUT, "Breathe out slowly"),
    "hold_out": (CueKind.BREATH_HOLD, "Pause"),
}


def breath_text(segment: Segment, phase: str) -> tuple[CueKind, str]:
    """The cue for breath ``phase`` (``in``, ``hold_in``, ``out``, ``hold_out``) in ``segment``.

    Stretches get "Inhale to lengthen" / "Exhale and ease a little deeper"; ``breathe`` steps
    and rests get plain "Breathe in" / "Breathe out slowly".
    """
    stretching = segment.kind == "step" and segment.step_kind not in (StepKind.BREATHE, StepKind.REST)
    return (BREATH_TEXTS if stretching else CALM_BREATH_TEXTS)[phase]


def side_label(side: str | None) -> str:
    """``"left"`` -> ``"Left"``; ``None`` -> ``""``."""
    return side.capitalize() if side else ""


def start_text(segment: Segment) -> tuple[CueKind, str]:
    """The cue that opens ``segment``: its kind and words."""
    if segment.kind == "switch":
        return CueKind.SIDE_SWITCH, segment.cue or f"Switch to the {segment.side} side"
    if segment.kind == "get_ready":
        return CueKind.SEGMENT_START, f"Get ready. {segment.cue}".strip()
    if segment.kind == "rest":
        return CueKind.SEGMENT_START, f"{segment.cue or 'Rest'} ({format_seconds(segment.duration or 0)})"
    head = segment.title
    if segment.side:
        head += f", {segment.side} side"
    if segment.reps > 1:
        head += f", round {segment.rep} of {segment.reps}"
    if segment.manual:
        count = f"{plural(segment.count, 'rep')} at your own pace" if segment.count else "at your own pace"
        head += f": {count}, then mark it done"
    else:
        head += f", {format_seconds(segment.duration or 0)}"
    return CueKind.SEGMENT_START, f"{head}. {segment.cue}".strip()


def end_text(segment: Segment) -> str:
    """The words when ``segment`` ends."""
    if segment.kind == "step":
        return f"Release the {segment.side} side" if segment.side else f"Done: {segment.title}"
    if segment.kind == "get_ready":
        return "Begin"
    if segment.kind == "rest":
        return "Rest over"
    return "Go"


def halfway_text(segment: Segment) -> str:
    """The words at the middle of a step."""
    return f"Halfway on the {segment.side} side" if segment.side else "Halfway there"


def countdown_text(seconds: int) -> str:
    """``3`` -> ``"3"``: the 3-2-1 before a change."""
    return str(seconds)


def complete_text(elapsed: float) -> str:
    """The words when the whole session is done."""
    return f"Session complete: {format_seconds(elapsed)} of stretching. Well done."


def stopped_text(elapsed: float) -> str:
    """The words when the session is stopped early."""
    return f"Session stopped after {format_seconds(elapsed)}."
