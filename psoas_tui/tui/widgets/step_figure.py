"""The small pose figure under a step in the choose screen's detail pane.

One still picture per step: the first key pose, on the left side when the step has sides (as
``psoas-tui show`` prints it). Only the highlighted routine's steps are mounted, so only they
are drawn; each drawing is kept (per routine, step and size), so moving back and forth through
the list costs nothing but the repaint. A step without a figure takes no room.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from psoas_tui.figures.draw import MIN_COLUMNS, MIN_ROWS
from psoas_tui.tui.widgets.picture import StripCache

if TYPE_CHECKING:
    from psoas_tui.figures.library import Figures
    from psoas_tui.model import Routine

ROOMY = (30, 10)  # columns, rows when the pane has room
SMALL = (24, 8)  # otherwise (figures.library.SMALL)
MAX_DRAWN = 256  # drawings kept (a few dozen routines' steps at two sizes)

_drawn: OrderedDict[tuple[str, str, int, int, int], list[str] | None] = OrderedDict()


def figure_size(width: int) -> tuple[int, int] | None:
    """The figure's size for a row ``width`` cells wide (``None``: too narrow for one)."""
    for columns, rows in (ROOMY, SMALL):
        if width >= columns:
            return columns, rows
    return None


def step_figure(routine: Routine, index: int, figures: Figures, size: tuple[int, int]) -> list[str] | None:
    """Step ``index``'s figure (first key pose, left side) at ``size``, drawn once and kept."""
    from psoas_tui.figures.library import figure_for

    columns, rows = size
    key = (str(routine.source), routine.id, index, columns, rows)
    if key in _drawn:
        _drawn.move_to_end(key)
        return _drawn[key]
    side = "left" if routine.steps[index].sides else None
    lines = figure_for(routine, index, side, 0.0, columns=columns, rows=rows, library=figures)
    _drawn[key] = lines
    if len(_drawn) > MAX_DRAWN:
        _drawn.popitem(last=False)
    return lines


class StepFigure(Widget):
    """A step's small figure; hidden when the step has none."""

    DEFAULT_CSS = f"""
    StepFigure {{
        width: 1fr;
        max-width: {ROOMY[0]};
        height: {ROOMY[1]};
        color: $text;
    }}
    StepFigure.-small {{
        height: {SMALL[1]};
    }}
    """

    def __init__(self) -> None:
        super().__init__(classes="step-figure")
        self._routine: Routine | None = None
        self._index = 0
        self._figures: Figures | None = None
        self._cache = StripCache()

    def show(self, routine: Routine, index: int, figures: Figures) -> None:
        """Show step ``index`` (from 0) of ``routine``; hidden when it has no figure."""
        self._routine, self._index, self._figures = routine, index, figures
        ref = figures.ref_for(routine, index)
        self.display = ref is not None
        self.refresh()

    @property
    def lines(self) -> list[str]:
        """The figure at the widget's width (empty when there is none or no room)."""
        size = figure_size(self.size.width) if self.size.width else ROOMY
        if self._routine is None or self._figures is None or size is None:
            return []
        if size[0] < MIN_COLUMNS or size[1] < MIN_ROWS:
            return []
        return step_figure(self._routine, self._index, self._figures, size) or []

    def on_resize(self) -> None:
        """The smaller figure (and height) when the pane is too narrow for the roomy one."""
        self.set_class(figure_size(self.size.width) == SMALL, "-small")

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the figure, centred."""
        return self._cache.line(y, self.lines, Size(self.size.width, self.size.height), self.rich_style)
