"""The log screen: stats header, heatmap, trend, paged table, details and export, on a real store."""

from __future__ import annotations

import threading
import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from seed import (
    FIXED_TODAY,
    TZ,
    HarnessApp,
    bulk_records,
    make_record,
    sample_records,
    seed_history,
    settle,
)
from textual.widgets import Checkbox, Input, Select, Sparkline, Static
from textual.widgets.select import InvalidSelectValueError

from psoas_tui.model import CheckIn, SessionStatus
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.export import ExportScreen, default_export_path
from psoas_tui.tui.screens.log import PAGE_SIZE, LogScreen, column_widths
from psoas_tui.tui.screens.session_detail import SessionDetailScreen, detail_rows
from psoas_tui.tui.widgets.heatmap import SHADES, CalendarHeatmap, level_for, weeks_from_days
from psoas_tui.tui.widgets.paged_table import PagedTable


def _log_app(ctx: AppContext, **kwargs: Any) -> HarnessApp:
    return HarnessApp(ctx, lambda: LogScreen(today=FIXED_TODAY, **kwargs))


def _text(widget: Static) -> str:
    return str(widget.render())


def _page_label(app: HarnessApp) -> str:
    return _text(app.screen.query_one("#log-page", Static))


def _table(app: HarnessApp) -> PagedTable:
    return app.screen.query_one("#log-table", PagedTable)


# -- pure helpers ------------------------------------------------------------------------------
def test_heatmap_levels_and_weeks() -> None:
    assert [level_for(m) for m in (0, 0.4, 1, 9.9, 10, 25, 30, 300)] == [0, 0, 1, 1, 2, 3, 4, 4]
    weeks = weeks_from_days([(date(2026, 11, 25), 12.0), (date(2026, 11, 30), 1.0)])
    assert [week[0][0] for week in weeks] == [date(2026, 11, 23), date(2026, 11, 30)]
    assert weeks[0][2] == (date(2026, 11, 25), 12.0) and weeks[0][0][1] == 0.0


def test_default_export_path() -> None:
    assert default_export_path(".toml", date(2026, 11, 23)) == "~/psoas-tui-history-2026-11-23.toml"
    assert default_export_path("json", date(2026, 1, 2)) == "~/psoas-tui-history-2026-01-02.json"


# -- the screen --------------------------------------------------------------------------------
async def test_stats_heatmap_trend_and_table_from_seeded_history(tui_ctx: AppContext) -> None:
    records = sample_records()
    seed_history(tui_ctx.history_path, records)
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LogScreen) and screen.stats is not None
        stats = screen.stats
        header = _text(screen.query_one("#log-stats", Static))
        assert f"Streak {stats.current_streak} day" in header
        assert f"(longest {stats.longest_streak})" in header
        assert f"This week {stats.week_days_done}/3 days" in header
        assert f"{len(records)} sessions" in header
        # the heatmap: 12 Monday-first weeks, today (a Monday) in the last column
        heatmap = screen.query_one(CalendarHeatmap)
        lines = ["".join(text for text, _cls in row) for row in heatmap.lines()]
        assert lines[1].startswith("Mon") and lines[7].startswith("Sun")
        assert len(heatmap.weeks) == 12 and heatmap.weeks[-1][0][0] == FIXED_TODAY
        today_minutes = heatmap.weeks[-1][0][1]
        assert today_minutes > 0
        assert lines[1].rstrip().endswith(SHADES[level_for(today_minutes)] * 2)
        assert all(line.endswith("   ") for line in lines[2:8])  # Tuesday to Sunday are still to come
        # the trend: "after" feelings per day, oldest first
        sparkline = screen.query_one("#log-sparkline", Sparkline)
        assert list(sparkline.data or []) == [a for _d, _b, a in stats.feeling_trend if a is not None]
        assert "avg before" in _text(screen.query_one("#log-trend-text", Static))
        # the table: newest first, the odd title shown literally and the app still running
        table = _table(app)
        assert table.row_count == len(records)
        first = table.get_row_at(0)
        assert str(first[1]) == "[@click=app\u2026"  # literal, cut to the column width
        assert str(first[0]) == "2026-11-23 18:05"
        assert str(first[3]) == "3\u21928"
        assert f"page 1 of 1 · {len(records)} sessions" in _page_label(app)
        assert app.is_running


