"""Built-in cue styles: ``text``, ``bell``, ``title``, ``notify`` and ``voice`` (plugin
"builtin-cue-styles"). ``voice`` lives in ``psoas_tui.builtins.voice``.

* ``text``: prints one line per cue on stdout, ``"  0:23  Inhale to lengthen"`` (the time
  left in the segment, then the words). This is plain mode's output; the TUI shows the cue
  line on screen itself and builds its ``CueDispatcher`` with ``exclude={"text"}``, so this
  handler never writes over the full-screen app.
* ``bell``: a terminal BEL on segment changes (start, side switch, complete).
* ``title``: the terminal / tmux window title, e.g. ``"Left · 0:23 · Half-kneeling"`` (OSC 2,
  refreshed by ``CueStyle.tick``). The old title is saved with the xterm title stack
  (``CSI 22 t``) and restored on close (``CSI 23 t``); terminals without a stack ignore both.
  Inside tmux OSC 2 sets the pane title, which tmux shows with ``set -g set-titles on``.
* ``notify``: a desktop notification on segment changes: OSC 777 (``notify;title;body``) on
  terminals known to speak it (rxvt, foot, VTE / GNOME Terminal, Ghostty), else OSC 9 (iTerm2,
  WezTerm, Windows Terminal, kitty). Inside tmux it is wrapped in tmux's passthrough
  (``ESC P tmux; ... ESC \\``), shown only with ``set -g allow-passthrough on``.
  Unsupported terminals ignore these sequences.

Where escape sequences go: never to ``sys.stdout`` (which plain mode may pipe to a script or
screen reader, and which Textual captures). They go to the *terminal*: ``sys.__stdout__`` when
it is a tty, in one ``os.write`` per sequence so they are never split; when it is not a tty
nothing is written. The TUI must not let them race its own output, so it installs a writer
that goes through Textual's output queue, e.g.
``set_terminal_writer(app._driver.write)`` while the run screen is up, and
``set_terminal_writer(None)`` afterwards.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable

from psoas_tui.builtins import voice
from psoas_tui.model import Cue, CueKind, CueStyle
from psoas_tui.plugin_host.hookspecs import hookimpl
from psoas_tui.text import format_seconds, safe

TerminalWriter = Callable[[str], None]

_writer: TerminalWriter | None = None
_lock = threading.Lock()

CHANGE_KINDS = frozenset({CueKind.SEGMENT_START, CueKind.SIDE_SWITCH, CueKind.COMPLETE})
OSC777_TERMS = ("rxvt", "foot")


def set_terminal_writer(writer: TerminalWriter | None) -> TerminalWriter | None:
    """Send escape sequences to ``writer`` (None: back to the tty default); returns the old one."""
    global _writer
    with _lock:
        previous, _writer = _writer, writer
    return previous


def terminal_write(data: str) -> bool:
    """Write ``data`` to the terminal (see the module docstring); False when nothing was written."""
    writer = _writer
    if writer is not None:
        writer(data)
        return True
    stream = sys.__stdout__
    try:
        if stream is None or not stream.isatty():
            return False
        stream.flush()
        os.write(stream.fileno(), data.encode("utf-8", "replace"))
    except (OSError, ValueError):  # closed or detached stream: a cue is not worth a crash
        return False
    return True


def clean(text: str, limit: int = 120) -> str:
    """``text`` on one line with every control character made visible (``text.safe``): raw,
    they could end or forge an escape sequence."""
    cleaned = safe(text).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def notification(title: str, body: str) -> tuple[str, str]:
    """``(title, body)`` for a notification that does not say the same thing twice.

    A body that already starts with the title ("Get ready. Coming up: Lunge" under "Get
    ready") keeps its words and the title becomes ``psoas-tui``.
    """
    if title and body.casefold().startswith(title.casefold()):
        return "psoas-tui", body
    return title, body


def in_tmux() -> bool:
    """True inside tmux."""
    return bool(os.environ.get("TMUX"))


def tmux_wrap(sequence: str) -> str:
    """Wrap ``sequence`` in tmux's passthrough so it reaches the outer terminal."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def notify_sequence(title: str, body: str) -> str:
    """The desktop-notification escape sequence for this terminal (OSC 777 or OSC 9)."""
    title, body = notification(title, body)
    term = os.environ.get("TERM", "")
    program = os.environ.get("TERM_PROGRAM", "").lower()
    if term.startswith(OSC777_TERMS) or os.environ.get("VTE_VERSION") or program == "ghostty":
        sequence = f"\x1b]777;notify;{clean(title).replace(';', ',')};{clean(body)}\x1b\\"
    else:
        sequence = f"\x1b]9;{clean(f'{title}: {body}')}\x07"
    return tmux_wrap(sequence) if in_tmux() else sequence


def format_cue_line(cue: Cue) -> str:
    """One plain-mode line: the time left in the segment (blank when manual), then the words
    (control characters made visible, line breaks as spaces)."""
    left = format_seconds(cue.remaining) if cue.remaining is not None else ""
    return f"{left:>7}  {safe(cue.text)}"


# -- the styles --------------------------------------------------------------------------


def _text_handler(cue: Cue) -> None:
    print(format_cue_line(cue), flush=True)


def _bell_handler(cue: Cue) -> None:
    if cue.kind in CHANGE_KINDS:
        terminal_write("\x07")


class TitleWriter:
    """The ``title`` style: sets the window title on every status change, restores it on close."""

    def __init__(self) -> None:
        self.last: str | None = None
        self.pushed = False

    def set(self, title: str) -> None:
        """Write ``title`` unless it is already showing."""
        title = clean(title)
        if title == self.last:
            return
        if not self.pushed:
            self.pushed = terminal_write("\x1b[22;0t")
        terminal_write(f"\x1b]2;{title}\x07")
        self.last = title

    def handle(self, cue: Cue) -> None:
        """Cues with a visible change (segment start, end of session) update the title."""
        if cue.kind in (CueKind.COMPLETE, CueKind.STOPPED):
            self.set("psoas-tui · " + ("complete" if cue.kind is CueKind.COMPLETE else "stopped"))

    def tick(self, cue: Cue) -> None:
        """Status refreshes carry the ready-made title in ``cue.text``."""
        self.set(cue.text)

    def close(self) -> None:
        """Restore the title saved at the first write."""
        if self.pushed:
            terminal_write("\x1b[23;0t")
            self.pushed = False
        self.last = None


def _notify_handler(cue: Cue) -> None:
    if cue.kind in CHANGE_KINDS:
        title = "psoas-tui" if cue.kind is CueKind.COMPLETE else (cue.step_title or "psoas-tui")
        terminal_write(notify_sequence(title, cue.text))


def make_styles() -> list[CueStyle]:
    """Fresh built-in styles (the title style keeps per-session state)."""
    title = TitleWriter()
    return [
        CueStyle(
            name="text",
            title="Text",
            handler=_text_handler,
            description="One line per cue with the time left (stdout in plain mode, on screen in the app).",
        ),
        CueStyle(
            name="bell",
            title="Bell",
            handler=_bell_handler,
            description="Terminal bell when a segment starts, the side switches and at the end.",
        ),
        CueStyle(
            name="title",
            title="Window title",
            handler=title.handle,
            tick=title.tick,
            close=title.close,
            description='Terminal / tmux window title such as "Left · 0:23 · Half-kneeling".',
        ),
        CueStyle(
            name="notify",
            title="Desktop notification",
            handler=_notify_handler,
            description="OSC 9 / OSC 777 desktop notification on segment changes (where supported).",
        ),
        voice.make_style(),
    ]


@hookimpl
def psoas_tui_cue_styles() -> Iterable[CueStyle]:
    """The built-in cue styles."""
    return make_styles()
