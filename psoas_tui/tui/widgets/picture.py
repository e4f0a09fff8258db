"""Text pictures (the big countdown, the pose figure) painted line by line, centred in a widget.

A picture is a list of equal-purpose text lines. ``centred_strips`` turns it into one ``Strip``
per row of the widget, centred both ways and clipped to its size, in one style; the widgets
cache the result per (lines, size, style), so Textual's compositor asks for lines that are
already made, and a repaint is only requested when the lines themselves change.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip


def centred_strips(lines: list[str], size: Size, style: Style) -> list[Strip]:
    """``lines`` centred in ``size`` (columns x rows), every strip exactly ``size.width`` wide.

    Lines wider than the widget are cut on both sides around their middle, rows past its
    height are dropped from the bottom; empty rows are blank strips in ``style``.
    """
    width, height = size
    if width <= 0 or height <= 0:
        return []
    shown = lines[:height]
    top = (height - len(shown)) // 2
    art_width = max((len(line) for line in shown), default=0)
    left = (width - art_width) // 2
    blank = Strip.blank(width, style)
    strips = [blank] * height
    for row, line in enumerate(shown):
        padded = line.ljust(art_width)
        text = " " * left + padded if left >= 0 else padded[-left : -left + width]
        strips[top + row] = Strip([Segment(text.ljust(width)[:width], style)], width)
    return strips


class StripCache:
    """The last picture's strips, remade only when its lines, the size or the style change."""

    def __init__(self) -> None:
        self._key: tuple[tuple[str, ...], Size, Style] | None = None
        self._strips: list[Strip] = []

    def strips(self, lines: list[str], size: Size, style: Style) -> list[Strip]:
        """The strips for ``lines`` at ``size`` in ``style`` (cached)."""
        key = (tuple(lines), size, style)
        if key != self._key:
            self._key = key
            self._strips = centred_strips(lines, size, style)
        return self._strips

    def line(self, y: int, lines: list[str], size: Size, style: Style) -> Strip:
        """Row ``y`` of the picture (a blank strip outside it)."""
        strips = self.strips(lines, size, style)
        return strips[y] if 0 <= y < len(strips) else Strip.blank(size.width, style)
