"""The LEFT / RIGHT band of the run screen: the current side lit, the other dim.

It draws as many rows as it is tall: one row (the current side in reverse, the other dim), or
(from ``RunScreen``'s ``-roomy`` vertical breakpoint, which gives it ``BIG_ROWS`` rows in
``run.tcss``) the current side's word in block letters (``psoas_tui.figures.bigdigits``), so it
reads from across the room, with or without colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from psoas_tui.figures import bigdigits

if TYPE_CHECKING:
    from psoas_tui.practice.timeline import Segment

BIG_ROWS = bigdigits.MIN_HEIGHT


def side_markup(segment: Segment | None) -> str:
    """The one-row LEFT / RIGHT indicator: the current side lit, the other dim; empty when
    unsided. On a side switch the side to come has an arrow."""
    if segment is None or segment.side is None:
        return ""
    parts = []
    for side in ("left", "right"):
        arrow = "→" if segment.kind == "switch" and side == segment.side else ""
        word = f"{arrow} {side.upper()} " if arrow else f" {side.upper()} "
        parts.append(f"[reverse b]{word}[/]" if side == segment.side else f"[dim]{word}[/]")
    return " ".join(parts)


def big_side(segment: Segment | None) -> str:
    """The current side's word in ``BIG_ROWS`` rows of block letters; empty when unsided."""
    if segment is None or segment.side is None:
        return ""
    return "\n".join(bigdigits.render(segment.side.upper(), BIG_ROWS))


class SideBand(Static):
    """Shows the side of a ``Segment``; hidden when the segment has none."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.segment: Segment | None = None

    def show(self, segment: Segment | None) -> None:
        """Show ``segment``'s side (or hide the band)."""
        self.segment = segment
        self.display = bool(side_markup(segment))
        self.refresh(layout=True)

    def render(self) -> Content:
        """One row, or the side in block letters when the band is ``BIG_ROWS`` tall."""
        height = self.styles.height  # from run.tcss (not the laid-out size: the width follows)
        if height is not None and (height.cells or 0) >= BIG_ROWS:
            return Content(big_side(self.segment))
        return Content.from_markup(side_markup(self.segment))
