"""The ``psoas-tui`` command. Subcommands live in ``psoas_tui.commands.*``; Textual is imported
only by the commands that open the full-screen app, so plain commands start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from psoas_tui import __version__
from psoas_tui.errors import UserError

# (subcommand, module in psoas_tui.commands). Each module has add_parser(subparsers) and
# run(args) -> int.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("routines", "routines"),
    ("show", "show"),
    ("validate", "validate"),
    ("paths", "paths"),
    ("plugins", "plugins"),
    ("run", "run"),
    ("history", "history"),
    ("stats", "stats"),
    ("export", "export"),
    ("import", "import_"),
)


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every subcommand."""
    parser = _Parser(
        prog="psoas-tui",
        description="Practise psoas and hip-flexor stretches with honest timing. "
        "Run with no command to open the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"psoas-tui {__version__}")
    parser.add_argument(
        "--no-plugins",
        action="store_true",
        help="load the built-in plugins only (same as PSOAS_TUI_NO_PLUGINS=1)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for _name, module_name in COMMANDS:
        module = importlib.import_module(f"psoas_tui.commands.{module_name}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.no_plugins:
        import os

        from psoas_tui.plugins import NO_PLUGINS_ENV

        os.environ[NO_PLUGINS_ENV] = "1"
    try:
        if args.command is None:
            return _open_app(args)
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"psoas-tui: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _open_app(args: argparse.Namespace) -> int:
    try:
        tui = importlib.import_module("psoas_tui.tui.launch")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("psoas_tui.tui"):
            build_parser().print_help()
            return 0
        raise
    return int(tui.launch() or 0)


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
