"""Below 60x20 the app shows "make the window at least 60x20" instead of a broken layout.

``SizeGuard`` is installed once by the app. Whenever the window is smaller than
``MIN_WIDTH`` x ``MIN_HEIGHT`` the screen on top (any screen: choose, run, a dialog) is covered
by a ``TooSmall`` notice, and every key but the quit key is swallowed, so nothing hidden under
the notice can act (a safety note cannot be accepted unseen, a session cannot be stopped or
skipped blind). A running session keeps its own time meanwhile. Mouse input lands on the
notice, which covers the whole window. At 60x20 and above the notice goes away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Size
from textual.widgets import Static

from psoas_tui.tui.keys import app_bindings

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

MIN_WIDTH = 60
MIN_HEIGHT = 20
# Keys that still work below the minimum size: only what quits (after the app's keymap).
ALLOWED_ACTIONS = frozenset({"quit"})


def too_small(size: Size) -> bool:
    """True when ``size`` is below the smallest window the layout is made for."""
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


def too_small_text(size: Size) -> str:
    """What the notice says, e.g. for a 59x20 window."""
    return f"Make the window at least {MIN_WIDTH}x{MIN_HEIGHT}.\nIt is {size.width}x{size.height} now."


class TooSmall(Static):
    """Covers the whole screen while the window is too small (``display`` set by the guard)."""

    DEFAULT_CSS = """
    TooSmall {
        overlay: screen;
        position: absolute;
        offset: 0 0;
        width: 100vw;
        height: 100vh;
        background: $background;
        color: $text;
        text-style: bold;
        content-align: center middle;
        text-align: center;
        display: none;
    }
    """


class SizeGuard:
    """Keeps a ``TooSmall`` notice on the top screen in step with the window size."""

    def __init__(self, app: App[object]) -> None:
        self.app = app

    def start(self) -> None:
        """Follow screen changes (call once the app is mounted)."""
        self.app.screen_change_signal.subscribe(self.app, self._screen_changed)
        self.app.call_after_refresh(self.update)

    @property
    def active(self) -> bool:
        """True while the window is too small (and the notice is shown)."""
        return too_small(self.app.size)

    def _screen_changed(self, screen: Screen[object]) -> None:
        screen.call_after_refresh(self.update)

    def update(self) -> None:
        """Show or hide the notice on the screen on top, for the current window size."""
        try:
            screen = self.app.screen
        except Exception:  # no screen yet (starting) or none left (closing)
            return
        notices = list(screen.query_children(TooSmall))
        if not self.active:
            for notice in notices:
                notice.display = False
            return
        text = too_small_text(self.app.size)
        if notices:
            notices[0].update(text)
            notices[0].display = True
        else:
            notice = TooSmall(text, markup=False)
            notice.display = True
            screen.mount(notice)

    def swallows(self, event: events.Event) -> bool:
        """True for input that must not act while the window is too small: every key and
        paste, except the key(s) bound to quit."""
        if not isinstance(event, (events.Key, events.Paste)) or not self.active:
            return False
        return not (isinstance(event, events.Key) and self._quits(event.key))

    def _quits(self, key: str) -> bool:
        return any(b.action in ALLOWED_ACTIONS for b in app_bindings(self.app).key_to_bindings.get(key, []))
