"""The built-in routine pack: the TOML files shipped in the package's ``routines`` folder."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from psoas_tui.plugin_host.hookspecs import hookimpl


def builtin_routines_folder() -> Any:
    """The folder holding the built-in routine TOML files.

    In a wheel it is ``psoas_tui/routines``; in a source checkout (editable install) it is
    the top-level ``routines/`` folder beside the package.
    """
    packaged = resources.files("psoas_tui").joinpath("routines")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "routines"


@hookimpl
def psoas_tui_routines() -> Iterable[Any]:
    """Offer the built-in pack folder."""
    return [builtin_routines_folder()]
