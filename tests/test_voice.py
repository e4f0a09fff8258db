"""The built-in ``voice`` cue style: natural words, never blocking, never behind, one clear failure."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.builtins import voice
from psoas_tui.builtins.cue_styles import make_styles
from psoas_tui.builtins.voice import (
    MISSING_MESSAGE,
    Speaker,
    SpeakerMissing,
    duration_words,
    find_speaker,
    make_style,
    phrase,
    play_sample,
    speaker_available,
)
from psoas_tui.model import Cue, CueKind, CueStyle
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.practice.clock import FakeClock
from psoas_tui.practice.delivery import CueDispatcher

GRACE = 10.0  # generous bound for a thread hand-off; never a timing assertion


@pytest.fixture(autouse=True)
def _fresh_reports() -> Iterator[None]:
    """Each test starts as a new process would: no speaker problem reported yet."""
    voice._REPORTED.clear()
    yield
    voice._REPORTED.clear()


def cue(text: str, kind: CueKind = CueKind.SEGMENT_START, segment: int = 1, **extra: Any) -> Cue:
    return Cue(kind=kind, text=text, segment_index=segment, **extra)


class FakeProcess:
    """A speech process that 'speaks' until the test releases it (or it is terminated)."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.release = threading.Event()
        self.terminated = False

    def wait(self, timeout: float | None = None) -> int:
        if not self.release.wait(GRACE):
            raise AssertionError("the test never released the fake speech process")
        return 0

    def terminate(self) -> None:
        self.terminated = True  # the test releases it, so it decides when the thread moves on

    def kill(self) -> None:
        self.release.set()


class FakePopen:
    """Records every launch; each utterance lasts until the test releases it."""

    def __init__(self) -> None:
        self.processes: list[FakeProcess] = []
        self.launched = threading.Semaphore(0)

    def __call__(self, argv: list[str], **kwargs: Any) -> FakeProcess:
        assert kwargs["stdin"] is subprocess.DEVNULL
        process = FakeProcess(argv)
        self.processes.append(process)
        self.launched.release()
        return process

    def wait_launch(self) -> FakeProcess:
        assert self.launched.acquire(timeout=GRACE), "the speaker thread never started the program"
        return self.processes[-1]

    @property
    def said(self) -> list[str]:
        return [p.argv[-1] for p in self.processes]


def returns_promptly(func: Any, *args: Any) -> bool:
    """True when ``func(*args)`` finishes on another thread (a blocked call would not)."""
    worker = threading.Thread(target=func, args=args, daemon=True)
    worker.start()
    worker.join(GRACE)
    return not worker.is_alive()


# -- finding a speaker -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("available", "platform", "expected"),
    [
        ({"espeak-ng", "spd-say", "say"}, "linux", ["/usr/bin/espeak-ng"]),
        ({"spd-say", "say"}, "linux", ["/usr/bin/spd-say", "-w"]),
        ({"espeak-ng", "say"}, "darwin", ["/usr/bin/say"]),
        ({"say"}, "linux", ["/usr/bin/say"]),
        (set(), "linux", None),
    ],
)
def test_find_speaker_picks_the_first_installed_program(
    available: set[str], platform: str, expected: list[str] | None
) -> None:
    assert find_speaker(lambda name: f"/usr/bin/{name}" if name in available else None, platform) == expected


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as the speech program")
def test_speaker_available_names_the_program_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert speaker_available() is None
    program = tmp_path / "spd-say"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    assert speaker_available() == "spd-say"


# -- the words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (30, "thirty seconds"),
        (1, "one second"),
        (45, "forty-five seconds"),
        (60, "one minute"),
        (90, "one minute thirty"),
        (120, "two minutes"),
        (61, "one minute one"),
        (3725, "one hour two minutes five seconds"),
    ],
)
def test_durations_are_words(seconds: int, words: str) -> None:
    assert duration_words(seconds) == words


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (cue("Half-kneeling, left side, round 1 of 2, 0:30. Tuck the pelvis. Ribs down.",
             step_title="Half-kneeling", side="left"),
         "Half-kneeling, left side, round 1 of 2, thirty seconds"),
        (cue("Pelvic tilts: 10 times at your own pace, then mark it done. Slowly.",
             step_title="Pelvic tilts"),
         "Pelvic tilts: 10 times at your own pace, then mark it done"),
        (cue("Get ready. Coming up: Lunge", step_title="Get ready"), "Get ready. Coming up: Lunge"),
        (cue("Rest and breathe freely (1:30)", step_title="Rest"),
         "Rest and breathe freely, one minute thirty"),
        (cue("Switch to the right side", CueKind.SIDE_SWITCH, side="right"), "Switch to the right side"),
        (cue("Inhale to lengthen", CueKind.BREATH_IN), "in"),
        (cue("Exhale and ease a little deeper", CueKind.BREATH_OUT), "out"),
        (cue("Hold, stay soft", CueKind.BREATH_HOLD), "hold"),
        (cue("3", CueKind.COUNTDOWN), "three"),
        (cue("Halfway on the left side", CueKind.HALFWAY), "Halfway on the left side"),
        (cue("Session complete: 2:00 of stretching. Well done.", CueKind.COMPLETE),
         "Session complete: two minutes of stretching. Well done."),
        (cue("--help\x1b[2J me\nnow"), "help[2J me now"),
        (cue("Release the left side", CueKind.SEGMENT_END), None),
    ],
)
def test_phrases_are_short_and_natural(given: Cue, said: str | None) -> None:
    assert phrase(given) == said


