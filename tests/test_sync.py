"""Sync through a shared folder: convergence, leftovers of sync engines, the file format."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from history_helpers import ROUTINE, FakeNow, make_record
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_helpers import Machine, machines

from psoas_tui.history.device import Device, device_id, device_name
from psoas_tui.history.store import SCHEMA_VERSION, HistoryStore, sync_key
from psoas_tui.history.sync import FORMAT_VERSION, SUBFOLDER, SyncFolderError, file_kind, sync
from psoas_tui.model import CheckIn, SessionStatus

# -- convergence ---------------------------------------------------------------------------
OPS = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(["practise", "checkin", "sync"]),
              st.integers(0, 30), st.integers(0, 10)),
    min_size=1, max_size=14,
)


def _play(ms: list[Machine], folder: Path, ops: list[tuple[int, str, int, int]], model: dict) -> None:
    """Run ``ops``; ``model`` keeps the largest sync key of each session ever written anywhere."""
    for who, op, seconds, value in ops:
        m = ms[who]
        m.clock.advance(seconds)  # small steps: two devices often share an instant (ties)
        if op == "practise":
            m.practise(minutes=1 + value % 3, checkin=CheckIn(value, None, None, None, "") if value else None)
        elif op == "checkin" and m.ids():
            target = m.ids()[value % len(m.ids())]
            m.check_in(target, CheckIn(value, value, None, None, f"{m.device.name} {seconds}"))
        elif op == "sync":
            m.sync(folder)
        for record, changed in m.history():
            key = sync_key(record, changed)
            model[record.id] = max(model.get(record.id, key), key)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, order=st.permutations([0, 1, 2]))
def test_three_devices_converge_whatever_the_order(tmp_path_factory: pytest.TempPathFactory,
                                                    ops: list, order: list[int]) -> None:
    tmp = tmp_path_factory.mktemp("converge")
    folder = tmp / "shared"
    folder.mkdir()
    ms = machines(tmp)
    model: dict = {}
    _play(ms, folder, ops, model)
    for who in [*order, *order[:2]]:  # each device publishes, then the first two read the last
        ms[who].sync(folder)
    histories = [m.history() for m in ms]
    assert histories[0] == histories[1] == histories[2]
    assert {r.id: sync_key(r, c) for r, c in histories[0]} == model  # the latest update won
    assert len({r.id for r, _ in histories[0]}) == len(histories[0])  # never twice


def test_a_later_checkin_wins_on_every_device(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b, c = machines(tmp_path)
    sid = a.practise(checkin=CheckIn(3, 4, None, None, "first"))
    for m in (a, b, c):
        m.sync(folder)
    b.clock.advance(3600)
    b.check_in(sid, CheckIn(3, 8, None, None, "added later on b"))
    report = b.sync(folder)
    assert report.written  # b publishes its change
    for m in (c, a):
        report = m.sync(folder)
        assert report.updated == {"device-1 (00000002)": 1}
    assert {m.history()[0][0].checkin.note for m in (a, b, c)} == {"added later on b"}


def test_a_recovered_session_is_shared_as_interrupted(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b = machines(tmp_path, 2)
    store = a.store()
    record = store.start_session(ROUTINE, 600)
    store._owned.pop(record.id).release(remove=False)  # the process "died" without finishing
    store._conn.close()
    a.clock.advance(60)
    a.sync(folder)  # opening the store recovers it
    b.sync(folder)
    assert [r.status for r, _ in b.history()] == [SessionStatus.INTERRUPTED]


def test_a_running_session_is_neither_written_nor_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b = machines(tmp_path, 2)
    with a.store() as store:
        record = store.start_session(ROUTINE, 600)
        sync(store, folder, a.device)
        assert not list((folder / SUBFOLDER / a.device.id).glob("*.toml"))
        store.finish(record.id, SessionStatus.STOPPED, done_seconds=5, segments_done=0,
                     left_seconds=0, right_seconds=0)
    b.sync(folder)
    assert b.ids() == []
    a.sync(folder)
    b.sync(folder)
    assert b.ids() == [record.id]


# -- what sync engines leave behind --------------------------------------------------------
def _published(tmp_path: Path) -> tuple[Path, Machine, Machine, Path]:
    """``a`` with two sessions published; ``b`` not synced yet. Returns a's month file."""
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b = machines(tmp_path, 2)
    a.practise()
    a.practise()
    a.sync(folder)
    [month] = (folder / SUBFOLDER / a.device.id).glob("*.toml")
    return folder, a, b, month


