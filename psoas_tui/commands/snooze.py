"""``psoas-tui snooze [DURATION]``: hide reminders for a while (default: the ``snooze`` setting)."""

from __future__ import annotations

import argparse

from psoas_tui.errors import UserError


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("snooze", help="hide the due stretch reminder for a while (default 15m)")
    parser.add_argument("duration", nargs="?", help='how long, e.g. "10m" (default: the snooze setting)')
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, *, now: object = None) -> int:
    """Record the snooze and print one line."""
    from psoas_tui import paths
    from psoas_tui.config import load_settings
    from psoas_tui.history.store import HistoryStore
    from psoas_tui.reminder_answers import snooze, wake_remind
    from psoas_tui.reminder_runtime import system_now
    from psoas_tui.reminders.durations import parse_duration

    settings = load_settings().reminders
    seconds = settings.snooze
    if args.duration is not None:
        try:
            seconds = parse_duration(args.duration)
        except ValueError as exc:
            raise UserError(f"snooze: DURATION {exc}") from None
    clock = now or system_now
    with HistoryStore.open(now=clock) as store:  # type: ignore[arg-type]
        print(snooze(store, settings, seconds, store.now()))
    wake_remind(paths.data_dir())
    return 0
