"""The built-in ``voice`` cue style: speaks cues aloud, never holding up the clock.

* **Which program.** ``espeak-ng``, then ``spd-say``, then ``say`` (``say`` first on macOS),
  looked up on ``PATH`` when the style is made (``find_speaker``). ``speaker_available()`` tells
  a settings screen whether voice can work on this machine. With none found, the first cue
  raises ``SpeakerMissing`` with one clear line saying what to install; the ``CueDispatcher``
  turns it into one notice and switches the style off. The line is raised once per process,
  not again at every session.
* **What it says** (``phrase``): short, natural words rather than the whole screen text: the
  step title, side and length ("Half-kneeling, left side, thirty seconds"), "Switch to the
  right side", the breath "in" / "out" / "hold" when the step paces the breath, "three, two,
  one", "Halfway there", "Session complete: two minutes of stretching. Well done." Durations
  are words ("thirty seconds", "one minute thirty"). Segment ends are silent: the next cue
  says what comes. The how-to text of a step stays on screen.
* **Never blocking, never behind.** ``Speaker.speak`` only puts the words in a one-slot
  mailbox and returns; a daemon thread runs the program with ``subprocess.Popen`` one
  utterance at a time. A newer cue replaces one still waiting unless that one ranks higher
  (``rank``: a segment's opening words, then the breath, then halfway and 3-2-1); a cue
  that waited longer than ``STALE_AFTER`` seconds is dropped (except the final words); and a
  cue of a *new segment* cuts off whatever is still being said about the old one. So the
  voice may skip, but it is never late and never delays the countdown. The dispatcher calls
  built-in styles on the caller's thread, which is why this style must be non-blocking itself.
* **Recording.** ``Speaker(record_dir=...)`` (or ``PSOAS_TUI_VOICE_WAV_DIR``) makes espeak-ng
  write each utterance to a numbered WAV file (``espeak-ng -w``) instead of playing it; the
  tests use it to check real speech.
* **The last words.** ``close`` returns at once (the TUI calls it on its event loop); at process
  exit a bounded wait (``DRAIN_TIMEOUT``) lets "Session complete" be heard after
  ``run --plain``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from psoas_tui.env import VOICE_WAV_DIR as RECORD_ENV
from psoas_tui.errors import UserError
from psoas_tui.model import Cue, CueKind, CueStyle
from psoas_tui.text import drop_controls, plural_noun, split_seconds

# (program, arguments before the words), in order of preference.
CANDIDATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("espeak-ng", ()),
    ("spd-say", ("-w",)),  # -w: return when spoken, so utterances do not pile up in the daemon
    ("say", ()),
)
CANCEL: dict[str, tuple[str, ...]] = {"spd-say": ("-C",)}  # stops speech a daemon still holds
STALE_AFTER = 1.0  # real seconds a waiting cue stays worth saying
UTTERANCE_TIMEOUT = 30.0  # seconds one utterance may take before the program is killed
DRAIN_TIMEOUT = 5.0  # seconds the process may wait at exit for the last words
MISSING_MESSAGE = (
    "No speech program was found (looked for espeak-ng, spd-say and say); "
    "install espeak-ng (e.g. apt install espeak-ng) or speech-dispatcher to hear cues."
)
RECORD_MESSAGE = "Recording cues to WAV files ({env}) needs espeak-ng, which was not found."
DESCRIPTION = "Speaks the cues aloud with espeak-ng, spd-say or say (whichever this machine has)."

LEAD_KINDS = frozenset({CueKind.SEGMENT_START, CueKind.SIDE_SWITCH, CueKind.COMPLETE, CueKind.STOPPED})
TIMELY_KINDS = frozenset(
    {CueKind.BREATH_IN, CueKind.BREATH_OUT, CueKind.BREATH_HOLD, CueKind.PAUSED, CueKind.RESUMED}
)
FINAL_KINDS = frozenset({CueKind.COMPLETE, CueKind.STOPPED})
FIXED_WORDS: dict[CueKind, str] = {
    CueKind.BREATH_IN: "in",
    CueKind.BREATH_OUT: "out",
    CueKind.BREATH_HOLD: "hold",
}
SILENT_KINDS = frozenset({CueKind.SEGMENT_END, CueKind.TICK})

_DURATION_RE = re.compile(r"(?<![\d:])(?:(\d+):)?(\d+):([0-5]\d)(?![\d:])")
_STEP_HEAD_RE = re.compile(r"[,:]")
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

_REPORTED: set[str] = set()  # problems already raised by this process (once, not per session)


class SpeakerMissing(UserError, RuntimeError):
    """No speech program could be found or started; the message says what to install."""


# -- finding a speaker -------------------------------------------------------------------


def find_speaker(
    which: Callable[[str], str | None] = shutil.which, platform: str = sys.platform
) -> list[str] | None:
    """The command prefix of the first speech program on ``PATH``, or ``None``.

    On macOS ``say`` is preferred, elsewhere espeak-ng, then spd-say.
    """
    order = sorted(CANDIDATES, key=lambda c: c[0] != "say") if platform == "darwin" else CANDIDATES
    for program, args in order:
        path = which(program)
        if path:
            return [path, *args]
    return None


def speaker_available() -> str | None:
    """The name of the speech program voice would use here (``"espeak-ng"``), or ``None``.

    For a settings screen that shows whether the ``voice`` style can work on this machine.
    """
    command = find_speaker()
    return program_name(command) if command else None


def program_name(command: Sequence[str]) -> str:
    """``["/usr/bin/espeak-ng"]`` -> ``"espeak-ng"``."""
    return Path(command[0]).name


# -- the words ---------------------------------------------------------------------------


def number_words(n: int) -> str:
    """``42`` -> ``"forty-two"``; ``105`` -> ``"one hundred five"`` (0 to 999,999)."""
    if n < 0 or n > 999_999:
        return str(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{number_words(thousands)} thousand" + (f" {number_words(rest)}" if rest else "")


def _unit(count: int, name: str) -> str:
    return f"{number_words(count)} {plural_noun(count, name)}"


def duration_words(seconds: int) -> str:
    """``30`` -> ``"thirty seconds"``, ``90`` -> ``"one minute thirty"``, ``120`` -> ``"two minutes"``."""
    hours, minutes, secs = split_seconds(int(seconds))
    if not hours and not minutes:
        return _unit(secs, "second")
    parts = [_unit(hours, "hour")] if hours else []
    if minutes:
        parts.append(_unit(minutes, "minute"))
    if secs:
        parts.append(_unit(secs, "second") if hours else number_words(secs))
    return " ".join(parts)


def _duration_match(match: re.Match[str]) -> str:
    hours, minutes, seconds = match.groups()
    return duration_words(int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds))


def speakable(text: str) -> str:
    """``text`` on one line, without control characters, durations as words, never an option.

    ``"Rest (0:30)"`` -> ``"Rest, thirty seconds"``.
    """
    line = drop_controls(" ".join(str(text).split()))
    line = _DURATION_RE.sub(_duration_match, line)
    line = line.replace(" (", ", ").replace("(", "").replace(")", "")
    return line.lstrip("- ").strip()


def start_phrase(cue: Cue) -> str:
    """A segment's opening words: for a step only its head (title, side, round, length),
    not the how-to that follows it on screen; anything else as written."""
    title, text = cue.step_title, cue.text
    if title and text.startswith(title) and _STEP_HEAD_RE.match(text, len(title)):
        return title + text[len(title):].split(". ", 1)[0]
    return text


def phrase(cue: Cue) -> str | None:
    """What the voice says for ``cue``, or ``None`` to stay quiet."""
    if cue.kind in SILENT_KINDS:
        return None
    if cue.kind in FIXED_WORDS:
        words = FIXED_WORDS[cue.kind]
    elif cue.kind is CueKind.COUNTDOWN and cue.text.strip().isdigit():
        words = number_words(int(cue.text))
    elif cue.kind is CueKind.SIDE_SWITCH and cue.side and not cue.text.strip():
        words = f"Switch to the {cue.side} side"
    elif cue.kind is CueKind.SEGMENT_START:
        words = start_phrase(cue)
    else:
        words = cue.text
    return speakable(words) or None


def rank(kind: CueKind) -> int:
    """Which of two cues of one segment wins the waiting slot: a segment's opening words (3),
    then what must be said on time, the breath or a pause (2), then the rest (1): halfway and
    the 3-2-1, which may fall on the same second as a breath."""
    return 3 if kind in LEAD_KINDS else 2 if kind in TIMELY_KINDS else 1


# -- the speaker -------------------------------------------------------------------------


@dataclass(eq=False)
class Utterance:
    """Words waiting for, or being said by, the speech program."""

    cue: Cue
    text: str
    queued_at: float
    cut: bool = False  # a newer segment's cue cut it off


class Spoken(NamedTuple):
    """One utterance handed to the program: its cue kind, words and WAV file (when recording)."""

    kind: CueKind
    text: str
    path: Path | None


class Speaker:
    """A speech program fed from its own daemon thread; ``speak`` never waits.

    ``command`` is the program's command prefix (``None``: none found). ``record_dir`` makes it
    write ``NNN-kind.wav`` files with ``espeak-ng -w`` instead of playing. ``clock`` (real
    seconds) times how long a cue has waited.
    """

    def __init__(
        self,
        command: Sequence[str] | None,
        *,
        record_dir: Path | None = None,
        popen: Callable[..., Any] = subprocess.Popen,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.command = list(command) if command else None
        self.record_dir = record_dir
        self.spoken: list[Spoken] = []
        self.dropped: list[str] = []  # words skipped because they came too late
        self._popen = popen
        self._clock = clock
        self._wake = threading.Condition()
        self._pending: Utterance | None = None
        self._current: Utterance | None = None
        self._process: Any = None
        self._closed = False
        self._running = False
        self._error: str | None = None
        self._silenced = False

    @classmethod
    def from_environment(cls) -> Speaker:
        """The speaker this machine has; recording when ``PSOAS_TUI_VOICE_WAV_DIR`` is set."""
        folder = os.environ.get(RECORD_ENV)
        return cls(find_speaker(), record_dir=Path(folder) if folder else None)

    @property
    def program(self) -> str | None:
        """The speech program's name, or ``None``."""
        return program_name(self.command) if self.command else None

    def problem(self) -> str | None:
        """Why this speaker cannot speak, or ``None``."""
        if self.command is None:
            return MISSING_MESSAGE
        if self.record_dir is not None and self.program != "espeak-ng":
            return RECORD_MESSAGE.format(env=RECORD_ENV)
        return self._error

    def speak(self, cue: Cue) -> None:
        """Hand ``cue`` to the speech thread and return at once (see the module docstring)."""
        if self._silenced:
            return
        problem = self.problem()
        if problem is not None:
            self._silenced = True
            if problem not in _REPORTED:
                _REPORTED.add(problem)
                raise SpeakerMissing(problem)
            return
        words = phrase(cue)
        if words is None:
            return
        self._queue(Utterance(cue, words, self._clock()))

    def _queue(self, item: Utterance) -> None:
        with self._wake:
            current = self._current
            if current is not None and current.cue.segment_index != item.cue.segment_index:
                self._cut(current)
            if self._keeps_waiting(self._pending, item):
                self.dropped.append(item.text)
            else:
                if self._pending is not None:
                    self.dropped.append(self._pending.text)
                self._pending = item
            self._closed = False
            self._wake.notify_all()
            start = not self._running
            self._running = True
        if start:
            _live_speakers.add(self)
            _register_exit_drain()
            threading.Thread(target=self._run, name="psoas-tui voice", daemon=True).start()

    @staticmethod
    def _keeps_waiting(pending: Utterance | None, new: Utterance) -> bool:
        """True when ``pending`` outranks ``new`` of the same segment (see ``rank``)."""
        return (
            pending is not None
            and pending.cue.segment_index == new.cue.segment_index
            and rank(pending.cue.kind) > rank(new.cue.kind)
        )

    def _cut(self, item: Utterance) -> None:
        """Stop saying ``item`` (called with the lock held; ``terminate`` only sends a signal)."""
        item.cut = True
        if self._process is not None:
            with contextlib.suppress(OSError):
                self._process.terminate()

    def close(self) -> None:
        """End of a session: say what is waiting, then let the thread stop. Returns at once."""
        with self._wake:
            self._closed = True
            self._wake.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait up to ``timeout`` real seconds until nothing is waiting or being said."""
        with self._wake:
            return self._wake.wait_for(lambda: self._pending is None and self._current is None, timeout)

    def drain(self, timeout: float = DRAIN_TIMEOUT) -> bool:
        """Close, then wait up to ``timeout`` seconds for the thread to finish what is queued."""
        self.close()
        with self._wake:
            return self._wake.wait_for(lambda: not self._running, timeout)

    # -- the speech thread -------------------------------------------------------------
    def _run(self) -> None:
        while (item := self._take()) is not None:
            if not self._say(item):
                break
        with self._wake:
            self._running = False
            self._current = None
            self._wake.notify_all()

    def _take(self) -> Utterance | None:
        """The next utterance worth saying, or ``None`` when closed with nothing left."""
        with self._wake:
            while True:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                item, self._pending = self._pending, None
                if item is None:
                    return None
                if item.cue.kind in FINAL_KINDS or self._clock() - item.queued_at <= STALE_AFTER:
                    self._current = item
                    return item
                self.dropped.append(item.text)
                self._wake.notify_all()

    def _say(self, item: Utterance) -> bool:
        """Run the program for ``item`` and wait for it; False when it cannot be started."""
        assert self.command is not None
        path = self._record_path(item)
        argv = [*self.command, *(["-w", str(path)] if path else []), item.text]
        try:
            process = self._popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        except OSError as exc:
            reason = exc.strerror or exc
            self._error = f"The speech program {self.program} could not be started: {reason}."
            return False
        self.spoken.append(Spoken(item.cue.kind, item.text, path))
        with self._wake:
            self._process = process
            if item.cut:
                self._cut(item)
        self._wait(process)
        with self._wake:
            self._process = None
            self._current = None
            self._wake.notify_all()
        if item.cut:
            self._cancel()
        return True

    def _record_path(self, item: Utterance) -> Path | None:
        if self.record_dir is None:
            return None
        self.record_dir.mkdir(parents=True, exist_ok=True)
        return self.record_dir / f"{len(self.spoken) + 1:03d}-{item.cue.kind.value}.wav"

    @staticmethod
    def _wait(process: Any) -> None:
        try:
            process.wait(timeout=UTTERANCE_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                process.kill()
                process.wait(timeout=UTTERANCE_TIMEOUT)
        except Exception:  # the program vanished; carry on with the next cue
            pass

    def _cancel(self) -> None:
        """After a cut-off: tell a speech daemon (spd-say) to drop what it still holds."""
        args = CANCEL.get(self.program or "")
        if args and self.command:
            with contextlib.suppress(OSError):
                self._wait(self._popen([self.command[0], *args], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


# -- the style ---------------------------------------------------------------------------

SAMPLE = Cue(CueKind.SIDE_SWITCH, "Switch to the right side. Thirty seconds.", segment_index=-1)


_sample_speaker: Speaker | None = None


def play_sample(speaker: Speaker | None = None) -> str | None:
    """Say a short sample now, without waiting (for a "play a sample" button).

    Returns the one-line reason it cannot (no speech program), or ``None``. Without
    ``speaker`` one made for this machine is used (and kept for the next sample).
    """
    global _sample_speaker
    if speaker is None:
        _sample_speaker = speaker = _sample_speaker or Speaker.from_environment()
    problem = speaker.problem()
    if problem is None:
        speaker.speak(SAMPLE)
    return problem


def make_style(speaker: Speaker | None = None) -> CueStyle:
    """The ``voice`` cue style around ``speaker`` (this machine's, by default)."""
    speaker = speaker or Speaker.from_environment()
    return CueStyle(
        name="voice",
        title="Voice",
        handler=speaker.speak,
        close=speaker.close,
        description=DESCRIPTION,
    )


# Speakers whose thread ran; at exit they get DRAIN_TIMEOUT seconds in all for the last words.
_live_speakers: weakref.WeakSet[Speaker] = weakref.WeakSet()
_exit_drain_registered = False


def _register_exit_drain() -> None:
    global _exit_drain_registered
    if not _exit_drain_registered:
        _exit_drain_registered = True
        atexit.register(drain_speakers)


def drain_speakers(timeout: float = DRAIN_TIMEOUT) -> None:
    """Wait up to ``timeout`` seconds in all for every speaker to say what is queued."""
    deadline = time.monotonic() + timeout
    for speaker in list(_live_speakers):
        speaker.drain(max(0.0, deadline - time.monotonic()))
