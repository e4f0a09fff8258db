"""Every step of every built-in routine has a figure, and ``psoas-tui pose`` draws poses."""

from __future__ import annotations

from pathlib import Path

import pytest

from psoas_tui.cli import main
from psoas_tui.figures.library import LARGE, SMALL, builtin_library, figure_for, pose_folder, step_t
from psoas_tui.routines import RoutineLibrary

REPO_POSES = Path(__file__).resolve().parents[1] / "routines" / "poses"


def builtin_routines() -> list:
    return list(RoutineLibrary.load_local(Path("/nonexistent-user-dir"), builtin=True))


def test_the_built_in_poses_are_found_in_the_pack() -> None:
    folder = pose_folder()
    assert folder is not None and folder.resolve() == REPO_POSES.resolve()
    assert len(builtin_library().poses) >= 10


def test_the_figure_map_names_only_built_in_routines_with_one_figure_per_step() -> None:
    routines = {routine.id: routine for routine in builtin_routines()}
    figures = builtin_library().figures
    assert set(figures) == set(routines)
    for routine_id, refs in figures.items():
        assert len(refs) == len(routines[routine_id].steps), routine_id


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_every_step_of_every_built_in_routine_has_a_figure_on_each_side(size: tuple[int, int]) -> None:
    library = builtin_library()
    for routine in builtin_routines():
        for index, step in enumerate(routine.steps):
            ref = library.ref_for(routine.id, index)
            assert ref is not None, (routine.id, index + 1)
            for side in step.sides or (None,):
                for elapsed in (0.0, 3.0, 7.5):
                    lines = figure_for(routine.id, index, side, step_t(ref, step.breath, elapsed),
                                       columns=size[0], rows=size[1])
                    assert lines is not None and len(lines) == size[1]
                    assert sum(ch != " " for line in lines for ch in line) > size[0], (routine.id, index)


def test_a_step_without_a_figure_gives_none() -> None:
    assert figure_for("no-such-routine", 0, None) is None
    assert figure_for("seated-psoas", 99, "left") is None


def test_breath_steps_move_and_mirror() -> None:
    routine = next(r for r in builtin_routines() if r.id == "half-kneeling")
    step = routine.steps[1]
    ref = builtin_library().ref_for("half-kneeling", 1)
    assert ref is not None and step.breath is not None
    start = figure_for("half-kneeling", 1, "left", step_t(ref, step.breath, 0), columns=40, rows=16)
    leaning = figure_for("half-kneeling", 1, "left", step_t(ref, step.breath, 10), columns=40, rows=16)
    other = figure_for("half-kneeling", 1, "right", step_t(ref, step.breath, 10), columns=40, rows=16)
    assert start != leaning != other


def test_pose_command_draws_both_sides_and_every_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pose", "half-kneeling"]) == 0
    out = capsys.readouterr().out
    assert "left side" in out and "right side" in out
    assert out.count("1. upright") == 2 and out.count("2. lean") == 2
    assert any(0x2800 < ord(ch) <= 0x28FF for ch in out)


def test_pose_command_draws_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.toml"
    text = (REPO_POSES / "standing.toml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    assert main(["pose", str(path), "--small"]) == 0
    out = capsys.readouterr().out
    assert "stand-tall:" in out and "wall-split-stance:" in out


def test_pose_command_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('schema = 1\n[[poses]]\nname = "x"\ntitle = "X"\n'
                    '[[poses.keys]]\nname = "a"\nhead = [1, 200]\n')
    assert main(["pose", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"psoas-tui: {path}:7: poses[1].keys[1].head: must be 0-100, got 200\n"
    assert main(["pose", "half-knelling"]) == 2
    assert "did you mean half-kneeling" in capsys.readouterr().err


def test_the_documented_examples_are_valid() -> None:
    from psoas_tui.figures.poseformat import parse_figure_map, parse_poses

    docs = (Path(__file__).resolve().parents[1] / "docs" / "routine-format.md").read_text(encoding="utf-8")
    section = docs.split("## Poses and figures", 1)[1]
    pose_example, map_example = (block.split("```", 1)[0] for block in section.split("```toml\n")[1:3])
    (pose,) = parse_poses(pose_example.encode(), "example.toml")
    assert pose.key_names() == ("upright", "lean")
    figures = parse_figure_map(map_example.encode(), "figures.toml", builtin_library().poses)
    assert figures["seated-psoas"] == builtin_library().figures["seated-psoas"]
