"""A ``DataTable`` that shows a very long list one page at a time.

Only the current page's rows are ever mounted (``page_size``, 100 by default), so the table is
as fast with 100,000 items as with ten. Pages come from a ``PageSource`` (a count and an
``offset, limit`` fetch) called in a thread worker, so a slow query never blocks a frame.
PageDown / ``n`` and PageUp / ``p`` move between pages, ``ctrl+home`` / ``ctrl+end`` go to the
first and last page; up/down move within the page and roll over to the next or previous page
at its edges. A ``PagedTable.PageChanged`` message says which page is shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from psoas_tui.text import plural

R = TypeVar("R")


class PageSource(Protocol[R]):  # type: ignore[misc]
    """Where pages come from. Both methods are called from a worker thread."""

    def count(self) -> int:
        """How many items there are in all."""

    def fetch(self, offset: int, limit: int) -> Sequence[R]:
        """Items ``offset`` to ``offset + limit`` (fewer at the end)."""


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    """One loaded page: its index (0-based), the total item count and the items."""

    index: int
    total: int
    items: Sequence[R]
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one, even when empty)."""
        return max(1, math.ceil(self.total / self.page_size))


def page_label(index: int, pages: int, total: int, noun: str = "session", nouns: str = "") -> str:
    """``page 3 of 1,000 · 100,000 sessions`` (``1 session`` for one)."""
    return f"page {index + 1:,} of {pages:,} · {plural(total, noun, nouns or None)}"


def fetch_page(source: PageSource[R], index: int, size: int) -> Page[R]:
    """Page ``index`` of ``source`` (clamped to the pages there are). Call it off the app thread."""
    total = source.count()
    pages = max(1, math.ceil(total / size))
    page_index = min(max(index, 0), pages - 1)
    return Page(page_index, total, list(source.fetch(page_index * size, size)), size)


class TableMessage(Message):
    """A message about one ``PagedTable`` (its ``control``, for ``@on(..., "#id")``)."""

    def __init__(self, table: PagedTable[Any]) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> PagedTable[Any]:
        """The table the message is about."""
        return self.table


