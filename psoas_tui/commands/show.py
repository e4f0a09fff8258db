"""``psoas-tui show ID``: a routine's whole timeline with sides and rounds expanded."""

from __future__ import annotations

import argparse

from psoas_tui.commands.common import load_library, timeline_for
from psoas_tui.model import Routine
from psoas_tui.routines import load_routine_file
from psoas_tui.text import plural
from psoas_tui.timeline import Timeline, format_seconds


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("show", help="show a routine's timeline and total time")
    parser.add_argument("routine", metavar="ID", help="a routine id, or a path to a routine .toml file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the routine."""
    if looks_like_path(args.routine):
        routine = load_routine_file(args.routine)
    else:
        routine = load_library().get(args.routine)
    print(render(routine, timeline_for(routine)))
    return 0


def looks_like_path(text: str) -> bool:
    """True for a file name rather than a routine id (ids are slugs: no dots, no slashes)."""
    return text.endswith(".toml") or "/" in text or "\\" in text


def render(routine: Routine, timeline: Timeline) -> str:
    """The text ``show`` prints."""
    lines = [f"{routine.title}  ({routine.id}, {routine.level}, {routine.source})"]
    lines.append(routine.summary)
    if routine.tags:
        lines.append("tags: " + ", ".join(routine.tags))
    lines.append("")
    for seg in timeline.segments:
        start = format_seconds(seg.start).rjust(7)
        length = (f"x{seg.count}" if seg.manual else format_seconds(seg.duration or 0)).rjust(6)
        detail = []
        if seg.side:
            detail.append(seg.side.upper() if seg.kind == "step" else f"to {seg.side}")
        if seg.kind == "step" and seg.reps > 1:
            detail.append(f"round {seg.rep}/{seg.reps}")
        if seg.breath:
            detail.append(f"breath {seg.breath}")
        if seg.manual:
            detail.append("at your pace, press done")
        extra = f"  [{', '.join(detail)}]" if detail else ""
        lines.append(f"{start} {length}  {seg.title}{extra}")
    total = format_seconds(timeline.total_seconds)
    count = timeline.manual_count
    manual = f" plus {plural(count, 'set')} at your own pace" if count else ""
    lines.append(f"\nTotal: {total} ({timeline.total_seconds} s){manual}")
    if routine.cautions:
        lines.append("\nCautions:")
        lines.extend(f"  - {c}" for c in routine.cautions)
    if routine.sources:
        lines.append("\nSources:")
        lines.extend(f"  - {s}" for s in routine.sources)
    return "\n".join(lines)
