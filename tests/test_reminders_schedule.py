"""The reminder schedule with an injected clock: every ``now`` is given, nothing reads the time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from psoas_tui.reminders.schedule import (
    Reminder,
    ReminderFacts,
    ReminderKind,
    ReminderState,
    counts_as_practice,
    reminder_state,
    should_notify,
    skip_refusal,
    skips_left,
    wake_delay,
)
from psoas_tui.reminders.settings import ReminderSettings

try:
    from zoneinfo import ZoneInfo

    BERLIN = ZoneInfo("Europe/Berlin")
    NEW_YORK = ZoneInfo("America/New_York")
    TOKYO = ZoneInfo("Asia/Tokyo")
except Exception:  # pragma: no cover - a system without the time zone database
    pytest.skip("no time zone database", allow_module_level=True)

INTERVAL, AT = ReminderKind.INTERVAL, ReminderKind.AT
ALL_WEEK = (0, 1, 2, 3, 4, 5, 6)
WORK = ReminderSettings(enabled=True, every=50 * 60)  # 09:00-17:30, Monday to Friday


def at(day: str, clock: str, zone: object = BERLIN, fold: int = 0) -> datetime:
    """``at("2026-03-02", "09:50")``: an aware local time (2026-03-02 is a Monday)."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=zone, fold=fold)  # type: ignore[arg-type]


def state(now: datetime, settings: ReminderSettings = WORK, **facts: datetime) -> ReminderState:
    return reminder_state(settings, now, ReminderFacts(**facts))


def due_at(result: ReminderState) -> datetime | None:
    return result.due.due_at if result.due else None


MON = "2026-03-02"
TUE = "2026-03-03"
FRI = "2026-03-06"
SAT = "2026-03-07"
NEXT_MON = "2026-03-09"


# -- intervals and working hours ------------------------------------------------------------
def test_nothing_when_disabled() -> None:
    assert state(at(MON, "12:00"), ReminderSettings(every=3000)) == ReminderState()


def test_the_first_reminder_falls_due_every_after_the_start_of_hours() -> None:
    before = state(at(MON, "09:49:59"))
    assert before.due is None
    assert before.next_due == at(MON, "09:50")
    assert before.next_kind is INTERVAL
    due = state(at(MON, "09:50"))
    assert due.due == Reminder(INTERVAL, at(MON, "09:50"), at(MON, "09:50"), at(MON, "17:30"), "desk-break")


def test_a_due_reminder_stays_due_until_answered_or_the_hours_end() -> None:
    assert due_at(state(at(MON, "14:00"))) == at(MON, "09:50")
    assert due_at(state(at(MON, "17:29:59"))) == at(MON, "09:50")
    after_hours = state(at(MON, "17:30"))
    assert after_hours.due is None
    assert after_hours.next_due == at(TUE, "09:50")


def test_before_hours_the_next_is_the_first_of_the_day() -> None:
    result = state(at(MON, "06:00"))
    assert result.due is None
    assert result.next_due == at(MON, "09:50")


def test_a_session_restarts_the_interval() -> None:
    ended = at(MON, "10:10")
    result = state(at(MON, "10:30"), last_practice_end=ended)
    assert result.due is None
    assert result.next_due == at(MON, "11:00")
    assert due_at(state(at(MON, "11:00"), last_practice_end=ended)) == at(MON, "11:00")


def test_a_skip_restarts_the_interval() -> None:
    result = state(at(MON, "10:30"), last_skip=at(MON, "10:00"))
    assert result.due is None and result.next_due == at(MON, "10:50")


def test_the_later_of_session_and_skip_counts() -> None:
    result = state(at(MON, "10:30"), last_practice_end=at(MON, "10:20"), last_skip=at(MON, "09:55"))
    assert result.next_due == at(MON, "11:10")


def test_practice_before_the_hours_does_not_move_the_first_reminder() -> None:
    assert state(at(MON, "08:00"), last_practice_end=at(MON, "07:30")).next_due == at(MON, "09:50")


def test_a_session_near_the_end_of_hours_leaves_the_day_quiet() -> None:
    result = state(at(MON, "17:00"), last_practice_end=at(MON, "16:50"))
    assert result.due is None
    assert result.next_due == at(TUE, "09:50")


