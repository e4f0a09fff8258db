"""Plays chimes through the system's audio player, never waiting for one to finish.

* **The player** is looked up on ``PATH`` when the style is made (``find_player``):
  ``pw-play`` (PipeWire), ``paplay`` (PulseAudio), ``aplay`` (ALSA), then ``afplay`` (macOS,
  first there). With none, the first cue raises ``PlayerMissing``: one sentence saying what to
  install. psoas-tui shows it as one notice and switches the style off for that session; the
  sentence is raised once per process, not at every session.
* **The sounds** are written on first use (``tones.write_wav``) into a private temporary
  folder, removed when the process exits.
* **Never blocking.** ``Chimes.handle`` starts the player with ``subprocess.Popen`` and
  returns; it never waits for the sound. Finished players are reaped at the next cue; when
  more than ``MAX_PLAYING`` ring at once, the oldest is stopped. At exit the ones still
  ringing get up to ``DRAIN_TIMEOUT`` seconds to finish ("Session complete" is heard after
  ``run --plain``), then the folder is removed.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from psoas_tui.api import Cue, CueKind, UserError
from psoas_tui_chimes.tones import CHIMES, write_wav

# (program, arguments before the file), in order of preference.
CANDIDATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pw-play", ()),
    ("paplay", ()),
    ("aplay", ("-q",)),
    ("afplay", ()),
)
CHIME_FOR: dict[CueKind, str] = {
    CueKind.SEGMENT_START: "start",
    CueKind.SIDE_SWITCH: "switch",
    CueKind.BREATH_IN: "in",
    CueKind.BREATH_OUT: "out",
    CueKind.COMPLETE: "finish",
}
MAX_PLAYING = 3
DRAIN_TIMEOUT = 3.0
MISSING_MESSAGE = (
    "No audio player was found (looked for pw-play, paplay, aplay and afplay); "
    "install pipewire, pulseaudio-utils or alsa-utils to hear chimes."
)

_REPORTED: set[str] = set()  # sentences already raised by this process


class PlayerMissing(UserError, RuntimeError):
    """No audio player could be found or started; the message says what to install."""


def find_player(
    which: Callable[[str], str | None] = shutil.which, platform: str = sys.platform
) -> list[str] | None:
    """The command prefix of the first audio player on ``PATH``, or ``None``."""
    order = sorted(CANDIDATES, key=lambda c: c[0] != "afplay") if platform == "darwin" else CANDIDATES
    for program, args in order:
        path = which(program)
        if path:
            return [path, *args]
    return None


class Chimes:
    """The ``chimes`` style's state: the player, the sound files and the players ringing."""

    def __init__(self, command: Sequence[str] | None, popen: Callable[..., Any] = subprocess.Popen) -> None:
        self.command = list(command) if command else None
        self.played: list[Path] = []  # what was handed to the player, for tests
        self._popen = popen
        self._folder: Path | None = None
        self._files: dict[str, Path] = {}
        self._playing: list[Any] = []
        self._silenced = False
        self._lock = threading.Lock()

    def handle(self, cue: Cue) -> None:
        """Start the chime for ``cue`` (if it has one) and return without waiting for it."""
        if self._silenced:
            return
        if self.command is None:
            self._report(MISSING_MESSAGE)
            return
        name = CHIME_FOR.get(cue.kind)
        if name is not None:
            self._play(self.sound(name))

    def _report(self, problem: str) -> None:
        """Go quiet; raise ``problem`` unless this process already did (once, not per session)."""
        self._silenced = True
        if problem not in _REPORTED:
            _REPORTED.add(problem)
            raise PlayerMissing(problem)

    def sound(self, name: str) -> Path:
        """The WAV file of chime ``name``, written on first use."""
        with self._lock:
            if name not in self._files:
                self._files[name] = write_wav(self._private_folder() / f"{name}.wav", CHIMES[name])
            return self._files[name]

    def _private_folder(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="psoas-tui-chimes-"))
            _live.append(self)
            _register_exit()
        return self._folder

    def _play(self, path: Path) -> None:
        assert self.command is not None
        self._reap()
        try:
            process = self._popen([*self.command, str(path)], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            reason = exc.strerror or exc
            self._report(f"The audio player {self.command[0]} could not be started: {reason}.")
            return
        self.played.append(path)
        self._playing.append(process)

    def _reap(self) -> None:
        """Forget players that ended; stop the oldest when too many ring at once."""
        self._playing = [p for p in self._playing if p.poll() is None]
        while len(self._playing) >= MAX_PLAYING:
            with contextlib.suppress(OSError):
                self._playing.pop(0).terminate()

    def close(self) -> None:
        """End of a session: nothing to wait for (the chimes ring out on their own)."""
        self._reap()

    def drain(self, timeout: float = DRAIN_TIMEOUT) -> None:
        """Wait up to ``timeout`` seconds for ringing chimes, then remove the sound files."""
        deadline = time.monotonic() + timeout
        for process in self._playing:
            with contextlib.suppress(Exception):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder, self._files = None, {}


_live: list[Chimes] = []
_exit_registered = False


def _register_exit() -> None:
    global _exit_registered
    if not _exit_registered:
        _exit_registered = True
        atexit.register(drain_all)


def drain_all(timeout: float = DRAIN_TIMEOUT) -> None:
    """At exit: let the last chimes ring (bounded), then remove every sound folder."""
    deadline = time.monotonic() + timeout
    for chimes in list(_live):
        chimes.drain(max(0.0, deadline - time.monotonic()))
    _live.clear()
