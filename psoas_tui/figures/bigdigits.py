"""Big countdown digits drawn with block characters (U+2580-U+259F), readable from the floor.

The letters of LEFT and RIGHT are here too, for the run screen's side band. Each glyph is a
3 x 5 bitmap. Its columns are scaled to whole cells (every column at least two
cells wide, so every vertical stroke is at least two cells thick) and its rows to
half-cell "pixels" (``▀`` / ``▄`` / ``█``), so any height from 5 rows up is drawn without gaps:
each horizontal bar is at least two pixels (one full cell row) tall, which on a terminal's 1:2
cells is as thick as two columns. Every row of a digit holds ink, and nothing depends on colour.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_HEIGHT = 5
MIN_STROKE = 2  # cells
MIN_ASPECT = 0.6  # digit width in cells per row of height, for ``largest``
FULL, UPPER, LOWER, BLANK = "█", "▀", "▄", " "

# "#" is ink. Both side columns and the middle one are at least two cells wide, so every run of
# ink in a row (the stem of a "1" too) is at least two cells wide.
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": ("##.", ".#.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": ("...", ".#.", "...", ".#.", "..."),
    " ": ("...", "...", "...", "...", "..."),
    # The side band's words: LEFT, RIGHT.
    "E": ("###", "#..", "###", "#..", "###"),
    "F": ("###", "#..", "###", "#..", "#.."),
    "G": ("###", "#..", "#.#", "#.#", "###"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
}


@dataclass(frozen=True, slots=True)
class Metrics:
    """Cell widths of a glyph's three columns and the gap between glyphs."""

    side: int
    middle: int
    gap: int

    @property
    def digit(self) -> int:
        """Width of a digit in cells."""
        return 2 * self.side + self.middle

    @property
    def colon(self) -> int:
        """Width of a colon in cells (just its dots)."""
        return self.side


def _row_pixels(height: int) -> list[int]:
    """Which of the 5 bitmap rows each of the ``2 * height`` half-cell pixel rows shows."""
    pixels = 2 * height
    bar = max(2, round(pixels * 0.17))
    gaps = pixels - 3 * bar
    upper_gap = gaps // 2
    sizes = (bar, upper_gap, bar, gaps - upper_gap, bar)
    return [row for row, size in enumerate(sizes) for _ in range(size)]


def _natural(height: int) -> Metrics:
    """Comfortable proportions for ``height`` rows (a digit about 0.6 as wide as it looks tall)."""
    side = max(MIN_STROKE, round(height * 0.35))
    middle = max(MIN_STROKE, round(height * 1.2) - 2 * side)
    return Metrics(side, middle, max(1, round(height * 0.2)))


def text_width(text: str, metrics: Metrics) -> int:
    """Cells ``text`` takes with ``metrics``."""
    widths = [metrics.colon if char == ":" else metrics.digit for char in text]
    return sum(widths) + metrics.gap * max(0, len(widths) - 1)


def fit_metrics(text: str, height: int, width: int | None) -> Metrics | None:
    """The widest metrics at ``height`` that fit ``width`` cells (``None`` when none do)."""
    metrics = _natural(height)
    if width is None:
        return metrics
    while text_width(text, metrics) > width:
        if metrics.gap > 1:
            metrics = Metrics(metrics.side, metrics.middle, metrics.gap - 1)
        elif metrics.middle > MIN_STROKE and metrics.middle >= metrics.side:
            metrics = Metrics(metrics.side, metrics.middle - 1, metrics.gap)
        elif metrics.side > MIN_STROKE:
            metrics = Metrics(metrics.side - 1, metrics.middle, metrics.gap)
        elif metrics.middle > MIN_STROKE:
            metrics = Metrics(metrics.side, metrics.middle - 1, metrics.gap)
        else:
            return None
    return metrics


def _glyph_rows(char: str, metrics: Metrics, rows: list[int]) -> list[str]:
    """One glyph as text rows: each cell shows the two pixel rows it covers."""
    bitmap = GLYPHS[char]
    columns = (metrics.side, metrics.middle, metrics.side)
    if char == ":":
        bitmap = tuple(row[1] for row in bitmap)
        columns = (metrics.colon,)
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2], strict=True):
        cells = []
        for column, size in enumerate(columns):
            upper = bitmap[top][column] == "#"
            lower = bitmap[bottom][column] == "#"
            cell = FULL if upper and lower else UPPER if upper else LOWER if lower else BLANK
            cells.append(cell * size)
        lines.append("".join(cells))
    return lines


def render(text: str, height: int, width: int | None = None) -> list[str]:
    """``text`` (digits, ``:``, spaces and the letters of LEFT / RIGHT, e.g. ``"12:05"``) as
    ``height`` lines of blocks.

    Every line has the same length, at most ``width`` when given. Raises ``ValueError`` for
    a height below 5, a character without a glyph, or a width too narrow even for the
    thinnest strokes (see ``largest`` to pick a height that fits).
    """
    if height < MIN_HEIGHT:
        raise ValueError(f"height must be at least {MIN_HEIGHT}, got {height}")
    unknown = sorted(set(text) - set(GLYPHS))
    if unknown:
        raise ValueError(f"no big glyph for {unknown[0]!r}")
    metrics = fit_metrics(text, height, width)
    if metrics is None:
        raise ValueError(f"{text!r} does not fit in {width} cells at height {height}")
    rows = _row_pixels(height)
    glyphs = [_glyph_rows(char, metrics, rows) for char in text]
    spacer = BLANK * metrics.gap
    return [spacer.join(glyph[line] for glyph in glyphs) for line in range(height)]


def largest(text: str, max_height: int, max_width: int) -> list[str] | None:
    """``text`` at the tallest height up to ``max_height`` that fits ``max_width``; else ``None``.

    A height only counts when its digits stay at least ``MIN_ASPECT`` cells wide per row
    (no tall, needle-thin digits); the smallest height takes whatever fits.
    """
    for height in range(max_height, MIN_HEIGHT - 1, -1):
        metrics = fit_metrics(text, height, max_width)
        if metrics is not None and (metrics.digit >= height * MIN_ASPECT or height == MIN_HEIGHT):
            return render(text, height, max_width)
    return None