async def test_first_frame_does_not_wait_for_the_store(tui_ctx: AppContext) -> None:
    seed_history(tui_ctx.history_path, sample_records())
    gate = threading.Event()

    class SlowContext(AppContext):
        @property
        def store(self) -> Any:
            gate.wait(timeout=30)
            return AppContext.store.fget(self)  # type: ignore[attr-defined]

    ctx = SlowContext(settings=tui_ctx.settings, history_path=tui_ctx.history_path)
    app = _log_app(ctx)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LogScreen)
            assert "Loading" in _text(screen.query_one("#log-stats", Static))  # painted, store still closed
            assert ctx._store is None
            gate.set()
            await settle(app, pilot)
            assert "Streak" in _text(screen.query_one("#log-stats", Static))
            assert _table(app).row_count == 68
    finally:
        gate.set()
        ctx.close()


async def test_empty_history(tui_ctx: AppContext) -> None:
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "Streak 0 days" in _text(app.screen.query_one("#log-stats", Static))
        assert "0 sessions" in _text(app.screen.query_one("#log-stats", Static))
        assert "page 1 of 1 · 0 sessions" in _page_label(app)
        assert "No check-ins" in _text(app.screen.query_one("#log-trend-text", Static))
        await pilot.press("n", "p", "enter", "down", "up")  # nothing to page or open; no crash
        assert isinstance(app.screen, LogScreen)


async def test_paging_keeps_one_page_mounted(tui_ctx: AppContext) -> None:
    seed_history(tui_ctx.history_path, bulk_records(250))
    app = _log_app(tui_ctx, page_size=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = _table(app)

        def first_id() -> str:
            item = table.items[0]
            return item.id

        newest = [r.id for r in sorted(bulk_records(250), key=lambda r: r.started_at, reverse=True)]
        assert table.row_count == 100 and "page 1 of 3 · 250 sessions" in _page_label(app)
        assert first_id() == newest[0]
        await pilot.press("n")
        await settle(app, pilot)
        assert "page 2 of 3" in _page_label(app) and first_id() == newest[100]
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert "page 3 of 3" in _page_label(app) and table.row_count == 50
        assert first_id() == newest[200]
        await pilot.press("n")  # already on the last page
        await settle(app, pilot)
        assert "page 3 of 3" in _page_label(app)
        await pilot.press("pageup")
        await settle(app, pilot)
        assert "page 2 of 3" in _page_label(app)
        await pilot.press("up")  # from the first row: the last row of the previous page
        await settle(app, pilot)
        assert "page 1 of 3" in _page_label(app) and table.cursor_row == 99
        assert table.current_item is not None and table.current_item.id == newest[99]
        await pilot.press("down")  # and back down onto the next page's first row
        await settle(app, pilot)
        assert "page 2 of 3" in _page_label(app) and table.cursor_row == 0
        await pilot.press("ctrl+end")
        await settle(app, pilot)
        assert "page 3 of 3" in _page_label(app)
        await pilot.press("ctrl+home")
        await settle(app, pilot)
        assert "page 1 of 3" in _page_label(app) and table.row_count == 100
        await pilot.press("p")  # already on the first page
        await settle(app, pilot)
        assert "page 1 of 3" in _page_label(app)


async def test_default_page_size_with_a_thousand_sessions(tui_ctx: AppContext) -> None:
    seed_history(tui_ctx.history_path, bulk_records(1_000))
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = _table(app)
        assert table.row_count == PAGE_SIZE <= 300
        assert "page 1 of 10 · 1,000 sessions" in _page_label(app)
        await pilot.press("ctrl+end")
        await settle(app, pilot)
        assert "page 10 of 10" in _page_label(app) and table.row_count == PAGE_SIZE
        oldest = min(bulk_records(1_000), key=lambda r: r.started_at)
        assert table.items[-1].id == oldest.id


async def test_enter_opens_details_with_every_field(tui_ctx: AppContext) -> None:
    started = datetime.combine(FIXED_TODAY, time(9, 15), TZ)
    note = 'tight "left" hip\nsecond line [b]not bold[/b] \u2713'
    record = make_record(
        1, started, status=SessionStatus.STOPPED, done_seconds=61.6,
        checkin=CheckIn(feeling_before=2, feeling_after=7, tightness_left=6, tightness_right=None, note=note),
    )
    seed_history(tui_ctx.history_path, [record])
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, SessionDetailScreen)
        assert detail.record == record
        rows = dict(detail_rows(record))
        assert rows["Routine"] == "Desk break" and rows["Routine id"] == "desk-break"
        assert rows["Status"] == "stopped" and rows["From"] == "the built-in pack"
        assert rows["Started"] == "2026-11-23 Mon 09:15:00 +0100"
        assert (rows["Done"], rows["Planned"], rows["Segments done"]) == ("1:02", "2:00", "5")
        assert (rows["Feeling before"], rows["Feeling after"]) == ("2/10", "7/10")
        assert (rows["Tightness left"], rows["Tightness right"]) == ("6/10", "-")
        assert rows["Note"] == note and rows["Session id"] == record.id
        shot = app.export_screenshot()
        assert "[b]not" in shot and "bold[/b]" in shot  # the note is shown literally
        await pilot.press("escape")
        assert isinstance(app.screen, LogScreen)


