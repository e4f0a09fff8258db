"""``psoas-tui pose NAME|FILE``: draw a pose (or every pose of a file) so its author sees it:
both sides, every key pose, side by side as far as the terminal is wide."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Iterable
from typing import TYPE_CHECKING

from psoas_tui.model import SIDES
from psoas_tui.text import safe

if TYPE_CHECKING:
    from psoas_tui.figures.poses import Pose

GUTTER = "   "


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("pose", help="draw a pose: both sides, every key pose")
    parser.add_argument("pose", metavar="NAME|FILE", help="a built-in pose name, or a pose .toml file")
    parser.add_argument("--small", action="store_true", help="draw at the detail pane's size (24x8)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the pose(s); a bad file or unknown name is one line on stderr and exit 2."""
    from psoas_tui.figures.library import LARGE, SMALL, builtin_library
    from psoas_tui.figures.poseformat import load_pose_file
    from psoas_tui.paths import looks_like_path

    if looks_like_path(args.pose):
        poses: Iterable[Pose] = load_pose_file(args.pose)
    else:
        poses = [builtin_library().get(args.pose)]
    size = SMALL if args.small else LARGE
    width = shutil.get_terminal_size((80, 24)).columns
    print("\n\n".join(render(pose, size, width) for pose in poses))
    return 0


def render(pose: Pose, size: tuple[int, int], width: int) -> str:
    """``pose`` as text: its name and title, then each side's key poses in rows that fit ``width``."""
    from psoas_tui.figures.poses import for_side

    lines = [f"{pose.name}: {safe(pose.title)}"]
    for side in SIDES:
        sided = for_side(pose, side)
        label = "as written" if side == "left" else "mirrored"
        lines.append(f"\n{side} side ({label})")
        panels = [_panel(sided, n, size) for n in range(len(pose.keys))]
        lines += _side_by_side(panels, size[0], width)
    return "\n".join(lines)


def _panel(pose: Pose, index: int, size: tuple[int, int]) -> list[str]:
    """Key pose ``index`` of ``pose`` with a caption above it."""
    from psoas_tui.figures.library import draw_pose

    steps = max(1, len(pose.keys) - 1)
    caption = f"{index + 1}. {pose.keys[index].name}"[: size[0]].ljust(size[0])
    return [caption, *draw_pose(pose, index / steps, size)]


def _side_by_side(panels: list[list[str]], panel_width: int, width: int) -> list[str]:
    """Panels laid out left to right, wrapping onto more rows when ``width`` is reached."""
    per_row = max(1, (width + len(GUTTER)) // (panel_width + len(GUTTER)))
    lines: list[str] = []
    for start in range(0, len(panels), per_row):
        row = panels[start:start + per_row]
        lines += [GUTTER.join(panel[n] for panel in row).rstrip() for n in range(len(row[0]))]
    return lines
