"""Stats from a real store: streaks, weekly goal, minutes, the 12-week calendar, trends."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from history_helpers import make_record, open_store

from psoas_tui.history.stats import CALENDAR_WEEKS, compute_stats, streaks
from psoas_tui.model import CheckIn, SessionStatus

TODAY = date(2026, 11, 19)  # a Thursday
BERLIN_WINTER = timezone(timedelta(hours=1))


def at(day: date, hour: int = 8, minute: int = 0, tz: timezone = BERLIN_WINTER) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def session(n: int, day: date, **changes):
    return make_record(n, started_at=at(day, changes.pop("hour", 8)), ended_at=None, **changes)


@pytest.mark.parametrize(
    ("offsets", "current", "longest"),
    [
        ([], 0, 0),
        ([0], 1, 1),
        ([1], 1, 1),  # yesterday: today can still continue the streak
        ([2], 0, 1),  # the day before yesterday: broken
        ([0, 1, 2, 4, 5, 6, 7], 3, 4),
        ([1, 2, 3, 10, 11, 12, 13, 14, 15], 3, 6),
    ],
)
def test_streaks(offsets, current, longest):
    days = sorted(TODAY - timedelta(days=o) for o in offsets)
    assert streaks(days, TODAY) == (current, longest)


def test_compute_stats(tmp_path):
    monday = TODAY - timedelta(days=3)
    records = [
        session(1, monday, done_seconds=600.0),
        session(2, monday, hour=18, status=SessionStatus.STOPPED, done_seconds=120.0, checkin=None),
        session(3, monday + timedelta(days=1), done_seconds=300.0,
                checkin=CheckIn(2, 6, 8, 4, "")),
        session(4, TODAY, status=SessionStatus.INTERRUPTED, done_seconds=60.0,
                checkin=CheckIn(feeling_before=5)),
        session(5, monday - timedelta(days=1), done_seconds=900.0),  # last Sunday
        session(6, monday - timedelta(days=20), done_seconds=900.0),
        session(7, TODAY - timedelta(weeks=CALENDAR_WEEKS, days=1), done_seconds=900.0),  # off the calendar
    ]
    with open_store(tmp_path) as store:
        store.add_records(records)
        stats = compute_stats(store, weekly_goal=3, today=TODAY)
    assert stats.total_sessions == 7 and stats.completed_sessions == 5
    assert stats.total_minutes == pytest.approx((600 + 120 + 300 + 60 + 900 * 3) / 60)
    # Sunday, Monday, Tuesday completed; Wednesday nothing; Thursday (today) only interrupted
    assert (stats.current_streak, stats.longest_streak) == (0, 3)
    assert stats.week_days_done == 2 and not stats.week_goal_met
    assert stats.week_minutes == pytest.approx((600 + 120 + 300 + 60) / 60)
    assert stats.week_start == monday
    assert len(stats.minutes_per_day) == 30 and stats.minutes_per_day[-1] == (TODAY, 1.0)
    assert dict(stats.minutes_per_day)[monday] == pytest.approx(12.0)
    assert len(stats.calendar) == CALENDAR_WEEKS
    assert all(len(week) == 7 and week[0][0].weekday() == 0 for week in stats.calendar)
    assert stats.calendar[-1][0] == (monday, pytest.approx(12.0))
    assert stats.calendar[-1][6][0] == monday + timedelta(days=6)
    assert [w for w, _m in stats.minutes_per_week] == [week[0][0] for week in stats.calendar]
    assert stats.minutes_per_week[-1][1] == pytest.approx(stats.week_minutes)
    assert sum(m for _w, m in stats.minutes_per_week) == pytest.approx((600 + 120 + 300 + 60 + 1800) / 60)
    # make_record's default check-in is (4, 7, 6, 3); session 2 had none
    assert stats.feeling_trend[-3:] == ((monday, 4.0, 7.0), (monday + timedelta(days=1), 2.0, 6.0),
                                        (TODAY, 5.0, None))
    assert stats.tightness_trend[-2:] == ((monday, 6.0, 3.0), (monday + timedelta(days=1), 8.0, 4.0))
    data = stats.as_dict()
    assert data["week_goal_met"] is False and data["calendar"][-1][0][0] == monday.isoformat()


def test_goal_met_and_current_streak_through_today(tmp_path):
    with open_store(tmp_path) as store:
        store.add_records(session(n, TODAY - timedelta(days=n)) for n in range(4))
        stats = compute_stats(store, weekly_goal=3, today=TODAY)
    assert (stats.current_streak, stats.longest_streak) == (4, 4)
    assert stats.week_days_done == 4 and stats.week_goal_met


def test_days_are_the_local_days_the_sessions_happened(tmp_path):
    late = datetime(2026, 11, 18, 23, 30, tzinfo=timezone(timedelta(hours=2)))  # 21:30 UTC
    early = datetime(2026, 11, 19, 0, 30, tzinfo=timezone(timedelta(hours=-8)))  # 08:30 UTC on the 19th
    with open_store(tmp_path) as store:
        store.add_records([make_record(1, started_at=late, ended_at=None),
                           make_record(2, started_at=early, ended_at=None)])
        stats = compute_stats(store, weekly_goal=3, today=TODAY)
    per_day = dict(stats.minutes_per_day)
    assert per_day[date(2026, 11, 18)] == 10.0 and per_day[date(2026, 11, 19)] == 10.0
    assert stats.current_streak == 2


def test_empty_history(tmp_path):
    with open_store(tmp_path) as store:
        stats = compute_stats(store, weekly_goal=3, today=TODAY)
    assert (stats.total_sessions, stats.current_streak, stats.longest_streak) == (0, 0, 0)
    assert stats.week_days_done == 0
    assert stats.feeling_trend == () and stats.total_minutes == 0
    assert all(m == 0 for week in stats.calendar for _d, m in week)


def test_today_defaults_to_now_in_the_given_timezone(tmp_path):
    far_east = timezone(timedelta(hours=14))
    with open_store(tmp_path) as store:
        stats = compute_stats(store, weekly_goal=2, tz=far_east)
    assert stats.today == datetime.now(far_east).date()
