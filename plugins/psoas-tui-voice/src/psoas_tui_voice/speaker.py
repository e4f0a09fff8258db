"""Speaks cue text with whatever speech program this machine has, without ever blocking.

``Speaker.speak(cue)`` only puts the text in a one-slot mailbox and returns; a daemon thread
takes it out and runs the speech program with ``subprocess.Popen``, waiting for one utterance
to end before starting the next so they do not talk over each other. When cues come faster
than they can be spoken, the stale ones are dropped and the newest is spoken: the voice may
skip, but the timer never waits for it.

When no speech program is installed, the first ``speak`` raises ``SpeakerMissing`` with a
message saying what to install; psoas-tui turns that into one notice and switches the style
off for the session. Each such message is raised once per process (``_REPORTED``), not at
every session: later calls, and later sessions, stay quiet. A program that fails to start is
reported the same way, once, on the next ``speak``.

Durations in cue text (``0:30``, ``1:30``, ``1:02:03``) are spoken as words ("30 seconds",
"1 minute 30 seconds"), see ``spoken_text``.

``close`` (the end of a session) lets the thread say what is still queued and then stop. So
that the last cues ("Done", "Session complete") are still heard when the process exits right
after the session (``run --plain``), the first ``speak`` registers an exit handler that waits
up to ``DRAIN_TIMEOUT`` seconds for the speech thread to finish. The wait is at exit rather
than in ``close`` because the TUI calls ``close`` on its event loop, which must never block.
"""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from psoas_tui.api import Cue, UserError

# (program, arguments before the text), in order of preference.
CANDIDATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("espeak-ng", ()),
    ("spd-say", ()),
    ("say", ()),
)
UTTERANCE_TIMEOUT = 30.0  # seconds one utterance may take before the program is killed
DRAIN_TIMEOUT = 5.0  # seconds the process may wait at exit for queued speech to finish
MISSING_MESSAGE = (
    "No speech program was found (looked for espeak-ng, spd-say and say); "
    "install espeak-ng (e.g. apt install espeak-ng) or speech-dispatcher to hear cues."
)


_DURATION_RE = re.compile(r"(?<![\d:])(?:(\d+):)?(\d+):([0-5]\d)(?![\d:])")
# Messages already raised by this process: a missing speaker is reported once, not per session.
_REPORTED: set[str] = set()


class SpeakerMissing(UserError, RuntimeError):
    """No speech program could be found or started; the message says what to install.

    A ``UserError``: its message is a sentence for people, shown without the class name.
    """


def find_speaker(
    which: Callable[[str], str | None] = shutil.which, platform: str = sys.platform
) -> list[str] | None:
    """The command prefix of the first speech program on ``PATH``, or ``None``.

    On macOS ``say`` is preferred, elsewhere espeak-ng, then spd-say.
    """
    order = list(CANDIDATES)
    if platform == "darwin":
        order.sort(key=lambda c: c[0] != "say")
    for program, args in order:
        path = which(program)
        if path:
            return [path, *args]
    return None


def spoken_text(cue: Cue) -> str:
    """The words to say for ``cue``: its text on one line, durations as words, never
    starting with ``-``."""
    text = " ".join(str(cue.text).split())
    return _DURATION_RE.sub(_duration_words, text).lstrip("-").strip()


def duration_words(seconds: int) -> str:
    """``30`` -> ``"30 seconds"``, ``90`` -> ``"1 minute 30 seconds"``, ``0`` -> ``"0 seconds"``."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [_unit(hours, "hour"), _unit(minutes, "minute"), _unit(secs, "second")]
    return " ".join(part for part in parts if part) or "0 seconds"


def _unit(count: int, name: str) -> str:
    if not count:
        return ""
    return f"{count} {name}" if count == 1 else f"{count} {name}s"


def _duration_words(match: re.Match[str]) -> str:
    hours, minutes, seconds = match.groups()
    return duration_words(int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds))


class Speaker:
    """A speech program fed from a background thread."""

    def __init__(
        self,
        command: Sequence[str] | None,
        popen: Callable[..., Any] = subprocess.Popen,
    ) -> None:
        self.command = list(command) if command else None
        self._popen = popen
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._pending: str | None = None
        self._closed = False
        self._error: str | None = None
        self._reported = False
        self._thread: threading.Thread | None = None
        self._running = False  # changed only under the lock, so a new thread starts when needed
        self._exit_hook = False  # the exit-time drain is registered once, at the first thread
        self.spoken: list[str] = []  # what was handed to the program, for tests and debugging

    def speak(self, cue: Cue) -> None:
        """Queue ``cue`` to be spoken and return at once."""
        if self._reported:
            return
        problem = MISSING_MESSAGE if self.command is None else self._error
        if problem is not None:
            self._reported = True
            if problem not in _REPORTED:  # once per process, not at every session
                _REPORTED.add(problem)
                raise SpeakerMissing(problem)
            return
        text = spoken_text(cue)
        if not text:
            return
        with self._lock:
            self._pending = text  # a newer cue replaces one not yet spoken
            self._closed = False
            self._wake.notify()
            if not self._running:
                self._running = True
                self._thread = threading.Thread(target=self._run, name="psoas-tui-voice", daemon=True)
                self._thread.start()
                if not self._exit_hook:
                    self._exit_hook = True
                    atexit.register(self.drain, DRAIN_TIMEOUT)

    def close(self) -> None:
        """End of a session: say what is queued, then let the thread stop; returns at once.

        Never blocks (the TUI calls it on its event loop); the bounded wait for the last
        words happens at process exit (``drain``). The speaker can be used again for the
        next session; a missing program is not reported again.
        """
        with self._lock:
            self._closed = True
            self._wake.notify()

    def drain(self, timeout: float = DRAIN_TIMEOUT) -> bool:
        """Close, then wait up to ``timeout`` seconds for queued speech to be spoken.

        Returns True when the speech thread has finished (or never ran). Registered to run
        at interpreter exit, so ``run --plain`` still says "Session complete" before it ends.
        """
        with self._lock:
            self._closed = True
            self._wake.notify()
            thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _run(self) -> None:
        assert self.command is not None
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                if self._pending is None:  # closed and nothing left to say
                    self._running = False
                    return
                text, self._pending = self._pending, None
            try:
                process = self._popen(
                    [*self.command, text],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            except OSError as exc:
                with self._lock:
                    reason = exc.strerror or exc
                    self._error = f"The speech program {self.command[0]} could not be started: {reason}."
                    self._running = False
                return
            self.spoken.append(text)
            try:
                process.wait(timeout=UTTERANCE_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
            except Exception:  # the program vanished; carry on with the next cue
                pass
