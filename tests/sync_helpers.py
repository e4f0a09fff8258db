"""Shared helpers for the sync tests: simulated devices, each with its own data folder and clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from history_helpers import ROUTINE, T0, FakeNow

from psoas_tui.history.device import Device
from psoas_tui.history.store import HistoryStore
from psoas_tui.history.sync import SyncReport, sync
from psoas_tui.model import CheckIn, SessionStatus


@dataclass
class Machine:
    """One simulated device: a history in its own folder, an injected clock, an identity."""

    home: Path
    device: Device
    clock: FakeNow

    @property
    def db(self) -> Path:
        return self.home / "data" / "history.sqlite3"

    def store(self) -> HistoryStore:
        return HistoryStore.open(self.db, now=self.clock)

    def practise(self, minutes: int = 10, checkin: CheckIn | None = None) -> str:
        """Run one session (start, finish, maybe a check-in); returns its id."""
        with self.store() as store:
            record = store.start_session(ROUTINE, minutes * 60)
            self.clock.advance(minutes * 60)
            store.finish(record.id, SessionStatus.COMPLETED, done_seconds=minutes * 60.0,
                         segments_done=1, left_seconds=minutes * 30.0, right_seconds=minutes * 30.0)
            if checkin is not None:
                store.save_checkin(record.id, checkin)
            return record.id

    def check_in(self, session_id: str, checkin: CheckIn) -> None:
        with self.store() as store:
            store.save_checkin(session_id, checkin)

    def sync(self, folder: Path) -> SyncReport:
        with self.store() as store:
            return sync(store, folder, self.device)

    def history(self) -> list[tuple[object, str]]:
        """Every finished session with its changed_at, in a fixed order."""
        with self.store() as store:
            return sorted(store.sync_versions(), key=lambda v: v[0].id)

    def ids(self) -> list[str]:
        return [record.id for record, _ in self.history()]


def machines(tmp_path: Path, count: int = 3, names: list[str] | None = None) -> list[Machine]:
    """``count`` devices whose clocks start together (so ties can happen)."""
    names = names or [f"device-{i}" for i in range(count)]
    return [
        Machine(tmp_path / f"m{i}", Device(f"{i + 1:08d}-0000-4000-8000-000000000000", names[i]),
                FakeNow(T0 + timedelta(seconds=i)))
        for i in range(count)
    ]
