"""Progress figures computed from the history store: streaks, the weekly goal, minutes per day
and week, a 12-week calendar and the feeling / tightness trends.

Days are the local calendar days the store records for each session (the day where the person
was when it started). Weeks start on Monday. A streak counts consecutive days with at least one
``completed`` session; today without one yet does not break the current streak. Minutes count
every session's done time (stopped and interrupted ones too: that time was practised).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from psoas_tui.reminders.events import count_events

if TYPE_CHECKING:
    from psoas_tui.history.store import HistoryStore

CALENDAR_WEEKS = 12
DAYS_SHOWN = 30


@dataclass(frozen=True, slots=True)
class Stats:
    """Everything the stats view and ``psoas-tui stats`` show.

    * ``minutes_per_day``: ``(date, minutes)`` for the last 30 days, oldest first (the last 7
      are ``minutes_per_day[-7:]``).
    * ``minutes_per_week``: ``(monday, minutes)`` for the last 12 weeks, oldest first.
    * ``calendar``: 12 weeks, oldest first, each 7 ``(date, minutes)`` from Monday; days after
      today are included with 0 minutes.
    * ``feeling_trend``: ``(date, before, after)`` per day with a check-in in the last 12
      weeks (averages of that day's answers, ``None`` when not given).
    * ``tightness_trend``: ``(date, left, right)`` likewise.
    * ``reminders``: ``{"all_time": {...}, "last_7_days": {...}}``, each counting the reminder
      events ``shown``, ``snoozed``, ``skipped`` and ``followed``.
    """

    today: date
    total_sessions: int
    completed_sessions: int
    total_minutes: float
    current_streak: int
    longest_streak: int
    weekly_goal: int
    week_days_done: int
    week_minutes: float
    minutes_per_day: tuple[tuple[date, float], ...]
    minutes_per_week: tuple[tuple[date, float], ...]
    calendar: tuple[tuple[tuple[date, float], ...], ...]
    feeling_trend: tuple[tuple[date, float | None, float | None], ...]
    tightness_trend: tuple[tuple[date, float | None, float | None], ...]
    reminders: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def week_goal_met(self) -> bool:
        """True once this week has ``weekly_goal`` days with a completed session."""
        return self.week_days_done >= self.weekly_goal

    @property
    def week_start(self) -> date:
        """Monday of the current week."""
        return self.today - timedelta(days=self.today.weekday())

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (dates as ISO strings)."""
        return {
            "today": self.today.isoformat(),
            "total_sessions": self.total_sessions,
            "completed_sessions": self.completed_sessions,
            "total_minutes": round(self.total_minutes, 1),
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "weekly_goal": self.weekly_goal,
            "week_days_done": self.week_days_done,
            "week_minutes": round(self.week_minutes, 1),
            "week_goal_met": self.week_goal_met,
            "minutes_per_day": [[d.isoformat(), round(m, 1)] for d, m in self.minutes_per_day],
            "minutes_per_week": [[d.isoformat(), round(m, 1)] for d, m in self.minutes_per_week],
            "calendar": [[[d.isoformat(), round(m, 1)] for d, m in week] for week in self.calendar],
            "feeling_trend": [[d.isoformat(), b, a] for d, b, a in self.feeling_trend],
            "tightness_trend": [[d.isoformat(), left, right] for d, left, right in self.tightness_trend],
            "reminders": self.reminders,
        }


def streaks(days: list[date], today: date) -> tuple[int, int]:
    """``(current, longest)`` runs of consecutive days in sorted, distinct ``days``."""
    longest = run = 0
    previous: date | None = None
    for day in days:
        if day > today:
            break
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return current, longest


def _avg(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def compute_stats(
    store: HistoryStore,
    *,
    weekly_goal: int,
    today: date | None = None,
    tz: tzinfo | None = None,
) -> Stats:
    """The figures for ``today`` (default: today in ``tz``, else the computer's timezone)."""
    if today is None:
        today = datetime.now(tz).date() if tz is not None else datetime.now().astimezone().date()
    week_start = today - timedelta(days=today.weekday())
    first_shown = week_start - timedelta(weeks=CALENDAR_WEEKS - 1)
    first_iso = first_shown.isoformat()

    # day_totals is kept by triggers: one row per local day, so this reads ~365 rows a year.
    days = [date.fromisoformat(row[0]) for row in store.query(
        "SELECT day FROM day_totals WHERE completed > 0 ORDER BY day")]
    current, longest = streaks(days, today)

    total, completed, total_seconds = store.query(
        "SELECT TOTAL(sessions), TOTAL(completed), TOTAL(seconds) FROM day_totals"
    )[0]

    per_day: dict[date, float] = {}
    done_days: set[date] = set()
    feeling: list[tuple[date, float | None, float | None]] = []
    tightness: list[tuple[date, float | None, float | None]] = []
    for day_text, seconds, any_completed, before, after, t_left, t_right in store.query(
        "SELECT day, SUM(done_seconds), MAX(status = 'completed'), AVG(feeling_before),"
        " AVG(feeling_after), AVG(tightness_left), AVG(tightness_right)"
        " FROM sessions WHERE day >= ? GROUP BY day ORDER BY day",
        (first_iso,),
    ):
        day = date.fromisoformat(day_text)
        if day > today:
            continue
        per_day[day] = (seconds or 0.0) / 60.0
        if any_completed:
            done_days.add(day)
        if before is not None or after is not None:
            feeling.append((day, _avg(before), _avg(after)))
        if t_left is not None or t_right is not None:
            tightness.append((day, _avg(t_left), _avg(t_right)))

    calendar = tuple(
        tuple(
            (day, per_day.get(day, 0.0))
            for day in (first_shown + timedelta(weeks=w, days=d) for d in range(7))
        )
        for w in range(CALENDAR_WEEKS)
    )
    week = calendar[-1]
    return Stats(
        today=today,
        total_sessions=int(total),
        completed_sessions=int(completed),
        total_minutes=float(total_seconds) / 60.0,
        current_streak=current,
        longest_streak=longest,
        weekly_goal=weekly_goal,
        week_days_done=sum(1 for day, _m in week if day in done_days),
        week_minutes=sum(m for _d, m in week),
        minutes_per_day=tuple(
            (day, per_day.get(day, 0.0))
            for day in (today - timedelta(days=n) for n in range(DAYS_SHOWN - 1, -1, -1))
        ),
        minutes_per_week=tuple((w[0][0], sum(m for _d, m in w)) for w in calendar),
        calendar=calendar,
        feeling_trend=tuple(feeling),
        tightness_trend=tuple(tightness),
        reminders=count_events(store.query, today),
    )
