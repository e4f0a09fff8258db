"""The chimes cue style: valid WAV files of the right length, a clear line without a player,
and a handler that never waits for the sound."""

from __future__ import annotations

import array
import math
import os
import stat
import sys
import threading
import wave
from pathlib import Path
from typing import Any

import psoas_tui_chimes
import pytest
from psoas_tui_chimes.player import (
    CHIME_FOR,
    MAX_PLAYING,
    MISSING_MESSAGE,
    Chimes,
    PlayerMissing,
    find_player,
)
from psoas_tui_chimes.tones import CHIMES, RATE, Chime, write_wav

from psoas_tui.api import Cue, CueKind, CueStyle, build_plugin_host

GRACE = 10.0  # generous bound for a thread hand-off; never a timing assertion


def cue(kind: CueKind, text: str = "") -> Cue:
    return Cue(kind=kind, text=text)


def read_wav(path: Path) -> tuple[wave._wave_params, array.array[int]]:
    with wave.open(str(path), "rb") as audio:
        params = audio.getparams()
        data = array.array("h", audio.readframes(params.nframes))
    if sys.byteorder == "big":
        data.byteswap()
    return params, data


class FakeProcess:
    """A player that rings until terminated."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.ended = threading.Event()

    def poll(self) -> int | None:
        return 0 if self.ended.is_set() else None

    def wait(self, timeout: float | None = None) -> int:
        self.ended.wait(timeout)
        return 0

    def terminate(self) -> None:
        self.ended.set()


class FakePopen:
    def __init__(self) -> None:
        self.processes: list[FakeProcess] = []

    def __call__(self, argv: list[str], **kwargs: Any) -> FakeProcess:
        self.processes.append(FakeProcess(argv))
        return self.processes[-1]


def returns_promptly(func: Any, *args: Any) -> bool:
    """True when ``func(*args)`` finishes on another thread (a blocked call would not)."""
    worker = threading.Thread(target=func, args=args, daemon=True)
    worker.start()
    worker.join(GRACE)
    return not worker.is_alive()


@pytest.mark.parametrize("name", sorted(CHIMES))
def test_each_chime_is_a_valid_soft_wav_of_its_length(name: str, tmp_path: Path) -> None:
    chime = CHIMES[name]
    params, data = read_wav(write_wav(tmp_path / f"{name}.wav", chime))
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, RATE)
    assert params.nframes == chime.frames == len(data)
    assert params.nframes / RATE == pytest.approx(chime.seconds, abs=1 / RATE)
    assert 0.5 <= chime.seconds <= 3.0
    rms = math.sqrt(sum(v * v for v in data) / len(data)) / 32768
    assert rms > 0.02, "a chime must be heard"
    assert max(abs(v) for v in data) < 0.5 * 32768, "soft: well below full scale"
    assert abs(data[0]) < 200 and max(abs(v) for v in data[-RATE // 100:]) < 200, "no click"


def test_notes_that_overlap_never_clip(tmp_path: Path) -> None:
    loud = Chime("loud", tuple(CHIMES["start"].notes * 8), "eight bells at once")
    _params, data = read_wav(write_wav(tmp_path / "loud.wav", loud))
    assert max(abs(v) for v in data) < 32767


def test_every_chime_marks_a_cue_kind() -> None:
    assert set(CHIME_FOR.values()) == set(CHIMES)


@pytest.mark.parametrize(
    ("available", "platform", "expected"),
    [
        ({"pw-play", "paplay", "aplay"}, "linux", ["/usr/bin/pw-play"]),
        ({"paplay", "aplay"}, "linux", ["/usr/bin/paplay"]),
        ({"aplay"}, "linux", ["/usr/bin/aplay", "-q"]),
        ({"paplay", "afplay"}, "darwin", ["/usr/bin/afplay"]),
        (set(), "linux", None),
    ],
)
def test_find_player_picks_the_first_installed_one(
    available: set[str], platform: str, expected: list[str] | None
) -> None:
    assert find_player(lambda name: f"/usr/bin/{name}" if name in available else None, platform) == expected


def test_a_missing_player_is_one_clear_line_once_per_process() -> None:
    style = psoas_tui_chimes.make_style(Chimes(None))
    with pytest.raises(PlayerMissing) as raised:
        style.handler(cue(CueKind.SEGMENT_START))
    assert str(raised.value) == MISSING_MESSAGE and "\n" not in MISSING_MESSAGE
    style.handler(cue(CueKind.SIDE_SWITCH))  # quiet from now on
    psoas_tui_chimes.make_style(Chimes(None)).handler(cue(CueKind.COMPLETE))  # the next session too


def test_a_missing_player_becomes_one_failure_naming_the_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no audio player anywhere
    host = build_plugin_host(entry_points=False, extra=[("chimes", psoas_tui_chimes)])
    plugin, style = next((p, s) for p, s in host.cue_styles() if s.name == "chimes")
    assert plugin == "chimes" and host.failures == []
    for kind in (CueKind.SEGMENT_START, CueKind.SIDE_SWITCH, CueKind.COMPLETE):
        host.guard(plugin, f"cue style {style.name!r}", style.handler, cue(kind))
    assert [(f.plugin, f.message) for f in host.failures] == [("chimes", MISSING_MESSAGE)]


def test_a_player_that_cannot_start_is_reported_once() -> None:
    def broken(argv: list[str], **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    chimes = Chimes(["/usr/bin/paplay"], popen=broken)
    with pytest.raises(PlayerMissing, match="paplay could not be started: Permission denied"):
        chimes.handle(cue(CueKind.SEGMENT_START))
    chimes.handle(cue(CueKind.SEGMENT_START))
    chimes.drain(0)


def test_the_handler_never_waits_for_the_sound() -> None:
    popen = FakePopen()
    chimes = Chimes(["/usr/bin/paplay"], popen=popen)
    kinds = [CueKind.SEGMENT_START, CueKind.BREATH_IN, CueKind.BREATH_OUT, CueKind.SIDE_SWITCH]
    for kind in kinds:  # no fake player ever ends by itself
        assert returns_promptly(chimes.handle, cue(kind))
    names = [Path(p.argv[-1]).name for p in popen.processes]
    assert names == ["start.wav", "in.wav", "out.wav", "switch.wav"]
    ringing = [p for p in popen.processes if p.poll() is None]
    assert len(ringing) == MAX_PLAYING and popen.processes[0].poll() == 0  # the oldest was stopped
    assert returns_promptly(chimes.close)
    folder = Path(popen.processes[0].argv[-1]).parent
    for process in popen.processes:
        process.terminate()
    chimes.drain(GRACE)
    assert not folder.exists()


def test_cues_without_a_chime_play_nothing() -> None:
    popen = FakePopen()
    chimes = Chimes(["/usr/bin/paplay"], popen=popen)
    for kind in (CueKind.COUNTDOWN, CueKind.HALFWAY, CueKind.SEGMENT_END, CueKind.PAUSED):
        chimes.handle(cue(kind))
    assert popen.processes == []


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as the audio player")
def test_a_real_player_gets_the_wav_file_and_is_not_waited_for(tmp_path: Path) -> None:
    player = tmp_path / "paplay"
    player.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    player.chmod(player.stat().st_mode | stat.S_IXUSR)
    chimes = Chimes(find_player(lambda name: str(player) if name == "paplay" else None))
    try:
        assert returns_promptly(chimes.handle, cue(CueKind.COMPLETE))  # 30 s of "sound"
    finally:
        for process in chimes._playing:
            process.terminate()
        chimes.drain(GRACE)
    assert chimes.played and chimes.played[0].name == "finish.wav"


def test_the_style_is_offered_through_the_hook() -> None:
    host = build_plugin_host(entry_points=False, extra=[("chimes", psoas_tui_chimes)])
    styles = {s.name: (p, s) for p, s in host.cue_styles()}
    plugin, style = styles["chimes"]
    assert plugin == "chimes" and isinstance(style, CueStyle)
    assert host.infos["chimes"].contributions["cue_styles"] == ["chimes"]
    assert "voice" in styles and styles["voice"][0] == "builtin-cue-styles"  # voice is built in
