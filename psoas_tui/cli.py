"""The ``psoas-tui`` command. Subcommands live in ``psoas_tui.commands.*``; Textual is imported
only by the commands that open the full-screen app, so plain commands start fast.

One parser serves every form. Opening the app is the common case and its start-up time is what
people feel, so the parser knows the subcommands by name only and imports a subcommand's module
(which adds its arguments) when that command is chosen: ``psoas-tui`` imports none,
``psoas-tui run ID`` only ``psoas_tui.commands.run``; ``--help`` lists them all, so it imports
them all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

from psoas_tui import __version__
from psoas_tui.env import NO_PLUGINS as NO_PLUGINS_ENV
from psoas_tui.errors import UserError
from psoas_tui.output import end_quietly_on_broken_pipe, flush_stdout

EXIT_INTERRUPTED = 130

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
    ("pose", "pose"),
    ("status", "status"),
    ("remind", "remind"),
    ("snooze", "snooze"),
    ("skip", "skip"),
    ("sync", "sync"),
)


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {error_line(message)} (see --help)\n")


_MODULES = dict(COMMANDS)


class _LazyCommands(argparse._SubParsersAction):  # the one argparse class made for subcommands
    """The subcommands, each module imported only when its command is chosen or listed.

    Every name is a choice from the start (with ``None`` standing in for its parser), so
    argparse's own checks and messages (``invalid choice: ... (choose from ...)``) are the
    same as with every module imported.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in _MODULES:
            self._name_parser_map[name] = None

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """argparse's ``add_parser``; a module's own command replaces its stand-in."""
        if name in self._name_parser_map and self._name_parser_map[name] is None:
            del self._name_parser_map[name]
        return super().add_parser(name, **kwargs)  # type: ignore[no-any-return]

    def load(self, name: str) -> None:
        """Import ``name``'s module and let it add its parser (once)."""
        if name in _MODULES and self._name_parser_map.get(name) is None:
            importlib.import_module(f"psoas_tui.commands.{_MODULES[name]}").add_parser(self)

    def _get_subactions(self) -> list[argparse.Action]:
        """Every command with its help line, in ``COMMANDS`` order (for ``--help``)."""
        for name in _MODULES:
            self.load(name)
        order = list(_MODULES)
        return sorted(super()._get_subactions(), key=lambda action: order.index(action.dest))

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        self.load(values[0])
        super().__call__(parser, namespace, values, option_string)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: every subcommand, its module imported when it is chosen."""
    parser = _Parser(
        prog="psoas-tui",
        description="Practise psoas and hip-flexor stretches with honest timing. "
        "Run with no command to open the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"psoas-tui {__version__}")
    parser.add_argument(
        "--no-plugins",
        action="store_true",
        help=f"load the built-in plugins only (same as {NO_PLUGINS_ENV}=1)",
    )
    parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, action=_LazyCommands)
    return parser


NO_TERMINAL = (
    "the full-screen app needs a terminal on stdin and stdout; "
    "use a subcommand (see --help) or `psoas-tui run ID --plain`"
)


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # replaced, closed or missing stream
        return False


def has_terminal() -> bool:
    """True when both stdin and stdout are a terminal: the only case the app can be driven
    (from cron, ``</dev/null`` or ``>file`` it would ignore every key and spin)."""
    return _is_terminal(sys.stdin) and _is_terminal(sys.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return _guarded(lambda: _main(argv))


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args = parse_args(parser, argv)
    if args.no_plugins:
        _set_no_plugins()
    if args.command is None:
        if not has_terminal():
            raise UserError(NO_TERMINAL)
        return _open_app(parser)
    return int(args.func(args) or 0)


def parse_args(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """``parser.parse_args``, but an unknown option is reported by the subcommand's own parser,
    so the message names it (``psoas-tui stats: unrecognized arguments: --bogus``)."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        _subparser(parser, getattr(args, "command", None)).error(
            f"unrecognized arguments: {' '.join(extra)}"
        )
    return args


def _subparser(parser: argparse.ArgumentParser, command: str | None) -> argparse.ArgumentParser:
    """The parser of subcommand ``command`` (``parser`` itself when there is none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command] or parser  # type: ignore[no-any-return]
    return parser


def _set_no_plugins() -> None:
    import os

    os.environ[NO_PLUGINS_ENV] = "1"


def _guarded(command: Callable[[], int]) -> int:
    """Run ``command``; a ``UserError`` is one stderr line and status 2; a closed stdout
    (``psoas-tui ... | head``) ends quietly with status 0."""
    try:
        status = command()
        flush_stdout()  # a closed pipe shows up here, inside the guard, not at interpreter exit
        return status
    except UserError as exc:
        print(f"psoas-tui: {error_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return end_quietly_on_broken_pipe()


def error_line(error: object) -> str:
    """An error as one line fit for a terminal: what people typed (file names, arguments) may
    hold escape sequences, so every control character is shown as text, never sent raw."""
    from psoas_tui.text import safe

    return safe(error)


def _open_app(parser: argparse.ArgumentParser) -> int:
    """Open the app; without it (an install without the app's modules) print the help."""
    try:
        tui = importlib.import_module("psoas_tui.tui.launch")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("psoas_tui.tui"):
            parser.print_help()
            return 0
        raise
    return int(tui.launch(routine_id=None, cue_styles=None) or 0)


def entry() -> None:
    """Console-script entry point. Ctrl-C at any moment (even while the first modules load)
    ends quietly with status 130, never a traceback. ``status`` (run every few seconds by
    status bars and prompts) goes straight to its module, without argparse."""
    try:
        if sys.argv[1:2] == ["status"]:
            from psoas_tui.commands import status as status_command

            sys.exit(status_command.main(sys.argv[2:]))
        status = main()
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
    sys.exit(status)
