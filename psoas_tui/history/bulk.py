"""Bulk work on many sessions: the cyclic garbage collector paused while it runs.

Checking an import and inserting it make a few objects per session (a record, its check-in,
a row) while the parsed document, hundreds of thousands of dicts, is still alive. None of them
form reference cycles, yet every full collection would walk all of them again: at 100,000
sessions that was about a quarter of the import's own work. Reference counting still frees
everything as usual; only the cycle collector waits, and it runs again as soon as the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nested use is fine; a collector that
    was already off stays off)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
