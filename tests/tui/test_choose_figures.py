"""The choose screen's detail pane: each step's small figure (first key pose, left side)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from textual.widgets import Input

from psoas_tui.figures.library import figure_for
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.routines import RoutineLibrary
from psoas_tui.tui.screens.choose import ChooseScreen, StepRow
from psoas_tui.tui.widgets import step_figure as step_figure_module
from psoas_tui.tui.widgets.step_figure import ROOMY, SMALL, StepFigure, figure_size

DESKPACK = Path(__file__).resolve().parents[2] / "plugins" / "psoas-tui-deskpack" / "src"
USER_ROUTINE = """\
schema = 1
id = "mine"
title = "My own stretch"
summary = "Nothing drawn for it."
tags = ["own"]

[[steps]]
kind = "hold"
title = "Hold"
seconds = 10
sides = ["left", "right"]
"""


async def show(app: Any, pilot: Any, query: str) -> ChooseScreen:
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen_stack[0]
    assert isinstance(screen, ChooseScreen) and screen.loaded
    screen.query_one("#filter", Input).value = query
    await pilot.pause()
    return screen


def step_figures(screen: ChooseScreen) -> list[StepFigure]:
    return [row.query_one(StepFigure) for row in screen.query(StepRow)]


def painted(widget: Any) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def test_figure_size_follows_the_room() -> None:
    assert figure_size(50) == ROOMY
    assert figure_size(26) == SMALL
    assert figure_size(10) is None


async def test_every_step_of_a_builtin_routine_shows_its_first_key_pose_left_side(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show(app, pilot, "half-kneeling")
        routine = screen.highlighted_routine
        assert routine is not None and routine.id == "half-kneeling"
        figures = step_figures(screen)
        assert len(figures) == len(routine.steps)
        for index, (figure, step) in enumerate(zip(figures, routine.steps, strict=True)):
            assert figure.display
            assert figure.size.width == ROOMY[0] and figure.size.height == ROOMY[1]
            side = "left" if step.sides else None
            expected = figure_for(routine, index, side, 0.0, columns=ROOMY[0], rows=ROOMY[1])
            assert expected and figure.lines == expected
            assert [line.rstrip() for line in painted(figure)] == [line.rstrip() for line in expected]


async def test_a_user_routine_shows_no_figure(make_app, tui_dirs):
    (tui_dirs.routines / "mine.toml").write_text(USER_ROUTINE, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show(app, pilot, "own")
        assert screen.highlighted_routine is not None and screen.highlighted_routine.id == "mine"
        figures = step_figures(screen)
        assert figures and not any(figure.display for figure in figures)
        assert all(figure.size.height == 0 for figure in figures)  # no room taken


async def test_a_plugin_routine_uses_its_plugins_figures(make_app, tui_ctx, monkeypatch):
    monkeypatch.syspath_prepend(str(DESKPACK))
    sys.modules.pop("psoas_tui_deskpack", None)
    import psoas_tui_deskpack

    host = build_plugin_host(entry_points=False, extra=[("deskpack", psoas_tui_deskpack)])
    tui_ctx._host = host
    tui_ctx._library = RoutineLibrary.load(host, user_dir=tui_ctx.config_path.parent / "none")
    routine = tui_ctx.library.get("desk-standing-lunge")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show(app, pilot, "desk-standing-lunge")
        assert screen.highlighted_routine == routine
        first = step_figures(screen)[0]
        assert first.display
        expected = figure_for(routine, 0, "left" if routine.steps[0].sides else None, 0.0,
                              columns=ROOMY[0], rows=ROOMY[1], library=tui_ctx.figures)
        assert expected and first.lines == expected
        assert figure_for(routine, 0, None, columns=ROOMY[0], rows=ROOMY[1]) is None  # not built-in


async def test_figures_are_drawn_once_and_only_for_the_highlighted_routine(make_app, monkeypatch):
    drawn: list[tuple[str, int]] = []
    real = figure_for

    def counting(routine: Any, index: int, *args: Any, **kwargs: Any) -> Any:
        drawn.append((routine.id, index))
        return real(routine, index, *args, **kwargs)

    monkeypatch.setattr("psoas_tui.figures.library.figure_for", counting)
    step_figure_module._drawn.clear()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show(app, pilot, "")
        first = screen.highlighted_routine
        assert first is not None
        assert {routine_id for routine_id, _ in drawn} == {first.id}
        await pilot.press("down", "up")
        await pilot.pause()
        count = len(drawn)
        await pilot.press("down", "up")
        await pilot.pause()
        assert len(drawn) == count  # both routines' figures kept


async def test_rows_replaced_before_their_first_frame_draw_no_figure_and_raise_nothing(make_app) -> None:
    """Figures are drawn after a row's first frame; a row removed before then (the list moved on
    at once) is left alone, and the rows that stay get their figures."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show(app, pilot, "")
        for query in ("daily", "desk", "half", "thomas", ""):  # no pause in between
            screen.query_one("#filter", Input).value = query
        screen.query_one("#filter", Input).value = "half"
        await pilot.pause()
        await pilot.pause()
        figures = step_figures(screen)
        assert figures and all(figure.display for figure in figures)
        assert any(line.strip() for line in painted(figures[0]))


async def test_a_row_whose_figure_went_before_its_first_frame_is_left_alone(make_app) -> None:
    """Removing a row takes its children first; the figure drawn after the first frame may then
    find none (seen once on a slow machine, with an empty library): nothing is raised."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show(app, pilot, "half")
        row = screen.query(StepRow).first()
        await row.query_one(StepFigure).remove()
        row._show_figure()  # what the after-first-frame callback does
        await pilot.pause()
        assert app.is_running and not row.query(StepFigure)