# -- fixed times ------------------------------------------------------------------------------
FIXED = ReminderSettings(enabled=True, at=(630, 900, 1080))  # 10:30, 15:00, 18:00


def test_fixed_times_fall_due_and_stay_due_until_the_next() -> None:
    assert state(at(MON, "10:29"), FIXED).next_due == at(MON, "10:30")
    first = state(at(MON, "10:30"), FIXED)
    assert first.due is not None and first.due.kind is AT and first.due.due_at == at(MON, "10:30")
    assert first.next_due == at(MON, "15:00")
    assert due_at(state(at(MON, "14:59"), FIXED)) == at(MON, "10:30")
    assert due_at(state(at(MON, "15:00"), FIXED)) == at(MON, "15:00")


def test_a_fixed_time_may_lie_outside_working_hours_but_lapses_at_midnight() -> None:
    assert due_at(state(at(MON, "18:00"), FIXED)) == at(MON, "18:00")
    assert due_at(state(at(MON, "23:59:59"), FIXED)) == at(MON, "18:00")
    midnight = state(at(TUE, "00:00"), FIXED)
    assert midnight.due is None
    assert midnight.next_due == at(TUE, "10:30")


def test_a_session_running_over_a_fixed_time_answers_it() -> None:
    result = state(at(MON, "10:45"), FIXED, last_practice_end=at(MON, "10:40"))
    assert result.due is None
    assert result.next_due == at(MON, "15:00")


def test_a_session_that_ended_before_a_fixed_time_does_not_answer_it() -> None:
    assert due_at(state(at(MON, "10:45"), FIXED, last_practice_end=at(MON, "10:29"))) == at(MON, "10:30")


def test_fixed_times_and_interval_together_show_the_latest() -> None:
    both = ReminderSettings(enabled=True, every=50 * 60, at=(600,))
    result = state(at(MON, "10:00"), both)
    assert result.due is not None and result.due.kind is AT and result.due.due_at == at(MON, "10:00")
    skipped = state(at(MON, "10:05"), both, last_skip=at(MON, "10:01"))
    assert skipped.due is None and skipped.next_due == at(MON, "10:51")


# -- days and midnight ------------------------------------------------------------------------
def test_no_reminders_on_days_off() -> None:
    settings = ReminderSettings(enabled=True, every=3000, at=(630,))
    for clock in ("09:00", "10:30", "12:00", "23:00"):
        result = state(at(SAT, clock), settings)
        assert result.due is None
        assert result.next_due == at(NEXT_MON, "09:50")
    assert state(at(FRI, "18:00"), settings).next_due == at(NEXT_MON, "09:50")


def test_hours_to_midnight_restart_the_interval_at_midnight() -> None:
    settings = ReminderSettings(enabled=True, every=3000, hours=(0, 1440), days=ALL_WEEK)
    late = state(at(MON, "23:45"), settings, last_practice_end=at(MON, "23:40"))
    assert late.due is None
    assert late.next_due == at(TUE, "00:50")
    assert due_at(state(at(TUE, "00:50"), settings, last_practice_end=at(MON, "23:40"))) == at(TUE, "00:50")


def test_a_reminder_due_before_midnight_lapses_at_midnight() -> None:
    settings = ReminderSettings(enabled=True, every=3000, hours=(0, 1440), days=ALL_WEEK)
    assert due_at(state(at(MON, "23:59"), settings, last_skip=at(MON, "22:00"))) == at(MON, "22:50")
    assert state(at(TUE, "00:00:01"), settings, last_skip=at(MON, "22:00")).due is None


# -- daylight saving time (Europe/Berlin, 2026) -------------------------------------------------
ALL_DAY = ReminderSettings(enabled=True, every=3000, hours=(0, 1440), days=ALL_WEEK)


def test_an_interval_is_real_time_across_the_spring_change() -> None:
    # 2026-03-29 02:00 CET becomes 03:00 CEST: 01:40 CET + 50 min is 03:30 CEST.
    ended = at("2026-03-29", "01:40")
    result = state(at("2026-03-29", "01:45"), ALL_DAY, last_practice_end=ended)
    assert result.next_due == at("2026-03-29", "03:30")
    assert result.next_due.astimezone(UTC) - ended.astimezone(UTC) == timedelta(minutes=50)
    assert result.next_due.utcoffset() == timedelta(hours=2)


