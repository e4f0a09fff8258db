"""Issue 9, the app's export dialog: the suffix picks the format, unknown suffixes and files that
are not regular files are refused, a symlink is written through, the last folder is remembered."""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path

import pytest
from seed import FIXED_TODAY, HarnessApp, sample_records, seed_history, settle
from textual.widgets import Checkbox, Input, Select, Static

from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.export import ExportScreen
from psoas_tui.tui.screens.log import LogScreen


def _log_app(ctx: AppContext) -> HarnessApp:
    return HarnessApp(ctx, lambda: LogScreen(today=FIXED_TODAY))


async def _open_dialog(app: HarnessApp, pilot) -> ExportScreen:
    await settle(app, pilot)
    await pilot.press("e")
    await settle(app, pilot)
    assert isinstance(app.screen, ExportScreen)
    return app.screen


async def _export_to(app: HarnessApp, pilot, dialog: ExportScreen, path: Path | str, *,
                     replace: bool = False) -> None:
    dialog.query_one("#export-path", Input).value = str(path)
    dialog.query_one("#export-replace", Checkbox).value = replace
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(app, pilot)


def _error(dialog: ExportScreen) -> str:
    return str(dialog.query_one("#export-error", Static).render())


async def test_the_suffix_picks_the_format(tui_ctx: AppContext, tmp_path: Path) -> None:
    records = sample_records()
    seed_history(tui_ctx.history_path, records)
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        assert dialog.query_one("#export-format", Select).value == "toml"
        await _export_to(app, pilot, dialog, tmp_path / "x.json")  # today: TOML inside x.json
        assert isinstance(app.screen, LogScreen)
        assert len(json.loads((tmp_path / "x.json").read_text())["sessions"]) == len(records)

        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        await _export_to(app, pilot, dialog, tmp_path / "y.toml")  # today: JSON inside y.toml
        assert len(tomllib.loads((tmp_path / "y.toml").read_text())["sessions"]) == len(records)


async def test_an_unknown_suffix_is_refused(tui_ctx: AppContext, tmp_path: Path) -> None:
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        await _export_to(app, pilot, dialog, tmp_path / "x.csv")  # today: TOML inside x.csv
        assert isinstance(app.screen, ExportScreen)
        assert _error(dialog) == "x.csv: no export format writes '.csv' files (available: .json, .toml)"
        assert not (tmp_path / "x.csv").exists()


async def test_the_last_folder_is_remembered(tui_ctx: AppContext, tmp_path: Path) -> None:
    app = _log_app(tui_ctx)
    folder = tmp_path / "backups"
    folder.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        await _export_to(app, pilot, dialog, folder / "first.toml")
        assert isinstance(app.screen, LogScreen)
        dialog = await _open_dialog(app, pilot)
        suggested = dialog.query_one("#export-path", Input).value
        assert suggested == str(folder / "psoas-tui-history-2026-11-23.toml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
async def test_a_fifo_or_device_is_refused(tui_ctx: AppContext, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        await _export_to(app, pilot, dialog, fifo, replace=True)
        assert isinstance(app.screen, ExportScreen)
        assert _error(dialog).startswith(f"{fifo}: is a FIFO (named pipe), not a regular file")
        assert stat.S_ISFIFO(fifo.stat().st_mode)
        await _export_to(app, pilot, dialog, "/dev/null", replace=True)
        assert _error(dialog).startswith("/dev/null: is a device, not a regular file")


async def test_a_symlink_is_written_through(tui_ctx: AppContext, tmp_path: Path) -> None:
    seed_history(tui_ctx.history_path, sample_records())
    target = tmp_path / "real.toml"
    target.write_text("old")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        await _export_to(app, pilot, dialog, link, replace=True)
        assert isinstance(app.screen, LogScreen)
    assert link.is_symlink() and link.resolve() == target
    assert tomllib.loads(target.read_text())["sessions"]
