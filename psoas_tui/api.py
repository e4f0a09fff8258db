"""Everything a plugin author imports: ``from psoas_tui.api import hookimpl, Routine, ...``.

This module is the stable, versioned surface (``HOOK_API_VERSION``); anything not
re-exported here may change without notice.
"""

from __future__ import annotations

from psoas_tui.hookspecs import HOOK_API_VERSION, PROJECT_NAME, hookimpl
from psoas_tui.model import (
    BreathPattern,
    CheckIn,
    Cue,
    CueKind,
    CueStyle,
    Exporter,
    Routine,
    RoutineSource,
    SessionRecord,
    SessionStatus,
    Step,
    StepKind,
)

__all__ = [
    "HOOK_API_VERSION",
    "PROJECT_NAME",
    "BreathPattern",
    "CheckIn",
    "Cue",
    "CueKind",
    "CueStyle",
    "Exporter",
    "Routine",
    "RoutineSource",
    "SessionRecord",
    "SessionStatus",
    "Step",
    "StepKind",
    "hookimpl",
]