async def test_export_toml_and_json_refuses_to_overwrite(tui_ctx: AppContext, tmp_path: Path) -> None:
    records = sample_records()
    seed_history(tui_ctx.history_path, records)
    app = _log_app(tui_ctx)
    target = tmp_path / "out.toml"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.query_one("#export-format", Select).value == "toml"
        assert dialog.query_one("#export-path", Input).value == "~/psoas-tui-history-2026-11-23.toml"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        data = tomllib.loads(target.read_text(encoding="utf-8"))
        assert data["export"]["format"] == "psoas-tui-history"
        assert len(data["sessions"]) == len(records)
        assert ("information", f"Exported {len(records)} sessions to {target}") in app.notices

        # the same file again: refused inline until "replace" is ticked
        before = target.read_bytes()
        await pilot.press("e")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        assert dialog.query_one("#export-path", Input).value.endswith(".json")  # follows the format
        dialog.query_one("#export-format", Select).value = "toml"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportScreen)
        assert "already exists" in _text(dialog.query_one("#export-error", Static))
        assert target.read_bytes() == before
        dialog.query_one("#export-format", Select).value = "json"
        dialog.query_one("#export-replace", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        # issue 9 item 17: the suffix picks the format, as in the CLI (was: JSON written into out.toml)
        exported = tomllib.loads(target.read_text(encoding="utf-8"))
        assert len(exported["sessions"]) == len(records)


async def test_export_by_keyboard_only(tui_ctx: AppContext, tmp_path: Path) -> None:
    """e, type a path over the suggested one, Enter: the way the end-to-end test drives it."""
    seed_history(tui_ctx.history_path, sample_records())
    app = _log_app(tui_ctx)
    target = tmp_path / "typed.toml"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("e", *str(target), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        assert len(tomllib.loads(target.read_text(encoding="utf-8"))["sessions"]) == 68


async def test_export_failure_is_a_notification(tui_ctx: AppContext, tmp_path: Path) -> None:
    from psoas_tui.tui.screens.export import start_export

    seed_history(tui_ctx.history_path, sample_records())
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        target = tmp_path / "exists.toml"
        target.write_text("keep me", encoding="utf-8")
        start_export(app, "toml", target, replace=False)  # the file appeared after the dialog checked
        await settle(app, pilot)
        assert target.read_text(encoding="utf-8") == "keep me"
        assert any(sev == "error" and "already exists" in msg for sev, msg in app.notices)


async def test_export_cancel_and_bad_folder(tui_ctx: AppContext, tmp_path: Path) -> None:
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        dialog = app.screen
        dialog.query_one("#export-path", Input).value = str(tmp_path / "missing" / "x.toml")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "no such folder" in _text(dialog.query_one("#export-error", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("size", [(60, 20), (120, 40)])
async def test_other_sizes_do_not_crash(tui_ctx: AppContext, size: tuple[int, int]) -> None:
    seed_history(tui_ctx.history_path, sample_records())
    app = _log_app(tui_ctx)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert _table(app).row_count == 68
        assert app.screen.has_class("-narrow") == (size[0] < 64)


def test_sample_records_cover_today_minus_84_days() -> None:
    assert len(sample_records()) == 68  # the counts asserted above
    days = {r.started_at.date() for r in sample_records()}
    assert max(days) == FIXED_TODAY and min(days) >= FIXED_TODAY - timedelta(days=83)


async def test_reached_from_the_real_app(make_app: Any, tui_ctx: AppContext) -> None:
    """F2, F3 and F4 open the log, plugins and settings screens of ``PsoasApp``."""
    from psoas_tui.tui.screens.plugins import PluginsScreen
    from psoas_tui.tui.screens.settings import SettingsScreen

    seed_history(tui_ctx.history_path, sample_records())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        assert _table(app).row_count == len(sample_records())
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, PluginsScreen)
        await pilot.press("escape", "f4")
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)


async def test_export_formats_have_no_blank_choice_and_long_exports_announce(
    tui_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets._select import SelectOverlay

    from psoas_tui.tui.screens import export

    monkeypatch.setattr(export, "LONG_EXPORT", 10)
    seed_history(tui_ctx.history_path, sample_records())
    app = _log_app(tui_ctx)
    target = tmp_path / "long.toml"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        select = dialog.query_one("#export-format", Select)
        assert select.value == "toml"
        with pytest.raises(InvalidSelectValueError):
            select.clear()  # no blank "Looking for formats…" choice left to pick
        overlay = select.query_one(SelectOverlay)
        prompts = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
        assert prompts and not any("Looking for formats" in p for p in prompts)
        assert not dialog.query_one("#export-format-loading").display
        box = dialog.query_one("#export-replace", Checkbox)
        assert str(box.render()).startswith("▐ ▌")  # unticked reads without colour
        box.value = True
        assert str(box.render()).startswith("▐X▌")
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        messages = [message for _severity, message in app.notices]
        started, done = "Exporting 68 sessions\u2026", f"Exported 68 sessions to {target}"
        assert started in messages and messages.index(started) < messages.index(done)


def test_column_widths_share_the_width() -> None:
    narrow = column_widths(78)
    assert sum(narrow.values()) + 2 * len(narrow) == 78  # fills 80 columns less the scrollbar
    assert narrow["routine"] >= 12 and narrow["note"] >= 8
    wide = column_widths(128)
    assert wide["routine"] > 25 and wide["note"] > narrow["note"]
    assert column_widths(1000)["routine"] == 40  # the note takes the rest
    assert column_widths(40)["routine"] == 12  # too narrow: minimums, the table scrolls sideways


@pytest.mark.parametrize("width", [80, 130])
async def test_table_columns_fit_and_cut_with_an_ellipsis(tui_ctx: AppContext, width: int) -> None:
    long_note = "felt much looser in the left hip after the second round of holds"
    long_title = "Half-kneeling hip flexor with a reach and a twist"
    record = make_record(
        1,
        datetime.combine(FIXED_TODAY, time(8, 0), TZ),
        routine=("long", long_title, 300),
        checkin=CheckIn(feeling_before=3, feeling_after=7, note=long_note),
    )
    seed_history(tui_ctx.history_path, [record])
    app = _log_app(tui_ctx)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(app, pilot)
        table = _table(app)
        row = table.get_row_at(0)
        routine, note = str(row[1]), str(row[5])
        widths = {column.key.value: column.width for column in table.columns.values()}
        for cell, key in ((routine, "routine"), (note, "note")):
            assert len(cell) <= widths[key]
            assert cell.endswith("\u2026")  # cut: always with an ellipsis
        assert long_note.startswith(note[:-1]) and long_title.startswith(routine[:-1])
        assert table.virtual_size.width <= table.size.width  # every column on screen, no sideways scroll
        if width == 130:
            assert len(routine) > 25
        assert "page 1 of 1 · 1 session" in _page_label(app) and "sessions" not in _page_label(app)


def test_session_source_in_words() -> None:
    from psoas_tui.labels import stored_source_text as source_text

    assert source_text("builtin") == "the built-in pack"
    assert source_text("user") == "your routines"
    assert source_text("plugin:psoas-yoga") == "the psoas-yoga plugin"
    assert source_text("") == "-"


async def test_table_still_fills_when_the_stats_fail(
    tui_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first page and the stats are read by one worker; a stats error spoils only the header."""
    import psoas_tui.history.stats

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("stats went wrong")

    monkeypatch.setattr(psoas_tui.history.stats, "compute_stats", broken)
    seed_history(tui_ctx.history_path, sample_records())
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert _table(app).row_count == 68
        assert "page 1 of 1 · 68 sessions" in _page_label(app)
        header = _text(app.screen.query_one("#log-stats", Static))
        assert "Could not read the history: stats went wrong" in header


async def test_narrow_follows_the_screens_own_breakpoint_when_resized(tui_ctx: AppContext) -> None:
    """The log's ``-narrow`` (the trend goes) starts below 64 columns, not at the app's 72: the
    screen's HORIZONTAL_BREAKPOINTS win over the app's, also after a resize."""
    app = _log_app(tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        for width, narrow in ((68, False), (63, True), (64, False), (100, False), (60, True)):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            assert screen.has_class("-narrow") == narrow, width
            assert screen.query_one("#log-trend").display == (not narrow)
