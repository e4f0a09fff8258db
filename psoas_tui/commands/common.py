"""Helpers shared by the subcommands."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from psoas_tui.config import Settings, load_settings
from psoas_tui.practice.timeline import Timeline
from psoas_tui.routines import RoutineLibrary
from psoas_tui.text import cell_width, json_text, pad, safe

if TYPE_CHECKING:
    from psoas_tui.plugin_host.host import PluginHost

ROUTINE_STAGES = ("import", "register", "psoas_tui_routines")

_reported: set[str] = set()  # stderr lines already printed by this process


def _say_once(line: str) -> None:
    if line not in _reported:
        _reported.add(line)
        print(safe(line), file=sys.stderr)


def report_plugin_failures(
    host: PluginHost, stages: Iterable[str] | None = None, *, skip: Iterable[str] = ()
) -> None:
    """Print each plugin failure of ``stages`` (all when ``None``) on stderr, one line each.

    A line already printed by this process is not printed again, so commands that build
    more than one host (``run`` loads the library, then the cue styles) name a broken plugin
    once. Failures whose message is in ``skip`` (already shown as a library notice) are left out.
    """
    wanted = None if stages is None else set(stages)
    shown = set(skip)
    for failure in host.failures:
        if (wanted is None or failure.stage in wanted) and failure.message not in shown:
            _say_once(f"psoas-tui: {failure}")


def load_library(host: PluginHost | None = None) -> RoutineLibrary:
    """The routine library with plugins; problems go to stderr, one line each, once.

    Skipped files and overridden ids (the library's notices) come first, then each failure
    of a plugin that could not offer its routines (import, registration, the routines hook).
    Pass ``host`` to reuse a plugin host the command already built.
    """
    from psoas_tui.plugin_host.host import build_plugin_host

    host = host or build_plugin_host()
    library = RoutineLibrary.load(host)
    messages = [str(notice) for notice in library.notices]
    for message in messages:
        _say_once(f"psoas-tui: {message}")
    report_plugin_failures(host, ROUTINE_STAGES, skip=messages)
    return library


def timeline_for(routine: Any, settings: Settings | None = None) -> Timeline:
    """The routine's timeline with the user's get-ready, switch and breath settings."""
    from psoas_tui.practice.settings import timeline_for as practice_timeline

    return practice_timeline(routine, settings or load_settings())


def print_json(data: Any) -> None:
    """Pretty JSON on stdout; every control character, C1 ones too, is written escaped."""
    sys.stdout.write(json_text(data, indent=2, default=str))
    sys.stdout.write("\n")


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain left-aligned text table; every cell is neutralised (``safe``) first."""
    rows = [[safe(cell) for cell in row] for row in rows]
    widths = [max(cell_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
