"""Soft bell tones, written as WAV files with the standard library only (``wave`` + ``math``).

Each chime is a few notes; each note a sine with two quieter overtones (a bell's partials),
a 10 ms attack and an exponential decay that ends in silence, so nothing clicks. Mono, 16 bit,
22,050 frames a second: about 45 kB a second of sound.
"""

from __future__ import annotations

import array
import math
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

RATE = 22_050
AMPLITUDE = 0.35  # of full scale: soft, never harsh
ATTACK = 0.01  # seconds
PARTIALS = ((1.0, 1.0), (2.0, 0.35), (3.0, 0.12))  # (frequency multiple, weight)


@dataclass(frozen=True, slots=True)
class Note:
    """One struck note: its pitch in Hz, when it starts and how long it rings (seconds)."""

    hz: float
    start: float
    ring: float


@dataclass(frozen=True, slots=True)
class Chime:
    """A named chime: its notes, and the moment (cue kinds) it marks."""

    name: str
    notes: tuple[Note, ...]
    meaning: str

    @property
    def seconds(self) -> float:
        """Length of the sound: until the last note has rung out."""
        return max(note.start + note.ring for note in self.notes)

    @property
    def frames(self) -> int:
        """Length in frames at ``RATE``."""
        return round(self.seconds * RATE)


CHIMES: dict[str, Chime] = {
    chime.name: chime
    for chime in (
        Chime("start", (Note(660.0, 0.0, 1.2),), "a segment starts"),
        Chime("switch", (Note(660.0, 0.0, 0.6), Note(880.0, 0.25, 1.0)), "switch sides"),
        Chime("in", (Note(523.25, 0.0, 0.5), Note(659.25, 0.12, 0.6)), "breathe in (rising)"),
        Chime("out", (Note(659.25, 0.0, 0.5), Note(523.25, 0.12, 0.8)), "breathe out (falling)"),
        Chime(
            "finish",
            (Note(523.25, 0.0, 1.4), Note(659.25, 0.2, 1.4), Note(783.99, 0.4, 1.8)),
            "the session is complete",
        ),
    )
}


def samples(chime: Chime) -> array.array[int]:
    """The chime as signed 16-bit samples."""
    out = [0.0] * chime.frames
    for note in chime.notes:
        _strike(out, note)
    peak = max(1.0, max(abs(v) for v in out) / AMPLITUDE)  # notes that overlap never clip
    return array.array("h", (round(v / peak * 32767) for v in out))


def _strike(out: list[float], note: Note) -> None:
    """Add ``note`` to ``out`` (floats around 0, AMPLITUDE at the peak of one note)."""
    first = round(note.start * RATE)
    length = min(round(note.ring * RATE), len(out) - first)
    decay = math.log(1000.0) / max(length, 1)  # down to -60 dB by the end of the ring
    total = sum(weight for _, weight in PARTIALS)
    step = 2 * math.pi * note.hz / RATE
    for i in range(length):
        envelope = min(1.0, i / (ATTACK * RATE)) * math.exp(-decay * i) * (1 - i / length)
        tone = sum(weight * math.sin(step * multiple * i) for multiple, weight in PARTIALS) / total
        out[first + i] += AMPLITUDE * envelope * tone


def write_wav(path: Path, chime: Chime) -> Path:
    """Write ``chime`` to ``path`` as a mono 16-bit WAV file; returns ``path``."""
    data = samples(chime)
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(RATE)
        audio.writeframes(data.tobytes())
    return path
