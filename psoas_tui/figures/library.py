"""The pose library and the figure of each routine step: what the app, ``show`` and plain mode
call to draw a step.

The built-in poses are the ``*.toml`` files in the pack's ``poses`` folder (``routines/poses``
in a checkout, ``psoas_tui/routines/poses`` in the wheel); ``figures.toml`` there maps each
step of the built-in routines to a pose. Integrating a screen is one call per frame::

    lines = figure_for(routine.id, segment.step_index, segment.side, t, columns=40, rows=16)

with ``t = step_t(ref, step.breath, elapsed)`` (or 0 for a still picture).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from psoas_tui.errors import UserError
from psoas_tui.figures.draw import draw
from psoas_tui.figures.poseformat import FigureRef, load_pose_file, parse_figure_map
from psoas_tui.figures.poses import Pose, breath_t, for_side, interpolate, loop_t
from psoas_tui.model import BreathPattern
from psoas_tui.routines import builtin_pack_folder, read_file_bytes

FIGURE_MAP = "figures.toml"
SMALL = (24, 8)  # the choose screen's detail pane
LARGE = (40, 16)  # the run screen, beside the countdown


@dataclass
class PoseLibrary:
    """Poses by name and, per routine id, the figure of each step (index from 0)."""

    poses: dict[str, Pose] = field(default_factory=dict)
    figures: dict[str, tuple[FigureRef, ...]] = field(default_factory=dict)

    def add_file(self, path: Path) -> None:
        """Add every pose of a pose file; a name already in the library is an error."""
        for pose in load_pose_file(path):
            if pose.name in self.poses:
                raise UserError(f"{path}: poses: {pose.name!r} is already defined by another pose file")
            self.poses[pose.name] = pose

    def add_folder(self, folder: Path) -> None:
        """Add the pose files of ``folder``, then its figure map when there is one."""
        for path in sorted(folder.glob("*.toml")):
            if path.name != FIGURE_MAP:
                self.add_file(path)
        figure_map = folder / FIGURE_MAP
        if figure_map.is_file():
            self.figures.update(parse_figure_map(read_file_bytes(figure_map), str(figure_map), self.poses))

    def get(self, name: str) -> Pose:
        """The pose called ``name``, or a ``UserError`` that suggests close names."""
        try:
            return self.poses[name]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(name, list(self.poses), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UserError(f"no pose named {name!r}{hint}") from None

    def ref_for(self, routine_id: str, step_index: int) -> FigureRef | None:
        """The figure of step ``step_index`` (from 0) of ``routine_id``; ``None`` when it has none."""
        steps = self.figures.get(routine_id, ())
        return steps[step_index] if 0 <= step_index < len(steps) else None

    def pose_for(self, ref: FigureRef, side: str | None) -> Pose:
        """The pose ``ref`` names, limited to its key poses, for ``side``."""
        pose = self.poses[ref.pose]
        return for_side(pose.only(ref.keys) if ref.keys else pose, side)


def pose_folder() -> Path | None:
    """The built-in ``poses`` folder, or ``None`` when the pack is not on disk."""
    pack = builtin_pack_folder()
    folder = pack / "poses" if pack is not None else None
    return folder if folder is not None and folder.is_dir() else None


@functools.cache
def builtin_library() -> PoseLibrary:
    """The built-in poses and figure map (read once per process)."""
    library = PoseLibrary()
    folder = pose_folder()
    if folder is not None:
        library.add_folder(folder)
    return library


def step_t(ref: FigureRef, breath: BreathPattern | None, elapsed: float) -> float:
    """Where the figure of a step stands ``elapsed`` seconds in: with the breath, else a loop."""
    if breath is not None:
        return breath_t(elapsed, breath)
    return loop_t(elapsed, ref.loop_seconds)


def draw_pose(pose: Pose, t: float = 0.0, size: tuple[int, int] = SMALL) -> list[str]:
    """``pose`` at ``t`` (0..1 through its key poses) as text lines of ``size`` (columns, rows)."""
    return draw(pose, interpolate(pose, t), *size)


def figure_for(
    routine_id: str,
    step_index: int,
    side: str | None,
    t: float = 0.0,
    *,
    columns: int = SMALL[0],
    rows: int = SMALL[1],
    library: PoseLibrary | None = None,
) -> list[str] | None:
    """The figure of step ``step_index`` (from 0) of ``routine_id`` at ``t``, or ``None``.

    ``side`` is ``"left"``, ``"right"`` or ``None`` (a step without sides: drawn as written).
    """
    library = library or builtin_library()
    ref = library.ref_for(routine_id, step_index)
    if ref is None:
        return None
    return draw_pose(library.pose_for(ref, side), t, (columns, rows))
