"""``psoas-tui routines``: list every routine with its total time, level and source."""

from __future__ import annotations

import argparse

from psoas_tui.commands.common import load_library, print_json, table, timeline_for
from psoas_tui.config import load_settings
from psoas_tui.practice.timeline import OWN_PACE
from psoas_tui.text import format_seconds


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("routines", help="list routines (id, title, time, level, source)")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """List the routines."""
    settings = load_settings()
    library = load_library()
    entries = []
    for routine in library:
        timeline = timeline_for(routine, settings)
        entries.append(
            {
                "id": routine.id,
                "title": routine.title,
                "total_seconds": timeline.total_seconds,
                "manual_steps": timeline.manual_count,
                "level": routine.level,
                "tags": list(routine.tags),
                "source": str(routine.source),
                "path": routine.source.path,
            }
        )
    if args.json:
        print_json(entries)
        return 0
    rows = [
        [
            e["id"],
            e["title"],
            format_seconds(e["total_seconds"]) + (OWN_PACE if e["manual_steps"] else ""),
            e["level"],
            e["source"],
        ]
        for e in entries
    ]
    print(table(rows, ["ID", "TITLE", "TIME", "LEVEL", "SOURCE"]))
    if any(e["manual_steps"] for e in entries):
        print(f"\n{OWN_PACE.strip()}: also has sets of reps done at your own pace, not in the time")
    return 0
