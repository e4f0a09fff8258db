"""The pose figure beside the run screen's countdown: the current step, the current side.

``PoseFigure`` is told what to show (``show(step_index, side, t)``) and draws it with
``psoas_tui.figures.library.figure_for`` at its own size. ``t`` (0..1 through the step's key
poses) is rounded to ``T_STEPS`` positions, and every frame drawn is kept (per step, side and
size), so a breath cycle is drawn once and later cycles cost nothing but the repaint; a
repaint is asked for only when the frame's text changes.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from psoas_tui.figures.draw import MIN_COLUMNS, MIN_ROWS
from psoas_tui.figures.library import Figures, figure_for, step_t
from psoas_tui.model import BreathPattern, Routine
from psoas_tui.tui.widgets.picture import StripCache

T_STEPS = 48  # positions between the first and last key pose: smooth at 8-10 frames a second
MAX_FRAMES = 512  # frames kept (a few steps x 2 sides x 49 positions at one size)

Shot = tuple[int, str | None, int]  # step index, side, t in 1/T_STEPS


class PoseFigure(Widget):
    """The figure of one routine's steps; see the module docstring."""

    DEFAULT_CSS = """
    PoseFigure {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, routine: Routine, figures: Figures, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.routine = routine
        self.figures = figures
        self.shot: Shot | None = None
        self.frames = 0  # how many times a new frame was painted (for tests and the bench)
        self._drawn: dict[tuple[Shot, Size], list[str]] = {}
        self._cache = StripCache()

    def has_figure(self, step_index: int | None) -> bool:
        """True when step ``step_index`` (from 0) of the routine has a figure."""
        return step_index is not None and self.figures.ref_for(self.routine, step_index) is not None

    def moves(self, step_index: int | None, breath: BreathPattern | None) -> bool:
        """True when the figure of that step moves: several key poses, and a breath or a loop."""
        if step_index is None:
            return False
        ref = self.figures.ref_for(self.routine, step_index)
        if ref is None or (breath is None and ref.loop_seconds <= 0):
            return False
        library = self.figures.library_for(self.routine)
        keys = ref.keys or (library.get(ref.pose).key_names() if library else ())
        return len(keys) > 1

    def position(self, step_index: int, breath: BreathPattern | None, elapsed: float) -> float:
        """Where the figure of that step stands ``elapsed`` s in (0..1; 0 without a figure)."""
        ref = self.figures.ref_for(self.routine, step_index)
        return step_t(ref, breath, elapsed) if ref is not None else 0.0

    def show(self, step_index: int, side: str | None, t: float = 0.0) -> bool:
        """Show that step on ``side`` at ``t``; True when what is on screen changed."""
        shot: Shot = (step_index, side, round(min(max(t, 0.0), 1.0) * T_STEPS))
        if shot == self.shot:
            return False
        before = self.lines
        self.shot = shot
        if self.lines == before:
            return False
        self.frames += 1
        self.refresh()
        return True

    @property
    def lines(self) -> list[str]:
        """The current frame at the current size (empty when too small or nothing to show)."""
        size = self.size
        if self.shot is None or size.width < MIN_COLUMNS or size.height < MIN_ROWS:
            return []
        key = (self.shot, size)
        if key not in self._drawn:
            if len(self._drawn) >= MAX_FRAMES:
                self._drawn.clear()
            index, side, step = self.shot
            drawn = figure_for(self.routine, index, side, step / T_STEPS, columns=size.width,
                               rows=size.height, library=self.figures)  # fmt: skip
            self._drawn[key] = drawn or []
        return self._drawn[key]

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the frame, centred in the widget."""
        return self._cache.line(y, self.lines, self.size, self.rich_style)

