"""When a reminder is due: pure functions of the settings, an aware ``now`` and history facts.

The rules (docs/reminders.md):

- On a working day (``days``), inside working hours (``hours``), an *interval* reminder falls
  due ``every`` after the latest of: the start of working hours, the end of the last session
  with real practice, the last skip. It stays due until answered or until the hours end.
- On a working day, an *at* reminder falls due at each ``at`` time (any hour of that day) and
  stays due until answered or until the day ends.
- A session with real practice or a skip answers whatever is due (a session that ends after an
  ``at`` time answers it, even if it started before). A snooze hides every reminder until it
  ends; a reminder still unanswered then is due again. A session or skip after a snooze was
  asked for answers it too: the snooze ends there.

Hours and days are read in the time zone of ``now`` (so moving to another zone moves the
working day with you); intervals are real elapsed time, so a DST change neither stretches nor
shortens them. Nothing depends on when the schedule was last looked at: after a suspend or a
clock jump the answer is simply the one for the new ``now``, with no burst of missed reminders.
A fact from more than ``FUTURE_TOLERANCE`` in the future (the clock went back) is ignored, so a
wrong clock can cause one extra reminder but never silence them for days.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import NamedTuple

from psoas_tui.reminders.settings import ReminderSettings

MIN_PRACTICE_SECONDS = 60.0
FUTURE_TOLERANCE = timedelta(hours=1)
MAX_SNOOZE = timedelta(hours=24)
# Today and the next nine days: every working day of a week stays in view even when a snooze
# (at most MAX_SNOOZE + FUTURE_TOLERANCE) hides the windows of the next two calendar days.
HORIZON_DAYS = 10


class ReminderKind(enum.StrEnum):
    """Why a reminder falls due."""

    INTERVAL = "interval"
    AT = "at"


class ReminderFacts(NamedTuple):
    """What the history knows that the schedule needs; every time is an aware datetime.

    ``last_practice_end``: the end of the last session with real practice (see
    ``counts_as_practice``); ``last_skip``: the last skip; ``snoozed_at``/``snoozed_until``:
    the last snooze (when it was asked for, and when it ends).
    """

    last_practice_end: datetime | None = None
    last_skip: datetime | None = None
    snoozed_at: datetime | None = None
    snoozed_until: datetime | None = None


class Reminder(NamedTuple):
    """A reminder that is due: when it fell due, when it became visible, when it lapses."""

    kind: ReminderKind
    due_at: datetime
    visible_from: datetime
    until: datetime
    routine: str


class ReminderState(NamedTuple):
    """The schedule's answer for one ``now``; datetimes are in the time zone of ``now``.

    ``due`` is the reminder to show (``None`` when nothing is due or a snooze hides it);
    ``next_due`` the next moment a reminder falls due or shows again after a snooze, always
    after ``now`` (``None`` when reminders are off); ``snoozed_until`` the end of an active
    snooze.
    """

    due: Reminder | None = None
    next_due: datetime | None = None
    next_kind: ReminderKind | None = None
    snoozed_until: datetime | None = None


class _Window(NamedTuple):
    kind: ReminderKind
    start: datetime  # UTC
    end: datetime  # UTC


def counts_as_practice(status: str, done_seconds: float) -> bool:
    """A session that answers a reminder: completed, or stopped after at least a minute."""
    return status == "completed" or (status == "stopped" and done_seconds >= MIN_PRACTICE_SECONDS)


def reminder_state(settings: ReminderSettings, now: datetime, facts: ReminderFacts) -> ReminderState:
    """What is due at ``now`` and when the next reminder falls due (see the module rules)."""
    zone = _zone_of(now)
    if not settings.enabled:
        return ReminderState()
    now_utc = now.astimezone(UTC)
    answer = _last_answer(facts, now_utc)
    snooze_end = _snooze_end(facts, now_utc, answer)
    windows = _windows(settings, now_utc, zone, answer)
    due: Reminder | None = None
    upcoming: list[tuple[datetime, ReminderKind]] = []
    for window in windows:
        shown = max(window.start, snooze_end) if snooze_end else window.start
        if shown >= window.end or window.end <= now_utc:
            continue
        if shown > now_utc:
            upcoming.append((shown, window.kind))
        elif due is None or window.start > due.due_at:
            due = Reminder(window.kind, window.start, shown, window.end, settings.routine)
    return ReminderState(
        due=_in_zone(due, zone),
        next_due=min(upcoming)[0].astimezone(zone) if upcoming else None,
        next_kind=min(upcoming)[1] if upcoming else None,
        snoozed_until=snooze_end.astimezone(zone) if snooze_end and snooze_end > now_utc else None,
    )


def _zone_of(moment: datetime) -> tzinfo:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"reminder times must be timezone-aware, got {moment!r}")
    return moment.tzinfo


def _believable(moment: datetime | None, now_utc: datetime) -> datetime | None:
    """``moment`` in UTC, or ``None`` when it lies too far in the future to be true."""
    if moment is None:
        return None
    value = _utc(moment)
    return value if value <= now_utc + FUTURE_TOLERANCE else None


def _utc(moment: datetime) -> datetime:
    """An aware ``moment`` in UTC (a naive one is a ``ValueError``: its zone is unknown)."""
    _zone_of(moment)
    return moment.astimezone(UTC)


def _last_answer(facts: ReminderFacts, now_utc: datetime) -> datetime | None:
    """The latest believable session end or skip: what restarts the interval."""
    answers = [
        moment
        for moment in (_believable(facts.last_practice_end, now_utc), _believable(facts.last_skip, now_utc))
        if moment is not None
    ]
    return max(answers, default=None)


def _snooze_end(facts: ReminderFacts, now_utc: datetime, answer: datetime | None) -> datetime | None:
    """The end of the last snooze (past or running); a snooze from a clock gone wrong, or one
    answered since by a session or a skip (``answer``, after it was asked for), is ignored.

    A reminder that fell due before a snooze ended shows from the snooze's end, so the end
    matters after it has passed too: it is when ``remind`` notifies again.
    """
    if facts.snoozed_until is None:
        return None
    until = _utc(facts.snoozed_until)
    if until - now_utc > MAX_SNOOZE + FUTURE_TOLERANCE:
        return None
    if facts.snoozed_at is not None and _believable(facts.snoozed_at, now_utc) is None:
        return None
    if facts.snoozed_at is not None and answer is not None and answer >= _utc(facts.snoozed_at):
        return None
    return until


def _windows(
    settings: ReminderSettings, now_utc: datetime, zone: tzinfo, answer: datetime | None
) -> list[_Window]:
    """Every reminder window from today (in ``zone``) for ``HORIZON_DAYS`` days, unanswered."""
    today = now_utc.astimezone(zone).date()
    windows: list[_Window] = []
    for offset in range(HORIZON_DAYS):
        day = today + timedelta(days=offset)
        if day.weekday() not in settings.days:
            continue
        if settings.every is not None:
            windows.extend(_interval_window(settings, day, zone, answer))
        day_end = _moment(day, 24 * 60, zone)
        for minutes in settings.at:
            start = _moment(day, minutes, zone)
            if answer is None or answer < start:
                windows.append(_Window(ReminderKind.AT, start, day_end))
    return windows


def _interval_window(
    settings: ReminderSettings, day: date, zone: tzinfo, answer: datetime | None
) -> list[_Window]:
    """The day's interval window: ``every`` after the later of the hours' start and ``answer``."""
    assert settings.every is not None
    opens = _moment(day, settings.hours[0], zone)
    closes = _moment(day, settings.hours[1], zone)
    anchor = max(opens, answer) if answer is not None else opens
    start = anchor + timedelta(seconds=settings.every)
    return [_Window(ReminderKind.INTERVAL, start, closes)] if start < closes else []


def _moment(day: date, minutes: int, zone: tzinfo) -> datetime:
    """The UTC instant of wall-clock ``minutes`` after midnight on ``day`` in ``zone``.

    ``1440`` is the next midnight. A wall time skipped by a DST change (02:30 on a spring
    forward) lands after the gap; a repeated one (02:30 on a fall back) is its first occurrence.
    """
    if minutes >= 24 * 60:
        day, minutes = day + timedelta(days=1), minutes - 24 * 60
    hour, minute = divmod(minutes, 60)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)


def _in_zone(reminder: Reminder | None, zone: tzinfo) -> Reminder | None:
    if reminder is None:
        return None
    return Reminder(
        reminder.kind,
        reminder.due_at.astimezone(zone),
        reminder.visible_from.astimezone(zone),
        reminder.until.astimezone(zone),
        reminder.routine,
    )


def should_notify(state: ReminderState, last_shown: datetime | None) -> bool:
    """Whether ``remind`` notifies now: something is due that was not shown since it became
    visible (``last_shown`` is when a reminder was last shown, from the history)."""
    if state.due is None:
        return False
    return last_shown is None or _utc(last_shown) < _utc(state.due.visible_from)


def wake_delay(state: ReminderState, now: datetime, *, longest: float = 60.0) -> float:
    """Seconds ``remind`` may sleep before looking again: until ``next_due``, at most ``longest``.

    The bound makes a suspend, a clock jump or an answer given in another process cost at most
    ``longest`` seconds of delay, for one cheap wake-up.
    """
    if state.next_due is None:
        return longest
    return max(0.0, min(longest, (_utc(state.next_due) - _utc(now)).total_seconds()))


def skips_left(settings: ReminderSettings, skips_today: int) -> int | None:
    """How many skips remain today under ``max_skips_per_day`` (``None``: no limit)."""
    if settings.max_skips_per_day is None:
        return None
    return max(0, settings.max_skips_per_day - skips_today)


def skip_refusal(settings: ReminderSettings, skips_today: int) -> str | None:
    """Why ``skip`` is refused (the daily limit is reached), else ``None``.

    At the limit a reminder can still be snoozed or followed; only skipping is refused.
    """
    if skips_left(settings, skips_today) != 0:
        return None
    limit = settings.max_skips_per_day
    return (
        f"no skips left today (max_skips_per_day = {limit}): "
        f"start {settings.routine} or snooze it"
    )
