"""A terminal driver that notices when the terminal goes away (the window closed, ``tmux
kill-session``, an SSH link dropped).

Writes to a hung-up terminal fail with ``EIO``. Textual's writer thread dies on the first
such error, its bounded queue fills, and the app's shutdown then waits forever to put its
"stop" marker in that queue: the process stays alive with no terminal, deaf to SIGTERM.
Here every write goes through ``GuardedOutput``: a failed write means "terminal gone", the
rest of the output is dropped (so the writer thread keeps emptying its queue and shutdown
never blocks) and the app is told once, on its own loop, so it saves the session as
``interrupted`` and exits. Input that fails the same way tells the app too, and ``hung_up``
(polled by the app every second) catches a terminal gone while nothing is being drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import threading
from collections.abc import Callable
from typing import IO, Any

from textual.drivers.linux_driver import LinuxDriver


class GuardedOutput:
    """A text stream whose first failed write or flush calls ``on_gone`` once and drops the rest."""

    def __init__(self, stream: IO[str], on_gone: Callable[[], None]) -> None:
        self._stream = stream
        self._on_gone = on_gone
        self._lock = threading.Lock()
        self.gone = False

    def write(self, text: str) -> int:
        """Write ``text``; after a failure, nothing is written any more."""
        if not self.gone:
            try:
                self._stream.write(text)
            except (OSError, ValueError):  # EIO from a hung-up terminal, or a closed stream
                self._lost()
        return len(text)

    def flush(self) -> None:
        """Flush the stream unless the terminal is gone."""
        if not self.gone:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._lost()

    def fileno(self) -> int:
        """The stream's file descriptor."""
        return self._stream.fileno()

    def isatty(self) -> bool:
        """Whether the stream is a terminal (False once it is gone)."""
        return not self.gone and self._stream.isatty()

    def _lost(self) -> None:
        with self._lock:
            if self.gone:
                return
            self.gone = True
        self._on_gone()


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver, telling the app ``terminal_gone()`` when the terminal goes away."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._gone_loop: asyncio.AbstractEventLoop | None = None
        with contextlib.suppress(RuntimeError):
            self._gone_loop = asyncio.get_running_loop()
        if self._file is not None:
            self._file = GuardedOutput(self._file, self._terminal_gone)  # type: ignore[assignment]

    def hung_up(self) -> bool:
        """True when the terminal's other side is gone (``POLLHUP`` on the input): then reads
        only return end of file and, with no output due, nothing else would notice."""
        if not hasattr(select, "poll"):
            return False
        poller = select.poll()
        poller.register(self.fileno, select.POLLIN)
        try:
            events = poller.poll(0)
        except OSError:
            return True
        return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _fd, mask in events)

    def run_input_thread(self) -> None:
        """Read keys until the app stops; a terminal that fails to read is gone."""
        try:
            super().run_input_thread()
        except OSError:
            self._terminal_gone()

    def _terminal_gone(self) -> None:
        """Called from the writer or input thread: hand the news to the app's loop."""
        loop = self._gone_loop
        handler = getattr(self._app, "terminal_gone", None)
        if loop is None or handler is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop has already closed
            loop.call_soon_threadsafe(handler)
