"""How a reminder reaches a person: the bytes and argv of each channel, as pure functions.

Nothing here writes to a terminal or runs a program; ``remind`` does that with what these
functions return, so each channel can be tested exactly. Text from settings and routines is
data: it goes through ``psoas_tui.text.safe`` (no control characters reach a terminal), and each
channel's own special characters are neutralised too (``;`` in OSC 777 titles, ``#`` in tmux
formats, markup in notify-send bodies).

Channels: ``bell`` (BEL), ``osc`` (a desktop notification by escape sequence, in the flavour
the terminal understands: ``osc9`` iTerm2/WezTerm/Ghostty/Windows Terminal, ``osc777``
urxvt/foot/VTE, ``osc99`` kitty), ``tmux`` (``tmux display-message``), ``notify-send``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping

from psoas_tui.text import safe

TITLE = "psoas-tui"
MAX_TEXT = 200
BEL = b"\x07"
ESC = b"\x1b"
ST = b"\x1b\\"
TMUX_DISPLAY_MS = 10_000
KITTY_ID = "psoas-tui-reminder"
OSC_FLAVOURS = ("osc9", "osc777", "osc99")
TERMINAL_CHANNELS = ("bell", "osc", *OSC_FLAVOURS)


def clean(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` on one line with every control character made visible, at most ``limit`` long."""
    value = safe(text).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def reminder_message(routine: str) -> str:
    """The one line every channel carries: ``Stretch due: desk-break (snooze or skip: ...)``."""
    return f"Stretch due: {clean(routine, 64)} (psoas-tui snooze / skip)"


def osc9(title: str, body: str) -> bytes:
    """``ESC ] 9 ; title: body BEL`` (iTerm2 style: one text, no title field)."""
    return b"\x1b]9;" + f"{clean(title)}: {clean(body)}".encode() + BEL


def osc777(title: str, body: str) -> bytes:
    """``ESC ] 777 ; notify ; title ; body BEL`` (urxvt style; a ``;`` would end the title)."""
    text = f"{clean(title).replace(';', ',')};{clean(body)}"
    return b"\x1b]777;notify;" + text.encode() + BEL


def osc99(title: str, body: str, ident: str = KITTY_ID) -> bytes:
    """kitty's ``OSC 99``: the title, then the body, each base64 (``e=1``), ``ST``-terminated."""

    def part(meta: str, text: str) -> bytes:
        payload = base64.b64encode(clean(text).encode())
        return f"\x1b]99;i={ident}:{meta}:e=1;".encode() + payload + ST

    return part("d=0:p=title", title) + part("d=1:p=body", body)


_OSC: dict[str, Callable[[str, str], bytes]] = {"osc9": osc9, "osc777": osc777, "osc99": osc99}


def tmux_passthrough(sequence: bytes) -> bytes:
    """``sequence`` wrapped so tmux hands it to the outer terminal: ``ESC P tmux; ... ESC \\``
    with every ESC inside doubled (needs ``set -g allow-passthrough on`` in tmux 3.3+)."""
    return b"\x1bPtmux;" + sequence.replace(ESC, ESC + ESC) + ST


def osc_flavour(env: Mapping[str, str]) -> str:
    """The OSC flavour the terminal in ``env`` understands (``osc9`` when it cannot tell)."""
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "") or env.get("LC_TERMINAL", "")
    if env.get("KITTY_WINDOW_ID") or term == "xterm-kitty":
        return "osc99"
    if term.startswith(("foot", "rxvt")) or (env.get("VTE_VERSION") and not program):
        return "osc777"
    return "osc9"


def osc_notification(channel: str, title: str, body: str, env: Mapping[str, str]) -> bytes:
    """The bytes for ``channel`` (``osc`` or one flavour), wrapped for tmux when ``$TMUX`` is set."""
    flavour = osc_flavour(env) if channel == "osc" else channel
    sequence = _OSC[flavour](title, body)
    return tmux_passthrough(sequence) if env.get("TMUX") else sequence


def terminal_bytes(channel: str, title: str, body: str, env: Mapping[str, str]) -> bytes:
    """What ``remind`` writes to its terminal for a terminal channel (``bell`` or an OSC)."""
    if channel == "bell":
        return BEL
    return osc_notification(channel, title, body, env)


def tmux_argv(message: str, *, display_ms: int = TMUX_DISPLAY_MS) -> list[str]:
    """``tmux display-message`` argv; ``#`` doubled, since tmux expands ``#{...}`` and runs ``#(...)``."""
    text = clean(message).replace("#", "##")
    return ["tmux", "display-message", "-d", str(display_ms), text]


def notify_send_argv(title: str, body: str) -> list[str]:
    """``notify-send`` argv; ``&<>`` escaped, since notification servers read body markup."""
    text = clean(body).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ["notify-send", "--app-name=psoas-tui", "--", clean(title), text]


def usable_channels(
    channels: tuple[str, ...], env: Mapping[str, str], *, terminal: bool, has_program: Callable[[str], bool]
) -> list[str]:
    """The configured ``channels`` that can work here, in order.

    Terminal channels need ``terminal`` (stdout is a terminal), ``tmux`` needs ``$TMUX`` and the
    program, ``notify-send`` a desktop session (``$DISPLAY`` or ``$WAYLAND_DISPLAY``) and the
    program (``has_program`` is e.g. ``lambda name: shutil.which(name) is not None``).
    """
    usable: list[str] = []
    for channel in channels:
        if channel in TERMINAL_CHANNELS:
            ok = terminal
        elif channel == "tmux":
            ok = bool(env.get("TMUX")) and has_program("tmux")
        else:
            ok = bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) and has_program(channel)
        if ok:
            usable.append(channel)
    return usable
