"""The ``csv`` exporter: one row per session, written as the records stream in.

Spreadsheet-friendly choices: a header row; UTF-8 with a byte-order mark (so Excel reads
accented notes right); ``\\r\\n`` line ends (RFC 4180); times as ``YYYY-MM-DD HH:MM:SS`` in
the session's own local offset (given in ``utc_offset``), which spreadsheets parse as dates;
durations in seconds and in minutes; empty cells for absent values. A text cell that starts
with ``=``, ``+``, ``-``, ``@`` or a tab gets a leading ``'`` so a note is never run as a
formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any, BinaryIO

from psoas_tui.api import SessionRecord

COLUMNS = (
    "session_id",
    "date",
    "started_at",
    "ended_at",
    "utc_offset",
    "routine_id",
    "routine_title",
    "routine_source",
    "status",
    "planned_seconds",
    "done_seconds",
    "done_minutes",
    "segments_done",
    "left_seconds",
    "right_seconds",
    "feeling_before",
    "feeling_after",
    "tightness_left",
    "tightness_right",
    "note",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


def _offset(value: datetime) -> str:
    offset = value.strftime("%z")  # "+0100", or "" when naive
    return f"{offset[:3]}:{offset[3:]}" if offset else ""


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def _optional(value: Any) -> str:
    return "" if value is None else str(value)


def csv_row(record: SessionRecord) -> list[str]:
    """The cells of one session, in ``COLUMNS`` order."""
    checkin = record.checkin
    ended = record.ended_at.astimezone(record.started_at.tzinfo) if record.ended_at else None
    if ended is not None and record.started_at.tzinfo is None:
        ended = record.ended_at
    return [
        record.id,
        record.started_at.strftime("%Y-%m-%d"),
        _time(record.started_at),
        _time(ended),
        _offset(record.started_at),
        record.routine_id,
        _text(record.routine_title),
        record.routine_source,
        str(record.status),
        str(record.planned_seconds),
        _number(record.done_seconds),
        f"{record.done_seconds / 60:.1f}",
        str(record.segments_done),
        _number(record.left_seconds),
        _number(record.right_seconds),
        _optional(checkin.feeling_before if checkin else None),
        _optional(checkin.feeling_after if checkin else None),
        _optional(checkin.tightness_left if checkin else None),
        _optional(checkin.tightness_right if checkin else None),
        _text(checkin.note) if checkin and checkin.note else "",
    ]


def write_csv(records: Iterable[SessionRecord], stream: BinaryIO) -> None:
    """Write a header row, then one row per record as each arrives."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow(csv_row(record))
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open
