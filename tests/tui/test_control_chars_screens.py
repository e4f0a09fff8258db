"""Control characters never reach the terminal from the app (issue 9, item 1): Rich strips only
BEL, BS, VT, FF and CR, so ESC, DEL and C1 controls in a stored row, a plugin's routine or a
plugin's message would be painted raw. Each screen is checked on what it really paints."""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path
from typing import Any

from seed import FIXED_TODAY, TZ, HarnessApp, make_record, seed_history, settle

from psoas_tui.api import Exporter, hookimpl
from psoas_tui.model import CheckIn, Routine, RoutineSource, Step, StepKind
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.routines import RoutineLibrary
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.choose import ChooseScreen
from psoas_tui.tui.screens.log import LogScreen
from psoas_tui.tui.screens.plugins import PluginsScreen
from psoas_tui.tui.screens.session_detail import SessionDetailScreen

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ESC_TITLE = "\x1b]0;pwned\x07"
HOSTILE = f"Evil {ESC_TITLE}\x9b2J\x7f"
SHOWN = "Evil \\x1b]0;pwned\\x07\\u009b2J\\u007f"


def painted(app: Any) -> str:
    """Every line the top screen paints, as the terminal would receive its characters."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_clean(text: str) -> None:
    found = RAW_CONTROL.search(text)
    assert found is None, f"raw {found.group()!r} painted"


def hostile_record() -> Any:
    started = datetime.combine(FIXED_TODAY, time(9, 15), TZ)
    record = make_record(1, started, checkin=CheckIn(feeling_before=3, note=f"note {ESC_TITLE}\x9b"))
    return record.__class__(**{
        **{slot: getattr(record, slot) for slot in record.__slots__},  # type: ignore[attr-defined]
        "routine_title": HOSTILE,
        "routine_source": f"plugin:x{ESC_TITLE}",
    })


async def test_session_detail_neutralises_a_stored_row(tmp_path: Path) -> None:
    ctx = AppContext(config_path=tmp_path / "config.toml", history_path=tmp_path / "h.sqlite3")
    app = HarnessApp(ctx, lambda: SessionDetailScreen(hostile_record()))
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.pause()
        text = painted(app)
    assert_clean(text)
    assert SHOWN in text and "note \\x1b]0;pwned\\x07\\u009b" in text
    assert "the x\\x1b]0;pwned\\x07 plugin" in text


async def test_log_table_neutralises_a_stored_row(tui_ctx: AppContext) -> None:
    seed_history(tui_ctx.history_path, [hostile_record()])
    app = HarnessApp(tui_ctx, lambda: LogScreen(today=FIXED_TODAY))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = painted(app)
    assert_clean(text)
    assert "Evil" in text


def hostile_routine() -> Routine:
    return Routine(
        id="hostile",
        title=HOSTILE,
        summary=HOSTILE,
        tags=(HOSTILE,),
        cautions=(HOSTILE,),
        sources=(HOSTILE,),
        steps=(Step(kind=StepKind.HOLD, title=HOSTILE, cue=HOSTILE, seconds=10),),
        source=RoutineSource("plugin", f"pack{ESC_TITLE}"),
    )


async def test_choose_list_and_detail_pane_neutralise_routine_text(
    make_app: Any, tui_ctx: AppContext
) -> None:
    tui_ctx._library = RoutineLibrary([hostile_routine()])  # as a plugin could hand it over unchecked
    app = make_app(tui_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        text = painted(app)
    assert_clean(text)
    assert "Evil \\x1b]0;pwned" in text


class _HostilePlugin:
    @hookimpl
    def psoas_tui_exporters(self) -> list[Exporter]:
        return [Exporter(name="evil", suffix=".evil", title=HOSTILE, write=lambda r, s: None)]

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[object]:
        raise RuntimeError(f"boom {ESC_TITLE}\x9b")


async def test_plugins_screen_neutralises_names_and_failures(tmp_path: Path) -> None:
    host = build_plugin_host(entry_points=False, extra=[(f"evil{ESC_TITLE}", _HostilePlugin())])
    ctx = AppContext(config_path=tmp_path / "config.toml", history_path=tmp_path / "h.sqlite3", _host=host)
    app = HarnessApp(ctx, PluginsScreen)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        text = painted(app)
    assert_clean(text)
    assert "evil\\x1b]0;pwned\\x07" in text and "boom \\x1b]0;pwned\\x07\\u009b" in text
