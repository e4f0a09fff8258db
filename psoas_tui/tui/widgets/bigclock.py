"""The run screen's countdown, drawn in block characters as large as the widget allows.

``BigClock`` is a ``Digits`` (so ``query_one(Digits).value`` still reads what it shows) that
draws with ``psoas_tui.figures.bigdigits`` instead of Textual's 3-row glyphs: the tallest
digits that fit the widget's current size, strokes at least two cells thick, no colour needed.
The drawing is made once per (text, size) and a repaint is asked for only when it changes.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Digits

from psoas_tui.figures import bigdigits
from psoas_tui.tui.widgets.picture import StripCache


def clock_lines(value: str, size: Size) -> list[str]:
    """``value`` as big block digits filling ``size`` at most; the plain text when they do not fit.

    Characters without a big glyph (the ``x`` of ``"8x"``) are left out of the big drawing;
    a value with none at all (``"--"``) is shown as it is.
    """
    drawable = "".join(char for char in value if char in bigdigits.GLYPHS).strip()
    if drawable and size.height >= bigdigits.MIN_HEIGHT:
        lines = bigdigits.largest(drawable, size.height, size.width)
        if lines is not None:
            return lines
    return [value]


class BigClock(Digits):
    """Big block-character digits, centred; see the module docstring."""

    DEFAULT_CSS = """
    BigClock {
        width: 1fr;
        height: 1fr;
        min-height: 1;
        text-style: bold;
    }
    """

    def __init__(self, value: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(value, id=id, classes=classes)
        self._lines: list[str] = []
        self._lines_for: tuple[str, Size] | None = None
        self._cache = StripCache()

    @property
    def lines(self) -> list[str]:
        """The drawing for the current value at the current size."""
        key = (self.value, self.size)
        if key != self._lines_for:
            self._lines_for = key
            self._lines = clock_lines(self.value, self.size)
        return self._lines

    def update(self, value: str) -> None:
        """Show ``value``; repaint only when the drawing changes (never a relayout)."""
        if value == self.value:
            return
        before = self.lines
        self._value = value
        if self.lines != before:
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the drawing, centred in the widget."""
        return self._cache.line(y, self.lines, self.size, self.rich_style)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the space given (the drawing is fitted to it)."""
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As tall as the space given (the drawing is fitted to it)."""
        return container.height
