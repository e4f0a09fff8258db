"""Command palette commands: start a routine, open the log, export, open settings and more."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from psoas_tui.tui.escape import markup
from psoas_tui.tui.host import psoas_host, services
from psoas_tui.tui.screens.choose import source_label

if TYPE_CHECKING:
    from psoas_tui.model import Routine

# (title, help, app action) for the fixed commands.
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Open log", "Your sessions, streak and weekly goal", "open_log"),
    ("Export history", "Write your sessions to a file (TOML, JSON or a plugin format)", "export"),
    ("Open settings", "Cue styles, breath pattern, timings, weekly goal, theme", "open_settings"),
    ("Open plugins", "Installed plugins, what they add, and their problems", "open_plugins"),
    ("Help", "Every key", "help"),
    ("Safety notice", "Read the safety notice again", "safety"),
)


class PsoasCommands(Provider):
    """Offers each routine ("Start: ...") and the app's screens."""

    async def startup(self) -> None:
        """Load the routine library off the event loop if it is not loaded yet."""
        ctx = services(self.app)
        library = await asyncio.to_thread(lambda: ctx.library)
        self._routines: list[Routine] = list(library)

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        host, app = psoas_host(self.app), self.app
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for routine in self._routines:
            help_text = f"{routine.level} · {source_label(routine)} · {routine.id}"
            commands.append((f"Start: {routine.title}", help_text,
                             partial(host.start, routine)))
        for title, help_text, action in ACTIONS:
            commands.append((title, help_text, partial(app.run_action, action)))
        return commands

    async def discover(self) -> Hits:
        """The fixed commands, before anything is typed."""
        for title, help_text, callback in self._commands():
            if not title.startswith("Start: "):
                yield DiscoveryHit(Content(title), callback, text=title, help=markup(help_text))

    async def search(self, query: str) -> Hits:
        """Fuzzy-match every command (routine titles are data: never parsed as markup)."""
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, _highlight(matcher, title), callback, text=title, help=markup(help_text))


def _highlight(matcher: Matcher, title: str) -> Content:
    """Like ``Matcher.highlight`` but never parses ``title`` as markup."""
    content = Content(title)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
