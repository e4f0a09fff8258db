"""The built-in cue styles: what each writes, and where (never to a non-terminal)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import pytest

from psoas_tui.builtins import cue_styles
from psoas_tui.builtins.cue_styles import (
    format_cue_line,
    make_styles,
    notify_sequence,
    set_terminal_writer,
    terminal_write,
)
from psoas_tui.model import Cue, CueKind, CueStyle
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.practice.delivery import CueDispatcher

START = Cue(CueKind.SEGMENT_START, "Lunge, left side", step_title="Lunge", side="left", remaining=30)
BREATH = Cue(CueKind.BREATH_IN, "Inhale to lengthen", remaining=28)


@pytest.fixture
def written() -> Iterator[list[str]]:
    out: list[str] = []
    previous = set_terminal_writer(out.append)
    yield out
    set_terminal_writer(previous)


def styles() -> dict[str, CueStyle]:
    return {s.name: s for s in make_styles()}


def test_builtins_are_offered_through_the_hook() -> None:
    host = build_plugin_host(entry_points=False)
    names = [s.name for _, s in host.collect("psoas_tui_cue_styles", CueStyle, "cue_styles")]
    assert names == ["text", "bell", "title", "notify", "voice"]


def test_text_prints_a_line_with_the_time_left(capsys: pytest.CaptureFixture[str]) -> None:
    styles()["text"].handler(START)
    styles()["text"].handler(Cue(CueKind.SEGMENT_END, "Done: Tilts"))
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["   0:30  Lunge, left side", "         Done: Tilts"]
    assert format_cue_line(BREATH) == "   0:28  Inhale to lengthen"


def test_bell_rings_on_segment_changes_only(written: list[str]) -> None:
    bell = styles()["bell"].handler
    bell(BREATH)
    assert written == []
    bell(START)
    bell(Cue(CueKind.SIDE_SWITCH, "Switch to the right side"))
    assert written == ["\x07", "\x07"]


def test_title_pushes_sets_and_restores(written: list[str]) -> None:
    title = styles()["title"]
    assert title.tick is not None and title.close is not None
    title.tick(Cue(CueKind.TICK, "Left · 0:23 · Half-kneeling"))
    title.tick(Cue(CueKind.TICK, "Left · 0:23 · Half-kneeling"))  # unchanged: not rewritten
    title.tick(Cue(CueKind.TICK, "Left · 0:22 · Half-kneeling"))
    title.close()
    assert written == [
        "\x1b[22;0t",
        "\x1b]2;Left · 0:23 · Half-kneeling\x07",
        "\x1b]2;Left · 0:22 · Half-kneeling\x07",
        "\x1b[23;0t",
    ]


def test_title_strips_control_characters(written: list[str]) -> None:
    title = styles()["title"]
    assert title.tick is not None
    title.tick(Cue(CueKind.TICK, "Evil\x07\x1b]2;pwned"))
    assert written[-1] == "\x1b]2;Evil\\x07\\x1b]2;pwned\x07"  # issue 9: made visible by text.safe


def test_notify_uses_osc9_by_default(written: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TMUX", "VTE_VERSION", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    notify = styles()["notify"].handler
    notify(BREATH)
    assert written == []
    notify(START)
    assert written == ["\x1b]9;psoas-tui: Lunge, left side\x07"]  # issue 9: no "Lunge: Lunge"


def test_notify_osc777_and_tmux_passthrough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.setenv("TERM", "foot")
    assert notify_sequence("A;B", "body") == "\x1b]777;notify;A,B;body\x1b\\"
    monkeypatch.setenv("TMUX", "/tmp/tmux-1/default,1,0")
    monkeypatch.setenv("TERM", "screen")
    monkeypatch.delenv("VTE_VERSION", raising=False)
    monkeypatch.delenv("TERM_PROGRAM", raising=False)
    assert notify_sequence("T", "b") == "\x1bPtmux;\x1b\x1b]9;T: b\x07\x1b\\"


def test_nothing_is_written_when_stdout_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    set_terminal_writer(None)
    fake = io.StringIO()
    monkeypatch.setattr(sys, "__stdout__", fake)
    assert terminal_write("\x07") is False
    assert fake.getvalue() == ""


def test_a_tty_gets_one_raw_write(monkeypatch: pytest.MonkeyPatch) -> None:
    set_terminal_writer(None)
    writes: list[tuple[int, bytes]] = []

    class FakeTty(io.StringIO):
        def isatty(self) -> bool:
            return True

        def fileno(self) -> int:
            return 99

    monkeypatch.setattr(sys, "__stdout__", FakeTty())
    monkeypatch.setattr(cue_styles.os, "write", lambda fd, data: writes.append((fd, data)) or len(data))
    assert terminal_write("\x1b]2;T\x07") is True
    assert writes == [(99, b"\x1b]2;T\x07")]


def test_styles_in_a_dispatcher_survive_a_broken_terminal() -> None:
    notices: list[str] = []

    def broken(data: str) -> None:
        raise OSError("EIO")

    previous = set_terminal_writer(broken)
    try:
        made = styles()
        dispatcher = CueDispatcher([made["bell"], made["notify"]], notice=notices.append)
        dispatcher(START)
        dispatcher(START)
    finally:
        set_terminal_writer(previous)
    assert len(notices) == 2 and dispatcher.active == []
