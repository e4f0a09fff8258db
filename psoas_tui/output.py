"""Writing to stdout when the reader may go away (``psoas-tui history | head``).

Every command runs inside the CLI's guard (``psoas_tui.cli``): it flushes stdout when the
command returns (``flush_stdout``), so a closed pipe is noticed there, and calls
``end_quietly_on_broken_pipe`` on a ``BrokenPipeError``: exit status 0 and nothing on stderr,
as ``head`` users expect. No command catches the error itself.
Imports nothing heavy, so the CLI's fast path may use it.
"""

from __future__ import annotations

import contextlib
import os
import sys


def flush_stdout() -> None:
    """Flush stdout; a ``BrokenPipeError`` goes to the caller, a missing or closed stdout is
    ignored (nothing more can be written there anyway)."""
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.flush()


def end_quietly_on_broken_pipe() -> int:
    """After a ``BrokenPipeError`` on stdout: point stdout at the null device so the
    interpreter's last flush cannot complain, and return exit status 0."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return 0
