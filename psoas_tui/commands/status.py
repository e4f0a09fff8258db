"""``psoas-tui status``: one short line for a tmux status bar or a shell prompt.

``stretch due: desk-break`` (exit status 0) when a reminder is due, else when the next one is
and the streak (exit status 1); ``--format`` with named fields; ``--json``. It runs every few
seconds, so it is cheap: ``cli.entry`` sends ``status`` straight here (no argparse, no plugins,
no Textual), and it reads config.toml and one read-only SQLite snapshot (nothing is created).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from psoas_tui.reminder_runtime import Now, current_state, load_reminder_settings, read_history, system_now
from psoas_tui.reminders.durations import format_duration
from psoas_tui.reminders.events import ReminderSnapshot
from psoas_tui.reminders.schedule import ReminderState, skips_left
from psoas_tui.reminders.settings import ReminderSettings

USAGE = "usage: psoas-tui status [--json] [--format TEXT]"
HELP = f"""{USAGE}

One short line for a tmux status bar or a shell prompt: what is due, else when the next
reminder is and the streak. Exit status 0 when a stretch is due, 1 when not, 2 on an error.

options:
  --json         print due, next_due, routine, streak, today_seconds, snoozed_until as JSON
  --format TEXT  your own line with named fields in braces: {{status}} {{due}} {{routine}}
                 {{next_due}} {{next_in}} {{streak}} {{today_minutes}} {{snoozed_until}} {{skips_left}}
                 e.g. --format '{{due}}' prints the routine when due and nothing otherwise
