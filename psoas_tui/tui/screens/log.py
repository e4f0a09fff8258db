"""The log screen: streaks and the weekly goal, a 12-week calendar, the feeling trend, and every
session in a paged table (Enter for the details, ``e`` to export).

Nothing here touches SQLite on the app thread: the store is opened, the first page read and the
stats computed by one thread worker, and later pages by the table's own worker, so the first
frame is painted at once with "Loading…" placeholders, however long the history is.
The table never holds more than one page of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Sparkline, Static
from textual.worker import Worker, WorkerState

from psoas_tui.text import done_of_planned, plural, safe
from psoas_tui.tui.screens.base import PsoasScreen
from psoas_tui.tui.widgets.footer import FittingFooter
from psoas_tui.tui.widgets.heatmap import CalendarHeatmap, blank_weeks
from psoas_tui.tui.widgets.paged_table import Page, PagedTable, fetch_page, page_label

if TYPE_CHECKING:
    from psoas_tui.history.stats import Stats
    from psoas_tui.model import SessionRecord

NARROW = 64  # below this many columns the log is "-narrow": the trend beside the heatmap goes
PAGE_SIZE = 100
NOTE_WIDTH = 28
TITLE_WIDTH = 24
FIXED_WIDTHS: dict[str, int] = {"when": 16, "status": 11, "feeling": 7, "time": 11}
"""Columns whose content has a known width; routine and note share what is left."""
MIN_TITLE_WIDTH = 12
MAX_TITLE_WIDTH = 40
MIN_NOTE_WIDTH = 8
NARROW_WHEN_WIDTH = 11
"""The start without its year (``11-23 18:05``), when the table is too narrow for every column."""
MIN_NARROW_TITLE_WIDTH = 8
STATUS_STYLES: dict[str, str] = {
    "completed": "green",
    "stopped": "yellow",
    "interrupted": "red",
    "running": "bold",
}
COLUMNS: tuple[tuple[str, str], ...] = (
    ("when", "When"),
    ("routine", "Routine"),
    ("status", "Status"),
    ("feeling", "Feeling"),
    ("time", "Done/plan"),
    ("note", "Note"),
)


def when_text(record: SessionRecord, width: int = FIXED_WIDTHS["when"]) -> str:
    """The start in the session's own local time: ``2026-11-23 07:41`` (``11-23 07:41`` when
    ``width`` leaves no room for the year)."""
    return record.started_at.strftime("%Y-%m-%d %H:%M" if width >= 16 else "%m-%d %H:%M")


def feeling_text(record: SessionRecord) -> str:
    """``4→7``, ``?→7``, or ``-`` without a check-in."""
    c = record.checkin
    if c is None or (c.feeling_before is None and c.feeling_after is None):
        return "-"
    before = "?" if c.feeling_before is None else str(c.feeling_before)
    after = "?" if c.feeling_after is None else str(c.feeling_after)
    return f"{before}\u2192{after}"


def one_line(text: str, width: int) -> str:
    """``text``'s first line, control characters blanked, cut to ``width`` with an ellipsis."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    first = "".join(ch if ch.isprintable() else " " for ch in first)
    return first if len(first) <= width else first[: width - 1] + "\u2026"


