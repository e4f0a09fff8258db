"""The pose library and the figure of each routine step: what the app, ``show`` and plain mode
call to draw a step.

The built-in poses are the ``*.toml`` files in the pack's ``poses`` folder (``routines/poses``
in a checkout, ``psoas_tui/routines/poses`` in the wheel); ``figures.toml`` there maps each
step of the built-in routines to a pose. Plugins ship their own through the
``psoas_tui_poses`` hook (``load_figures(host)``); a plugin's figure map applies only to the
routines that plugin offers, so which figures a step shows follows the routine's source, not
just its id. Integrating a screen is one call per frame::

    figures = load_figures(host)            # once; builtin_figures() without plugins
    lines = figure_for(routine, segment.step_index, segment.side, t, columns=40, rows=16,
                       library=figures)

with ``t = step_t(figures.ref_for(routine, index), step.breath, elapsed)`` (or 0 for a still
picture). ``figure_for`` still takes a routine id instead of a ``Routine``: that id's built-in
figures.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psoas_tui.errors import UserError
from psoas_tui.figures.draw import draw
from psoas_tui.figures.poseformat import FigureRef, parse_figure_map, parse_poses
from psoas_tui.figures.poses import Pose, breath_t, for_side, interpolate, loop_t
from psoas_tui.model import BreathPattern, Routine
from psoas_tui.routines import builtin_pack_folder, read_file_bytes

if TYPE_CHECKING:
    from psoas_tui.plugin_host.host import PluginHost

FIGURE_MAP = "figures.toml"
POSES_HOOK = "psoas_tui_poses"
SMALL = (24, 8)  # the choose screen's detail pane
LARGE = (40, 16)  # the run screen, beside the countdown


def _read(entry: Any) -> bytes:
    """The bytes of a ``Path`` (one-line ``UserError`` when unreadable) or a traversable."""
    return read_file_bytes(entry) if isinstance(entry, Path) else entry.read_bytes()


def _toml_files(folder: Any) -> list[Any]:
    """The ``*.toml`` files directly inside ``folder`` (a ``Path`` or traversable), by name."""
    entries = [e for e in folder.iterdir() if e.name.endswith(".toml") and e.is_file()]
    return sorted(entries, key=lambda e: e.name)


@dataclass
class PoseLibrary:
    """Poses by name and, per routine id, the figure of each step (index from 0).

    A plugin's library has the built-in one as its ``base``: its figure map may name the
    base's poses too, and its own poses win on a shared name.
    """

    poses: dict[str, Pose] = field(default_factory=dict)
    figures: dict[str, tuple[FigureRef, ...]] = field(default_factory=dict)
    base: PoseLibrary | None = None

    def known(self) -> dict[str, Pose]:
        """Every pose a figure map of this library may name: the base's, then this one's."""
        return {**(self.base.known() if self.base else {}), **self.poses}

    def add_file(self, path: Any) -> list[Pose]:
        """Add every pose of a pose file (a ``Path`` or traversable) and return them.

        A name this library already has (not its base) is an error, as is any bad pose.
        """
        found = parse_poses(_read(path), str(path))
        for pose in found:
            if pose.name in self.poses:
                raise UserError(f"{path}: poses: {pose.name!r} is already defined by another pose file")
        self.poses.update((pose.name, pose) for pose in found)
        return list(found)

    def add_map(self, path: Any) -> list[str]:
        """Add a figure map (routine id -> one figure per step); returns the routine ids."""
        figures = parse_figure_map(_read(path), str(path), self.known())
        self.figures.update(figures)
        return list(figures)

    def add_folder(self, folder: Any) -> None:
        """Add the pose files of ``folder``, then its figure map when there is one."""
        files = _toml_files(folder)
        for path in files:
            if path.name != FIGURE_MAP:
                self.add_file(path)
        for path in files:
            if path.name == FIGURE_MAP:
                self.add_map(path)

    def get(self, name: str) -> Pose:
        """The pose called ``name``, or a ``UserError`` that suggests close names."""
        known = self.known()
        try:
            return known[name]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(name, list(known), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UserError(f"no pose named {name!r}{hint}") from None

    def ref_for(self, routine_id: str, step_index: int) -> FigureRef | None:
        """The figure of step ``step_index`` (from 0) of ``routine_id``; ``None`` when it has none."""
        steps = self.figures.get(routine_id, ())
        return steps[step_index] if 0 <= step_index < len(steps) else None

    def pose_for(self, ref: FigureRef, side: str | None) -> Pose:
        """The pose ``ref`` names, limited to its key poses, for ``side``."""
        pose = self.get(ref.pose)
        return for_side(pose.only(ref.keys) if ref.keys else pose, side)


@dataclass
class Figures:
    """Every pose library there is: the built-in one and one per plugin that ships poses."""

    builtin: PoseLibrary
    plugins: dict[str, PoseLibrary] = field(default_factory=dict)

    def library_for(self, routine: Routine | str) -> PoseLibrary | None:
        """The library whose figure map a routine's steps use, by where the routine came from.

        A routine id (a ``str``) and a built-in routine use the built-in library; a plugin's
        routine its plugin's (``None`` when that plugin ships none); a user routine none,
        even when it has a built-in routine's id.
        """
        if isinstance(routine, str) or routine.source.kind == "builtin":
            return self.builtin
        if routine.source.kind == "plugin":
            return self.plugins.get(routine.source.name)
        return None

    def ref_for(self, routine: Routine | str, step_index: int) -> FigureRef | None:
        """The figure of step ``step_index`` (from 0) of ``routine``, or ``None``."""
        library = self.library_for(routine)
        routine_id = routine if isinstance(routine, str) else routine.id
        return library.ref_for(routine_id, step_index) if library else None


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


def builtin_figures() -> Figures:
    """The built-in figures only (no plugin discovery)."""
    return Figures(builtin_library())


_loaded: weakref.WeakKeyDictionary[PluginHost, Figures] = weakref.WeakKeyDictionary()


def load_figures(host: PluginHost) -> Figures:
    """The built-in figures plus every plugin's (``psoas_tui_poses``), once per host.

    Each plugin's files are read on their own: a bad pose file or figure map is recorded as a
    failure of that plugin (stage ``psoas_tui_poses``, message ``file:line: field: message``)
    and skipped, and its other files still load. What each plugin adds is noted as its
    ``poses`` contribution.
    """
    if host in _loaded:
        return _loaded[host]
    figures = builtin_figures()
    for plugin, items in host.pose_sources():
        library = PoseLibrary(base=figures.builtin)
        _load_plugin_items(library, items, functools.partial(_attempt, host, plugin))
        if library.poses or library.figures:
            figures.plugins[plugin] = library
    _loaded[host] = figures
    return figures


Reader = Callable[[Any], Iterable[str]]  # reads one entry, returns the names it added
Attempt = Callable[[str, Reader, Any], None]


def _attempt(host: PluginHost, plugin: str, what: str, func: Reader, entry: Any) -> None:
    """``func(entry)`` on behalf of ``plugin``: a failure is recorded, the names it returns are
    noted as the plugin's ``what`` contributions."""
    ok, names = host.guard(plugin, POSES_HOOK, func, entry)
    for name in (names or ()) if ok else ():
        host.contributed(plugin, what, name)


