"""psoas-tui-deskpack: desk-friendly routines, shipped as TOML files inside this package.

The whole plugin is two hooks: one hands psoas-tui the ``routines`` folder of this package,
the other its ``poses`` folder (the pack's own poses and ``figures.toml``, which gives every
step of every routine here a figure, using built-in poses too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from psoas_tui.api import hookimpl, poses_folder, routines_folder

__version__ = "0.1.0"


@hookimpl
def psoas_tui_routines() -> Iterable[Any]:
    """Offer every ``.toml`` routine in this package's ``routines`` folder."""
    return [routines_folder(__package__)]


@hookimpl
def psoas_tui_poses() -> Iterable[Any]:
    """Offer this package's ``poses`` folder: pose files and the figure map of the routines."""
    return [poses_folder(__package__)]
