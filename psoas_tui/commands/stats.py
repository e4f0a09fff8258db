"""``psoas-tui stats``: streaks, the weekly goal, minutes, a 12-week calendar and trends."""

from __future__ import annotations

import argparse

from psoas_tui.commands.common import print_json
from psoas_tui.history.stats import Stats
from psoas_tui.reminders.events import KINDS
from psoas_tui.text import plural


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("stats", help="streaks, weekly goal, minutes per day and week, trends")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the summary."""
    from psoas_tui.config import load_settings
    from psoas_tui.history.stats import compute_stats
    from psoas_tui.history.store import HistoryStore

    settings = load_settings()
    with HistoryStore.open(create=False) as store:
        stats = compute_stats(store, weekly_goal=settings.weekly_goal)
    if args.json:
        print_json(stats.as_dict())
    else:
        print(render(stats))
    return 0


def _minutes(value: float) -> str:
    minutes = round(value)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _cell(minutes: float) -> str:
    return "  ." if minutes <= 0 else f"{round(minutes):>3}"


def _average(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def render(stats: Stats) -> str:
    """The text ``stats`` prints."""
    goal = "goal met" if stats.week_goal_met else f"{stats.weekly_goal - stats.week_days_done} to go"
    lines = [
        f"Streak:     {plural(stats.current_streak, 'day')} (longest {stats.longest_streak})",
        f"This week:  {stats.week_days_done} of {plural(stats.weekly_goal, 'day')} ({goal}), "
        f"{_minutes(stats.week_minutes)}",
        f"All time:   {plural(stats.total_sessions, 'session')} ({stats.completed_sessions:,} completed), "
        f"{_minutes(stats.total_minutes)}",
        "",
        "Last 7 days (minutes):",
        "  " + "  ".join(f"{d:%a} {round(m)}" for d, m in stats.minutes_per_day[-7:]),
        "",
        "Last 12 weeks (minutes per day; . = none):",
        "  week of     Mon Tue Wed Thu Fri Sat Sun  total",
    ]
    for week in stats.calendar:
        cells = " ".join(_cell(m) if d <= stats.today else "   " for d, m in week)
        total = sum(m for _d, m in week)
        lines.append(f"  {week[0][0].isoformat()}  {cells}  {round(total):>5}")
    if stats.feeling_trend:
        before = _average([b for _d, b, _a in stats.feeling_trend])
        after = _average([a for _d, _b, a in stats.feeling_trend])
        lines += ["", f"Feeling (12 weeks, 0-10): before {_show(before)}, after {_show(after)} "
                  f"on average over {plural(len(stats.feeling_trend), 'day')}"]
        recent = stats.feeling_trend[-5:]
        lines.append("  recent: " + ", ".join(f"{d:%m-%d} {_show(b)}->{_show(a)}" for d, b, a in recent))
    if stats.tightness_trend:
        left = _average([v for _d, v, _r in stats.tightness_trend])
        right = _average([v for _d, _l, v in stats.tightness_trend])
        first, last = stats.tightness_trend[0], stats.tightness_trend[-1]
        lines += [f"Tightness (12 weeks, 0-10): left {_show(left)}, right {_show(right)} on average; "
                  f"{first[0]:%m-%d} L{_show(first[1])} R{_show(first[2])} -> "
                  f"{last[0]:%m-%d} L{_show(last[1])} R{_show(last[2])}"]
    lines += reminder_lines(stats.reminders)
    return "\n".join(lines)


def reminder_lines(counts: dict[str, dict[str, int]]) -> list[str]:
    """``Reminders:  12 shown, 2 snoozed, 1 skipped, 8 followed (7 days: ...)``; nothing when
    no reminder was ever recorded."""
    all_time, recent = counts.get("all_time", {}), counts.get("last_7_days", {})
    if not any(all_time.values()):
        return []

    def summary(values: dict[str, int]) -> str:
        return ", ".join(f"{values.get(kind, 0)} {kind}" for kind in KINDS)

    return ["", f"Reminders:  {summary(all_time)}", f"  last 7 days: {summary(recent)}"]
