"""Issue 9, item 24: built-in cue styles write only safe text, and notifications say things once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from psoas_tui.builtins.cue_styles import make_styles, set_terminal_writer
from psoas_tui.model import Cue, CueKind

HOSTILE = "Lunge\x1b]52;c;cHduZWQ=\x07\x9b2J"


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    for name in ("TMUX", "VTE_VERSION", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out: list[str] = []
    previous = set_terminal_writer(out.append)
    yield out
    set_terminal_writer(previous)


def test_text_style_prints_control_characters_visibly(capsys: pytest.CaptureFixture[str]) -> None:
    text = {s.name: s for s in make_styles()}["text"]
    text.handler(Cue(CueKind.SEGMENT_START, HOSTILE, remaining=30))
    line = capsys.readouterr().out
    assert "\x1b" not in line and "\x07" not in line and "\x9b" not in line
    assert "Lunge\\x1b]52;c;cHduZWQ=\\x07\\u009b2J" in line


def test_notify_and_title_carry_no_raw_controls_from_routine_text(written: list[str]) -> None:
    styles = {s.name: s for s in make_styles()}
    styles["notify"].handler(Cue(CueKind.SEGMENT_START, HOSTILE, step_title="Lunge\x1b[2J"))
    assert styles["title"].tick is not None
    styles["title"].tick(Cue(CueKind.TICK, HOSTILE))
    for sequence in written:
        inner = sequence[2:-1] if sequence.endswith("\x07") else sequence[2:]
        assert not any(ch in inner for ch in "\x1b\x07\x9b"), repr(sequence)


def test_notifications_do_not_repeat_themselves(written: list[str]) -> None:
    notify = {s.name: s for s in make_styles()}["notify"]
    notify.handler(Cue(CueKind.SEGMENT_START, "Get ready. Coming up: Lunge", step_title="Get ready"))
    assert written == ["\x1b]9;psoas-tui: Get ready. Coming up: Lunge\x07"]
