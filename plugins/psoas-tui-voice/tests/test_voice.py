"""The voice cue style: finds a speech program, never blocks the caller, reports a missing one once."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import psoas_tui_voice
import pytest
from psoas_tui_voice import speaker as speaker_module
from psoas_tui_voice.speaker import MISSING_MESSAGE, Speaker, SpeakerMissing, find_speaker, spoken_text

from psoas_tui.api import Cue, CueKind, CueStyle, build_plugin_host

SRC = Path(__file__).resolve().parents[1] / "src"
GRACE = 10.0  # generous bound for a thread hand-off; never a timing assertion


def cue(text: str, kind: CueKind = CueKind.SEGMENT_START) -> Cue:
    return Cue(kind=kind, text=text)


class FakeProcess:
    """A speech process that 'speaks' until the test releases it."""

    def __init__(self, argv: list[str], release: threading.Event) -> None:
        self.argv = argv
        self.release = release

    def wait(self, timeout: float | None = None) -> int:
        if not self.release.wait(GRACE):
            raise AssertionError("the test never released the fake speech process")
        return 0

    def kill(self) -> None:
        self.release.set()


class FakePopen:
    """Records every launch and lets the test hold each utterance."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.releases: list[threading.Event] = []
        self.launched = threading.Semaphore(0)

    def __call__(self, argv: list[str], **kwargs: Any) -> FakeProcess:
        assert kwargs["stdin"] is subprocess.DEVNULL
        release = threading.Event()
        self.calls.append(argv)
        self.releases.append(release)
        self.launched.release()
        return FakeProcess(argv, release)

    def wait_launch(self) -> None:
        assert self.launched.acquire(timeout=GRACE), "the speaker thread never started the program"


def returns_promptly(func: Any, *args: Any) -> bool:
    """True when ``func(*args)`` finishes on another thread (a blocked call would not)."""
    worker = threading.Thread(target=func, args=args, daemon=True)
    worker.start()
    worker.join(GRACE)
    return not worker.is_alive()


@pytest.mark.parametrize(
    ("available", "platform", "expected"),
    [
        ({"espeak-ng", "spd-say", "say"}, "linux", "espeak-ng"),
        ({"spd-say", "say"}, "linux", "spd-say"),
        ({"espeak-ng", "say"}, "darwin", "say"),
        ({"say"}, "linux", "say"),
        (set(), "linux", None),
    ],
)
def test_find_speaker_picks_the_first_installed_program(
    available: set[str], platform: str, expected: str | None
) -> None:
    found = find_speaker(lambda name: f"/usr/bin/{name}" if name in available else None, platform)
    assert (found[0] if found else None) == (f"/usr/bin/{expected}" if expected else None)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Rest (0:30)", "Rest (30 seconds)"),
        ("Lunge, left side, 1:30. Tuck", "Lunge, left side, 1 minute 30 seconds. Tuck"),
        ("Session complete: 2:00 of stretching.", "Session complete: 2 minutes of stretching."),
        ("Hold 1:01", "Hold 1 minute 1 second"),
        ("Long 1:02:03", "Long 1 hour 2 minutes 3 seconds"),
        ("Ratio 4:1 stays", "Ratio 4:1 stays"),
    ],
)
def test_durations_are_read_as_words(text: str, spoken: str) -> None:
    assert spoken_text(cue(text)) == spoken


def test_spoken_text_is_one_line_and_never_an_option() -> None:
    assert spoken_text(cue("  Switch to the\nright side ")) == "Switch to the right side"
    assert spoken_text(cue("--help me")) == "help me"


def test_missing_speaker_raises_one_clear_error_then_stays_quiet() -> None:
    style = psoas_tui_voice.make_style(Speaker(None))
    assert "no speech program found" in style.description
    with pytest.raises(SpeakerMissing, match="espeak-ng"):
        style.handler(cue("Begin"))
    style.handler(cue("Switch sides"))  # no second error
    style.handler(cue("Done"))
    assert style.close is not None
    style.close()  # issue 9: a new session does not report it again (once per process)
    style.handler(cue("Begin again"))
    psoas_tui_voice.make_style(Speaker(None)).handler(cue("Another host's style"))


def test_missing_speaker_becomes_one_plugin_failure_through_the_host() -> None:
    host = build_plugin_host(entry_points=False, extra=[("voice", psoas_tui_voice)])
    plugin, style = next((p, s) for p, s in host.cue_styles() if s.name == "voice")
    assert plugin == "voice"
    speaker = Speaker(None)
    handler = psoas_tui_voice.make_style(speaker).handler
    for text in ("Begin", "Switch", "Done"):
        host.guard(plugin, f"cue style {style.name!r}", handler, cue(text))
    failures = [f for f in host.failures if f.plugin == "voice"]
    assert [f.message for f in failures] == [MISSING_MESSAGE]  # a sentence, no class name
    assert MISSING_MESSAGE[0].isupper() and MISSING_MESSAGE.endswith(".")


def test_style_is_offered_through_the_hook_without_failures() -> None:
    host = build_plugin_host(entry_points=False, extra=[("voice", psoas_tui_voice)])
    styles = {s.name: (p, s) for p, s in host.cue_styles()}
    assert styles["voice"][0] == "voice"
    assert isinstance(styles["voice"][1], CueStyle)
    assert host.infos["voice"].contributions["cue_styles"] == ["voice"]
    assert host.failures == []


