"""``psoas-tui show ID`` prints each step's figure under the step; ``show ID --json`` gives the
routine with one entry per step of its file, each with the same figure as a list of lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.cli import main
from psoas_tui.commands.show import SHOW_SIZE, step_figures
from psoas_tui.figures.library import builtin_figures, figure_for
from psoas_tui.practice.timeline import build_timeline
from psoas_tui.routines import RoutineLibrary
from psoas_tui.text import format_seconds

BRAILLE = range(0x2801, 0x2900)


def builtin(routine_id: str) -> Any:
    return RoutineLibrary.load_local(Path("/nonexistent-user-dir"), builtin=True).get(routine_id)


def show(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["show", *args]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def show_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    return json.loads(show(capsys, *args, "--json"))


def has_braille(text: str) -> bool:
    return any(ord(ch) in BRAILLE for ch in text)


def test_show_prints_each_steps_figure_once_under_its_first_line(capsys: pytest.CaptureFixture[str]) -> None:
    routine = builtin("seated-psoas")
    lines = show(capsys, "seated-psoas").splitlines()
    timeline = build_timeline(routine)
    for index, step in enumerate(routine.steps):
        expected = figure_for(routine, index, "left" if step.sides else None,
                              columns=SHOW_SIZE[0], rows=SHOW_SIZE[1])
        assert expected is not None and len(expected) >= 8
        first = next(s for s in timeline.segments if s.kind == "step" and s.step_index == index)
        at = next(n for n, line in enumerate(lines)
                  if line.startswith(format_seconds(first.start).rjust(7)) and first.title in line)
        assert lines[at + 1:at + 1 + len(expected)] == expected, step.title
    figure_lines = [line for line in lines if has_braille(line)]
    assert len(figure_lines) == SHOW_SIZE[1] * len(routine.steps)  # once per step, not per side/rep


def test_show_draws_the_left_side_and_the_first_key_pose() -> None:
    routine = builtin("half-kneeling")
    drawn = step_figures(routine)
    step = routine.steps[1]
    assert step.sides and step.breath is not None
    left = figure_for(routine, 1, "left", 0.0, columns=SHOW_SIZE[0], rows=SHOW_SIZE[1])
    right = figure_for(routine, 1, "right", 0.0, columns=SHOW_SIZE[0], rows=SHOW_SIZE[1])
    leaning = figure_for(routine, 1, "left", 1.0, columns=SHOW_SIZE[0], rows=SHOW_SIZE[1])
    assert drawn[1] == left != right and left != leaning


def test_show_json_has_one_entry_per_step_of_the_file_with_the_printed_figure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    routine = builtin("seated-psoas")
    text_lines = show(capsys, "seated-psoas").splitlines()
    data = show_json(capsys, "seated-psoas")
    assert data["id"] == "seated-psoas" and data["title"] == routine.title and data["source"] == "builtin"
    assert data["total_seconds"] == build_timeline(routine).total_seconds
    assert len(data["steps"]) == len(routine.steps) < len(build_timeline(routine).segments)
    for entry, step in zip(data["steps"], routine.steps, strict=True):
        assert entry["title"] == step.title
        assert entry["kind"] == step.kind.value
        assert entry["seconds"] == step.seconds
        figure = entry["figure"]
        assert isinstance(figure, list) and len(figure) >= 8 and all(isinstance(x, str) for x in figure)
        starts = range(len(text_lines) - len(figure) + 1)
        assert any(text_lines[at:at + len(figure)] == figure for at in starts)  # exactly as show prints it


def test_show_json_of_a_routine_without_figures_has_null_figures_and_seconds(
    write_routine: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_routine(
        'schema = 1\nid = "mine"\ntitle = "Mine"\nsummary = "S."\n\n'
        '[[steps]]\nkind = "hold"\ntitle = "Hold"\nseconds = 20\n\n'
        '[[steps]]\nkind = "reps"\ntitle = "Tilts"\ncount = 8\n',
        name="mine.toml",
    )
    data = show_json(capsys, str(path))
    assert [(s["title"], s["kind"], s["seconds"], s["figure"]) for s in data["steps"]] == [
        ("Hold", "hold", 20, None), ("Tilts", "reps", None, None)
    ]
    assert not has_braille(show(capsys, str(path)))


def test_a_user_routine_with_a_built_in_id_does_not_get_the_built_in_figures(
    app_dirs: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    app_dirs.routines.mkdir(parents=True)
    (app_dirs.routines / "seated-psoas.toml").write_text(
        'schema = 1\nid = "seated-psoas"\ntitle = "My own"\nsummary = "Not the built-in one."\n\n'
        '[[steps]]\nkind = "hold"\ntitle = "Lie down"\nseconds = 20\n',
        encoding="utf-8",
    )
    assert main(["show", "seated-psoas", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "My own" and data["source"] == "user"
    assert [step["figure"] for step in data["steps"]] == [None]
    assert builtin_figures().ref_for("seated-psoas", 0) is not None  # the built-in one has one

