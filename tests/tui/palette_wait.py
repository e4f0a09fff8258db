"""Waiting for the command palette's search results by their state, not by a fixed delay."""

from __future__ import annotations

import time
from typing import Any

PALETTE_DEADLINE = 10.0


async def wait_for_palette_hit(app: Any, pilot: Any, text: str) -> None:
    """Return once the open command palette highlights an option whose prompt contains ``text``.

    The palette searches in a worker and fills its list a little later, so this polls the
    list's state (handing the loop a turn each time) until the hit is highlighted or the
    deadline passes.
    """
    from textual.command import CommandList, CommandPalette

    deadline = time.monotonic() + PALETTE_DEADLINE
    while True:
        screen = app.screen
        if isinstance(screen, CommandPalette):
            options = screen.query_one(CommandList)
            index = options.highlighted
            if (
                index is not None
                and index < options.option_count
                and text in str(options.get_option_at_index(index).prompt)
            ):
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"the command palette never highlighted {text!r}")
        await pilot.pause(0.01)
