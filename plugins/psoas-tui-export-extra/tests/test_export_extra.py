"""The csv and ics exporters: right content, spreadsheet/calendar friendly, and streaming."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import psoas_tui_export_extra
from icalendar import Calendar
from psoas_tui_export_extra.calendar_ics import write_ics
from psoas_tui_export_extra.spreadsheet import COLUMNS, write_csv

from psoas_tui.api import CheckIn, Exporter, SessionRecord, SessionStatus, build_plugin_host

PARIS = timezone(timedelta(hours=1))


def record(n: int, **changes: object) -> SessionRecord:
    start = datetime(2026, 11, 20, 8, 0, tzinfo=PARIS) + timedelta(days=n)
    values: dict[str, object] = {
        "id": f"session-{n}",
        "routine_id": "desk-break",
        "routine_title": "Two-minute desk break",
        "routine_source": "builtin",
        "started_at": start,
        "planned_seconds": 120,
        "status": SessionStatus.COMPLETED,
        "ended_at": start + timedelta(seconds=125),
        "done_seconds": 120.0,
        "segments_done": 6,
        "left_seconds": 40.0,
        "right_seconds": 40.0,
        "checkin": CheckIn(feeling_before=4, feeling_after=7, tightness_left=5, note="Ça va mieux"),
    }
    values.update(changes)
    return SessionRecord(**values)  # type: ignore[arg-type]


class Watched:
    """Yields records and checks that the writer wrote each one before asking for the next."""

    def __init__(self, stream: io.BytesIO, records: list[SessionRecord]) -> None:
        self.stream = stream
        self.records = records
        self.sizes: list[int] = []

    def __iter__(self) -> Iterator[SessionRecord]:
        for item in self.records:
            self.sizes.append(len(self.stream.getvalue()))
            yield item
        self.sizes.append(len(self.stream.getvalue()))


def test_plugin_offers_csv_and_ics_beside_the_builtins() -> None:
    host = build_plugin_host(entry_points=False, extra=[("export-extra", psoas_tui_export_extra)])
    exporters = {e.name: (p, e) for p, e in host.exporters()}
    assert exporters["csv"][0] == "export-extra"
    assert exporters["ics"][0] == "export-extra"
    assert exporters["csv"][1].suffix == ".csv" and exporters["ics"][1].suffix == ".ics"
    assert all(isinstance(e, Exporter) for _p, e in exporters.values())
    assert host.infos["export-extra"].contributions["exporters"] == ["csv", "ics"]
    assert host.failures == []


def test_csv_has_a_header_and_one_row_per_session() -> None:
    out = io.BytesIO()
    write_csv([record(0), record(1, checkin=None, status=SessionStatus.STOPPED, ended_at=None)], out)
    raw = out.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets then read UTF-8 right
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 2
    first, second = rows
    assert first["session_id"] == "session-0"
    assert first["date"] == "2026-11-20"
    assert first["started_at"] == "2026-11-20 08:00:00"
    assert first["ended_at"] == "2026-11-20 08:02:05"
    assert first["utc_offset"] == "+01:00"
    assert first["done_seconds"] == "120" and first["done_minutes"] == "2.0"
    assert first["feeling_before"] == "4" and first["tightness_right"] == ""
    assert first["note"] == "Ça va mieux"
    assert second["status"] == "stopped"
    assert second["ended_at"] == "" and second["note"] == "" and second["feeling_after"] == ""


def test_csv_never_lets_a_note_become_a_formula() -> None:
    out = io.BytesIO()
    write_csv([record(0, checkin=CheckIn(note='=HYPERLINK("http://x")'))], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
    assert row["note"] == "'=HYPERLINK(\"http://x\")"


def test_csv_streams_and_leaves_the_stream_open() -> None:
    out = io.BytesIO()
    watched = Watched(out, [record(n) for n in range(3)])
    write_csv(watched, out)
    assert not out.closed
    assert watched.sizes[0] > 0  # the header went out before the first record was read
    assert watched.sizes == sorted(set(watched.sizes))  # each row written before the next is read


def test_csv_of_an_empty_history_is_just_the_header() -> None:
    out = io.BytesIO()
    write_csv([], out)
    assert out.getvalue().decode("utf-8-sig") == ",".join(COLUMNS) + "\r\n"


def test_ics_has_one_event_per_session_with_the_session_id_as_uid() -> None:
    out = io.BytesIO()
    write_ics([record(0), record(1, ended_at=None, done_seconds=30.0, checkin=None)], out)
    calendar = Calendar.from_ical(out.getvalue())
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["session-0", "session-1"]
    first, second = events
    assert first.decoded("dtstart") == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    assert first.decoded("dtend") == datetime(2026, 11, 20, 7, 2, 5, tzinfo=UTC)
    assert str(first["summary"]) == "Two-minute desk break"
    text = str(first["description"])
    assert "Status: completed" in text and "Feeling after: 7/10" in text and "Note: Ça va mieux" in text
    # No end time: the event lasts at least a minute so calendars show it.
    assert second.decoded("dtend") - second.decoded("dtstart") == timedelta(minutes=1)
    assert str(calendar["prodid"]).startswith("-//psoas-tui//")


def test_ics_streams_event_by_event() -> None:
    out = io.BytesIO()
    watched = Watched(out, [record(n) for n in range(3)])
    write_ics(watched, out)
    assert watched.sizes == sorted(set(watched.sizes))
    assert out.getvalue().endswith(b"END:VCALENDAR\r\n")
    assert out.getvalue().count(b"BEGIN:VEVENT") == 3


def test_ics_of_an_empty_history_is_a_valid_empty_calendar() -> None:
    out = io.BytesIO()
    write_ics([], out)
    assert Calendar.from_ical(out.getvalue()).walk("VEVENT") == []
