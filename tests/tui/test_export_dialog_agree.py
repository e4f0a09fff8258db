"""The export dialog's Format menu and file name always agree (a format chosen after typing a
file changes its suffix; a typed suffix selects its format), its errors are in the app's words
and show control characters as text."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from seed import sample_records, seed_history, settle
from textual.widgets import Input, Select

from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.export import path_for_format
from psoas_tui.tui.screens.log import LogScreen
from tests.tui.test_export_dialog import _error, _export_to, _log_app, _open_dialog

SUFFIXES = {"toml": ".toml", "json": ".json"}


def test_a_format_takes_the_place_of_another_formats_suffix() -> None:
    assert path_for_format("~/x2.toml", SUFFIXES, "json") == "~/x2.json"
    assert path_for_format("x2.JSON ", SUFFIXES, "toml") == "x2.toml"
    assert path_for_format("x2.json", SUFFIXES, "json") == "x2.json"
    assert path_for_format("notes", SUFFIXES, "json") == "notes"  # no suffix: the menu decides
    assert path_for_format("x.csv", SUFFIXES, "json") == "x.csv"  # refused when exporting


async def test_choosing_a_format_after_typing_a_file_changes_its_suffix(
    tui_ctx: AppContext, tmp_path: Path
) -> None:
    records = sample_records()
    seed_history(tui_ctx.history_path, records)
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        path_input = dialog.query_one("#export-path", Input)
        path_input.value = str(tmp_path / "x2.toml")
        await pilot.pause()
        dialog.query_one("#export-format", Select).value = "json"  # chosen in the menu afterwards
        await settle(app, pilot)
        assert path_input.value == str(tmp_path / "x2.json")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
    assert len(json.loads((tmp_path / "x2.json").read_text())["sessions"]) == len(records)
    assert not (tmp_path / "x2.toml").exists()


async def test_typing_a_suffix_after_choosing_a_format_selects_it(
    tui_ctx: AppContext, tmp_path: Path
) -> None:
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        select = dialog.query_one("#export-format", Select)
        select.value = "json"
        await settle(app, pilot)
        path_input = dialog.query_one("#export-path", Input)
        path_input.focus()
        path_input.value = ""
        await pilot.press(*str(tmp_path / "x2.toml"))
        await settle(app, pilot)
        assert select.value == "toml" and path_input.value.endswith("x2.toml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
async def test_errors_speak_the_apps_words_and_show_controls_as_text(
    tui_ctx: AppContext, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        await _export_to(app, pilot, dialog, fifo, replace=True)
        assert "-o -" not in _error(dialog) and _error(dialog).endswith("; choose a file name")
        await _export_to(app, pilot, dialog, tmp_path / "x\x1b[2J.csv")
        assert "\x1b" not in _error(dialog) and "x\\x1b[2J.csv" in _error(dialog)