@pytest.mark.parametrize("name", [
    ".syncthing.2026-11.toml.tmp", "~2026-11.toml", "2026-11.toml.tmp", "2026-11.toml.part",
    ".2026-11.toml.partial", "2026-11.toml.crdownload",
])
def test_temporary_files_are_skipped_silently(tmp_path: Path, name: str) -> None:
    folder, _a, b, month = _published(tmp_path)
    (month.parent / name).write_bytes(month.read_bytes()[:100])
    report = b.sync(folder)
    assert report.notices == []
    assert len(b.ids()) == 2
    assert file_kind(name) == "temp"


@pytest.mark.parametrize("name", [
    "2026-11.sync-conflict-20261120-081500-ABCDEFG.toml", "2026-11 (laptop's conflicted copy).toml",
])
def test_conflict_copies_are_ignored_with_one_notice(tmp_path: Path, name: str) -> None:
    folder, _a, b, month = _published(tmp_path)
    (month.parent / name).write_bytes(b"garbage")
    report = b.sync(folder)
    [notice] = report.notices
    assert name in notice and "conflict copy" in notice
    assert len(b.ids()) == 2


@pytest.mark.parametrize("name", ["x.sync-conflict-1.toml", "psoas-tui.sync-conflict-20261120-081500-ABCD"])
def test_a_conflict_copy_beside_the_sync_subfolder_gets_the_same_notice(tmp_path: Path, name: str) -> None:
    folder, _a, b, _month = _published(tmp_path)
    (folder / name).write_bytes(b"garbage")
    (folder / "notes.txt").write_bytes(b"the person's own file")  # not ours: no notice
    report = b.sync(folder)
    [notice] = report.notices
    assert notice == f"{folder.resolve() / name}: a conflict copy left by the sync engine; ignored"
    assert len(b.ids()) == 2


