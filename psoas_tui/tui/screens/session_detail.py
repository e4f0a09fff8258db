"""One session in full: routine, times, status, progress per side and the whole check-in.

Every value is shown as plain text (``rich.text.Text``): routine titles come from plugins and
notes from people, and neither is ever read as markup. Rich drops only a few control characters
(BEL, BS, VT, FF, CR) and would pass ESC and C1 controls to the terminal, so every stored text
goes through ``psoas_tui.text.safe`` first (rows imported or written before the checks may hold them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from psoas_tui.labels import stored_source_text
from psoas_tui.text import format_seconds, safe
from psoas_tui.tui.screens.base import PsoasModal

if TYPE_CHECKING:
    from psoas_tui.model import SessionRecord

TIME_FORMAT = "%Y-%m-%d %a %H:%M:%S %z"


def _scale(value: int | None) -> str:
    return "-" if value is None else f"{value}/10"


def detail_rows(record: SessionRecord) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for every field of ``record``."""
    rows = [
        ("Routine", safe(record.routine_title or record.routine_id)),
        ("Routine id", safe(record.routine_id)),
        ("From", stored_source_text(record.routine_source)),
        ("Status", safe(record.status)),
        ("Started", record.started_at.strftime(TIME_FORMAT)),
        ("Ended", record.ended_at.strftime(TIME_FORMAT) if record.ended_at else "-"),
        ("Planned", format_seconds(record.planned_seconds)),
        ("Done", format_seconds(record.done_seconds)),
        ("Segments done", str(record.segments_done)),
        ("Left side", format_seconds(record.left_seconds)),
        ("Right side", format_seconds(record.right_seconds)),
    ]
    c = record.checkin
    if c is None:
        rows.append(("Check-in", "skipped"))
    else:
        rows.extend(
            [
                ("Feeling before", _scale(c.feeling_before)),
                ("Feeling after", _scale(c.feeling_after)),
                ("Tightness left", _scale(c.tightness_left)),
                ("Tightness right", _scale(c.tightness_right)),
                ("Note", safe(c.note, newlines=True) if c.note else "-"),
            ]
        )
    rows.append(("Session id", safe(record.id)))
    return rows


def detail_table(record: SessionRecord) -> Table:
    """A two-column Rich table of ``detail_rows`` (values as plain ``Text``)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in detail_rows(record):
        table.add_row(Text(label), Text(value))
    return table


class SessionDetailScreen(PsoasModal[None]):
    """A modal with every field of one session. Esc, Enter or q closes it."""

    CSS_PATH = "session_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="detail_close"),
    ]

    def __init__(self, record: SessionRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll(Static(detail_table(self.record), id="detail-body"), can_focus=True)
        scroll.border_title = "Session"
        yield scroll

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        """Back to the log."""
        self.dismiss(None)
