"""psoas-tui-export-extra: ``csv`` and ``ics`` export formats for the session history.

``icalendar`` is imported only when an ``ics`` export runs, so listing exporters stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable

from psoas_tui.api import Exporter, hookimpl
from psoas_tui_export_extra.spreadsheet import write_csv

__version__ = "0.1.0"


def _write_ics(records: Iterable, stream) -> None:  # type: ignore[no-untyped-def]
    from psoas_tui_export_extra.calendar_ics import write_ics

    write_ics(records, stream)


@hookimpl
def psoas_tui_exporters() -> Iterable[Exporter]:
    """The ``csv`` and ``ics`` exporters."""
    return [
        Exporter(
            name="csv",
            suffix=".csv",
            title="CSV (spreadsheet)",
            write=write_csv,
            description="One row per session with a header row; UTF-8 with a BOM so spreadsheet "
            "programs read accents right, local times as YYYY-MM-DD HH:MM:SS.",
        ),
        Exporter(
            name="ics",
            suffix=".ics",
            title="iCalendar",
            write=_write_ics,
            description="Each session as a calendar event (UID = session id), for calendar apps.",
        ),
    ]
