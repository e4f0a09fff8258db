"""Properties of the schedule over random settings, zones, clocks and facts (hypothesis).

- ``next_due`` is always after ``now``, on a working day in the zone of ``now``; an interval
  one lies inside the working hours of its day, a fixed-time one at or after that day's first
  ``at`` time.
- Nothing new falls due before ``next_due``; at ``next_due`` something is due.
- A running snooze hides everything; a due reminder is due now and has not lapsed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from psoas_tui.reminders.schedule import ReminderFacts, ReminderKind, reminder_state
from psoas_tui.reminders.settings import ReminderSettings

try:
    from zoneinfo import ZoneInfo

    ZONES = [ZoneInfo(name) for name in (
        "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC", "Pacific/Apia",
    )]
except Exception:  # pragma: no cover - a system without the time zone database
    pytest.skip("no time zone database", allow_module_level=True)

START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR = 366 * 24 * 3600


@st.composite
def schedules(draw: st.DrawFn) -> ReminderSettings:
    start = draw(st.integers(0, 22 * 60))
    end = draw(st.integers(start + 60, 24 * 60))
    every = draw(st.none() | st.integers(1, end - start - 1).map(lambda minutes: minutes * 60))
    at = tuple(sorted(set(draw(st.lists(st.integers(0, 24 * 60 - 1), max_size=3)))))
    if every is None and not at:
        every = 60 * 60 if end - start > 60 else 30 * 60
    days = tuple(sorted(set(draw(st.lists(st.integers(0, 6), min_size=1, max_size=7)))))
    return ReminderSettings(enabled=True, every=every, at=at, hours=(start, end), days=days)


instants = st.integers(0, YEAR).map(lambda seconds: START + timedelta(seconds=seconds))


@st.composite
def situations(draw: st.DrawFn) -> tuple[ReminderSettings, datetime, ReminderFacts]:
    plan = draw(schedules())
    now = draw(instants).astimezone(draw(st.sampled_from(ZONES)))
    # Facts up to FUTURE_TOLERANCE ahead (a clock set back a little); farther ones are ignored.
    near = st.none() | st.integers(-3 * 86400, 3600).map(lambda s: now + timedelta(seconds=s))
    snoozed_at = draw(near)
    snoozed_until = None
    if snoozed_at is not None:
        snoozed_until = snoozed_at + timedelta(minutes=draw(st.integers(1, 24 * 60)))
    facts = ReminderFacts(
        last_practice_end=draw(near), last_skip=draw(near), snoozed_at=snoozed_at, snoozed_until=snoozed_until
    )
    return plan, now, facts


def _moment(day, minutes: int, zone) -> datetime:  # type: ignore[no-untyped-def]
    if minutes == 24 * 60:
        day, minutes = day + timedelta(days=1), 0
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=zone).astimezone(UTC)


@settings(max_examples=300, deadline=None)
@given(situations())
def test_next_due_is_later_and_on_a_working_day(case) -> None:  # type: ignore[no-untyped-def]
    plan, now, facts = case
    result = reminder_state(plan, now, facts)
    assert result.next_due is not None
    assert result.next_due.astimezone(UTC) > now.astimezone(UTC)
    local = result.next_due.astimezone(now.tzinfo)
    assert local.weekday() in plan.days
    moment = local.astimezone(UTC)
    if result.next_kind is ReminderKind.INTERVAL:
        assert _moment(local.date(), plan.hours[0], now.tzinfo) < moment < _moment(
            local.date(), plan.hours[1], now.tzinfo
        )
    else:
        assert moment >= _moment(local.date(), plan.at[0], now.tzinfo)


@settings(max_examples=300, deadline=None)
@given(situations(), st.floats(0.0, 1.0, exclude_max=True))
def test_nothing_new_falls_due_before_next_due(case, fraction: float) -> None:  # type: ignore[no-untyped-def]
    plan, now, facts = case
    result = reminder_state(plan, now, facts)
    assert result.next_due is not None
    gap = result.next_due.astimezone(UTC) - now.astimezone(UTC)
    step = min(gap * fraction, gap - timedelta(microseconds=1))  # strictly before next_due
    between = reminder_state(plan, (now.astimezone(UTC) + step).astimezone(now.tzinfo), facts)
    if between.due is not None:
        # Nothing new: what is due in between was already due at ``now`` (an interval reminder
        # that lapses at the end of working hours may uncover an older fixed-time one).
        assert result.due is not None
        assert between.due.due_at.astimezone(UTC) <= now.astimezone(UTC)
    at_next = reminder_state(plan, result.next_due, facts)
    assert at_next.due is not None
    assert at_next.due.visible_from.astimezone(UTC) == result.next_due.astimezone(UTC)


@settings(max_examples=300, deadline=None)
@given(situations())
def test_a_due_reminder_is_due_now_and_a_running_snooze_hides_all(case) -> None:  # type: ignore[no-untyped-def]
    plan, now, facts = case
    result = reminder_state(plan, now, facts)
    if result.snoozed_until is not None:
        assert result.due is None
        assert result.snoozed_until.astimezone(UTC) > now.astimezone(UTC)
    if result.due is not None:
        utc_now = now.astimezone(UTC)
        assert result.due.due_at.astimezone(UTC) <= result.due.visible_from.astimezone(UTC) <= utc_now
        assert utc_now < result.due.until.astimezone(UTC)
        assert result.due.due_at.astimezone(now.tzinfo).weekday() in plan.days
