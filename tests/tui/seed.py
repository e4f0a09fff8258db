"""Test helpers for the log, plugins and settings screens.

* ``HarnessApp``: a tiny app with a ``ctx`` that pushes one screen, for testing screens on
  their own (the real ``PsoasApp`` is tested by the app tests).
* ``make_record`` / ``seed_history``: write ``SessionRecord`` objects through the real
  ``HistoryStore`` into a SQLite file (never a mock).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.screen import Screen

from psoas_tui.tui.context import AppContext


class HarnessApp(App[None]):
    """An app that owns ``ctx`` and shows ``make_screen()`` on mount."""

    def __init__(self, ctx: AppContext, make_screen: Callable[[], Screen]) -> None:
        super().__init__()
        self.ctx = ctx
        self._make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())
