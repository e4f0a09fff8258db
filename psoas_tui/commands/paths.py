"""``psoas-tui paths``: where settings, history and user routines live."""

from __future__ import annotations

import argparse

from psoas_tui import paths


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("paths", help="show the config, data and user-routines folders")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the folders."""
    print(f"config:   {paths.config_dir()}")
    print(f"data:     {paths.data_dir()}")
    print(f"routines: {paths.user_routines_dir()}")
    print(f"history:  {paths.history_file()}")
    return 0