def test_an_interval_is_real_time_across_the_autumn_change() -> None:
    # 2026-10-25 03:00 CEST becomes 02:00 CET: 02:40 CEST + 50 min is the second 02:30 (CET).
    ended = at("2026-10-25", "02:40")
    result = state(at("2026-10-25", "02:45"), ALL_DAY, last_practice_end=ended)
    assert result.next_due == at("2026-10-25", "02:30", fold=1)
    assert result.next_due.astimezone(UTC) - ended.astimezone(UTC) == timedelta(minutes=50)
    assert result.next_due.utcoffset() == timedelta(hours=1)


def test_a_fixed_time_in_the_spring_gap_comes_after_the_gap() -> None:
    settings = ReminderSettings(enabled=True, at=(150,), days=ALL_WEEK)  # 02:30 does not exist
    result = state(at("2026-03-29", "01:00"), settings)
    assert result.next_due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    due = state(datetime(2026, 3, 29, 1, 30, tzinfo=UTC).astimezone(BERLIN), settings)
    assert due_at(due) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_fixed_time_in_the_repeated_autumn_hour_falls_due_once() -> None:
    settings = ReminderSettings(enabled=True, at=(150,), days=ALL_WEEK)  # 02:30 happens twice
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    # An ambiguous wall time compares unequal to every time in another zone (PEP 495): in UTC.
    before = state((first - timedelta(minutes=1)).astimezone(BERLIN), settings)
    assert before.next_due is not None and before.next_due.astimezone(UTC) == first
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC).astimezone(BERLIN)  # 02:30 CET
    again = state(second, settings)
    assert again.due is not None and again.due.due_at.astimezone(UTC) == first
    assert again.next_due == at("2026-10-26", "02:30")


def test_working_hours_follow_the_wall_clock_across_both_changes() -> None:
    every_day = ReminderSettings(enabled=True, every=3000, days=ALL_WEEK)
    spring = state(at("2026-03-28", "20:00"), every_day).next_due
    assert spring == at("2026-03-29", "09:50")
    assert spring.astimezone(UTC).hour == 7
    autumn = state(at("2026-10-24", "20:00"), every_day).next_due
    assert autumn == at("2026-10-25", "09:50")
    assert autumn.astimezone(UTC).hour == 8


def test_the_local_day_is_the_day_of_the_changes() -> None:
    assert state(at("2026-03-29", "23:30"), ALL_DAY, last_skip=at("2026-03-29", "23:00")).next_due == at(
        "2026-03-29", "23:50"
    )
    assert state(at("2026-10-25", "23:30"), ALL_DAY, last_skip=at("2026-10-25", "23:00")).next_due == at(
        "2026-10-25", "23:50"
    )


# -- time zones -----------------------------------------------------------------------------
def test_hours_follow_the_zone_of_now_after_a_flight_west() -> None:
    ended = at(MON, "10:00")  # Berlin, 09:00 UTC
    now = datetime(2026, 3, 2, 8, 0, tzinfo=NEW_YORK)  # 13:00 UTC
    result = state(now, last_practice_end=ended)
    assert result.due is None
    assert result.next_due == datetime(2026, 3, 2, 9, 50, tzinfo=NEW_YORK)
    assert result.next_due.tzinfo is NEW_YORK


def test_hours_follow_the_zone_of_now_after_a_flight_east() -> None:
    now = datetime(2026, 3, 3, 12, 0, tzinfo=TOKYO)  # 03:00 UTC, still Monday night in Berlin
    result = state(now, last_practice_end=at(MON, "17:00"))
    assert due_at(result) == datetime(2026, 3, 3, 9, 50, tzinfo=TOKYO)


