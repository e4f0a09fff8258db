"""The run screen on the mat: a countdown that scales with the terminal, the pose figure beside it.

Time is a ``FakeClock`` moved by hand and ``refresh_state()``; nothing sleeps. The half-kneeling
routine (built in): get ready 5 s, "Pad the knee" 20 s, then the stretch 30 s a side with a
4-0-6-0 breath (the figure leans forward on the exhale).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.figures.library import figure_for
from psoas_tui.model import RoutineSource
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.routines import RoutineLibrary
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.run import FIGURE_FRAME, RunScreen
from psoas_tui.tui.widgets.bigclock import BigClock, clock_lines
from psoas_tui.tui.widgets.figure import PoseFigure

HOLD_LEFT = 5 + 20  # the stretch on the left side starts
SWITCH = HOLD_LEFT + 30  # the switch to the right side
HOLD_RIGHT = SWITCH + 5
DESKPACK = Path(__file__).resolve().parents[2] / "plugins" / "psoas-tui-deskpack" / "src"


def is_block(char: str) -> bool:
    return 0x2580 <= ord(char) <= 0x259F


def painted(widget: Any) -> list[str]:
    """What the widget paints, row by row (its own ``render_line``, as Textual asks for it)."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def block_rows(widget: Any) -> int:
    return sum(any(is_block(ch) for ch in line) for line in painted(widget))


@pytest.fixture
def half_kneeling(tui_ctx: AppContext) -> Any:
    tui_ctx.settings = tui_ctx.settings.replace(cue_styles=["text"])
    return tui_ctx.library.get("half-kneeling")


async def open_at(pilot: Any, clock: Any, seconds: float) -> RunScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    clock.advance(seconds)
    screen.refresh_state()
    await pilot.pause()
    return screen


@pytest.mark.parametrize(("size", "rows"), [((120, 40), 15), ((80, 24), 8), ((60, 20), 5)])
async def test_digits_scale_with_the_terminal(make_app, tui_ctx, half_kneeling, size, rows):
    """Mid-hold, with the cue, pacer and status all showing: the digits are at least ``rows``
    tall, every row of them holds block characters, and they fit beside the figure."""
    app = make_app(routine=half_kneeling)
    async with app.run_test(size=size) as pilot:
        screen = await open_at(pilot, tui_ctx.clock, HOLD_LEFT + 12)
        clock = screen.query_one(BigClock)
        assert clock.value == "0:18"
        lines = painted(clock)
        inked = [n for n, line in enumerate(lines) if any(is_block(ch) for ch in line)]
        assert len(inked) >= rows, (size, len(inked))
        assert inked == list(range(inked[0], inked[0] + len(inked)))  # one solid block of rows
        figure = screen.query_one(PoseFigure)
        assert figure.display and figure.region.x >= clock.region.right
        assert any(line.strip() for line in painted(figure))


@pytest.mark.parametrize(("size", "rows"), [((120, 40), 15), ((80, 24), 8)])
async def test_digits_are_as_tall_without_a_figure(make_app, tui_ctx, half_kneeling, size, rows):
    """A user routine has no figures: the countdown takes the whole width, no empty figure box."""
    mine = replace(half_kneeling, source=RoutineSource("user", path="mine.toml"))
    app = make_app(routine=mine)
    async with app.run_test(size=size) as pilot:
        screen = await open_at(pilot, tui_ctx.clock, HOLD_LEFT + 12)
        assert not screen.query_one(PoseFigure).display
        assert block_rows(screen.query_one(BigClock)) >= rows


def test_clock_lines_fall_back_to_text_when_nothing_big_fits() -> None:
    from textual.geometry import Size

    assert clock_lines("0:30", Size(40, 3)) == ["0:30"]
    assert clock_lines("--", Size(40, 10)) == ["--"]
    assert len(clock_lines("8x", Size(40, 10))) == 10  # the count drawn big, the "x" left out