# -- a missing speaker -------------------------------------------------------------------


def test_missing_speaker_raises_one_clear_line_once_per_process() -> None:
    style = make_style(Speaker(None))
    with pytest.raises(SpeakerMissing) as raised:
        style.handler(cue("Begin"))
    assert str(raised.value) == MISSING_MESSAGE and "\n" not in MISSING_MESSAGE
    assert "espeak-ng" in MISSING_MESSAGE
    style.handler(cue("Switch sides"))  # no second error in this session
    assert style.close is not None
    style.close()
    make_style(Speaker(None)).handler(cue("The next session"))  # nor in the next one


def test_the_dispatcher_switches_a_missing_voice_off_with_one_notice() -> None:
    notices: list[str] = []
    dispatcher = CueDispatcher([make_style(Speaker(None))], notice=notices.append)
    for text in ("Begin", "Switch", "Done"):
        dispatcher(cue(text))
    assert notices == [f"cue style 'voice' switched off for this session: {MISSING_MESSAGE}"]
    assert dispatcher.active == []


def test_voice_is_a_builtin_style_offered_by_the_host() -> None:
    host = build_plugin_host(entry_points=False)
    styles = {s.name: (p, s) for p, s in host.cue_styles()}
    plugin, style = styles["voice"]
    assert plugin == "builtin-cue-styles" and style.title == "Voice"
    assert "espeak-ng" in style.description
    assert host.failures == []
    assert "voice" in {s.name for s in make_styles()}


# -- never blocking, never behind ---------------------------------------------------------


def test_speaking_never_blocks_while_the_program_talks() -> None:
    popen = FakePopen()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen)
    assert returns_promptly(speaker.speak, cue("Lunge, left side, 0:30", step_title="Lunge"))
    first = popen.wait_launch()
    for n in ("3", "2", "1"):  # the first utterance is still "playing"
        assert returns_promptly(speaker.speak, cue(n, CueKind.COUNTDOWN))
    assert len(popen.processes) == 1
    first.release.set()
    popen.wait_launch().release.set()
    assert speaker.wait_idle(GRACE)
    assert popen.said == ["Lunge, left side, thirty seconds", "one"]  # "three", "two" were stale


def test_a_builtin_voice_in_the_dispatcher_never_delays_the_caller() -> None:
    popen = FakePopen()
    dispatcher = CueDispatcher([make_style(Speaker(["/usr/bin/espeak-ng"], popen=popen))])
    assert returns_promptly(dispatcher, cue("Begin"))
    popen.wait_launch()
    assert returns_promptly(dispatcher, cue("in", CueKind.BREATH_IN))  # program still busy
    assert returns_promptly(dispatcher.close)
    popen.processes[0].release.set()
    popen.wait_launch().release.set()


def test_a_cue_that_waited_too_long_is_dropped() -> None:
    popen, clock = FakePopen(), FakeClock()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen, clock=clock)
    speaker.speak(cue("Lunge, left side, 0:30", step_title="Lunge"))
    first = popen.wait_launch()
    speaker.speak(cue("Inhale", CueKind.BREATH_IN))
    clock.advance(voice.STALE_AFTER + 0.5)  # the title took longer to say than "in" stays true
    first.release.set()
    assert speaker.wait_idle(GRACE)
    assert popen.said == ["Lunge, left side, thirty seconds"]
    assert speaker.dropped == ["in"]


def test_a_new_segment_cuts_off_the_old_one() -> None:
    popen = FakePopen()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen)
    speaker.speak(cue("Lunge, left side, 0:30", step_title="Lunge", segment=1))
    old = popen.wait_launch()
    speaker.speak(cue("Halfway there", CueKind.HALFWAY, segment=1))  # same segment: waits
    assert not old.terminated
    speaker.speak(cue("Switch to the right side", CueKind.SIDE_SWITCH, segment=2))
    assert old.terminated
    old.release.set()
    popen.wait_launch().release.set()
    assert speaker.wait_idle(GRACE)
    assert popen.said == ["Lunge, left side, thirty seconds", "Switch to the right side"]


