"""Pose files: strict validation with file:line: field, mirroring, eased interpolation, the
breath and loop drivers, and the braille renderer's sizes and bounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from psoas_tui.errors import UserError
from psoas_tui.figures.draw import MIN_COLUMNS, draw
from psoas_tui.figures.library import PoseLibrary, draw_pose
from psoas_tui.figures.poseformat import FigureRef, load_pose_file, parse_figure_map, parse_poses
from psoas_tui.figures.poses import JOINTS, Pose, Prop, breath_t, ease, interpolate, loop_t, mirror
from psoas_tui.model import BreathPattern

STANDING = {
    "head": [50, 88], "neck": [50, 80], "shoulder": [50, 76],
    "elbow_near": [53, 62], "wrist_near": [56, 49], "elbow_far": [47, 62], "wrist_far": [45, 49],
    "hip": [50, 48], "knee_near": [53, 26], "ankle_near": [54, 4], "toe_near": [61, 1],
    "knee_far": [47, 26], "ankle_far": [45, 4], "toe_far": [52, 1],
}  # fmt: skip


def joints_toml(joints: dict[str, list[int]]) -> str:
    return "".join(f"{name} = [{x}, {y}]\n" for name, (x, y) in joints.items())


GOOD = f"""\
schema = 1

[[poses]]
name = "stand"
title = "Stand"
props = [
    {{ kind = "floor" }},
    {{ kind = "chair", x = 70, width = 14, height = 28, back = "right" }},
]

