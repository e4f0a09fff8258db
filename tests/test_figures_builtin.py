"""Every step of every built-in routine has a figure, and ``psoas-tui pose`` draws poses."""

from __future__ import annotations

from pathlib import Path

import pytest

from psoas_tui.cli import main
from psoas_tui.figures.draw import DOT_BITS, draw
from psoas_tui.figures.library import LARGE, SMALL, builtin_library, figure_for, pose_folder, step_t
from psoas_tui.figures.poses import JOINTS, KeyPose
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


def _ink(lines: list[str]) -> int:
    return sum(bin(ord(ch) - 0x2800).count("1") for line in lines for ch in line if ch != " ")


def _without_arm(key: KeyPose, side: str) -> KeyPose:
    points = dict(zip(JOINTS, key.points, strict=True))
    points[f"elbow_{side}"] = points[f"wrist_{side}"] = points["shoulder"]
    return KeyPose(key.name, tuple(points[joint] for joint in JOINTS))


@pytest.mark.parametrize("side", ["near", "far"])
def test_every_built_in_key_pose_shows_both_arms_in_the_choose_pane(side: str) -> None:
    """Each arm adds ink of its own at 30x10: it is not hidden behind the torso, the other arm
    or a leg (the reviewer found arms missing in the chair and wall poses)."""
    hidden = []
    for pose in builtin_library().known().values():
        for key in pose.keys:
            added = _ink(draw(pose, key, 30, 10)) - _ink(draw(pose, _without_arm(key, side), 30, 10))
            if added < 8:
                hidden.append((pose.name, key.name, added))
    assert hidden == []


def test_posture_awareness_and_the_gentle_rotation_show_different_figures() -> None:
    """The seated routine's posture step has its own still figure; the rotation's figure moves
    the bent leg's heel back toward the hip (the reviewer saw both print the same picture)."""
    library = builtin_library()
    routine = next(r for r in builtin_routines() if r.id == "seated-psoas")
    titles = [step.title for step in routine.steps]
    posture, rotation = (titles.index("Posture awareness"), titles.index("Gentle rotation"))
    still = library.pose_for(library.ref_for(routine.id, posture), "left")
    moving = library.pose_for(library.ref_for(routine.id, rotation), "left")
    assert len(still.keys) == 1 and len(moving.keys) >= 2
    assert draw(still, still.keys[0], 36, 12) != draw(moving, moving.keys[0], 36, 12)
    heel = [key.joint("ankle_near")[0] for key in moving.keys]
    hip = moving.keys[0].joint("hip")[0]
    assert abs(heel[-1] - hip) < abs(heel[0] - hip) - 8


def test_a_small_figure_keeps_a_solid_head_and_a_thick_torso() -> None:
    """At 28x9 (the run screen at 60x20) the head is a filled dot and the torso three dots wide."""
    pose = builtin_library().get("stand-tall")
    key = pose.keys[0]
    points = dict(zip(JOINTS, key.points, strict=True))
    for joint in JOINTS:
        if joint.endswith(("_near", "_far")):
            points[joint] = points["hip"]
    bare = draw(pose, KeyPose("bare", tuple(points[joint] for joint in JOINTS)), 28, 9)
    columns = [
        {2 * x + dx for x, ch in enumerate(line) if ch != " " for dx in (0, 1)
         if any((ord(ch) - 0x2800) & DOT_BITS[dy][dx] for dy in range(4))}
        for line in bare[2:5]
    ]  # fmt: skip
    assert all(len(row) >= 3 for row in columns), columns
    assert _ink(bare[:2]) >= 8
