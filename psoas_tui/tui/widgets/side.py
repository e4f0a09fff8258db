"""The LEFT / RIGHT band of the run screen: the current side lit, the other dim.

It draws as many rows as it is tall: one row, or (from ``RunScreen``'s ``-roomy`` vertical
breakpoint, which gives it three rows in ``run.tcss``) a solid three-row block with the word in
its middle row, so it reads from across the room, with or without colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from psoas_tui.practice.timeline import Segment

BLOCK_ROWS = 3


def side_markup(segment: Segment | None, rows: int = 1) -> str:
    """The LEFT / RIGHT indicator: the current side lit, the other dim; empty when unsided.

    With ``rows`` 3 the lit side is a solid three-row block (the word in its middle row).
    """
    if segment is None or segment.side is None:
        return ""
    words: list[tuple[str, bool]] = []
    for side in ("left", "right"):
        arrow = "→" if segment.kind == "switch" and side == segment.side else ""
        words.append((f"{arrow} {side.upper()} " if arrow else f" {side.upper()} ", side == segment.side))
    lines = []
    for row in range(rows):
        middle = row == rows // 2
        parts = []
        for word, lit in words:
            text = word if middle else " " * len(word)
            parts.append(f"[reverse b]{text}[/]" if lit else f"[dim]{text}[/]")
        lines.append(" ".join(parts))
    return "\n".join(lines)


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
        """One row, or the three-row block when the band is that tall."""
        rows = BLOCK_ROWS if self.size.height >= BLOCK_ROWS else 1
        return Content.from_markup(side_markup(self.segment, rows))
