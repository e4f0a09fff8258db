"""The footer of every screen: Textual's ``Footer``, compact below 72 columns.

Below ``COMPACT_WIDTH`` columns the keys are drawn with less space between them and the
command palette's hint on the right goes (Ctrl+P still opens the palette), so that every key
of every screen fits at 60 columns, the smallest window the app works in.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_WIDTH = 72


class FittingFooter(Footer):
    """A ``Footer`` that turns compact, without the palette hint, below ``COMPACT_WIDTH``."""

    def on_resize(self, event: events.Resize) -> None:
        """Fit the keys to the new width (the footer's own width: the screen's)."""
        compact = event.size.width < COMPACT_WIDTH
        if compact != self.compact:
            self.compact = compact
            self.show_command_palette = not compact
            self.refresh(recompose=True)  # the palette's hint is made in compose
