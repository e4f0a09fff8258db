"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import sys
from typing import Any

from psoas_tui.config import Settings, load_settings
from psoas_tui.routines import RoutineLibrary
from psoas_tui.timeline import Timeline, build_timeline


def load_library() -> RoutineLibrary:
    """The routine library; skipped files are reported on stderr, one line each."""
    library = RoutineLibrary.load()
    for notice in library.notices:
        print(f"psoas-tui: {notice}", file=sys.stderr)
    return library


def timeline_for(routine: Any, settings: Settings | None = None) -> Timeline:
    """The routine's timeline with the user's get-ready, switch and breath settings."""
    from psoas_tui.routines import parse_breath

    settings = settings or load_settings()
    return build_timeline(
        routine,
        get_ready_seconds=settings.get_ready_seconds,
        switch_seconds=settings.switch_seconds,
        default_breath=parse_breath(settings.breath),
    )


def print_json(data: Any) -> None:
    """Pretty JSON on stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain left-aligned text table."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
