"""psoas-tui-voice: the ``voice`` cue style, which speaks every cue aloud.

The speech program (espeak-ng, spd-say or macOS ``say``) is looked up when the style is
offered, not when this module is imported. Speaking happens in a background thread that
starts the program with ``subprocess.Popen``; the cue handler only hands the text over, so
it never blocks or delays the session timer. See ``speaker.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from psoas_tui.api import CueStyle, hookimpl
from psoas_tui_voice.speaker import Speaker, SpeakerMissing, find_speaker

__version__ = "0.1.0"
__all__ = ["Speaker", "SpeakerMissing", "find_speaker", "make_style", "psoas_tui_cue_styles"]


def make_style(speaker: Speaker | None = None) -> CueStyle:
    """The ``voice`` cue style around ``speaker`` (one found on this machine by default)."""
    speaker = speaker or Speaker(find_speaker())
    if speaker.command:
        found = f"speaks with {speaker.command[0]}"
    else:
        found = "no speech program found: install espeak-ng or speech-dispatcher (spd-say)"
    return CueStyle(
        name="voice",
        title="Voice",
        handler=speaker.speak,
        description=f"Speaks each cue aloud ({found}).",
        close=speaker.close,
    )


@hookimpl
def psoas_tui_cue_styles() -> Iterable[CueStyle]:
    """Offer the ``voice`` style."""
    return [make_style()]
