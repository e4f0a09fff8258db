"""The app syncs at start and after each session, in a worker: the first screen never waits."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.screen import Screen

import psoas_tui.history.sync as sync_module
from psoas_tui.history.device import Device
from psoas_tui.history.store import HistoryStore
from psoas_tui.history.sync import sync
from psoas_tui.tui.screens.choose import ChooseScreen


def _other_device_shares_a_session(folder: Path, tmp_path: Path) -> str:
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from history_helpers import make_record

    record = make_record(3)
    with HistoryStore.open(tmp_path / "laptop.sqlite3") as store:
        store.add_records([record])
        sync(store, folder, Device("11111111-0000-4000-8000-000000000000", "laptop"))
    return record.id


async def test_the_app_syncs_at_start_and_says_what_it_added(make_app, tui_ctx, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    sid = _other_device_shares_a_session(folder, tmp_path)
    tui_ctx.settings = tui_ctx.settings.replace(sync_folder=str(folder))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = [n.message for n in app._notifications if n.title == "Sync"]
        assert shown == ["Added 1 session from laptop (11111111)"]
        assert tui_ctx.store.get(sid) is not None


async def test_the_first_screen_does_not_wait_for_the_sync(make_app, tui_ctx, tmp_path, monkeypatch) -> None:
    release, started = threading.Event(), threading.Event()

    def slow_sync(*args, **kwargs):
        started.set()
        release.wait(10)
        return sync_module.SyncReport()

    monkeypatch.setattr(sync_module, "sync", slow_sync)
    (tmp_path / "shared").mkdir()
    tui_ctx.settings = tui_ctx.settings.replace(sync_folder=str(tmp_path / "shared"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert started.wait(5)
        assert isinstance(app.screen, ChooseScreen)  # painted while the sync still runs
        release.set()
        await app.workers.wait_for_complete()


async def test_a_missing_folder_is_one_notice(make_app, tui_ctx, tmp_path) -> None:
    tui_ctx.settings = tui_ctx.settings.replace(sync_folder=str(tmp_path / "gone"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        [notice] = [n for n in app._notifications if n.title == "Sync"]
        assert "no such sync folder" in notice.message and notice.severity == "warning"


class RunScreen(Screen):
    """Stands in for the run screen (the app knows it by ``tui.host.SessionScreen``: a runner
    and ``action_stop``)."""

    runner = None

    def action_stop(self, then_quit: bool = False) -> None:
        """Nothing to stop."""


async def test_the_app_syncs_again_when_a_session_ends(make_app, tui_ctx, tmp_path, monkeypatch) -> None:
    calls = []
    (tmp_path / "shared").mkdir()
    tui_ctx.settings = tui_ctx.settings.replace(sync_folder=str(tmp_path / "shared"))
    app = make_app()
    monkeypatch.setattr(app, "_sync", lambda: calls.append("sync"))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        assert calls == ["sync"]
        await app.push_screen(RunScreen())
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert calls == ["sync"]
        app.pop_screen()
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert calls == ["sync", "sync"]


async def test_no_folder_no_sync(make_app, monkeypatch) -> None:
    calls = []
    app = make_app()
    monkeypatch.setattr(app, "_sync", lambda: calls.append("sync"))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert calls == []