def test_a_segments_opening_words_are_not_replaced_by_a_breath_cue() -> None:
    popen = FakePopen()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen)
    speaker.speak(cue("Halfway there", CueKind.HALFWAY, segment=0))
    busy = popen.wait_launch()
    speaker.speak(cue("Lunge, right side, 0:30", step_title="Lunge", segment=1))  # cuts "Halfway"
    speaker.speak(cue("Inhale", CueKind.BREATH_IN, segment=1))  # same instant: the title wins
    assert busy.terminated
    busy.release.set()
    popen.wait_launch().release.set()
    assert speaker.wait_idle(GRACE)
    assert popen.said == ["Halfway there", "Lunge, right side, thirty seconds"]


def test_a_breath_cue_is_not_replaced_by_halfway_on_the_same_second() -> None:
    popen = FakePopen()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen)
    speaker.speak(cue("Two", CueKind.COUNTDOWN, segment=1))
    busy = popen.wait_launch()
    speaker.speak(cue("Inhale", CueKind.BREATH_IN, segment=1))
    speaker.speak(cue("Halfway there", CueKind.HALFWAY, segment=1))
    speaker.speak(cue("3", CueKind.COUNTDOWN, segment=1))
    busy.release.set()
    popen.wait_launch().release.set()
    assert speaker.wait_idle(GRACE)
    assert popen.said == ["Two", "in"]
    assert speaker.dropped == ["Halfway there", "three"]


def test_close_returns_at_once_and_drain_waits_for_the_last_words() -> None:
    popen = FakePopen()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen)
    speaker.speak(cue("3", CueKind.COUNTDOWN, segment=4))
    first = popen.wait_launch()
    speaker.speak(cue("Session complete: 1:00 of stretching.", CueKind.COMPLETE, segment=5))
    assert first.terminated  # the end of the session cuts the countdown short
    assert returns_promptly(speaker.close)
    first.release.set()
    last = popen.wait_launch()
    assert speaker.drain(0.05) is False  # still speaking: a bounded wait gives up
    last.release.set()
    assert speaker.drain(GRACE) is True
    assert popen.said[-1] == "Session complete: one minute of stretching."


def test_a_program_that_cannot_start_is_reported_once_on_the_next_cue() -> None:
    def broken(argv: list[str], **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    speaker = Speaker(["/usr/bin/espeak-ng"], popen=broken)
    speaker.speak(cue("Begin"))
    assert speaker.drain(GRACE)
    with pytest.raises(SpeakerMissing, match="espeak-ng could not be started: Permission denied"):
        speaker.speak(cue("Next"))
    speaker.speak(cue("Quiet now"))


def test_play_sample_uses_this_machines_speaker_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(voice, "_sample_speaker", None)
    assert play_sample() == MISSING_MESSAGE
    assert play_sample() == MISSING_MESSAGE  # a button can be pressed again: same answer


def test_play_sample_speaks_or_says_why_not() -> None:
    assert play_sample(Speaker(None)) == MISSING_MESSAGE
    popen = FakePopen()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen)
    assert play_sample(speaker) is None
    popen.wait_launch().release.set()
    assert speaker.wait_idle(GRACE)
    assert popen.said == ["Switch to the right side. Thirty seconds."]


def test_recording_needs_espeak_ng(tmp_path: Path) -> None:
    speaker = Speaker(["/usr/bin/say"], record_dir=tmp_path)
    with pytest.raises(SpeakerMissing, match="needs espeak-ng"):
        speaker.speak(cue("Begin"))


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as the speech program")
def test_run_plain_speaks_the_last_words_before_the_process_exits(tmp_path: Path) -> None:
    """Each utterance takes a moment, as real speech does; the exit waits for the last one."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    said = tmp_path / "said.txt"
    program = bin_dir / "espeak-ng"
    program.write_text(f'#!/bin/sh\nsleep 0.2\nprintf "%s\\n" "$*" >> "{said}"\n', encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    routine = tmp_path / "short.toml"
    routine.write_text(
        'schema = 1\nid = "short"\ntitle = "Short"\nsummary = "One hold."\n\n'
        '[[steps]]\nkind = "hold"\ntitle = "Hold"\nseconds = 10\n',
        encoding="utf-8",
    )
    env = {**os.environ, "PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]),
           "PSOAS_TUI_TIME_SCALE": "0.001"}
    done = subprocess.run(
        [sys.executable, "-m", "psoas_tui", "run", str(routine), "--plain", "--no-checkin", "--cue", "voice"],
        capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = said.read_text(encoding="utf-8").splitlines()
    assert lines[-1].startswith("Session complete"), lines


def test_the_style_is_a_plain_cue_style() -> None:
    style = make_style(Speaker(None))
    assert isinstance(style, CueStyle) and style.name == "voice" and style.tick is None
