"""``psoas-tui import FILE``: add the sessions of a TOML export to the history."""

from __future__ import annotations

import argparse
from pathlib import Path

from psoas_tui.text import plural


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser(
        "import", help="import a TOML history export (sessions already present are skipped)"
    )
    parser.add_argument("file", metavar="FILE", help="a file written by `psoas-tui export`")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Import the file: all of it or, when anything is wrong, nothing."""
    from psoas_tui.history import HistoryStore
    from psoas_tui.importer import load_export

    path = Path(args.file)
    records = load_export(path)  # every check before the store is even opened
    with HistoryStore.open() as store:
        added, skipped = store.add_records(records)
    already = f" ({skipped} already in the history)" if skipped else ""
    print(f"Imported {plural(added, 'session')} from {path}{already}")
    return 0
