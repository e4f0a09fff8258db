"""``psoas-tui validate FILE...``: check routine files; one line per problem, exit 2 if any."""

from __future__ import annotations

import argparse
import sys

from psoas_tui.errors import UserError
from psoas_tui.routines import load_routine_file
from psoas_tui.text import plural, safe


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("validate", help="check routine TOML files")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate every file; report each problem on its own line."""
    failed = 0
    for name in args.files:
        try:
            routine = load_routine_file(name)
        except UserError as exc:
            failed += 1
            print(safe(exc), file=sys.stderr)
        else:
            print(safe(f"{name}: ok ({routine.id}, {plural(len(routine.steps), 'step')})"))
    return 2 if failed else 0