class PagedTable(DataTable[Any], Generic[R]):
    """A table over a ``PageSource``; ``row_cells(item)`` turns an item into a row's cells."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Details", id="table_open"),
        Binding("pagedown,n", "next_page", "Next page", show=False, id="table_next_page"),
        Binding("pageup,p", "previous_page", "Prev page", show=False, id="table_previous_page"),
        Binding("ctrl+home", "first_page", "First page", show=False, id="table_first_page"),
        Binding("ctrl+end", "last_page", "Last page", show=False, id="table_last_page"),
    ]

    class PageChanged(TableMessage):
        """A new page is on screen."""

        def __init__(self, table: PagedTable[Any], page: Page[Any]) -> None:
            super().__init__(table)
            self.page = page

    class LoadFailed(TableMessage):
        """Loading a page raised; ``error`` says why."""

        def __init__(self, table: PagedTable[Any], error: BaseException) -> None:
            super().__init__(table)
            self.error = error

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        row_cells: Callable[[R], Sequence[Any]],
        *,
        page_size: int = 100,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``columns`` are ``(key, label)`` pairs; ``row_cells(item)`` returns the cells."""
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.page_size = page_size
        self._column_spec = tuple(columns)
        self._row_cells = row_cells
        self._source: PageSource[R] | None = None
        self.page: Page[R] | None = None
        self._wanted = 0
        self._cursor_after_load: int | None = None
        self._widths: dict[str, int] = {}

    def on_mount(self) -> None:
        self._add_columns()

    def _shown_columns(self) -> list[int]:
        """The indexes of the columns shown (a width of 0 leaves a column out)."""
        return [i for i, (key, _label) in enumerate(self._column_spec) if self._widths.get(key) != 0]

    def _add_columns(self) -> None:
        for index in self._shown_columns():
            key, label = self._column_spec[index]
            self.add_column(label, key=key, width=self._widths.get(key))

    def set_column_widths(self, widths: dict[str, int]) -> None:
        """Fix the columns' widths (``row_cells`` should cut cells to fit) and redraw the page.

        Columns missing from ``widths`` size to their content; a width of 0 leaves the column
        out. Only the current page's rows are
        rebuilt, so this is cheap enough to call on every resize.
        """
        if widths == self._widths:
            return
        self._widths = dict(widths)
        if not self.is_mounted:
            return
        cursor = self.cursor_row
        self.clear(columns=True)
        self._add_columns()
        if self.page is not None:
            self._add_rows(self.page.items)
            if self.page.items:
                self.move_cursor(row=min(cursor, len(self.page.items) - 1), animate=False, scroll=True)

    def _add_rows(self, items: Sequence[R]) -> None:
        shown = self._shown_columns()
        for number, item in enumerate(items):
            cells = self._row_cells(item)
            self.add_row(*(cells[index] for index in shown), key=str(number))

    # -- loading ---------------------------------------------------------------------------
    @property
    def items(self) -> Sequence[R]:
        """The items on the current page."""
        return self.page.items if self.page is not None else ()

    @property
    def current_item(self) -> R | None:
        """The item under the cursor."""
        items = self.items
        row = self.cursor_row
        return items[row] if 0 <= row < len(items) else None

    def show_loaded(self, source: PageSource[R], page: Page[R]) -> None:
        """Show ``source`` starting with ``page``, already fetched (by ``fetch_page``) elsewhere."""
        self._source = source
        self._wanted = page.index
        self._cursor_after_load = 0
        self.show_page(page)

    def load(self, index: int, *, cursor: int | None = 0) -> Worker[Page[R]]:
        """Load page ``index`` (clamped to the pages there are) in a thread worker."""
        source = self._source
        if source is None:
            raise RuntimeError("show_loaded() first")
        self._wanted = index
        self._cursor_after_load = cursor
        size = self.page_size

        def fetch() -> Page[R]:
            return fetch_page(source, index, size)

        return self.run_worker(fetch, thread=True, exclusive=True, group="page", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "page":
            return
        event.stop()
        if event.state is WorkerState.SUCCESS:
            self.show_page(event.worker.result)
        elif event.state is WorkerState.ERROR and event.worker.error is not None:
            self.post_message(self.LoadFailed(self, event.worker.error))

    def show_page(self, page: Page[R]) -> None:
        """Replace the rows with ``page`` (called on the app thread)."""
        self.page = page
        self.clear()
        self._add_rows(page.items)
        cursor = self._cursor_after_load
        if cursor is not None and page.items:
            row = len(page.items) - 1 if cursor < 0 else min(cursor, len(page.items) - 1)
            self.move_cursor(row=row, animate=False, scroll=True)
        self.post_message(self.PageChanged(self, page))

    # -- paging ----------------------------------------------------------------------------
    def _go(self, index: int, cursor: int = 0) -> None:
        if self._source is None or self.page is None:
            return
        if 0 <= index < self.page.pages and index != self.page.index:
            self.load(index, cursor=cursor)

    def action_next_page(self) -> None:
        """Show the next page."""
        if self.page is not None:
            self._go(self.page.index + 1)

    def action_previous_page(self) -> None:
        """Show the previous page."""
        if self.page is not None:
            self._go(self.page.index - 1)

    def action_first_page(self) -> None:
        """Show the first page."""
        self._go(0)

    def action_last_page(self) -> None:
        """Show the last page."""
        if self.page is not None:
            self._go(self.page.pages - 1)

    def action_cursor_down(self) -> None:
        """Down; from the last row, on to the first row of the next page."""
        if self.page is not None and self.cursor_row >= len(self.page.items) - 1:
            self._go(self.page.index + 1, cursor=0)
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Up; from the first row, back to the last row of the previous page."""
        if self.page is not None and self.cursor_row <= 0:
            self._go(self.page.index - 1, cursor=-1)
            return
        super().action_cursor_up()
