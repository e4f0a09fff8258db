"""Big countdown digits: block characters only, any height from 5, thick strokes, fits a width."""

from __future__ import annotations

import re

import pytest

from psoas_tui.figures.bigdigits import GLYPHS, MIN_HEIGHT, fit_metrics, largest, render, text_width

BLOCKS = re.compile(r"^[\u2580-\u259f ]*$")
INK = re.compile(r"[\u2580-\u259f]+")


def digit_columns(text: str, height: int, width: int | None = None) -> list[list[str]]:
    """The rows of each glyph of ``render(text, ...)``, cut out by the metrics that drew it."""
    metrics = fit_metrics(text, height, width)
    assert metrics is not None
    lines = render(text, height, width)
    cut, start = [], 0
    for char in text:
        size = metrics.colon if char == ":" else metrics.digit
        cut.append([line[start:start + size] for line in lines])
        start += size + metrics.gap
    return cut


@pytest.mark.parametrize("height", [5, 8, 15])
@pytest.mark.parametrize("text", ["0:23", "12:05", "9:48", "10:00", "67"])
def test_height_and_characters(text: str, height: int) -> None:
    lines = render(text, height)
    assert len(lines) == height
    assert len({len(line) for line in lines}) == 1
    assert all(BLOCKS.match(line) for line in lines)


@pytest.mark.parametrize("height", [5, 8, 15])
def test_every_row_of_every_digit_holds_ink(height: int) -> None:
    text = "0123456789"
    for char, rows in zip(text, digit_columns(text, height), strict=True):
        assert all(INK.search(row) for row in rows), (char, rows)


@pytest.mark.parametrize("height", [5, 8, 15])
@pytest.mark.parametrize("width", [None, 40])
def test_strokes_are_at_least_two_cells_thick(height: int, width: int | None) -> None:
    text = "01:23" if width is None else "12:05"
    for line in render(text, height, width):
        for run in INK.findall(line):
            assert len(run) >= 2, (line, run)
    # Horizontal bars: each column of a digit has a full block (a whole cell row of ink).
    for char, rows in zip(text, digit_columns(text, height, width), strict=True):
        if char.isdigit():
            assert any("█" in row for row in rows)


def test_bars_are_a_full_cell_tall_at_the_smallest_height() -> None:
    lines = render("8", 5)
    assert lines[0] == lines[2] == lines[4] == "█" * len(lines[0])


def test_fits_a_width_by_thinning() -> None:
    wide = render("12:05", 15)
    narrow = render("12:05", 15, 50)
    assert len(wide[0]) > 50 >= len(narrow[0])
    assert len(narrow) == 15


def test_too_narrow_or_too_short_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        render("12:05", 8, 10)
    with pytest.raises(ValueError, match="at least 5"):
        render("1", MIN_HEIGHT - 1)
    with pytest.raises(ValueError, match="no big glyph"):
        render("1a", 5)


def test_largest_picks_the_tallest_that_fits() -> None:
    assert len(largest("0:23", 15, 120) or []) == 15
    small = largest("0:23", 15, 30)
    assert small is not None and 5 <= len(small) < 15 and len(small[0]) <= 30
    assert largest("12:05", 15, 8) is None


def test_width_is_what_is_drawn() -> None:
    metrics = fit_metrics("12:05", 8, None)
    assert metrics is not None
    assert len(render("12:05", 8)[0]) == text_width("12:05", metrics)
    assert set(GLYPHS) >= set("0123456789: ")


@pytest.mark.parametrize("height", [5, 8])
@pytest.mark.parametrize("word", ["LEFT", "RIGHT"])
def test_the_side_words_are_drawn_like_the_digits(word: str, height: int) -> None:
    lines = render(word, height)
    assert len(lines) == height and all(BLOCKS.match(line) for line in lines)
    for line in lines:
        assert all(len(run) >= 2 for run in INK.findall(line)), line
    for char, rows in zip(word, digit_columns(word, height), strict=True):
        assert all(INK.search(row) for row in rows), (char, rows)
    assert render("LEFT", 5)[0].startswith("██    ") and render("RIGHT", 5)[-1].startswith("██  ██")
