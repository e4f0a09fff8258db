"""A calendar heatmap: the last weeks as columns, Monday to Sunday as rows, shaded by minutes.

Each day is two cells of a shade character (``··`` none, ``░░`` a little … ``██`` a lot), so
the map reads the same without colour (``NO_COLOR``) as with it; colour only adds emphasis,
through the ``heatmap--level-N`` component classes. Days after ``today`` are left blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import ClassVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SHADES = ("·", "░", "▒", "▓", "█")
# A day with at least LEVEL_MINUTES[i] minutes gets shade i + 1.
LEVEL_MINUTES = (0.5, 10.0, 20.0, 30.0)
LABEL_WIDTH = 4
CELL_WIDTH = 3  # two shade characters and a space


def level_for(minutes: float) -> int:
    """The shade level (0-4) of a day with ``minutes`` of practice."""
    level = 0
    for index, threshold in enumerate(LEVEL_MINUTES):
        if minutes >= threshold:
            level = index + 1
    return level


def weeks_from_days(days: Sequence[tuple[date, float]]) -> list[list[tuple[date, float]]]:
    """Group ``(day, minutes)`` pairs into whole Monday-first weeks (missing days count 0)."""
    if not days:
        return []
    minutes = {day: value for day, value in days}
    first = min(minutes)
    last = max(minutes)
    start = first - timedelta(days=first.weekday())
    weeks: list[list[tuple[date, float]]] = []
    day = start
    while day <= last:
        week = [(day + timedelta(days=i), minutes.get(day + timedelta(days=i), 0.0)) for i in range(7)]
        weeks.append(week)
        day += timedelta(days=7)
    return weeks


def blank_weeks(today: date, weeks: int = 12) -> list[list[tuple[date, float]]]:
    """``weeks`` empty Monday-first weeks ending with ``today``'s (a placeholder while loading)."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    return [[(first + timedelta(weeks=w, days=d), 0.0) for d in range(7)] for w in range(weeks)]


class CalendarHeatmap(Widget):
    """Weeks left to right (oldest first), weekdays top to bottom, a month row and a legend."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--label",
        "heatmap--level-0",
        "heatmap--level-1",
        "heatmap--level-2",
        "heatmap--level-3",
        "heatmap--level-4",
        "heatmap--today",
    }

    DEFAULT_CSS = """
    CalendarHeatmap {
        height: 9;
        width: auto;
        min-width: 20;
    }
    CalendarHeatmap > .heatmap--label { color: $text-muted; }
    CalendarHeatmap > .heatmap--level-0 { color: $text-disabled; }
    CalendarHeatmap > .heatmap--level-1 { color: $success 45%; }
    CalendarHeatmap > .heatmap--level-2 { color: $success 65%; }
    CalendarHeatmap > .heatmap--level-3 { color: $success 85%; }
    CalendarHeatmap > .heatmap--level-4 { color: $success; }
    CalendarHeatmap > .heatmap--today { text-style: underline; }
    """

    def __init__(
        self,
        weeks: Sequence[Sequence[tuple[date, float]]] = (),
        today: date | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.weeks: list[list[tuple[date, float]]] = [list(week) for week in weeks]
        self.today = today
        self._cache_key: tuple[object, ...] | None = None
        self._rows: list[list[tuple[str, str]]] = []

    def set_data(self, weeks: Sequence[Sequence[tuple[date, float]]], today: date | None) -> None:
        """Show new calendar data (Monday-first weeks of ``(day, minutes)``)."""
        width = len(self.weeks)
        self.weeks = [list(week) for week in weeks]
        self.today = today
        self.refresh(layout=len(self.weeks) != width)

    def get_content_width(self, container: object, viewport: object) -> int:
        return LABEL_WIDTH + CELL_WIDTH * max(len(self.weeks), 1)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 9

    # -- rendering ---------------------------------------------------------------------
    def lines(self) -> list[list[tuple[str, str]]]:
        """The map as rows of ``(text, component classes)`` pieces (also used by tests)."""
        weeks = self._visible_weeks()
        rows: list[list[tuple[str, str]]] = [[] for _ in range(9)]
        rows[0] = [(" " * LABEL_WIDTH, "heatmap--label"), (self._month_row(weeks), "heatmap--label")]
        for weekday in range(7):
            row = [(f"{WEEKDAYS[weekday]:<{LABEL_WIDTH}}", "heatmap--label")]
            for week in weeks:
                day, minutes = week[weekday]
                if self.today is not None and day > self.today:
                    row.append(("   ", "heatmap--level-0"))
                    continue
                level = level_for(minutes)
                cls = f"heatmap--level-{level}"
                row.append((SHADES[level] * 2, f"{cls} heatmap--today" if day == self.today else cls))
                row.append((" ", cls))
            rows[weekday + 1] = row
        legend = [(f"{'':<{LABEL_WIDTH}}less ", "heatmap--label")]
        for level, shade in enumerate(SHADES):
            legend.append((shade * 2, f"heatmap--level-{level}"))
            legend.append((" ", "heatmap--label"))
        legend.append(("more", "heatmap--label"))
        rows[8] = legend
        return rows

    def _visible_weeks(self) -> list[list[tuple[date, float]]]:
        width = self.size.width or self.get_content_width(None, None)
        fit = max(1, (width - LABEL_WIDTH) // CELL_WIDTH)
        return self.weeks[-fit:]

    @staticmethod
    def _month_row(weeks: Sequence[Sequence[tuple[date, float]]]) -> str:
        """Month names above the week in which each month starts."""
        text = [" "] * (CELL_WIDTH * len(weeks))
        last_month = None
        for index, week in enumerate(weeks):
            month = week[0][0].month
            for day, _minutes in week:
                if day.day == 1:
                    month = day.month
            if month != last_month:
                name = date(2000, month, 1).strftime("%b")
                start = index * CELL_WIDTH
                if start + len(name) <= len(text) and all(c == " " for c in text[max(0, start - 1) : start]):
                    text[start : start + len(name)] = list(name)
                last_month = month
        return "".join(text).rstrip()

    def render_line(self, y: int) -> Strip:
        key = (self.size.width, id(self.weeks), self.today)
        if self._cache_key != key:
            self._cache_key, self._rows = key, self.lines()
        rows = self._rows
        if not 0 <= y < len(rows):
            return Strip.blank(self.size.width)
        base = self.rich_style
        segments = []
        for text, classes in rows[y]:
            if text:
                style = base + self.get_component_rich_style(*classes.split())
                segments.append(Segment(text, style))
        return Strip(segments).adjust_cell_length(self.size.width, base)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache_key = None
