"""The baseline for ``bench/startup.py``: a minimal Textual app (a header, a list of 20 items,
a footer). Whatever psoas-tui costs beyond this is ours, not Textual's.

Run it on its own with ``python bench/minimal_app.py`` (Ctrl+Q quits).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label, ListItem, ListView

ITEMS = 20
MARKER = f"Minimal routine {ITEMS:02d}"  # the bench waits for the last item to be on screen


class MinimalApp(App[None]):
    """Header, a list of 20 items, footer."""

    TITLE = "minimal"

    def compose(self) -> ComposeResult:
        yield Header()
        yield ListView(*(ListItem(Label(f"Minimal routine {n:02d}")) for n in range(1, ITEMS + 1)))
        yield Footer()


if __name__ == "__main__":
    MinimalApp().run()
