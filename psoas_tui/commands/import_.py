"""``psoas-tui import FILE``: add the sessions of a history export (TOML or JSON) to the history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from psoas_tui.text import plural, safe


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser(
        "import",
        help="import a history export, TOML or JSON (sessions already present are skipped)",
        description="Import a file written by `psoas-tui export` (or the app's export dialog) as "
        "TOML or JSON; the format is recognised from the content. Everything is checked before "
        "anything is written: a bad file is refused whole, with its line, and the history is unchanged.",
    )
    parser.add_argument("file", metavar="FILE", help="a file written by `psoas-tui export` (TOML or JSON)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Import the file: all of it or, when anything is wrong, nothing."""
    from psoas_tui.history.importer import load_export
    from psoas_tui.history.store import HistoryStore

    path = Path(args.file)
    notices: list[str] = []
    records = load_export(path, notices)  # every check before the store is even opened
    for notice in notices:
        print(f"psoas-tui: {safe(notice)}", file=sys.stderr)
    with HistoryStore.open() as store:
        added, skipped = store.add_records(records)
    already = f" ({skipped:,} already in the history)" if skipped else ""
    print(f"Imported {plural(added, 'session')} from {path}{already}")
    return 0
