"""Channel delivery helpers: exact bytes and argv, text neutralised for each channel."""

from __future__ import annotations

import base64

import pytest

from psoas_tui.reminders.channels import (
    notify_send_argv,
    osc9,
    osc99,
    osc777,
    osc_flavour,
    osc_notification,
    reminder_message,
    terminal_bytes,
    tmux_argv,
    tmux_passthrough,
    usable_channels,
)

EVIL = "desk\x1b]0;pwned\x07break\n#(rm -rf ~)<b>&"


def test_osc9() -> None:
    assert osc9("psoas-tui", "Stretch due") == b"\x1b]9;psoas-tui: Stretch due\x07"


def test_osc777_keeps_the_title_in_its_field() -> None:
    assert osc777("a;b", "c;d") == b"\x1b]777;notify;a,b;c;d\x07"


def test_osc99_sends_title_then_body_in_base64() -> None:
    data = osc99("psoas-tui", "Stretch due")
    title = base64.b64encode(b"psoas-tui")
    body = base64.b64encode(b"Stretch due")
    assert data == (
        b"\x1b]99;i=psoas-tui-reminder:d=0:p=title:e=1;" + title + b"\x1b\\"
        + b"\x1b]99;i=psoas-tui-reminder:d=1:p=body:e=1;" + body + b"\x1b\\"
    )


@pytest.mark.parametrize("make", [osc9, osc777, osc99])
def test_no_control_character_from_the_text_reaches_the_terminal(make) -> None:  # type: ignore[no-untyped-def]
    data = make(EVIL, EVIL)
    structural = data.count(b"\x1b") + data.count(b"\x07")
    expected = {osc9: 2, osc777: 2, osc99: 4}[make]
    assert structural == expected
    assert b"\n" not in data


def test_tmux_passthrough_doubles_every_escape() -> None:
    assert tmux_passthrough(b"\x1b]9;hi\x07") == b"\x1bPtmux;\x1b\x1b]9;hi\x07\x1b\\"


@pytest.mark.parametrize(
    ("env", "flavour"),
    [
        ({"TERM": "xterm-kitty"}, "osc99"),
        ({"KITTY_WINDOW_ID": "3", "TERM": "tmux-256color"}, "osc99"),
        ({"TERM": "foot"}, "osc777"),
        ({"TERM": "rxvt-unicode-256color"}, "osc777"),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7600"}, "osc777"),
        ({"TERM_PROGRAM": "iTerm.app", "TERM": "xterm-256color"}, "osc9"),
        ({"TERM_PROGRAM": "WezTerm"}, "osc9"),
        ({"LC_TERMINAL": "iTerm2"}, "osc9"),
        ({}, "osc9"),
    ],
)
def test_osc_flavour(env: dict[str, str], flavour: str) -> None:
    assert osc_flavour(env) == flavour


def test_osc_is_wrapped_only_inside_tmux() -> None:
    plain = osc_notification("osc9", "t", "b", {})
    assert plain == osc9("t", "b")
    wrapped = osc_notification("osc", "t", "b", {"TMUX": "/tmp/tmux-1000/default,1,0", "TERM": "xterm-kitty"})
    assert wrapped == tmux_passthrough(osc99("t", "b"))


def test_terminal_bytes() -> None:
    assert terminal_bytes("bell", "t", "b", {"TMUX": "x"}) == b"\x07"
    assert terminal_bytes("osc777", "t", "b", {}) == osc777("t", "b")


def test_tmux_argv_escapes_formats() -> None:
    argv = tmux_argv(EVIL)
    assert argv[:4] == ["tmux", "display-message", "-d", "10000"]
    assert argv[4] == "desk\\x1b]0;pwned\\x07break ##(rm -rf ~)<b>&"
    assert len(argv) == 5


def test_notify_send_argv_escapes_markup_and_options() -> None:
    argv = notify_send_argv("-t title", EVIL)
    assert argv[:3] == ["notify-send", "--app-name=psoas-tui", "--"]
    assert argv[3] == "-t title"
    assert argv[4] == "desk\\x1b]0;pwned\\x07break #(rm -rf ~)&lt;b&gt;&amp;"


def test_long_text_is_shortened() -> None:
    assert len(tmux_argv("x" * 1000)[4]) == 200


def test_reminder_message() -> None:
    assert reminder_message("desk-break") == "Stretch due: desk-break (psoas-tui snooze / skip)"
    assert "\x1b" not in reminder_message("a\x1bb")


def test_usable_channels() -> None:
    everything = ("bell", "osc", "tmux", "notify-send")
    def found(name: str) -> bool:
        return True
    def missing(name: str) -> bool:
        return False
    assert usable_channels(everything, {}, terminal=True, has_program=found) == ["bell", "osc"]
    inside = {"TMUX": "/tmp/x,1,0", "DISPLAY": ":0"}
    assert usable_channels(everything, inside, terminal=False, has_program=found) == ["tmux", "notify-send"]
    assert usable_channels(everything, inside, terminal=True, has_program=missing) == ["bell", "osc"]
    assert usable_channels(("notify-send",), {"WAYLAND_DISPLAY": "wayland-0"}, terminal=False,
                           has_program=found) == ["notify-send"]
    assert usable_channels((), inside, terminal=True, has_program=found) == []
