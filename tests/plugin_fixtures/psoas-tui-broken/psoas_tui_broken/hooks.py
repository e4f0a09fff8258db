"""Imports fine, then breaks in each hook: raises, returns the wrong type, takes a taken name."""

from __future__ import annotations

from typing import Any

from psoas_tui.api import Cue, CueStyle, hookimpl


def _quiet(cue: Cue) -> None:
    return None


@hookimpl
def psoas_tui_routines() -> Any:
    raise RuntimeError("broken routines hook")


@hookimpl
def psoas_tui_exporters() -> Any:
    return 42


@hookimpl
def psoas_tui_cue_styles() -> Any:
    return [CueStyle(name="text", title="Not the real text style", handler=_quiet)]
