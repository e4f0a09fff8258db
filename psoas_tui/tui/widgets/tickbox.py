"""A checkbox whose state reads without colour: ``▐X▌`` when ticked, ``▐ ▌`` when not.

Textual's ``Checkbox`` always draws an ``X`` and tells the two states apart by its colour only,
which is lost under ``NO_COLOR`` (and hard to see on some themes).
"""

from __future__ import annotations

from textual.widgets import Checkbox

TICKED = "X"
UNTICKED = " "


class TickBox(Checkbox):
    """A ``Checkbox`` with an empty box when unticked."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        """``X`` when ticked, a blank when not (read by ``ToggleButton._button``)."""
        return TICKED if self.value else UNTICKED
