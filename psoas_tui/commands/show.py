"""``psoas-tui show ID``: a routine's whole timeline with sides and rounds expanded, each step's
figure under it; ``--json`` gives the routine with one entry (and figure) per step of its file."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from psoas_tui.commands.common import load_library, print_json, report_plugin_failures, timeline_for
from psoas_tui.model import Routine
from psoas_tui.paths import looks_like_path
from psoas_tui.practice.timeline import Segment, Timeline
from psoas_tui.routines import load_routine_file, routine_to_dict
from psoas_tui.text import format_seconds, plural, safe

if TYPE_CHECKING:
    from psoas_tui.figures.library import Figures

SHOW_SIZE = (36, 12)  # columns, rows of each step's figure: big enough to copy the pose from


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("show", help="show a routine's timeline, figures and total time")
    parser.add_argument("routine", metavar="ID", help="a routine id, or a path to a routine .toml file")
    parser.add_argument(
        "--json", action="store_true",
        help="print the routine as JSON: one entry per step of its file, each with its figure's lines",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the routine (as text, or as JSON with ``--json``)."""
    from psoas_tui.figures.library import builtin_figures, load_figures
    from psoas_tui.plugin_host.host import build_plugin_host

    if looks_like_path(args.routine):
        routine = load_routine_file(args.routine)
        figures = builtin_figures()  # a file is a user routine: no figures yet, but the same code
    else:
        host = build_plugin_host()
        routine = load_library(host).get(args.routine)
        figures = load_figures(host)
        report_plugin_failures(host, ["psoas_tui_poses"])
    drawn = step_figures(routine, figures)
    if args.json:
        print_json(as_json(routine, timeline_for(routine), drawn))
    else:
        print(render(routine, timeline_for(routine), drawn))
    return 0


def step_figures(routine: Routine, figures: Figures | None = None) -> list[list[str] | None]:
    """Each step's figure as ``show`` prints it (first key pose, left side), ``None`` without one."""
    from psoas_tui.figures.library import figure_for

    columns, rows = SHOW_SIZE
    return [
        figure_for(routine, index, "left" if step.sides else None, 0.0,
                   columns=columns, rows=rows, library=figures)
        for index, step in enumerate(routine.steps)
    ]


def as_json(routine: Routine, timeline: Timeline, drawn: list[list[str] | None]) -> dict[str, Any]:
    """The routine in its file's shape plus its source and totals; each step gets ``figure``
    (the lines ``show`` prints, or ``None``) and always ``seconds`` (``None`` for a reps step)."""
    data = routine_to_dict(routine)
    data.pop("schema", None)
    data["source"] = str(routine.source)
    data["total_seconds"] = timeline.total_seconds
    data["manual_sets"] = timeline.manual_count
    for entry, step, figure in zip(data["steps"], routine.steps, drawn, strict=True):
        entry["seconds"] = step.seconds
        entry["figure"] = figure
    return data


def _segment_line(seg: Segment) -> str:
    """One timeline line: start, length, title and what to do (side, rep, breath, pace)."""
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
    return f"{start} {length}  {safe(seg.title)}{extra}"


def render(routine: Routine, timeline: Timeline, drawn: list[list[str] | None] | None = None) -> str:
    """The text ``show`` prints; routine text is neutralised (``safe``), one line per field.

    A step's figure (from ``drawn``, one per step of the file) follows the first line of
    that step, once; a step without one gets none.
    """
    head = f"{routine.title}  ({routine.id}, {routine.level}, {routine.source})"
    lines = [safe(head), safe(routine.summary)]
    if routine.tags:
        lines.append("tags: " + safe(", ".join(routine.tags)))
    lines.append("")
    pictured: set[int] = set()
    for seg in timeline.segments:
        lines.append(_segment_line(seg))
        index = seg.step_index
        if seg.kind == "step" and index is not None and index not in pictured and drawn:
            pictured.add(index)
            figure = drawn[index] if index < len(drawn) else None
            lines.extend(figure or ())
    total = format_seconds(timeline.total_seconds)
    count = timeline.manual_count
    manual = f" plus {plural(count, 'set')} at your own pace" if count else ""
    lines.append(f"\nTotal: {total} ({timeline.total_seconds} s){manual}")
    if routine.cautions:
        lines.append("\nCautions:")
        lines.extend(f"  - {safe(c)}" for c in routine.cautions)
    if routine.sources:
        lines.append("\nSources:")
        lines.extend(f"  - {safe(s)}" for s in routine.sources)
    return "\n".join(lines)
