"""``psoas-tui history``: the session log as a table (or ``--json``), newest first."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date
from typing import Any

from psoas_tui.commands.common import table
from psoas_tui.errors import UserError
from psoas_tui.model import SessionRecord
from psoas_tui.text import done_of_planned, format_seconds, json_text, plural, safe

DAY_WORDS = "today, yesterday or tomorrow"
MAX_LIMIT = 2**62  # more sessions than any history holds; SQLite's LIMIT takes 64-bit numbers


def day_arg(text: str) -> date:
    """An argparse type: ``YYYY-MM-DD``, ``today``, ``yesterday`` or ``tomorrow``."""
    from datetime import timedelta

    today = date.today()
    special = {"today": today, "yesterday": today - timedelta(days=1), "tomorrow": today + timedelta(days=1)}
    if text.lower() in special:
        return special[text.lower()]
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD, {DAY_WORDS}): {text!r}") from None


def add_range_arguments(parser: argparse.ArgumentParser) -> None:
    """``--since`` and ``--until`` (local calendar days, both included)."""
    parser.add_argument("--since", type=day_arg, metavar="DATE",
                        help=f"from this day (YYYY-MM-DD, {DAY_WORDS})")
    parser.add_argument("--until", type=day_arg, metavar="DATE",
                        help=f"up to this day, included (YYYY-MM-DD, {DAY_WORDS})")


def check_range(args: argparse.Namespace) -> None:
    """A ``UserError`` when ``--since`` comes after ``--until``."""
    if args.since and args.until and args.since > args.until:
        raise UserError(f"--since {args.since} is after --until {args.until}")


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser(
        "history", help="list logged sessions, newest first (date, routine, status, time, check-in)"
    )
    add_range_arguments(parser)
    parser.add_argument("--limit", type=positive_int, default=None, metavar="N",
                        help="only the newest N sessions (N >= 1)")
    parser.add_argument("--json", action="store_true", help="print a JSON list of sessions")
    parser.set_defaults(func=run)


def session_json(record: SessionRecord) -> dict[str, Any]:
    """A session for ``--json``: every field, ``null`` when absent, times in ISO 8601."""
    from psoas_tui.history.export import jsonable, record_to_dict

    data = record_to_dict(record)
    data.setdefault("ended_at", None)
    data.setdefault("checkin", None)
    return jsonable(data)


def _records(store: Any, args: argparse.Namespace) -> Iterable[SessionRecord]:
    """The sessions asked for, newest first."""
    if args.limit is not None:
        return store.page(0, min(args.limit, MAX_LIMIT), since=args.since, until=args.until)
    return store.iter_sessions(args.since, args.until, newest_first=True)


def _when(record: SessionRecord) -> str:
    """The start as the clock read where the session took place (its own UTC offset), as the
    app's log shows it: the same day that ``--since``/``--until`` and the order go by."""
    return record.started_at.strftime("%Y-%m-%d %H:%M")


def _pair(first: int | None, second: int | None, template: str) -> str:
    """Two ratings in ``template`` (``"{}->{}"``), ``?`` for a missing one (``?->7``, ``L? R3``;
    a ``-`` read as ``-->7``); empty when both are missing."""
    if first is None and second is None:
        return ""
    return template.format(*("?" if v is None else str(v) for v in (first, second)))


def _feeling(record: SessionRecord) -> str:
    c = record.checkin
    return _pair(c.feeling_before, c.feeling_after, "{}->{}") if c else ""


def _tightness(record: SessionRecord) -> str:
    c = record.checkin
    return _pair(c.tightness_left, c.tightness_right, "L{} R{}") if c else ""


def _note(record: SessionRecord, width: int = 40) -> str:
    note = record.checkin.note if record.checkin else ""
    flat = " ".join(note.split())  # newlines and tabs never break the table
    flat = "".join(ch if ch.isprintable() else "?" for ch in flat)
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def row(record: SessionRecord) -> list[str]:
    """One table row."""
    return [
        _when(record),
        safe(record.routine_title or record.routine_id),
        record.status.value,
        done_of_planned(record.done_seconds, record.planned_seconds),
        _feeling(record),
        _tightness(record),
        _note(record),
    ]


HEADERS = ["STARTED", "ROUTINE", "STATUS", "TIME", "FEEL", "TIGHT", "NOTE"]


def _print_json(records: Iterable[SessionRecord]) -> None:
    out = sys.stdout
    out.write("[")
    count = 0
    try:
        for count, record in enumerate(records, 1):
            out.write(",\n  " if count > 1 else "\n  ")
            out.write(json_text(session_json(record)))
    finally:
        close = getattr(records, "close", None)
        if close is not None:  # the cursor goes while the store is still open
            close()
    out.write("\n]\n" if count else "]\n")
    out.flush()


def report_problems(store: Any) -> None:
    """One stderr line for each stored row the store had to leave out (odd values)."""
    for problem in getattr(store, "problems", []):
        print(f"psoas-tui: {safe(problem)}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Print the log."""
    from psoas_tui.history.store import HistoryStore

    check_range(args)
    with HistoryStore.open(create=False) as store:
        if args.json:
            _print_json(_records(store, args))  # a closed pipe: see psoas_tui.output
            report_problems(store)
            return 0
        rows, seconds = [], 0.0
        for record in _records(store, args):
            rows.append(row(record))
            seconds += record.done_seconds
        report_problems(store)
    if not rows:
        print("No sessions in that range." if args.since or args.until else "No sessions logged yet.")
        return 0
    print(table(rows, HEADERS))
    print(f"\n{plural(len(rows), 'session')}, {format_seconds(seconds)} practised", flush=True)
    return 0
