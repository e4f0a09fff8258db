"""The ``ics`` exporter: each session an iCalendar ``VEVENT``, written with ``icalendar``.

The calendar's header is written first, then each event as its record arrives (each one
serialised by ``icalendar.Event.to_ical``), then the footer, so the history is never held in
memory. Times are written in UTC (``...Z``), which every calendar reads without a
``VTIMEZONE``. ``UID`` is the session id, so importing the file again updates events instead
of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

from icalendar import Calendar, Event

from psoas_tui.api import SessionRecord

PRODID = "-//psoas-tui//psoas-tui-export-extra//EN"
CATEGORY = "Stretching"


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def description(record: SessionRecord) -> str:
    """The event's description: status, time done and the check-in."""
    lines = [
        f"Routine: {record.routine_title} ({record.routine_id})",
        f"Status: {record.status}",
        f"Done: {_minutes(record.done_seconds)} of {_minutes(record.planned_seconds)}",
    ]
    checkin = record.checkin
    if checkin is not None:
        scales = [
            ("Feeling before", checkin.feeling_before),
            ("Feeling after", checkin.feeling_after),
            ("Tightness left", checkin.tightness_left),
            ("Tightness right", checkin.tightness_right),
        ]
        lines += [f"{label}: {value}/10" for label, value in scales if value is not None]
        if checkin.note:
            lines.append(f"Note: {checkin.note}")
    return "\n".join(lines)


def session_event(record: SessionRecord) -> Event:
    """One session as a ``VEVENT``."""
    start = _utc(record.started_at)
    if record.ended_at is not None and record.ended_at > record.started_at:
        end = _utc(record.ended_at)
    else:
        end = start + timedelta(seconds=max(record.done_seconds, 60))
    event = Event()
    event.add("uid", record.id)
    event.add("dtstamp", end)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", record.routine_title)
    event.add("description", description(record))
    event.add("categories", [CATEGORY])
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a stretch does not make you busy
    return event


def _header() -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "psoas-tui sessions")
    text = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert text.endswith(end)
    return text[: -len(end)]


def write_ics(records: Iterable[SessionRecord], stream: BinaryIO) -> None:
    """Write a ``VCALENDAR`` with one ``VEVENT`` per record, streaming."""
    stream.write(_header())
    for record in records:
        stream.write(session_event(record).to_ical())
    stream.write(b"END:VCALENDAR\r\n")