[[poses.keys]]
name = "up"
{joints_toml(STANDING)}
[[poses.keys]]
name = "bow"
head = [60, 80]
neck = [57, 74]
"""


def parse(text: str) -> tuple[Pose, ...]:
    return parse_poses(text.encode(), "p.toml")


def error_of(text: str) -> str:
    with pytest.raises(UserError) as info:
        parse(text)
    return str(info.value)


# --------------------------------------------------------------------------- format


def test_a_good_file_reads_and_later_keys_inherit_joints() -> None:
    (pose,) = parse(GOOD)
    assert pose.name == "stand" and pose.key_names() == ("up", "bow")
    up, bow = pose.keys
    assert up.joint("head") == (50.0, 88.0) and bow.joint("head") == (60.0, 80.0)
    assert bow.joint("hip") == up.joint("hip")  # left out, so inherited
    assert len(bow.points) == len(JOINTS)
    assert pose.props == (Prop("floor"), Prop("chair", x=70, width=14, height=28, back="right"))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('name = "bow"\n', 'name = "bow"\nelbow = [1, 2]\n', "30: poses[1].keys[2].elbow: unknown key"),
        ("head = [60, 80]", "head = [60, 120]", "30: poses[1].keys[2].head: must be 0-100, got 120"),
        ("head = [60, 80]", "head = [60]", "30: poses[1].keys[2].head: must be a point [x, y]"),
        ("head = [60, 80]", 'head = [60, "a"]', "30: poses[1].keys[2].head: must be a number 0-100"),
        ("head = [60, 80]", "head = [60, true]", "30: poses[1].keys[2].head: must be a number"),
        ('title = "Stand"', 'title = "Stand\\u001b[2J"', "5: poses[1].title: control character U+001B"),
        ('title = "Stand"', "title = 'x' \nmood = 1", "6: poses[1].mood: unknown key"),
        ('name = "stand"', 'name = "Stand Up"', "4: poses[1].name: must be a slug"),
        ('name = "bow"', 'name = "up"', "29: poses[1].keys[2].name: 'up' is used by an earlier key pose"),
        ('kind = "chair"', 'kind = "sofa"', "8: poses[1].props[2].kind: must be one of floor, cushion"),
        ("x = 70, width = 14", "x = 90, width = 14", "8: poses[1].props[2].width: reaches past x = 100"),
        ("x = 70, width = 14, ", "", "8: poses[1].props[2].x: is required for a chair"),
        ('back = "right"', 'back = "up"', "8: poses[1].props[2].back: must be left or right"),
        ("schema = 1", "schema = 2", "1: schema: unsupported version 2"),
        ("schema = 1", "scheme = 1", "1: scheme: unknown key"),
    ],
)
def test_bad_files_name_file_line_and_field(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    assert error_of(GOOD.replace(old, new, 1)).startswith(f"p.toml:{expected}")


def test_the_first_key_pose_needs_every_joint() -> None:
    message = error_of(GOOD.replace("toe_far = [52, 1]\n", ""))
    assert message == (
        "p.toml:11: poses[1].keys[1].toe_far: is required in the first key pose (later ones may omit it)"
    )


def test_a_pose_needs_keys_and_names_are_unique() -> None:
    assert "poses[1].keys: is required" in error_of('schema = 1\n[[poses]]\nname = "a"\ntitle = "A"\n')
    twice = GOOD + GOOD.split("\n", 2)[2]
    assert "poses[2].name: 'stand' is used by an earlier pose" in error_of(twice)


def test_too_many_key_poses_are_refused() -> None:
    extra = "".join(f'[[poses.keys]]\nname = "k{n}"\n' for n in range(8))
    assert "poses[1].keys: must have 1-8 entries, got 10" in error_of(GOOD + extra)


def test_syntax_errors_and_missing_files_are_one_line(tmp_path: Path) -> None:
    assert error_of("schema = 1\n[[poses]\n").startswith("p.toml:2: TOML syntax:")
    with pytest.raises(UserError, match=r"nope\.toml: no such file"):
        load_pose_file(tmp_path / "nope.toml")


def test_figure_map_checks_poses_and_key_names() -> None:
    poses = {pose.name: pose for pose in parse(GOOD)}
    good = b'schema = 1\n[figures]\nmy-routine = [\n  "stand",\n  { pose = "stand", keys = ["bow"] },\n]\n'
    assert parse_figure_map(good, "f.toml", poses) == {
        "my-routine": (FigureRef("stand"), FigureRef("stand", ("bow",)))
    }
    bad_key = good.replace(b'["bow"]', b'["bend"]')
    no_key = r"^f\.toml:5: figures\.my-routine\[2\]: pose 'stand' has no key pose 'bend'"
    with pytest.raises(UserError, match=no_key):
        parse_figure_map(bad_key, "f.toml", poses)
    with pytest.raises(UserError, match=r"^f\.toml:4: figures\.my-routine\[1\]: no pose named 'sit'"):
        parse_figure_map(good.replace(b'"stand",\n', b'"sit",\n'), "f.toml", poses)


# --------------------------------------------------------------------------- motion


def test_mirror_reflects_points_and_props_and_is_its_own_inverse() -> None:
    (pose,) = parse(GOOD)
    other = mirror(pose)
    assert other.keys[0].joint("toe_near") == (100 - 61, 1)
    chair = other.props[1]
    assert (chair.x, chair.width, chair.back) == (100 - 70 - 14, 14, "left")
    assert mirror(other) == pose


def test_interpolation_is_eased_and_hits_the_key_poses() -> None:
    (pose,) = parse(GOOD)
    up, bow = pose.keys
    assert interpolate(pose, 0) == up and interpolate(pose, 1) == bow
    assert interpolate(pose, -3) == up and interpolate(pose, 7) == bow
    assert interpolate(pose, 0.5).joint("head") == pytest.approx((55, 84))
    quarter = interpolate(pose, 0.25).joint("head")[0]
    assert 50 < quarter < 52.5  # eased: slower than linear near the ends
    three = Pose("p", "P", (up, bow, up))
    assert interpolate(three, 0.5).points == bow.points
    assert interpolate(Pose("p", "P", (up,)), 0.7) == up


def test_ease_is_monotonic_from_zero_to_one() -> None:
    values = [ease(n / 20) for n in range(21)]
    assert values[0] == 0 and values[-1] == 1 and values == sorted(values)


def test_breath_drives_the_figure_out_on_the_exhale_and_back_on_the_inhale() -> None:
    breath = BreathPattern(4, 1, 6, 1)
    assert breath_t(0, breath) == 0 and breath_t(3, breath) == 0  # the first inhale: at the start
    assert breath_t(5, breath) == 0  # start of the exhale
    assert breath_t(8, breath) == pytest.approx(0.5)
    assert breath_t(11.5, breath) == 1  # hold after the exhale
    assert breath_t(12 + 2, breath) == pytest.approx(0.5)  # the next inhale comes back


def test_loop_goes_there_and_back() -> None:
    assert [loop_t(s, 8) for s in (0, 2, 4, 6, 8)] == [0, 0.5, 1, 0.5, 0]
    assert loop_t(3, 0) == 0


# --------------------------------------------------------------------------- drawing


@pytest.mark.parametrize(("columns", "rows"), [(24, 8), (40, 16), (60, 24), (MIN_COLUMNS, 3)])
def test_figures_fill_exactly_the_requested_cells(columns: int, rows: int) -> None:
    (pose,) = parse(GOOD)
    for t in (0, 0.3, 1):
        lines = draw_pose(pose, t, (columns, rows))
        assert len(lines) == rows and all(len(line) == columns for line in lines)
        assert all(ch == " " or 0x2801 <= ord(ch) <= 0x28FF for line in lines for ch in line)
        assert sum(ch != " " for line in lines for ch in line) > columns  # a figure, not a blank


def test_the_mirror_image_is_drawn_facing_the_other_way() -> None:
    (pose,) = parse(GOOD)
    left = draw_pose(pose, 1, (40, 16))
    right = draw_pose(mirror(pose), 1, (40, 16))

    assert left != right
    for row_left, row_right in zip(left, right, strict=True):
        if row_left.strip():  # each row's ink starts where the mirror image's ends
            start = len(row_left) - len(row_left.lstrip())
            end = len(row_right.rstrip()) - 1
            assert abs(start - (len(row_right) - 1 - end)) <= 1


def test_near_limbs_are_drawn_heavier_than_far_ones() -> None:
    (pose,) = parse(GOOD)
    key = pose.keys[0]
    near_only = dict(zip(JOINTS, key.points, strict=True))
    far_only = dict(near_only)
    for side, other in (("near", "far"), ("far", "near")):
        for part in ("elbow", "wrist", "knee", "ankle", "toe"):
            (near_only if side == "near" else far_only)[f"{part}_{other}"] = near_only["hip"]
    bare = Pose("p", "P", (key,))

    def dots(points: dict) -> int:
        lines = draw(bare, type(key)("k", tuple(points[j] for j in JOINTS)), 40, 16)
        return sum(bin(ord(ch) - 0x2800).count("1") for line in lines for ch in line if ch != " ")

    assert dots(near_only) > 1.5 * dots(far_only)


def test_too_small_a_figure_is_refused() -> None:
    (pose,) = parse(GOOD)
    with pytest.raises(ValueError, match="at least"):
        draw_pose(pose, 0, (MIN_COLUMNS - 1, 8))


def test_a_library_refuses_a_pose_name_twice(tmp_path: Path) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    library = PoseLibrary()
    with pytest.raises(UserError, match="'stand' is already defined"):
        library.add_folder(tmp_path)