async def test_the_figure_is_mirrored_on_the_right_side(make_app, tui_ctx, half_kneeling):
    app = make_app(routine=half_kneeling)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, tui_ctx.clock, HOLD_LEFT + 2)  # first inhale: first key pose
        figure = screen.query_one(PoseFigure)
        columns, rows = figure.size
        left = figure.lines
        assert figure.shot == (1, "left", 0)
        assert left == figure_for(half_kneeling, 1, "left", 0.0, columns=columns, rows=rows)
        tui_ctx.clock.advance(SWITCH + 2 - (HOLD_LEFT + 2))  # the switch shows the right side, still
        screen.refresh_state()
        await pilot.pause()
        assert figure.shot == (1, "right", 0)
        right = figure.lines
        assert right == figure_for(half_kneeling, 1, "right", 0.0, columns=figure.size.width,
                                   rows=figure.size.height)
        assert right != left
        assert ink_centre(right) == pytest.approx(figure.size.width - ink_centre(left), abs=1.5)


def ink_centre(lines: list[str]) -> float:
    """The mean column of the figure's cells, weighted by their dots."""
    total = weight = 0.0
    for line in lines:
        for column, ch in enumerate(line):
            dots = bin(ord(ch) - 0x2800).count("1") if 0x2800 < ord(ch) <= 0x28FF else 0
            total += dots * (column + 0.5)
            weight += dots
    return total / weight


async def test_the_figure_leans_on_the_exhale_and_comes_back_on_the_inhale(make_app, tui_ctx, half_kneeling):
    clock = tui_ctx.clock
    app = make_app(routine=half_kneeling)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, clock, HOLD_LEFT + 2)  # inhale
        figure = screen.query_one(PoseFigure)
        upright, frames = figure.lines, figure.frames
        for _ in range(3):  # woken with the clock standing still: nothing new to paint
            screen.refresh_state()
        assert figure.frames == frames
        clock.advance(2 + 3)  # halfway through the 6 s exhale
        screen.refresh_state()
        assert figure.shot is not None and 0 < figure.shot[2] < 48
        assert figure.lines != upright and figure.frames > frames
        clock.advance(3)  # the end of the exhale: the full lean
        screen.refresh_state()
        leaning = figure.lines
        assert figure.shot[2] == 48 and leaning != upright
        clock.advance(4)  # the next inhale brings it back
        screen.refresh_state()
        assert figure.lines == upright


async def test_the_figure_animates_only_while_running_and_moving(make_app, tui_ctx, half_kneeling):
    """A one-shot frame timer while the stretch runs; none while paused or in a still segment."""
    app = make_app(routine=half_kneeling)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, tui_ctx.clock, 2)  # getting ready: the first step's figure, still
        assert screen.query_one(PoseFigure).shot == (0, None, 0)
        assert screen._figure_timer is None
        screen = await open_at(pilot, tui_ctx.clock, HOLD_LEFT + 3 - 2)
        timer = screen._figure_timer
        assert timer is not None and timer._repeat == 0 and timer._interval == FIGURE_FRAME
        await pilot.press("space")
        assert screen._figure_timer is None
        await pilot.press("space")
        assert screen._figure_timer is not None


async def test_a_plugin_routine_shows_its_plugins_figures(make_app, tui_ctx, monkeypatch):
    monkeypatch.syspath_prepend(str(DESKPACK))
    sys.modules.pop("psoas_tui_deskpack", None)
    import psoas_tui_deskpack

    host = build_plugin_host(entry_points=False, extra=[("deskpack", psoas_tui_deskpack)])
    tui_ctx._host = host
    tui_ctx._library = RoutineLibrary.load(host, user_dir=tui_ctx.config_path.parent / "none")
    tui_ctx.settings = tui_ctx.settings.replace(cue_styles=["text"])
    routine = tui_ctx.library.get("desk-standing-lunge")
    app = make_app(routine=routine)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_at(pilot, tui_ctx.clock, 6)
        figure = screen.query_one(PoseFigure)
        assert figure.display and figure.figures is tui_ctx.figures
        columns, rows = figure.size
        index, side, _t = figure.shot
        assert figure.lines == figure_for(routine, index, side, figure.shot[2] / 48, columns=columns,
                                          rows=rows, library=tui_ctx.figures)
        assert figure_for(routine, index, side, columns=columns, rows=rows) is None  # built-ins alone: none
