"""The ``psoas-tui`` command. Subcommands live in ``psoas_tui.commands.*``; Textual is imported
only by the commands that open the full-screen app, so plain commands start fast.

Opening the app is the common case and its start-up time is what people feel, so
``psoas-tui`` (optionally ``--no-plugins``) and ``psoas-tui run ID`` on a terminal (with
``--cue STYLE`` / ``--no-checkin``, without ``--plain``) take a fast path: the arguments are
recognised by hand and the app opens without importing the other subcommands' modules.
Anything else (``--help``, ``--plain``, a typo, an abbreviation) goes through the full parser,
which gives exactly the same result for these forms.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from psoas_tui import __version__
from psoas_tui.errors import UserError

EXIT_INTERRUPTED = 130
NO_PLUGINS_ENV = "PSOAS_TUI_NO_PLUGINS"  # = psoas_tui.plugins.NO_PLUGINS_ENV (not imported here)

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
    ("sync", "sync"),
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


@dataclass(frozen=True)
class AppRequest:
    """What the fast path understood: open the app, maybe straight on ``routine_id``."""

    no_plugins: bool = False
    routine_id: str | None = None
    cue_styles: list[str] = field(default_factory=list)


def app_request(argv: Sequence[str]) -> AppRequest | None:
    """``argv`` as an ``AppRequest`` when it only asks to open the app; ``None`` otherwise.

    Accepted: ``[--no-plugins]`` alone, or ``[--no-plugins] run ID [--cue STYLE]...
    [--no-checkin]`` when stdin and stdout are a terminal (as ``run`` itself requires for the
    app; without one, ``app_request`` still answers for the bare command, and ``main`` refuses
    it with one line).
    """
    rest = list(argv)
    no_plugins = rest[:1] == ["--no-plugins"]
    if no_plugins:
        rest = rest[1:]
    if not rest:
        return AppRequest(no_plugins=no_plugins)
    if rest[0] != "run" or not has_terminal():
        return None
    routine_id: str | None = None
    cues: list[str] = []
    tokens = iter(rest[1:])
    for token in tokens:
        if token == "--cue":
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
            cues.append(value)
        elif token.startswith("--cue=") and len(token) > len("--cue="):
            cues.append(token[len("--cue="):])
        elif token == "--no-checkin":
            continue
        elif token.startswith("-") or routine_id is not None:
            return None
        else:
            routine_id = token
    if routine_id is None:
        return None
    return AppRequest(no_plugins=no_plugins, routine_id=routine_id, cue_styles=cues)


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
    request = app_request(argv)
    if request is not None and request.routine_id is None and not has_terminal():
        raise UserError(NO_TERMINAL)
    launcher = _launcher() if request is not None else None
    if request is not None and launcher is not None:
        if request.no_plugins:
            _set_no_plugins()
        return int(launcher(routine_id=request.routine_id, cue_styles=request.cue_styles or None) or 0)
    parser = build_parser()
    args = parse_args(parser, argv)
    if args.no_plugins:
        _set_no_plugins()
    if args.command is None:
        if not has_terminal():
            raise UserError(NO_TERMINAL)
        return _open_app(args)
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
            return action.choices[command]  # type: ignore[no-any-return]
    return parser


def _set_no_plugins() -> None:
    import os

    os.environ[NO_PLUGINS_ENV] = "1"


def _guarded(command: Callable[[], int]) -> int:
    """Run ``command``; a ``UserError`` is one stderr line and status 2."""
    try:
        return command()
    except UserError as exc:
        print(f"psoas-tui: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


def _launcher() -> Callable[..., int] | None:
    """``psoas_tui.tui.launch.launch``, or ``None`` when the app is not available."""
    try:
        tui = importlib.import_module("psoas_tui.tui.launch")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("psoas_tui.tui"):
            return None
        raise
    return tui.launch  # type: ignore[no-any-return]


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
    """Console-script entry point. Ctrl-C at any moment (even while the first modules load)
    ends quietly with status 130, never a traceback."""
    try:
        status = main()
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
    sys.exit(status)
