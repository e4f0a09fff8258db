"""The breath pacer: a bar that grows from the middle on the inhale and shrinks on the exhale.

It is driven from outside (``update_breath``) with the runner's breath phase and its progress;
it never runs a timer of its own. ``cells_changed`` tells the caller whether a new value would
look any different, so the run screen repaints only when a cell actually changes, and
``next_change_in`` says how long until the bar next moves, so the screen can wake just then.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.widget import Widget

PHASE_WORDS: dict[str, str] = {
    "in": "Breathe in",
    "hold_in": "Hold",
    "out": "Breathe out",
    "hold_out": "Hold",
}
LABEL_WIDTH = 12
MAX_BAR_WIDTH = 40  # 20 steps a side: smooth enough, and few repaints per breath
FULL = "█"
EMPTY = "·"


def bar_fill(phase: str | None, progress: float) -> float:
    """How full the bar is (0..1) at ``progress`` (0..1) through ``phase``."""
    progress = min(max(progress, 0.0), 1.0)
    if phase == "in":
        return progress
    if phase == "hold_in":
        return 1.0
    if phase == "out":
        return 1.0 - progress
    return 0.0


def filled_cells(fill: float, width: int) -> int:
    """Cells lit for ``fill`` in a bar ``width`` cells wide, counted in half-cells per side.

    The bar grows symmetrically from the middle, so the unit of change is one cell on each
    side, so the result is always even (0..width).
    """
    if width <= 0:
        return 0
    half = width // 2
    return min(width, 2 * math.floor(fill * half + 0.5))


class BreathPacer(Widget):
    """One line, centred: the phase word, then the bar."""

    DEFAULT_CSS = """
    BreathPacer {
        height: 1;
        width: 1fr;
    }
    BreathPacer > .pacer--bar { color: $accent; }
    BreathPacer > .pacer--empty { color: $foreground-darken-3; }
    BreathPacer > .pacer--label { color: $text; text-style: bold; }
    BreathPacer.-paused > .pacer--bar { color: $foreground-darken-2; }
    """

    COMPONENT_CLASSES = {"pacer--bar", "pacer--empty", "pacer--label"}

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.phase: str | None = None
        self.progress: float = 0.0

    @property
    def bar_width(self) -> int:
        """Cells of the bar itself (at most ``MAX_BAR_WIDTH``)."""
        return max(0, min(self.size.width - LABEL_WIDTH, MAX_BAR_WIDTH))

    def _cells(self, phase: str | None, progress: float) -> int:
        return filled_cells(bar_fill(phase, progress), self.bar_width)

    def cells_changed(self, phase: str | None, progress: float) -> bool:
        """True when showing ``phase`` / ``progress`` would look different from now."""
        return phase != self.phase or self._cells(phase, progress) != self._cells(self.phase, self.progress)

    def update_breath(self, phase: str | None, progress: float) -> None:
        """Show ``phase`` at ``progress`` (0..1); repaints only when a cell changes."""
        changed = self.cells_changed(phase, progress)
        self.phase = phase
        self.progress = progress
        if changed:
            self.refresh()

    def next_change_in(self, phase_seconds: float) -> float | None:
        """Seconds until the bar next moves, for a phase lasting ``phase_seconds`` in all.

        ``None`` while the bar stands still (a hold, no breath, or no room to draw).
        """
        half = self.bar_width // 2
        if self.phase not in ("in", "out") or half == 0 or phase_seconds <= 0:
            return None
        # The bar shows round(fill * half) cells a side; it changes when fill * half crosses
        # the next .5 boundary.
        position = self.progress * half
        step = math.floor(position + 0.5) + 0.5
        if step > half:
            return None
        return max(0.0, (step - position) / half * phase_seconds)

    def render(self) -> Text:
        """The phase word and the bar (or nothing when there is no breath to pace)."""
        if self.phase is None:
            return Text("")
        label_style = self.get_component_rich_style("pacer--label")
        bar_style = self.get_component_rich_style("pacer--bar")
        empty_style = self.get_component_rich_style("pacer--empty")
        width = self.bar_width
        lit = self._cells(self.phase, self.progress)
        pad = (width - lit) // 2
        text = Text(" " * max(0, (self.size.width - LABEL_WIDTH - width) // 2), end="")
        text.append(PHASE_WORDS.get(self.phase, "").ljust(LABEL_WIDTH), label_style)
        text.append(EMPTY * pad, empty_style)
        text.append(FULL * lit, bar_style)
        text.append(EMPTY * (width - lit - pad), empty_style)
        return text