"""
FIELDS = (
    "status", "due", "routine", "next_due", "next_in", "streak", "today_minutes",
    "snoozed_until", "skips_left",
)
EXIT_DUE, EXIT_NOT_DUE, EXIT_ERROR = 0, 1, 2


class _UsageError(Exception):
    pass


def parse(argv: Sequence[str]) -> tuple[bool, str | None]:
    """``(json, format)`` from the arguments; ``_UsageError`` for anything else."""
    as_json, fmt = False, None
    items = iter(argv)
    for token in items:
        if token == "--json":
            as_json = True
        elif token == "--format":
            fmt = next(items, None)
            if fmt is None:
                raise _UsageError("--format needs a text, e.g. --format '{status}'")
        elif token.startswith("--format="):
            fmt = token[len("--format="):]
        else:
            raise _UsageError(f"unrecognized argument {token!r}")
    if as_json and fmt is not None:
        raise _UsageError("--json and --format cannot be combined")
    return as_json, fmt


def main(argv: Sequence[str], *, now: Now = system_now) -> int:
    """Run ``status`` with the arguments after the command name; returns the exit status."""
    if any(token in ("-h", "--help") for token in argv):
        sys.stdout.write(HELP)
        return 0
    try:
        as_json, fmt = parse(argv)
    except _UsageError as exc:
        print(f"psoas-tui status: {exc} (see --help)", file=sys.stderr)
        return EXIT_ERROR
    from psoas_tui.errors import UserError

    try:
        return report(as_json=as_json, fmt=fmt, now=now)
    except UserError as exc:
        from psoas_tui.text import safe

        print(f"psoas-tui: {safe(str(exc))}", file=sys.stderr)
        return EXIT_ERROR


def report(*, as_json: bool = False, fmt: str | None = None, now: Now = system_now) -> int:
    """Print the status line (or JSON); 0 when a stretch is due, 1 when not."""
    settings = load_reminder_settings()
    moment = now()
    snapshot = read_history(moment)
    state = current_state(settings, moment, snapshot)
    if as_json:
        from psoas_tui.text import json_text

        sys.stdout.write(json_text(status_dict(settings, state, snapshot)) + "\n")
    elif fmt is not None:
        sys.stdout.write(format_line(fmt, fields(settings, state, snapshot, moment)) + "\n")
    else:
        sys.stdout.write(status_line(settings, state, snapshot, moment) + "\n")
    return EXIT_DUE if state.due is not None else EXIT_NOT_DUE


def _clock(moment: datetime, now: datetime) -> str:
    """``14:50`` today, ``Mon 09:50`` on another day."""
    return f"{moment:%H:%M}" if moment.date() == now.date() else f"{moment:%a %H:%M}"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def status_line(
    settings: ReminderSettings, state: ReminderState, snapshot: ReminderSnapshot, now: datetime
) -> str:
    """The default line: ``stretch due: desk-break``, ``next stretch 14:50, streak 3``,
    ``snoozed until 14:35, streak 3`` or ``reminders off, streak 3``. (The routine is a
    validated id, lower-case letters, digits and hyphens, so it is safe on a terminal.)"""
    if state.due is not None:
        return f"stretch due: {state.due.routine}"
    streak = f"streak {snapshot.streak}"
    if state.snoozed_until is not None:
        return f"snoozed until {_clock(state.snoozed_until, now)}, {streak}"
    if state.next_due is not None:
        return f"next stretch {_clock(state.next_due, now)}, {streak}"
    return f"reminders off, {streak}" if not settings.enabled else streak


def fields(
    settings: ReminderSettings, state: ReminderState, snapshot: ReminderSnapshot, now: datetime
) -> dict[str, Any]:
    """The named fields ``--format`` offers (empty strings for what does not apply)."""
    left = skips_left(settings, snapshot.skips_today)
    next_in = ""
    if state.next_due is not None:
        seconds = max(60, round((state.next_due - now).total_seconds() / 60) * 60)
        next_in = format_duration(seconds)
    return {
        "status": status_line(settings, state, snapshot, now),
        "due": state.due.routine if state.due else "",
        "routine": settings.routine,
        "next_due": _clock(state.next_due, now) if state.next_due else "",
        "next_in": next_in,
        "streak": snapshot.streak,
        "today_minutes": round(snapshot.today_seconds / 60),
        "snoozed_until": _clock(state.snoozed_until, now) if state.snoozed_until else "",
        "skips_left": "" if left is None else left,
    }


def format_line(fmt: str, values: dict[str, Any]) -> str:
    """``fmt`` with its ``{field}`` names filled in; an unknown one is a ``UserError``."""
    from psoas_tui.errors import UserError

    try:
        return fmt.format_map(values)
    except KeyError as exc:
        raise UserError(
            f"status --format: unknown field {{{exc.args[0]}}} (known: {', '.join(FIELDS)})"
        ) from None
    except (ValueError, IndexError, AttributeError) as exc:
        raise UserError(f"status --format: {exc} (write a literal brace as {{{{ or }}}})") from None


def status_dict(
    settings: ReminderSettings, state: ReminderState, snapshot: ReminderSnapshot
) -> dict[str, Any]:
    """What ``--json`` prints."""
    return {
        "due": state.due is not None,
        "due_at": _iso(state.due.due_at) if state.due else None,
        "next_due": _iso(state.next_due),
        "routine": settings.routine,
        "streak": snapshot.streak,
        "today_seconds": round(snapshot.today_seconds),
        "snoozed_until": _iso(state.snoozed_until),
        "skips_left": skips_left(settings, snapshot.skips_today),
        "enabled": settings.enabled,
    }


def add_parser(sub: Any) -> None:
    """Register the subcommand with the full parser (``--help`` lists it; ``cli.entry`` normally
    runs ``main`` directly)."""
    parser = sub.add_parser("status", help="one line for a tmux status bar or prompt: what is due")
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.add_argument("--format", metavar="TEXT", help="your own line with {named} fields")
    parser.set_defaults(func=run)


def run(args: Any) -> int:
    """The full parser's way in."""
    argv = ["--json"] if args.json else []
    if args.format is not None:
        argv += ["--format", args.format]
    return main(argv)
