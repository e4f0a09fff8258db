"""Issue 9, item 12: plugins that misbehave harder are isolated, named and switched off.

Unprintable objects and exceptions, ``sys.exit()`` in a cue style or an exporter, an exporter
that closes its stream, a cue style that blocks (the countdown must not wait for it), and
exporters that take what belongs to the built-ins. Also an unknown name in
``PSOAS_TUI_DISABLE_PLUGINS`` (item 24).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

if str(Path(__file__).parent) not in sys.path:  # the fixtures package sits beside this file
    sys.path.insert(0, str(Path(__file__).parent))
from plugin_fixtures import hostile

from psoas_tui.commands import plugins as plugins_command
from psoas_tui.errors import UserError
from psoas_tui.history import export
from psoas_tui.model import Cue, CueKind, Routine, SessionRecord, SessionStatus, Step, StepKind
from psoas_tui.plugin_host import host as plugins
from psoas_tui.plugin_host.host import PluginHost, build_plugin_host
from psoas_tui.practice.clock import FakeClock, session_clock
from psoas_tui.practice.delivery import CALL_LIMIT, CueDispatcher
from psoas_tui.practice.runner import SessionRunner
from psoas_tui.practice.ticker import DeadlineTicker
from psoas_tui.practice.timeline import build_timeline
from psoas_tui.routines import RoutineLibrary

GRACE = 10.0  # generous bound for a thread hand-off; never a timing assertion
CUE = Cue(CueKind.SEGMENT_START, "Lunge, left side", step_title="Lunge")
ROUTINE = Routine(id="r", title="R", summary="", steps=(Step(kind=StepKind.HOLD, title="Hold", seconds=20),))


def host_with(*extra: tuple[str, object], disabled: list[str] | None = None) -> PluginHost:
    return build_plugin_host(entry_points=False, disabled=disabled or [], extra=list(extra))


def messages_of(host: PluginHost, plugin: str) -> list[str]:
    return [f"{f.stage}: {f.message}" for f in host.failures if f.plugin == plugin]


def finishes(func: Callable[[], Any]) -> bool:
    """True when ``func()`` returns on another thread within GRACE (a blocked call would not)."""
    worker = threading.Thread(target=func, daemon=True)
    worker.start()
    worker.join(GRACE)
    return not worker.is_alive()


# -- unprintable objects ---------------------------------------------------------------------


def test_unprintable_results_and_errors_are_failures_of_their_plugin_not_crashes() -> None:
    host = host_with(("unprintables", hostile.Unprintables()), ("raises", hostile.RaisesUnprintable()))
    library = RoutineLibrary.load(host, user_dir=Path("/nonexistent"))
    styles = {style.name: plugin for plugin, style in host.cue_styles()}
    exporters = {exporter.name for _plugin, exporter in host.exporters()}
    assert library.get("desk-break")  # the built-in pack still loads
    assert {"text", "bell", "title", "notify"} <= set(styles) and {"toml", "json"} <= exporters
    assert styles["odd-name"] == "unprintables"
    name = next(style.name for _p, style in host.cue_styles() if style.name == "odd-name")
    assert type(name) is str  # copied: the subclass's raising __eq__/__hash__/__repr__ are gone
    odd = messages_of(host, "unprintables")
    assert any("needs a non-empty name" in m and "<Unprintable object>" in m for m in odd)
    assert "psoas_tui_cue_styles: cue style 'odd-title': title must be a string, got Unprintable" in odd
    assert "psoas_tui_cue_styles: returned Unprintable, expected CueStyle" in odd
    suffix = "psoas_tui_exporters: exporter 'odd-export': suffix must start with a dot"
    assert any(m.startswith(suffix) for m in odd)
    assert any(m.startswith("psoas_tui_routines:") for m in odd)
    unshown = "UnprintableError (its message could not be shown: str() raised)"
    assert messages_of(host, "raises") == [
        f"psoas_tui_routines: {unshown}",
        f"psoas_tui_cue_styles: {unshown}",
        f"psoas_tui_exporters: {unshown}",
    ]


def test_the_plugins_listing_survives_unprintable_plugins() -> None:
    host = host_with(("unprintables", hostile.Unprintables()), ("raises", hostile.RaisesUnprintable()))
    plugins_command.survey(host)
    text = "\n".join(line for info in host.infos.values() for line in plugins_command.describe(info))
    assert "unprintables" in text and "FAILED psoas_tui_cue_styles" in text
    assert [info.as_dict()["status"] for info in host.infos.values()][-2:] == ["failed", "failed"]


# -- cue styles: exit, unprintable errors, blocking --------------------------------------------


def bad_styles(
    clock: Callable[[], float] | None = None,
) -> tuple[hostile.BadStyles, CueDispatcher, list[str]]:
    plugin = hostile.BadStyles()
    host = host_with(("bad-styles", plugin))
    styles = [style for owner, style in host.cue_styles() if owner == "bad-styles"]
    notices: list[str] = []
    kwargs: dict[str, Any] = {"clock": clock} if clock is not None else {}
    return plugin, CueDispatcher(styles, notice=notices.append, **kwargs), notices


def test_a_style_calling_sys_exit_or_raising_the_unprintable_is_switched_off_naming_its_plugin() -> None:
    plugin, dispatcher, notices = bad_styles()
    plugin.gate.opened.set()
    try:
        dispatcher(CUE)
        dispatcher(CUE)
    except SystemExit:  # pragma: no cover - the bug this test is about
        pytest.fail("a cue style's sys.exit() ended the program")
    dispatcher.close()
    assert dispatcher.disabled["exits"] == "called sys.exit()"
    assert dispatcher.disabled["unprintable"].startswith("UnprintableError (its message could not be shown")
    assert "cue style 'exits' (plugin bad-styles) switched off for this session: called sys.exit()" in notices
    assert len(notices) == 2 and all("(plugin bad-styles)" in n for n in notices)
    assert {(f.plugin, f.stage) for f in dispatcher.failures} == {
        ("bad-styles", "cue style 'exits': cue"),
        ("bad-styles", "cue style 'unprintable': cue"),
    }
    assert len(plugin.fast) == 2 and dispatcher.active == ["blocks", "fast"]


def test_a_blocking_style_never_stretches_the_session_on_the_fake_clock() -> None:
    clock = FakeClock()
    plugin, dispatcher, notices = bad_styles(clock)
    timeline = build_timeline(ROUTINE)
    runner = SessionRunner(timeline, clock, on_cue=dispatcher)
    try:
        assert finishes(runner.start)
        assert plugin.gate.entered.wait(GRACE)  # the blocking handler holds its first cue
        for _second in range(int(timeline.total_seconds)):
            clock.advance(1)
            assert finishes(runner.tick), "a blocking cue style stalled the countdown"
            assert finishes(lambda: dispatcher.tick(runner.snapshot()))
        assert runner.finished and runner.status == "completed"
        assert plugin.fast[-1].kind is CueKind.COMPLETE  # the other styles got every cue, on time
        assert [c.kind for c in plugin.fast].count(CueKind.SEGMENT_START) == len(timeline.segments)
        assert "blocks" in dispatcher.disabled  # switched off once its call outlived the bound
        limit = f"cue style 'blocks' (plugin bad-styles) switched off for this session: " \
                f"a call did not return within {CALL_LIMIT:g} s"
        assert limit in notices
        assert timeline.total_seconds > CALL_LIMIT and len(plugin.gate.heard) == 1
        assert finishes(dispatcher.close)
    finally:
        plugin.gate.opened.set()


def test_the_ticker_finishes_on_time_while_a_style_blocks() -> None:
    plugin, dispatcher, _notices = bad_styles()
    clock = session_clock(0.0005)  # 25 session seconds in about 13 ms of real time
    runner = SessionRunner(build_timeline(ROUTINE), clock, on_cue=dispatcher)
    states: list[Any] = []

    def drive() -> None:
        runner.start()
        states.append(asyncio.run(DeadlineTicker(runner, lambda state, cues: dispatcher.tick(state)).run()))

    try:
        assert finishes(drive), "the ticker waited for a blocked cue style"
        assert states[0].status == "completed"
        assert plugin.fast[-1].kind is CueKind.COMPLETE
    finally:
        plugin.gate.opened.set()


# -- exporters ---------------------------------------------------------------------------------


def bad_exporter_host(disabled: list[str] | None = None) -> PluginHost:
    return host_with(("bad-exporters", hostile.BadExporters()), disabled=disabled)


def test_exporters_may_not_take_builtin_names_or_suffixes_and_suffixes_start_with_a_dot() -> None:
    host = bad_exporter_host()
    exporters = {exporter.name: plugin for plugin, exporter in host.exporters()}
    assert exporters["json"] == "builtin-exporters" and exporters["toml"] == "builtin-exporters"
    assert set(exporters) == {"toml", "json", "exits", "closes"}
    assert messages_of(host, "bad-exporters") == [
        "psoas_tui_exporters: exporter 'fake-json': suffix '.json' is reserved for a built-in exporter",
        "psoas_tui_exporters: exporter 'fake-toml': suffix '.TOML' is reserved for a built-in exporter",
        "psoas_tui_exporters: exporter 'json' is already taken by builtin-exporters",
        "psoas_tui_exporters: exporter 'no-dot': suffix must start with a dot, like '.csv', got 'csv'",
        "psoas_tui_exporters: exporter 'same-suffix': suffix '.closes' is already taken by bad-exporters",
    ]
    chosen = export.exporter_for_suffix(export.available_exporters(host), "backup.json")
    assert chosen is not None and chosen.name == "json"


def test_builtin_exporter_names_stay_reserved_when_the_builtins_are_disabled() -> None:
    host = bad_exporter_host(disabled=["builtin-exporters"])
    names = {exporter.name for _plugin, exporter in host.exporters()}
    assert "json" not in names and "fake-json" not in names
    reserved = "psoas_tui_exporters: exporter 'json': the name is reserved for a built-in exporter"
    assert reserved in messages_of(host, "bad-exporters")


def records() -> Iterator[SessionRecord]:
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    yield SessionRecord("s1", "desk-break", "Desk break", "builtin", now, 120, SessionStatus.COMPLETED)


def exporter_named(name: str) -> Any:
    return dict(export.available_exporters(bad_exporter_host()))[name]


def test_an_exporter_raising_system_exit_is_one_error_naming_its_plugin(tmp_path: Path) -> None:
    target = tmp_path / "out.exits"
    try:
        expected = r"export format 'exits' \(plugin bad-exporters\) failed: called sys.exit"
        with pytest.raises(UserError, match=expected):
            export._export(records(), exporter_named("exits"), target, False)
    except SystemExit:  # pragma: no cover - the bug this test is about
        pytest.fail("an exporter's SystemExit ended the program")
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_an_exporter_closing_its_stream_does_not_close_ours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.closes"
    assert export._export(records(), exporter_named("closes"), target, False) == 1
    assert target.read_bytes() == b"row\n"
    stdout = io.TextIOWrapper(io.BytesIO())
    monkeypatch.setattr(sys, "stdout", stdout)
    assert export._export(records(), exporter_named("closes"), None, False) == 1
    assert not stdout.closed
    stdout.write("still open\n")
    stdout.flush()
    assert stdout.buffer.getvalue() == b"row\nstill open\n"  # type: ignore[attr-defined]


# -- PSOAS_TUI_DISABLE_PLUGINS with an unknown name ----------------------------------------------


def test_an_unknown_name_in_the_disable_variable_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(plugins.DISABLE_ENV, "builtin-exporters, no-such-plugn")
    host = build_plugin_host(entry_points=True)
    (notice,) = host.notices
    assert str(notice).startswith(
        "PSOAS_TUI_DISABLE_PLUGINS: no plugin is named 'no-such-plugn', so it disables nothing (plugins: "
    )
    assert notice in host.new_failures()  # the app shows these as notices
    assert host.infos["builtin-exporters"].status == "disabled"  # the known name still works
    monkeypatch.setattr(plugins_command, "build_plugin_host", lambda: host)
    plugins_command.run(argparse.Namespace(json=False))
    assert "no plugin is named 'no-such-plugn'" in capsys.readouterr().err
