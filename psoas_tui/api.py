"""Everything a plugin author imports: ``from psoas_tui.api import hookimpl, Routine, ...``.

This module is the stable, versioned surface: the names in ``__all__`` only change with a
new ``HOOK_API_VERSION`` after a deprecation period (see ``psoas_tui.plugin_host.hookspecs`` and
docs/plugins.md). Anything not re-exported here may change without notice.

A routine pack needs two lines::

    from psoas_tui.api import hookimpl, routines_folder

    @hookimpl
    def psoas_tui_routines():
        return [routines_folder(__package__)]

A pack with figures adds a ``poses`` folder (pose files and a ``figures.toml`` naming one pose
per step of each of its routines) and one more hook::

    @hookimpl
    def psoas_tui_poses():
        return [poses_folder(__package__)]

Tests register a plugin in-process with ``build_plugin_host(entry_points=False,
extra=[("my-plugin", my_module)])``, load routines with ``RoutineLibrary.load(host, user_dir=...)``
and read ``host.failures``; ``load_figures(host)`` gives the figures and ``figure_for(routine, step,
side, library=figures)`` draws one. Raise ``UserError`` with a sentence for people (e.g. from a cue
style that cannot work here): it is shown without the class name.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from types import ModuleType

from psoas_tui.errors import UserError
from psoas_tui.figures.library import Figures, figure_for, load_figures
from psoas_tui.model import (
    BreathPattern,
    CheckIn,
    Cue,
    CueKind,
    CueStyle,
    Exporter,
    Routine,
    RoutineSource,
    SessionRecord,
    SessionStatus,
    Step,
    StepKind,
)
from psoas_tui.plugin_host.hookspecs import HOOK_API_VERSION, PROJECT_NAME, hookimpl
from psoas_tui.plugin_host.host import ENTRY_POINT_GROUP, PluginFailure, PluginHost, build_plugin_host
from psoas_tui.routines import RoutineLibrary

__all__ = [
    "ENTRY_POINT_GROUP",
    "HOOK_API_VERSION",
    "PROJECT_NAME",
    "BreathPattern",
    "CheckIn",
    "Cue",
    "CueKind",
    "CueStyle",
    "Exporter",
    "Figures",
    "PluginFailure",
    "PluginHost",
    "Routine",
    "RoutineLibrary",
    "RoutineSource",
    "SessionRecord",
    "SessionStatus",
    "Step",
    "StepKind",
    "UserError",
    "build_plugin_host",
    "figure_for",
    "hookimpl",
    "load_figures",
    "poses_folder",
    "routines_folder",
]


def routines_folder(package: str | ModuleType | None, subfolder: str = "routines") -> Traversable:
    """The folder of routine ``.toml`` files shipped inside ``package``.

    Returns an ``importlib.resources`` traversable, which works from a wheel, a zip or a
    source checkout; return it from ``psoas_tui_routines``. Pass ``__package__`` (or the
    package's name) from the plugin module. Raises ``FileNotFoundError`` naming the
    package when the folder is missing — the host reports that against the plugin.
    """
    if not package:
        raise ValueError("routines_folder() needs a package name: pass __package__ from your plugin module")
    folder = resources.files(package).joinpath(subfolder)
    if not folder.is_dir():
        name = package if isinstance(package, str) else package.__name__
        raise FileNotFoundError(f"package {name!r} has no folder {subfolder!r} (is it in the wheel?)")
    return folder


def poses_folder(package: str | ModuleType | None, subfolder: str = "poses") -> Traversable:
    """The folder of pose ``.toml`` files (and ``figures.toml``) shipped inside ``package``.

    Return it from ``psoas_tui_poses``; like ``routines_folder``, it works from a wheel, a
    zip or a checkout, and a missing folder is a ``FileNotFoundError`` naming the package.
    """
    if not package:
        raise ValueError("poses_folder() needs a package name: pass __package__ from your plugin module")
    return routines_folder(package, subfolder)