@pytest.mark.parametrize("damage", ["truncate-half", "truncate-table", "bytes", "empty", "binary"])
def test_a_truncated_or_corrupt_file_is_skipped_and_loses_nothing(tmp_path: Path, damage: str) -> None:
    folder, a, b, month = _published(tmp_path)
    b.practise()
    before = b.history()
    data = month.read_bytes()
    cut = data.rindex(b"\n[[sessions]]") + 1
    month.write_bytes({
        "truncate-half": data[: len(data) // 2],
        "truncate-table": data[:cut],  # valid TOML that lost its last session
        "bytes": data.replace(b"planned_seconds = ", b"planned_seconds = x", 1),
        "empty": b"",
        "binary": b"\xff\xfe\x00garbage",
    }[damage])
    report = b.sync(folder)
    [notice] = report.notices
    assert str(month) in notice and "skipped" in notice
    assert b.history() == before  # the local history is untouched (and published)
    with a.store():
        pass
    assert len(a.ids()) == 2


def test_a_file_of_a_newer_format_version_is_skipped(tmp_path: Path) -> None:
    folder, _a, b, month = _published(tmp_path)
    month.write_text(month.read_text().replace(
        f"format_version = {FORMAT_VERSION}\n", f"format_version = {FORMAT_VERSION + 1}\n", 1))
    [notice] = b.sync(folder).notices
    assert "newer" in notice and str(month) in notice
    assert b.ids() == []


def test_a_missing_folder_is_an_error_and_changes_nothing(tmp_path: Path) -> None:
    (a,) = machines(tmp_path, 1)
    a.practise()
    with pytest.raises(SyncFolderError, match="no such sync folder"):
        a.sync(tmp_path / "nowhere")
    (tmp_path / "file").write_text("x")
    with pytest.raises(SyncFolderError, match="not a folder"):
        a.sync(tmp_path / "file")
    assert len(a.ids()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_still_merges_and_says_it_cannot_write(tmp_path: Path) -> None:
    folder, _a, b, _month = _published(tmp_path)
    b.practise()
    os.chmod(folder / SUBFOLDER, 0o555)
    try:
        report = b.sync(folder)
    finally:
        os.chmod(folder / SUBFOLDER, 0o755)
    assert len(b.ids()) == 3
    assert any("cannot write" in n for n in report.notices)


def test_a_read_only_folder_as_root_is_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import psoas_tui.history.sync as sync_module

    folder, _a, b, _month = _published(tmp_path)
    b.practise()

    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sync_module, "write_atomic", refuse)
    report = b.sync(folder)
    assert len(b.ids()) == 3
    assert [n for n in report.notices if "cannot write (Permission denied)" in n]


def test_two_devices_with_one_name_are_both_merged_with_a_notice(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b, c = machines(tmp_path, names=["vm", "vm", "desk"])
    a.practise()
    b.practise()
    a.sync(folder)
    b.sync(folder)
    report = c.sync(folder)
    assert report.added == {"vm (00000001)": 1, "vm (00000002)": 1}
    [notice] = report.notices
    assert "2 devices are named 'vm'" in notice
    assert len(c.ids()) == 2
    a.practise()  # the shared name is read again: not told again
    a.sync(folder)
    assert c.sync(folder).notices == []


def test_unknown_files_and_folders_get_one_notice_each(tmp_path: Path) -> None:
    folder, _a, b, month = _published(tmp_path)
    (month.parent / "notes.txt").write_text("hi")
    (folder / SUBFOLDER / "not-a-device").mkdir()
    (folder / SUBFOLDER / ".stfolder").mkdir()
    report = b.sync(folder)
    assert len(report.notices) == 2
    assert len(b.ids()) == 2


def test_a_file_claiming_another_device_is_skipped(tmp_path: Path) -> None:
    folder, _a, b, month = _published(tmp_path)
    other = folder / SUBFOLDER / "0f000000-0000-4000-8000-000000000000"
    other.mkdir()
    (other / month.name).write_bytes(month.read_bytes())
    report = b.sync(folder)
    assert any("does not match its folder" in n for n in report.notices)


# -- writing -------------------------------------------------------------------------------
def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_a_no_change_sync_rewrites_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    ms = machines(tmp_path)
    for m in ms:
        m.practise()
        m.clock.advance(40 * 86400)  # a second month
        m.practise()
    for m in [*ms, *ms]:
        m.sync(folder)
    before = _snapshot(folder)
    assert len(before) == 6
    for m in ms:
        report = m.sync(folder)
        assert (report.written, report.added, report.updated) == ([], {}, {})
    assert _snapshot(folder) == before


def test_only_the_changed_month_is_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (a,) = machines(tmp_path, 1)
    old = a.practise()
    a.clock.advance(40 * 86400)
    a.practise()
    assert len(a.sync(folder).written) == 2
    a.check_in(old, CheckIn(1, 2, 3, 4, "late"))
    assert a.sync(folder).written == ["2026-11"]


def test_files_are_private_and_the_format_is_an_export_after_a_header(tmp_path: Path) -> None:
    _folder, a, _b, month = _published(tmp_path)
    assert stat.S_IMODE(month.stat().st_mode) == 0o600
    from psoas_tui.history.importer import load_export

    text = month.read_text()
    body = tmp_path / "body.toml"
    body.write_text(text[text.index("[export]"):])
    assert sorted(r.id for r in load_export(body)) == a.ids()  # importable as it is


def test_a_new_device_gets_back_a_history_from_its_own_files(tmp_path: Path) -> None:
    """A state reset (restored backup, new data folder) re-reads this device's own files too."""
    folder, a, _b, _month = _published(tmp_path)
    a.db.unlink()
    report = a.sync(folder)
    assert len(a.ids()) == 2 and report.notices == []


# -- the store's part ----------------------------------------------------------------------
def test_every_write_moves_changed_at(tmp_path: Path) -> None:
    clock = FakeNow()
    with HistoryStore.open(tmp_path / "h.sqlite3", now=clock) as store:
        def changed(sid: str) -> str:
            return store.query("SELECT changed_at FROM sessions WHERE id = ?", [sid])[0][0]

        record = store.start_session(ROUTINE, 600)
        seen = [changed(record.id)]
        for step in (
            lambda: store.checkpoint(record.id, done_seconds=1, segments_done=0, left_seconds=0,
                                     right_seconds=0),
            lambda: store.finish(record.id, SessionStatus.COMPLETED, done_seconds=600,
                                 segments_done=1, left_seconds=0, right_seconds=0),
            lambda: store.save_checkin(record.id, CheckIn(1, 2, 3, 4, "x")),
            lambda: store.add_records([make_record(5)]),
        ):
            clock.advance(10)
            step()
            seen.append(changed(record.id) if len(seen) < 4 else changed(make_record(5).id))
        assert seen == sorted(set(seen)) and len(seen) == 5


def test_recovery_moves_changed_at(tmp_path: Path) -> None:
    clock = FakeNow()
    path = tmp_path / "h.sqlite3"
    store = HistoryStore.open(path, now=clock)
    record = store.start_session(ROUTINE, 600)
    store._owned.pop(record.id).release(remove=False)
    store._conn.close()
    clock.advance(99)
    with HistoryStore.open(path, now=clock) as again:
        (changed,) = again.query("SELECT changed_at FROM sessions WHERE id = ?", [record.id])[0]
    assert changed == "2026-11-20T07:01:39.000000+00:00"


def test_a_schema_2_history_gets_changed_at_from_updated_at(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with HistoryStore.open(path, now=FakeNow()) as store:
        store.add_records([make_record(1)])
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE sessions DROP COLUMN changed_at")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with HistoryStore.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.query("SELECT changed_at = updated_at FROM sessions") == [(1,)]


def test_the_tie_break_is_the_same_whatever_the_order(tmp_path: Path) -> None:
    one = make_record(1, checkin=CheckIn(1, 1, 1, 1, "one"))
    two = make_record(1, checkin=CheckIn(2, 2, 2, 2, "two"))
    stamp = "2026-11-20T09:00:00.000000+00:00"
    results = []
    for first, second in ((one, two), (two, one)):
        with HistoryStore.open(tmp_path / f"{len(results)}.sqlite3") as store:
            store.merge_newer([(first, stamp)])
            store.merge_newer([(second, stamp)])
            results.append(store.get(one.id))
    assert results[0] == results[1]


# -- the device ----------------------------------------------------------------------------
def test_the_device_id_is_made_once_and_private(tmp_path: Path) -> None:
    first = device_id(tmp_path)
    assert device_id(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "device-id").stat().st_mode) == 0o600
    assert device_name("  desk ") == "desk" and device_name("")


def test_a_damaged_device_id_is_an_error_not_a_new_device(tmp_path: Path) -> None:
    (tmp_path / "device-id").write_text("nope\n")
    from psoas_tui.errors import UserError

    with pytest.raises(UserError, match="device-id: not a device id"):
        device_id(tmp_path)


def test_a_sync_already_running_on_this_history_is_not_doubled(tmp_path: Path) -> None:
    import fcntl

    folder, _a, b, _month = _published(tmp_path)
    b.db.parent.mkdir(parents=True, exist_ok=True)
    lock = b.db.with_name("sync-state.json.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        report = b.sync(folder)
    finally:
        os.close(fd)
    assert "another sync" in report.notices[0] and b.ids() == []


def test_device_labels_tell_same_names_apart() -> None:
    assert Device("12345678-aaaa-4000-8000-000000000000", "vm").label == "vm (12345678)"


def test_an_older_copy_never_replaces_a_newer_one(tmp_path: Path) -> None:
    new = make_record(1, checkin=CheckIn(1, 1, 1, 1, "new"))
    old = make_record(1, checkin=CheckIn(2, 2, 2, 2, "old"))
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        assert store.merge_newer([(new, "2026-11-20T09:00:00.000000+00:00")]) == ([new.id], [])
        assert store.merge_newer([(old, "2026-11-20T08:59:59.999999+00:00")]) == ([], [])
        assert store.get(new.id) == new


def test_a_checkin_on_a_machine_whose_clock_is_behind_still_wins(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b = machines(tmp_path, 2)
    b.clock.advance(-600)  # b's clock is ten minutes slow
    sid = a.practise()
    a.sync(folder)
    b.sync(folder)
    b.check_in(sid, CheckIn(2, 6, None, None, "from the slow machine"))
    b.sync(folder)
    a.sync(folder)
    assert [r.checkin.note for r, _ in a.history()] == ["from the slow machine"]
    assert a.history() == b.history()