def test_a_fixed_offset_zone_works_too() -> None:
    zone = timezone(timedelta(hours=5, minutes=30))
    assert state(datetime(2026, 3, 2, 9, 0, tzinfo=zone)).next_due == datetime(2026, 3, 2, 9, 50, tzinfo=zone)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        state(datetime(2026, 3, 2, 9, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        state(at(MON, "10:00"), last_skip=datetime(2026, 3, 2, 9, 0))


# -- snooze ---------------------------------------------------------------------------------
def test_snooze_hides_the_reminder_until_it_ends() -> None:
    facts = {"snoozed_at": at(MON, "09:55"), "snoozed_until": at(MON, "10:10")}
    hidden = state(at(MON, "10:00"), **facts)
    assert hidden.due is None
    assert hidden.snoozed_until == at(MON, "10:10")
    assert hidden.next_due == at(MON, "10:10")
    again = state(at(MON, "10:10"), **facts)
    assert again.due == Reminder(INTERVAL, at(MON, "09:50"), at(MON, "10:10"), at(MON, "17:30"), "desk-break")
    assert again.snoozed_until is None


def test_a_snooze_before_anything_is_due_delays_the_next() -> None:
    facts = {"snoozed_at": at(MON, "09:00"), "snoozed_until": at(MON, "10:30")}
    assert state(at(MON, "09:50"), **facts).due is None
    assert state(at(MON, "09:00"), **facts).next_due == at(MON, "10:30")


def test_a_snooze_past_the_end_of_hours_leaves_nothing_due() -> None:
    facts = {"snoozed_at": at(MON, "17:20"), "snoozed_until": at(MON, "17:35")}
    result = state(at(MON, "17:25"), **facts)
    assert result.due is None and result.next_due == at(TUE, "09:50")
    assert state(at(MON, "17:35"), **facts).due is None


def test_a_session_after_a_snooze_answers_the_reminder() -> None:
    facts = {
        "snoozed_at": at(MON, "09:55"),
        "snoozed_until": at(MON, "10:10"),
        "last_practice_end": at(MON, "10:05"),
    }
    assert state(at(MON, "10:10"), **facts).due is None
    assert state(at(MON, "10:10"), **facts).next_due == at(MON, "10:55")


def test_remind_notifies_once_and_again_after_a_snooze() -> None:
    first = state(at(MON, "09:50"))
    assert should_notify(first, None)
    assert not should_notify(state(at(MON, "12:00")), at(MON, "09:50"))
    facts = {"snoozed_at": at(MON, "09:55"), "snoozed_until": at(MON, "10:10")}
    assert not should_notify(state(at(MON, "10:00"), **facts), at(MON, "09:50"))
    assert should_notify(state(at(MON, "10:10"), **facts), at(MON, "09:50"))
    assert not should_notify(state(at(MON, "10:11"), **facts), at(MON, "10:10"))
    assert not should_notify(state(at(MON, "09:00")), None)


# -- clock jumps and a suspended laptop -------------------------------------------------------------
def test_a_clock_jump_forwards_shows_one_reminder_not_a_burst() -> None:
    facts = {"last_practice_end": at(MON, "09:30")}
    assert state(at(MON, "10:00"), **facts).next_due == at(MON, "10:20")
    jumped = state(at(MON, "16:00"), **facts)
    assert jumped.due is not None and jumped.due.due_at == at(MON, "10:20")
    assert jumped.next_due == at(TUE, "09:50")


def test_a_small_jump_back_keeps_the_facts() -> None:
    # A session recorded at 11:20, then the clock is set back 20 minutes.
    result = state(at(MON, "11:00"), last_practice_end=at(MON, "11:20"))
    assert result.due is None and result.next_due == at(MON, "12:10")


def test_a_big_jump_back_ignores_facts_from_the_future() -> None:
    # The clock was hours ahead when the session was saved: better one reminder too many than
    # none until the clock catches up.
    result = state(at(MON, "11:00"), last_practice_end=at(MON, "15:00"))
    assert due_at(result) == at(MON, "09:50")
    snoozed = state(at(MON, "11:00"), snoozed_at=at(MON, "15:00"), snoozed_until=at(MON, "15:15"))
    assert snoozed.snoozed_until is None and due_at(snoozed) == at(MON, "09:50")


def test_a_snooze_longer_than_a_day_is_not_believed() -> None:
    result = state(at(MON, "11:00"), snoozed_until=at(MON, "11:00") + timedelta(days=3))
    assert result.snoozed_until is None and due_at(result) == at(MON, "09:50")


def test_a_laptop_suspended_over_the_weekend_wakes_to_one_reminder() -> None:
    settings = ReminderSettings(enabled=True, every=3000, at=(630, 720))
    facts = {"last_practice_end": at(FRI, "16:00")}
    result = state(at(NEXT_MON, "13:00"), settings, **facts)
    assert result.due is not None
    assert result.due.kind is AT and result.due.due_at == at(NEXT_MON, "12:00")
    assert result.next_due == at("2026-03-10", "09:50")


def test_a_laptop_suspended_past_the_end_of_hours_shows_nothing() -> None:
    result = state(at(MON, "22:00"), last_practice_end=at(MON, "09:00"))
    assert result.due is None and result.next_due == at(TUE, "09:50")


# -- answers and limits ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "seconds", "counts"),
    [("completed", 0, True), ("completed", 300, True), ("stopped", 59.9, False), ("stopped", 60, True),
     ("interrupted", 600, False), ("running", 600, False)],
)
def test_what_counts_as_practice(status: str, seconds: float, counts: bool) -> None:
    assert counts_as_practice(status, seconds) is counts


def test_skips_without_a_limit() -> None:
    assert skips_left(WORK, 40) is None
    assert skip_refusal(WORK, 40) is None


def test_the_daily_skip_limit() -> None:
    limited = ReminderSettings(enabled=True, every=3000, max_skips_per_day=2)
    assert skips_left(limited, 0) == 2
    assert skips_left(limited, 1) == 1
    assert skip_refusal(limited, 1) is None
    assert skips_left(limited, 2) == 0
    assert skip_refusal(limited, 2) == (
        "no skips left today (max_skips_per_day = 2): start desk-break or snooze it"
    )
    assert skips_left(limited, 5) == 0 and skip_refusal(limited, 5)


def test_a_limit_of_zero_refuses_every_skip() -> None:
    assert skip_refusal(ReminderSettings(max_skips_per_day=0, routine="hip-opener"), 0) == (
        "no skips left today (max_skips_per_day = 0): start hip-opener or snooze it"
    )


# -- sleeping until the next reminder -------------------------------------------------------------
def test_wake_delay() -> None:
    now = at(MON, "09:49:30")
    assert wake_delay(state(now), now) == 30
    assert wake_delay(state(now), now, longest=10) == 10
    assert wake_delay(state(at(MON, "06:00")), at(MON, "06:00")) == 60
    assert wake_delay(ReminderState(), now) == 60
    assert wake_delay(ReminderState(next_due=at(MON, "09:00")), now) == 0


def test_wake_delay_counts_real_seconds_across_the_autumn_change() -> None:
    now = at("2026-10-25", "02:50")  # CEST; 50 real minutes later is 02:40 CET
    result = state(now, ALL_DAY, last_skip=now)
    assert result.next_due is not None and result.next_due.utcoffset() == timedelta(hours=1)
    assert wake_delay(result, now, longest=7200) == 3000


def test_should_notify_compares_real_times_across_the_autumn_change() -> None:
    shown = at("2026-10-25", "02:40")  # first 02:40 (CEST)
    later = at("2026-10-25", "02:20", fold=1)  # 02:20 CET: 40 real minutes later
    result = ReminderState(due=Reminder(INTERVAL, later, later, at("2026-10-26", "00:00"), "desk-break"))
    assert should_notify(result, shown)


def test_a_snooze_over_the_only_working_day_of_the_week_finds_the_next_week() -> None:
    # Found by hypothesis: with Tuesday the only working day, a long snooze from Monday evening
    # hid Tuesday's window and the next one lay beyond the days looked at.
    tuesdays = ReminderSettings(enabled=True, every=1800, hours=(0, 60), days=(1,))
    now = at(MON, "23:30")
    result = state(now, tuesdays, snoozed_at=now, snoozed_until=now + timedelta(hours=24))
    assert result.due is None
    assert result.next_due == at("2026-03-10", "00:30")
