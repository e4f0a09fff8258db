"""``psoas-tui export``: write the history with an export format (TOML by default)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from psoas_tui.commands.history import (
    add_range_arguments,
    check_range,
    report_problems,
)
from psoas_tui.text import plural, safe

STDOUT_NAMES = (None, "-", "/dev/stdout")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser(
        "export",
        help="export the history (TOML, JSON or a plugin's format) to a file or stdout",
        description="Export the history. Without --format the suffix of -o FILE picks the format "
        "(x.toml -> toml, x.json -> json, a plugin's suffix -> that plugin); a suffix no format "
        "writes (x.csv without a CSV plugin) is refused; stdout and a file without a suffix get "
        "toml. The file is written whole, then renamed into place; a new file is readable by you "
        "only (0600), a replaced one keeps its permissions; an existing file is kept unless --force. "
        "A symbolic link is written through to its target; devices, FIFOs and sockets are refused "
        "(-o - or -o /dev/stdout writes to standard output).",
    )
    parser.add_argument(
        "--format", metavar="NAME",
        help="export format (default: by the suffix of -o FILE, else toml; see --list-formats)",
    )
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="file to write, or - (or /dev/stdout) for stdout (default)")
    add_range_arguments(parser)
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.add_argument("--list-formats", action="store_true", help="list the export formats and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Export."""
    from psoas_tui.history.export import available_exporters, choose_exporter, export_history
    from psoas_tui.history.store import HistoryStore
    from psoas_tui.plugin_host.host import build_plugin_host

    host = build_plugin_host()
    if args.list_formats:
        for name, exporter in sorted(available_exporters(host).items()):
            print(safe(f"{name:<8} {exporter.suffix:<7} {exporter.title}: {exporter.description}").rstrip())
        _report_failures(host)
        return 0
    check_range(args)
    destination = None if args.output in STDOUT_NAMES else Path(args.output)
    exporter = choose_exporter(host, args.format, destination)
    _report_failures(host)
    with HistoryStore.open(create=False) as store:  # no history yet: an empty export
        count = export_history(  # psoas-tui export | head: the CLI ends quietly (psoas_tui.output)
            store, exporter, destination, since=args.since, until=args.until, force=args.force
        )
    report_problems(store)
    if destination is not None:
        print(f"Exported {plural(count, 'session')} as {exporter.name} to {destination}", file=sys.stderr)
    return 0


def _report_failures(host: object) -> None:
    for failure in getattr(host, "failures", []):
        if failure.stage in ("import", "register", "psoas_tui_exporters"):
            print(f"psoas-tui: {safe(failure)}", file=sys.stderr)