def _load_plugin_items(library: PoseLibrary, items: list[Any], attempt: Attempt) -> None:
    """Pose files first (from folders and single files), then the figure maps, each on its own."""
    files: list[Any] = []
    for item in items:
        attempt("poses", functools.partial(_list_toml, files), item)
    for entry in files:
        if entry.name != FIGURE_MAP:
            attempt("poses", lambda path: [pose.name for pose in library.add_file(path)], entry)
    for entry in files:
        if entry.name == FIGURE_MAP:
            attempt("figures", library.add_map, entry)


def _list_toml(found: list[Any], item: Any) -> list[str]:
    """Append the ``.toml`` files ``item`` stands for (a folder's, or the file itself) to ``found``."""
    if item.is_dir():
        found.extend(_toml_files(item))
    elif item.is_file():
        found.append(item)
    else:
        raise UserError(f"{item}: no such file or folder")
    return []


def step_t(ref: FigureRef, breath: BreathPattern | None, elapsed: float) -> float:
    """Where the figure of a step stands ``elapsed`` seconds in: with the breath, else a loop."""
    if breath is not None:
        return breath_t(elapsed, breath)
    return loop_t(elapsed, ref.loop_seconds)


def draw_pose(pose: Pose, t: float = 0.0, size: tuple[int, int] = SMALL) -> list[str]:
    """``pose`` at ``t`` (0..1 through its key poses) as text lines of ``size`` (columns, rows)."""
    return draw(pose, interpolate(pose, t), *size)


def figure_for(
    routine: Routine | str,
    step_index: int,
    side: str | None,
    t: float = 0.0,
    *,
    columns: int = SMALL[0],
    rows: int = SMALL[1],
    library: PoseLibrary | Figures | None = None,
) -> list[str] | None:
    """The figure of step ``step_index`` (from 0) of ``routine`` at ``t``, or ``None``.

    ``routine`` is a ``Routine`` (its figures follow its source: see ``Figures.library_for``)
    or a routine id (the built-in figures of that id). ``library`` is the ``Figures`` to use
    (default: the built-in ones; pass ``load_figures(host)`` for plugins' too) or one
    ``PoseLibrary``. ``side`` is ``"left"``, ``"right"`` or ``None`` (a step without sides:
    drawn as written).
    """
    if isinstance(library, PoseLibrary):
        chosen: PoseLibrary | None = library
    else:
        chosen = (library or builtin_figures()).library_for(routine)
    routine_id = routine if isinstance(routine, str) else routine.id
    ref = chosen.ref_for(routine_id, step_index) if chosen else None
    if chosen is None or ref is None:
        return None
    return draw_pose(chosen.pose_for(ref, side), t, (columns, rows))
