"""Every place psoas-tui goes beneath Textual's public surface, in one module.

Three widgets change a Textual widget's behaviour by overriding some of its members, and two
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
``RoutineList``        ``OptionList._update_lines``,             row heights measured again when the
                       ``_clear_caches``, ``_heights``,          scrollbar narrows the rows; one
                       ``_on_click``                             click highlights, two start
``terminal_write``     ``App._driver.write``                     cue escapes go out between frames
``applied_keymap``     ``App._keymap``                           the keys remapped by ``set_keymap``
=====================  ========================================  ====================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Checkbox, OptionList, ProgressBar

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


class RoutineList(OptionList):
    """The routine list: a click shows a routine's details, a double click (or Enter) starts it.

    Row heights are measured again whenever the width rows are drawn at changes: Textual's
    ``OptionList`` clears them on a resize, but not when its own vertical scrollbar appears,
    so a title that wraps only once the scrollbar takes its two columns would push the row's
    second (info) line out of sight. Textual offers no public way to do either.
    """

    _measured_width: int | None = None

    def _update_lines(self) -> None:
        """Clear the measured rows (``OptionList._clear_caches``) when the width changed."""
        width = self.scrollable_content_region.width
        if width and width != self._measured_width:
            if self._measured_width is not None:
                self._clear_caches()
            self._measured_width = width
        super()._update_lines()

    def row_heights(self) -> list[int]:
        """How many lines each option takes at the current width (``OptionList._heights``)."""
        heights = self._heights
        return [heights[index] for index in range(self.option_count)]

    async def _on_click(self, event: events.Click) -> None:
        """One click highlights (``OptionList._on_click`` selects at once); a double click selects."""
        event.prevent_default()  # not OptionList's own handler, which selects on one click
        clicked = event.style.meta.get("option")
        if clicked is None or self.get_option_at_index(clicked).disabled:
            return
        event.stop()
        self.highlighted = clicked
        if event.chain >= 2:
            self.action_select()
