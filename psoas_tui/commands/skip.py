"""``psoas-tui skip``: answer the due reminder without stretching (within ``max_skips_per_day``)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("skip", help="skip the due stretch reminder (restarts the interval)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, *, now: object = None) -> int:
    """Record the skip and print one line; at the daily limit, refuse (exit status 2)."""
    from psoas_tui import paths
    from psoas_tui.config import load_settings
    from psoas_tui.history.store import HistoryStore
    from psoas_tui.reminder_answers import skip, wake_remind
    from psoas_tui.reminder_runtime import system_now

    settings = load_settings().reminders
    with HistoryStore.open(now=now or system_now) as store:  # type: ignore[arg-type]
        print(skip(store, settings, store.now()))
    wake_remind(paths.data_dir())
    return 0