def column_widths(available: int, cell_padding: int = 1) -> dict[str, int]:
    """Every column's width for a table ``available`` cells wide (scrollbar excluded).

    The fixed columns keep their width; the routine gets a bit over half of the rest (12 to
    40 cells) and the note what remains (at least 8). Below about 78 cells the note is left
    out (width 0; Enter shows it) and the date loses its year, so that every other column
    still fits at 60 columns; narrower still, the minimums win and the table scrolls sideways.
    """
    padding = 2 * cell_padding * len(COLUMNS)
    free = available - sum(FIXED_WIDTHS.values()) - padding
    if free < MIN_TITLE_WIDTH + MIN_NOTE_WIDTH:
        narrow = {**FIXED_WIDTHS, "when": NARROW_WHEN_WIDTH}
        title = available - sum(narrow.values()) - 2 * cell_padding * (len(COLUMNS) - 1)
        if title >= MIN_NARROW_TITLE_WIDTH:
            return {**narrow, "routine": min(MAX_TITLE_WIDTH, title), "note": 0}
    title = min(MAX_TITLE_WIDTH, max(MIN_TITLE_WIDTH, free * 55 // 100))
    note = max(MIN_NOTE_WIDTH, free - title)
    return {**FIXED_WIDTHS, "routine": title, "note": note}


def session_cells(record: SessionRecord, widths: dict[str, int] | None = None) -> tuple[Text, ...]:
    """One table row, the routine and note cut to ``widths`` with an ellipsis. Every cell is a
    ``Text`` so routine titles and notes are never markup."""
    widths = widths or {}
    status = str(record.status)
    note = record.checkin.note if record.checkin else ""
    return (
        Text(when_text(record, widths.get("when", FIXED_WIDTHS["when"]))),
        Text(one_line(record.routine_title or record.routine_id, widths.get("routine", TITLE_WIDTH))),
        Text(status, style=STATUS_STYLES.get(status, "")),
        Text(feeling_text(record), justify="center"),
        Text(done_of_planned(record.done_seconds, record.planned_seconds), justify="right"),
        Text(one_line(note, widths.get("note", NOTE_WIDTH))),
    )


def stats_line(stats: Stats) -> Text:
    """``Streak 3 days (longest 12) · This week 2/3 days · 45 min · 1,234 sessions``."""
    text = Text()
    text.append("Streak ", style="bold")
    text.append(plural(stats.current_streak, "day"))
    text.append(f" (longest {stats.longest_streak})")
    text.append("  ·  ")
    text.append("This week ", style="bold")
    text.append(f"{stats.week_days_done}/{plural(stats.weekly_goal, 'day')}")
    if stats.week_goal_met:
        text.append(" \u2713 goal met", style="green")
    text.append(f", {stats.week_minutes:.0f} min")
    text.append("  ·  ")
    text.append(plural(stats.total_sessions, "session"))
    return text


REMINDER_KINDS = ("shown", "snoozed", "skipped", "followed")


def reminder_line(stats: Stats) -> Text | None:
    """``Reminders (all/7 days)  shown 5/3 · snoozed 2/1 · skipped 1/0 · followed 2/1``,
    or ``None`` when no reminder was ever recorded."""
    counts = stats.reminders or {}
    all_time = counts.get("all_time", {})
    recent = counts.get("last_7_days", {})
    if not any(all_time.get(kind, 0) for kind in REMINDER_KINDS):
        return None
    text = Text()
    text.append("Reminders", style="bold")
    text.append(" (all/7 days)  ")
    text.append(" · ".join(
        f"{kind} {all_time.get(kind, 0)}/{recent.get(kind, 0)}" for kind in REMINDER_KINDS
    ))
    return text


def feeling_series(stats: Stats) -> list[float]:
    """The "after" feeling of each day with a check-in, oldest first."""
    return [after for _day, _before, after in stats.feeling_trend if after is not None]


def trend_text(stats: Stats) -> Text:
    """Average feeling before → after, and tightness per side, over the calendar's weeks."""

    def mean(values: Sequence[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return sum(present) / len(present) if present else None

    def show(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    text = Text()
    if not stats.feeling_trend:
        text.append("No check-ins in the last 12 weeks.", style="dim")
        return text
    before = mean([b for _d, b, _a in stats.feeling_trend])
    after = mean([a for _d, _b, a in stats.feeling_trend])
    text.append(f"avg before {show(before)} \u2192 after {show(after)}")
    if stats.tightness_trend:
        left = mean([left for _d, left, _r in stats.tightness_trend])
        right = mean([right for _d, _l, right in stats.tightness_trend])
        text.append(f"\ntightness L {show(left)}  R {show(right)}")
    return text


class StoreSource:
    """Pages of sessions from the history store, newest first."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def count(self) -> int:
        """How many sessions there are."""
        return int(self.store.count())

    def fetch(self, offset: int, limit: int) -> list[SessionRecord]:
        """One page, newest first."""
        return list(self.store.page(offset, limit))


class LogScreen(PsoasScreen[None]):
    """Progress and every logged session."""

    TITLE = "Log"
    AUTO_FOCUS = "#log-table"

    CSS_PATH = "log.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (NARROW, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="log_back"),
        Binding("e", "export", "Export", id="log_export"),
        Binding("r", "reload", "Reload", id="log_reload", show=False),
    ]

    def __init__(self, *, today: date | None = None, page_size: int = PAGE_SIZE) -> None:
        """``today`` fixes the date stats are computed for (tests); default: the real today."""
        super().__init__()
        self.today = today
        self.page_size = page_size
        self.stats: Stats | None = None
        self._store: Any = None
        self._widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading your history\u2026", id="log-stats", markup=False)
        with Horizontal(id="log-top"):
            yield CalendarHeatmap(blank_weeks(self.today or date.today()), self.today, id="log-heatmap")
            with Vertical(id="log-trend"):
                yield Static("Feeling after a session", id="log-trend-title", markup=False)
                yield Sparkline([], id="log-sparkline")
                yield Static("", id="log-trend-text", markup=False)
        cells = lambda record: session_cells(record, self._widths)  # noqa: E731 - reads the current widths
        yield PagedTable(COLUMNS, cells, page_size=self.page_size, id="log-table")
        yield Static("", id="log-page", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        # After the first frame: the worker's Python (stats) would otherwise hold the GIL
        # while that frame is being drawn.
        self.load()

    def on_resize(self) -> None:
        """Fit the table's columns to the width (``-narrow`` comes from the breakpoints)."""
        table = self.query_one("#log-table", PagedTable)
        available = self.size.width - table.styles.scrollbar_size_vertical
        widths = column_widths(available, table.cell_padding)
        if widths != self._widths:
            self._widths = widths
            table.set_column_widths(widths)

    def load(self) -> None:
        """Open the store, read the first page and compute the stats in one thread worker (the
        frame is painted meanwhile); both are shown together, in one repaint.

        One worker, not three: each hand-over between threads cost a frame or so, and a stats
        worker running while the app thread drew the table only slowed both down.
        """
        ctx = self.ctx
        weekly_goal = ctx.settings.weekly_goal
        today = self.today
        size = self.page_size

        def read() -> tuple[StoreSource, Page[SessionRecord], Stats | BaseException]:
            source = StoreSource(ctx.store)
            page = fetch_page(source, 0, size)
            try:
                from psoas_tui.history.stats import compute_stats

                stats: Stats | BaseException = compute_stats(
                    source.store, weekly_goal=weekly_goal, today=today
                )
            except Exception as exc:  # the table still shows; the header says what went wrong
                stats = exc
            return source, page, stats

        self.run_worker(read, thread=True, group="open", exclusive=True, exit_on_error=False)

    def action_reload(self) -> None:
        """Read everything again."""
        self.load()

    def action_export(self) -> None:
        """Open the export dialog."""
        from psoas_tui.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(today=self.today))

    # -- results ---------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "open":
            return
        if event.state is WorkerState.SUCCESS:
            source, page, stats = event.worker.result
            self._store = source.store
            self.query_one("#log-table", PagedTable).show_loaded(source, page)
            if isinstance(stats, BaseException):
                self._history_error(stats)
            else:
                self.show_stats(stats)
        elif event.state is WorkerState.ERROR and event.worker.error is not None:
            self._history_error(event.worker.error)

    def _history_error(self, error: BaseException) -> None:
        message = Text(f"Could not read the history: {safe(error)}", style="red")
        self.query_one("#log-stats", Static).update(message)

    def show_stats(self, stats: Stats) -> None:
        """Fill the header, calendar and trend."""
        self.stats = stats
        header = stats_line(stats)
        reminders = reminder_line(stats)
        if reminders is not None:
            header.append("\n")
            header.append_text(reminders)
        self.query_one("#log-stats", Static).update(header)
        self.query_one("#log-heatmap", CalendarHeatmap).set_data(stats.calendar, stats.today)
        self.query_one("#log-sparkline", Sparkline).data = feeling_series(stats)
        self.query_one("#log-trend-text", Static).update(trend_text(stats))

    def on_paged_table_page_changed(self, event: PagedTable.PageChanged) -> None:
        page = event.page
        hint = " · n/p or PgDn/PgUp for pages"
        self.query_one("#log-page", Static).update(page_label(page.index, page.pages, page.total) + hint)

    def on_paged_table_load_failed(self, event: PagedTable.LoadFailed) -> None:
        message = Text(f"Could not read sessions: {safe(event.error)}", style="red")
        self.query_one("#log-page", Static).update(message)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        table = self.query_one("#log-table", PagedTable)
        record = table.current_item
        if record is not None:
            from psoas_tui.tui.screens.session_detail import SessionDetailScreen

            self.app.push_screen(SessionDetailScreen(record))
