"""psoas-tui-chimes: the ``chimes`` cue style, soft bell tones played by the system's audio player.

An example of a cue style plugin: one hook, ``psoas_tui_cue_styles``, offering one
``CueStyle``. The sounds are written with the standard library (``tones.py``); the audio
player (pw-play, paplay, aplay or afplay) is looked up when the style is offered, not when this
module is imported, and started without waiting (``player.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from psoas_tui.api import CueStyle, hookimpl
from psoas_tui_chimes.player import Chimes, PlayerMissing, find_player
from psoas_tui_chimes.tones import CHIMES, write_wav

__version__ = "0.1.0"
__all__ = [
    "CHIMES", "Chimes", "PlayerMissing", "find_player", "make_style", "psoas_tui_cue_styles", "write_wav",
]


def make_style(chimes: Chimes | None = None) -> CueStyle:
    """The ``chimes`` cue style around ``chimes`` (this machine's audio player by default)."""
    chimes = chimes or Chimes(find_player())
    return CueStyle(
        name="chimes",
        title="Chimes",
        handler=chimes.handle,
        close=chimes.close,
        description="Soft bell tones: a segment starts, switch sides, breathe in / out, the end.",
    )


@hookimpl
def psoas_tui_cue_styles() -> Iterable[CueStyle]:
    """Offer the ``chimes`` style."""
    return [make_style()]