def test_speaking_never_blocks_and_stale_cues_are_dropped() -> None:
    popen = FakePopen()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen)
    assert returns_promptly(speaker.speak, cue("Left side"))
    popen.wait_launch()
    # The first utterance is still "playing": the handler must still return at once.
    assert returns_promptly(speaker.speak, cue("Three", CueKind.COUNTDOWN))
    assert returns_promptly(speaker.speak, cue("Two", CueKind.COUNTDOWN))
    assert len(popen.calls) == 1
    popen.releases[0].set()
    popen.wait_launch()
    popen.releases[1].set()
    speaker.close()
    assert speaker._thread is not None
    speaker._thread.join(GRACE)
    assert popen.calls == [["/usr/bin/espeak-ng", "Left side"], ["/usr/bin/espeak-ng", "Two"]]


def test_a_program_that_cannot_start_is_reported_once_on_the_next_cue() -> None:
    def broken(argv: list[str], **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    speaker = Speaker(["/usr/bin/espeak-ng"], popen=broken)
    speaker.speak(cue("Begin"))
    assert speaker._thread is not None
    speaker._thread.join(GRACE)
    with pytest.raises(SpeakerMissing, match="/usr/bin/espeak-ng could not be started: Permission denied"):
        speaker.speak(cue("Next"))
    speaker.speak(cue("Quiet now"))


def test_close_returns_at_once_and_drain_waits_for_what_is_still_queued() -> None:
    popen = FakePopen()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen)
    speaker.speak(cue("Done: Hold"))
    popen.wait_launch()
    speaker.speak(cue("Session complete", CueKind.COMPLETE))  # queued behind "Done"
    assert returns_promptly(speaker.close)  # the TUI calls close on its event loop
    assert speaker.drain(0.05) is False  # "Done" is still being spoken: a bounded wait gives up
    popen.releases[0].set()
    popen.wait_launch()
    popen.releases[1].set()
    assert speaker.drain(GRACE) is True
    assert [argv[1] for argv in popen.calls] == ["Done: Hold", "Session complete"]


def test_drain_without_any_speech_returns_at_once() -> None:
    assert Speaker(["/usr/bin/espeak-ng"], popen=FakePopen()).drain(GRACE) is True
    assert Speaker(None).drain(GRACE) is True


def test_the_first_speech_registers_the_exit_drain_once(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: list[tuple[Any, ...]] = []
    monkeypatch.setattr("psoas_tui_voice.speaker.atexit.register", lambda *a: registered.append(a))
    popen = FakePopen()
    speaker = Speaker(["/usr/bin/espeak-ng"], popen=popen)
    speaker.speak(cue("One"))
    popen.wait_launch()
    popen.releases[0].set()
    speaker.close()
    assert speaker.drain(GRACE)
    speaker.speak(cue("Two"))  # a second session starts a new thread, not a second hook
    popen.wait_launch()
    popen.releases[1].set()
    assert speaker.drain(GRACE)
    assert registered == [(speaker.drain, speaker_module.DRAIN_TIMEOUT)]


def fake_speech_program(folder: Path, out: Path, pause: str = "0") -> None:
    """An ``espeak-ng`` on ``folder`` that takes ``pause`` seconds, then appends its text to ``out``."""
    program = folder / "espeak-ng"
    program.write_text(f'#!/bin/sh\nsleep {pause}\nprintf "%s\\n" "$*" >> "{out}"\n', encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as the speech program")
def test_run_plain_still_speaks_the_last_cues_before_the_process_exits(tmp_path: Path) -> None:
    """Each utterance takes a moment (as real speech does); the exit waits for the last ones."""
    bin_dir, site = tmp_path / "bin", tmp_path / "site"
    bin_dir.mkdir()
    out = tmp_path / "said.txt"
    fake_speech_program(bin_dir, out, pause="0.2")
    info = site / "psoas_tui_voice-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: psoas-tui-voice\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[psoas_tui]\nvoice = psoas_tui_voice\n")
    routine = tmp_path / "short.toml"
    routine.write_text(
        'schema = 1\nid = "short"\ntitle = "Short"\nsummary = "One hold."\n\n'
        '[[steps]]\nkind = "hold"\ntitle = "Hold"\nseconds = 10\n',
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]),
        "PYTHONPATH": os.pathsep.join([str(site), str(SRC)]),
        "PSOAS_TUI_TIME_SCALE": "0.001",
    }
    env.pop("PSOAS_TUI_NO_PLUGINS", None)
    done = subprocess.run(
        [sys.executable, "-m", "psoas_tui", "run", str(routine), "--plain", "--no-checkin", "--cue", "voice"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    said = out.read_text(encoding="utf-8").splitlines()
    assert said[-1].startswith("Session complete"), said


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as the speech program")
def test_a_real_program_found_on_path_is_run_with_the_cue_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "said.txt"
    program = tmp_path / "espeak-ng"
    program.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{out}"\n', encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path))
    style = psoas_tui_voice.make_style()
    assert "espeak-ng" in style.description
    style.handler(cue("Breathe in", CueKind.BREATH_IN))
    assert style.close is not None
    style.close()
    speaker = style.handler.__self__  # type: ignore[attr-defined]
    speaker._thread.join(GRACE)
    assert out.read_text(encoding="utf-8") == "Breathe in\n"
