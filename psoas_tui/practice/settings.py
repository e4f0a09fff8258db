"""The settings a session needs, parsed once into their types, and the timeline they make.

Light on purpose (no asyncio, no SQLite): ``show`` and ``routines`` use ``timeline_for`` too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from psoas_tui.model import BreathPattern, Routine
from psoas_tui.practice.timeline import Timeline, build_timeline

if TYPE_CHECKING:
    from psoas_tui.config import Settings


@dataclass(frozen=True)
class PracticeSettings:
    """The settings a session's timeline needs, parsed once into their types."""

    get_ready_seconds: int
    switch_seconds: int
    breath: BreathPattern

    @classmethod
    def from_settings(cls, settings: Settings) -> PracticeSettings:
        """Parse ``settings`` (its ``breath`` string becomes a ``BreathPattern``)."""
        from psoas_tui.routines import parse_breath

        return cls(settings.get_ready_seconds, settings.switch_seconds, parse_breath(settings.breath))


def timeline_for(routine: Routine, settings: Settings) -> Timeline:
    """The routine's timeline with the person's get-ready, switch and breath settings."""
    practice = PracticeSettings.from_settings(settings)
    return build_timeline(
        routine,
        get_ready_seconds=practice.get_ready_seconds,
        switch_seconds=practice.switch_seconds,
        default_breath=practice.breath,
    )
