"""Real speech: the voice style says a whole session's cues with espeak-ng, into WAV files.

Skipped only where espeak-ng is not installed (``.ci/run`` and ``scripts/test.sh`` install it,
and sox, with apt). The session runs on an injected clock, one second at a time; after each
step the test waits until the speaker is idle, so every cue worth saying is said. Each WAV file
must hold speech: a plausible length and a level well above silence.
"""

from __future__ import annotations

import array
import math
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from psoas_tui.builtins import voice
from psoas_tui.builtins.voice import Speaker, Spoken, find_speaker, make_style
from psoas_tui.model import BreathPattern, Cue, CueKind, Routine, Step, StepKind
from psoas_tui.practice.clock import FakeClock
from psoas_tui.practice.delivery import CueDispatcher
from psoas_tui.practice.runner import SessionRunner
from psoas_tui.practice.timeline import build_timeline

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")

GRACE = 30.0  # real seconds espeak-ng may take to write one file (never a timing assertion)
SHORTEST, LONGEST = 0.3, 10.0  # seconds of audio one cue may take
RMS_FLOOR = 0.01  # of full scale: silence (or a broken file) stays far below this
STEP = Step(
    StepKind.HOLD,
    "Half-kneeling hip flexor stretch",
    cue="Tuck the pelvis under and shift forward a little.",
    seconds=12,
    sides=("left", "right"),
    breath=BreathPattern(3, 0, 3, 0),
)
ROUTINE = Routine(id="speech", title="Speech", summary="", steps=(STEP,))


def wav_stats(path: Path) -> tuple[float, float]:
    """``(seconds, rms)`` of a 16-bit mono WAV file, rms as a fraction of full scale."""
    with wave.open(str(path), "rb") as audio:
        assert audio.getsampwidth() == 2 and audio.getnchannels() == 1, path
        frames = audio.getnframes()
        samples = array.array("h", audio.readframes(frames))
        seconds = frames / audio.getframerate()
    if sys.byteorder == "big":
        samples.byteswap()
    rms = math.sqrt(sum(s * s for s in samples) / max(1, len(samples))) / 32768
    return seconds, rms


def sox_seconds(path: Path) -> float | None:
    """The length sox reads (``sox --i -D``), or None without sox."""
    if shutil.which("sox") is None:
        return None
    done = subprocess.run(["sox", "--i", "-D", str(path)], capture_output=True, text=True, check=True)
    return float(done.stdout)


def speak_session(folder: Path) -> tuple[list[Cue], list[Spoken]]:
    """Run ROUTINE on a fake clock with the voice style recording to ``folder``."""
    speaker = Speaker(find_speaker(), record_dir=folder)
    dispatcher = CueDispatcher([make_style(speaker)])
    cues: list[Cue] = []

    def on_cue(cue: Cue) -> None:
        cues.append(cue)
        dispatcher(cue)

    clock = FakeClock()
    timeline = build_timeline(ROUTINE, get_ready_seconds=3, switch_seconds=3)
    runner = SessionRunner(timeline, clock, on_cue=on_cue)
    runner.start()
    assert speaker.wait_idle(GRACE)
    while not runner.finished:
        clock.advance(1)
        runner.tick()
        assert speaker.wait_idle(GRACE)
    dispatcher.close()
    assert speaker.drain(GRACE)
    assert dispatcher.notices == []
    return cues, speaker.spoken


def test_a_session_is_spoken_as_real_speech(tmp_path: Path) -> None:
    cues, spoken = speak_session(tmp_path)
    texts = [s.text for s in spoken]
    # Every segment's opening words and the end are said, in order.
    leads = [voice.phrase(c) for c in cues if c.kind in voice.LEAD_KINDS]
    assert [t for t in texts if t in leads] == leads
    assert "Half-kneeling hip flexor stretch, left side, twelve seconds" in texts
    assert "Switch to the right side" in texts
    assert {"in", "out", "two", "one"} <= set(texts)  # "three" shares its second with "out"
    assert texts[-1].startswith("Session complete: thirty seconds of stretching")
    files = sorted(tmp_path.glob("*.wav"))
    assert [s.path for s in spoken] == files
    for item in spoken:
        assert item.path is not None
        seconds, rms = wav_stats(item.path)
        assert SHORTEST < seconds < LONGEST, (item.text, seconds)
        assert rms > RMS_FLOOR, (item.text, rms)
        measured = sox_seconds(item.path)
        assert measured is None or abs(measured - seconds) < 0.05, (item.text, measured, seconds)
    title = next(s for s in spoken if s.kind is CueKind.SEGMENT_START and s.text.startswith("Half"))
    breath = next(s for s in spoken if s.text == "in")
    assert title.path is not None and breath.path is not None
    assert wav_stats(title.path)[0] > wav_stats(breath.path)[0]  # longer words, longer audio


def test_silence_is_not_mistaken_for_speech(tmp_path: Path) -> None:
    """The check above can fail: a silent file of the same length is below the floor."""
    path = tmp_path / "silent.wav"
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(22050)
        audio.writeframes(b"\0\0" * 22050)
    seconds, rms = wav_stats(path)
    assert seconds == pytest.approx(1.0) and rms < RMS_FLOOR
