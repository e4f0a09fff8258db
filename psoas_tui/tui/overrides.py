"""Every place psoas-tui goes beneath Textual's public surface, in one module.

Two widgets change a Textual widget's behaviour by overriding one of its members, and two
functions read an ``App`` attribute that Textual keeps private because it offers no public way
to do the same. Each is named here with the Textual member it depends on;
``tests/tui/test_overrides.py`` fails when Textual changes that member under us (renamed,
removed, or no longer doing what the override works around), and shows each override's effect
on a rendered widget.

=====================  ========================================  ====================================
Here                   Textual member it depends on              Why
=====================  ========================================  ====================================
``SessionProgress``    ``ProgressBar.on_mount``                  it starts a 1 s ETA timer never shown
``TickBox``            ``ToggleButton.BUTTON_INNER``             an empty box when unticked (NO_COLOR)
``terminal_write``     ``App._driver.write``                     cue escapes go out between frames
``applied_keymap``     ``App._keymap``                           the keys remapped by ``set_keymap``
=====================  ========================================  ====================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Checkbox, ProgressBar

if TYPE_CHECKING:
    from textual import events
    from textual.app import App

TICKED = "X"
UNTICKED = " "


class SessionProgress(ProgressBar):
    """Textual's ``ProgressBar`` without its once-a-second ETA timer: the run screen feeds it."""

    def on_mount(self, event: events.Mount) -> None:
        """Skip ``ProgressBar.on_mount`` (it starts a 1 s interval for the ETA we never show)."""
        event.prevent_default()
        self.update()


class TickBox(Checkbox):
    """A checkbox whose state reads without colour: ``▐X▌`` when ticked, ``▐ ▌`` when not.

    Textual's ``Checkbox`` always draws an ``X`` and tells the two states apart by its colour
    only, which is lost under ``NO_COLOR`` (and hard to see on some themes).
    """

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        """``X`` when ticked, a blank when not (read by ``ToggleButton._button``)."""
        return TICKED if self.value else UNTICKED


def terminal_write(app: App[object], data: str) -> None:
    """Write ``data`` (an escape sequence) through the app's driver, in order with its frames.

    Textual writes its own bell and clipboard sequences this way (``App.bell``); there is no
    public method for other sequences (window title, desktop notification). Headless: nothing.
    """
    driver = app._driver
    if driver is not None and not app.is_headless:
        driver.write(data)


def applied_keymap(app: App[object]) -> dict[str, str]:
    """The keymap given to ``app.set_keymap`` (binding id -> keys), keys in Textual's long form
    (``question_mark``, not ``?``), as key events name them."""
    return dict(app._keymap)
