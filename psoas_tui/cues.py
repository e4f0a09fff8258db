"""What the runner says, and how it is delivered.

* Cue texts: the words a person should hear or read at each moment of a session
  ("Switch to the right side", "Inhale to lengthen"). The runner (``psoas_tui.session``)
  builds its ``Cue`` values with these functions, so wording lives in one place.
* ``select_styles``: the ``CueStyle`` objects the user switched on (config ``cue_styles`` or
  repeated ``--cue``), with an error listing the available names for an unknown one.
* ``CueDispatcher``: calls every enabled style's ``handler`` with each cue (and its ``tick``
  with status updates). A style that raises is switched off for the rest of the session with
  one notice; the session goes on.

Inside the TUI the on-screen line *is* the ``text`` style, so the TUI builds its dispatcher
with ``exclude={"text"}`` (the ``text`` handler prints to stdout, which belongs to plain mode).
Styles that write escape sequences (``bell``, ``title``, ``notify``) go through
``psoas_tui.builtins.cue_styles.set_terminal_writer`` so the TUI can route them through its
own output (see that module).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from psoas_tui.errors import UserError, one_line
from psoas_tui.model import Cue, CueKind, CueStyle, StepKind
from psoas_tui.text import plural
from psoas_tui.timeline import format_seconds

if TYPE_CHECKING:
    from psoas_tui.session import RunnerState
    from psoas_tui.timeline import Segment

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


def status_line(state: RunnerState) -> str:
    """A short status such as ``"Left · 0:23 · Half-kneeling"`` (window titles, tick cues)."""
    segment = state.segment
    if state.status == "completed":
        return "psoas-tui · session complete"
    if state.status == "stopped":
        return "psoas-tui · stopped"
    if segment is None:
        return "psoas-tui"
    parts: list[str] = []
    if state.paused:
        parts.append("Paused")
    if segment.side:
        parts.append(side_label(segment.side) if segment.kind == "step" else f"To {segment.side}")
    if segment.manual:
        parts.append(f"x{segment.count}" if segment.count else "at your pace")
    else:
        parts.append(format_seconds(state.remaining))
    parts.append(segment.title)
    return " · ".join(parts)


def tick_cue(state: RunnerState) -> Cue:
    """The ``TICK`` cue given to ``CueStyle.tick`` handlers for ``state``."""
    segment = state.segment
    return Cue(
        kind=CueKind.TICK,
        text=status_line(state),
        segment_index=state.index,
        step_title=segment.title if segment else "",
        side=segment.side if segment else None,
        remaining=None if segment is None or segment.manual else state.remaining,
    )


def select_styles(
    available: Iterable[CueStyle], wanted: Sequence[str], *, where: str = "--cue"
) -> list[CueStyle]:
    """The styles named in ``wanted``, in that order, without repeats.

    An unknown name is a ``UserError`` naming ``where`` and listing the available styles.
    """
    by_name = {style.name: style for style in available}
    chosen: list[CueStyle] = []
    for name in dict.fromkeys(wanted):
        if name not in by_name:
            names = ", ".join(sorted(by_name)) or "none"
            raise UserError(f"{where}: unknown cue style {name!r}; available: {names}")
        chosen.append(by_name[name])
    return chosen


class CueDispatcher:
    """Delivers cues to the enabled styles; a style that raises is switched off with one notice.

    ``exclude`` names styles whose handlers are not called (the TUI passes ``{"text"}`` since
    it shows the cue line itself). ``notice`` receives one human-readable line per style
    switched off (plain mode prints it to stderr, the TUI shows a notification); notices are
    also kept in ``notices``. The dispatcher is itself a ``Callable[[Cue], None]``, so it can be
    passed straight to ``SessionRunner(on_cue=...)``.
    """

    def __init__(
        self,
        styles: Iterable[CueStyle],
        *,
        exclude: Collection[str] = (),
        notice: Callable[[str], None] | None = None,
    ) -> None:
        self.styles: list[CueStyle] = [s for s in styles if s.name not in exclude]
        self.disabled: dict[str, str] = {}
        self.notices: list[str] = []
        self._notice = notice
        self._closed = False

    @property
    def active(self) -> list[str]:
        """Names of the styles still switched on."""
        return [s.name for s in self.styles if s.name not in self.disabled]

    def __call__(self, cue: Cue) -> None:
        """Give ``cue`` to every active style's handler."""
        for style in self.styles:
            if style.name not in self.disabled:
                self._call(style, style.handler, cue)

    def tick(self, state: RunnerState) -> None:
        """Give a status update to every active style that has a ``tick``."""
        cue: Cue | None = None
        for style in self.styles:
            if style.tick is not None and style.name not in self.disabled:
                cue = cue or tick_cue(state)
                self._call(style, style.tick, cue)

    def close(self) -> None:
        """Call every style's ``close`` once (also for styles switched off); errors are noticed."""
        if self._closed:
            return
        self._closed = True
        for style in self.styles:
            if style.close is not None:
                try:
                    style.close()
                except Exception as exc:
                    self._report(f"cue style {style.name!r} failed to close: {one_line(exc)}")

    def _call(self, style: CueStyle, func: Callable[[Cue], None], cue: Cue) -> None:
        try:
            func(cue)
        except Exception as exc:
            self.disabled[style.name] = one_line(exc)
            self._report(f"cue style {style.name!r} switched off for this session: {one_line(exc)}")

    def _report(self, message: str) -> None:
        self.notices.append(message)
        if self._notice is not None:
            with contextlib.suppress(Exception):  # a failing notice must not stop the session
                self._notice(message)
