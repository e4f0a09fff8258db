"""Shared helpers for the history tests (imported by the test modules; not a conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import strategies as st

from psoas_tui.history.store import HistoryStore
from psoas_tui.model import CheckIn, Routine, RoutineSource, SessionRecord, SessionStatus, Step, StepKind

ROUTINE = Routine(
    id="tiny",
    title="Tiny routine",
    summary="One short hold.",
    steps=(Step(StepKind.HOLD, "Hold", seconds=10, sides=("left", "right")),),
    source=RoutineSource("builtin"),
)
CET = timezone(timedelta(hours=1))
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=CET)


class FakeNow:
    """An injectable ``now`` for the store: fixed until moved."""

    def __init__(self, start: datetime = T0) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def advance(self, seconds: float) -> datetime:
        """Move on and return the new time."""
        self.value += timedelta(seconds=seconds)
        return self.value


@dataclass
class State:
    """A stand-in for the engine's ``RunnerState`` (the recorder duck-types it)."""

    elapsed: float = 0.0
    segments_done: int = 0
    left_seconds: float = 0.0
    right_seconds: float = 0.0
    status: str = "running"


def db_path(tmp_path: Path) -> Path:
    """Where a test keeps its history file."""
    return tmp_path / "data" / "history.sqlite3"


def open_store(tmp_path: Path, now: FakeNow | None = None) -> HistoryStore:
    """A store on a real SQLite file in ``tmp_path``."""
    return HistoryStore.open(db_path(tmp_path), now=now)


def make_record(n: int = 0, **changes: object) -> SessionRecord:
    """A finished session, ``n`` hours after ``T0``."""
    started = T0 + timedelta(hours=n)
    fields: dict[str, object] = dict(
        id=f"00000000-0000-4000-8000-{n:012d}",
        routine_id="tiny",
        routine_title="Tiny routine",
        routine_source="builtin",
        started_at=started,
        planned_seconds=600,
        status=SessionStatus.COMPLETED,
        ended_at=started + timedelta(seconds=600),
        done_seconds=600.0,
        segments_done=3,
        left_seconds=240.0,
        right_seconds=240.0,
        checkin=CheckIn(4, 7, 6, 3, f"note {n}"),
    )
    fields.update(changes)
    return SessionRecord(**fields)  # type: ignore[arg-type]


def run_child(code: str, *args: str) -> subprocess.Popen[str]:
    """A Python child process running ``code`` with ``args``, talking over pipes."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


# -- hypothesis strategies -------------------------------------------------------------------
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
moments = st.builds(
    lambda base, tz: base.replace(tzinfo=UTC).astimezone(tz),
    st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2099, 12, 30)),
    offsets,
)
awkward_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60
) | st.sampled_from(['"', '\\', '"""', "'''", "a\nb", "\r\n", "\x00", "\x1f\x7f", "\t", "[[sessions]]",
                     "\n[[sessions]]\nid = \"x\"", "é ✓ 😀", "\u2028", "\\u0041", "# not a comment"])
scores = st.none() | st.integers(min_value=0, max_value=10)
checkins = st.none() | st.builds(CheckIn, scores, scores, scores, scores, awkward_text)
FINISHED = [SessionStatus.COMPLETED, SessionStatus.STOPPED, SessionStatus.INTERRUPTED]
seconds = st.floats(min_value=0, max_value=86_400, allow_nan=False, allow_infinity=False)  # import bounds


@st.composite
def records(draw: st.DrawFn, index: int = 0) -> SessionRecord:
    """A finished session with awkward text everywhere text can go."""
    started = draw(moments)
    later = st.floats(min_value=0, max_value=1e5).map(lambda s: started + timedelta(seconds=s))
    ended = draw(st.none() | later)
    return SessionRecord(
        id=draw(st.uuids()).hex if draw(st.booleans()) else str(draw(st.uuids())),
        routine_id=draw(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True)),
        routine_title=draw(awkward_text),
        routine_source=draw(st.sampled_from(["builtin", "user", "plugin:psoas-tui-yoga", ""])),
        started_at=started,
        planned_seconds=draw(st.integers(min_value=0, max_value=86_400)),
        status=draw(st.sampled_from(FINISHED)),
        ended_at=ended,
        done_seconds=draw(seconds),
        segments_done=draw(st.integers(min_value=0, max_value=500)),
        left_seconds=draw(seconds),
        right_seconds=draw(seconds),
        checkin=draw(checkins),
    )


session_lists = st.lists(records(), max_size=6, unique_by=lambda r: r.id)


def _importable(record: SessionRecord) -> SessionRecord:
    """``record`` without the control characters an import refuses (issue 9, item 1): none in
    titles, only line breaks and tabs in notes."""
    from dataclasses import replace

    from psoas_tui.text import drop_controls

    checkin = record.checkin
    if checkin is not None:
        checkin = replace(checkin, note=drop_controls(checkin.note, newlines=True))
    return replace(record, routine_title=drop_controls(record.routine_title), checkin=checkin)


def importable_records() -> st.SearchStrategy[SessionRecord]:
    """``records()`` as an import accepts them."""
    return records().map(_importable)


importable_session_lists = st.lists(importable_records(), max_size=6, unique_by=lambda r: r.id)
