"""psoas-tui-deskpack: desk-friendly routines, shipped as TOML files inside this package.

The whole plugin is one hook: it hands psoas-tui the ``routines`` folder of this package.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from psoas_tui.api import hookimpl, routines_folder

__version__ = "0.1.0"


@hookimpl
def psoas_tui_routines() -> Iterable[Any]:
    """Offer every ``.toml`` routine in this package's ``routines`` folder."""
    return [routines_folder(__package__)]
