"""bench/startup.py's machinery works (no timings asserted): the dummy plugins are real
installed-looking plugins, the /proc readers read, and the tmux pane sees the minimal app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import startup  # noqa: E402


def test_dummy_plugins_are_discovered_as_entry_points(tmp_path: Path) -> None:
    startup.make_dummy_plugins(tmp_path / "site", 5)
    code = (
        "from psoas_tui.plugin_host.host import build_plugin_host\n"
        "from psoas_tui.routines import RoutineLibrary\n"
        "from psoas_tui.model import CueStyle\n"
        "host = build_plugin_host()\n"
        "library = RoutineLibrary.load(host)\n"
        "styles = host.collect('psoas_tui_cue_styles', CueStyle, 'cue_styles')\n"
        "dummies = sorted(n for n, i in host.infos.items() if not i.builtin)\n"
        "print(len(dummies), len([r for r in library if r.id.startswith('bench-dummy')]),"
        " len([s for p, s in styles if s.name.startswith('bench-dummy')]), len(host.failures))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PSOAS_TUI_NO_PLUGINS"}
    env["PYTHONPATH"] = str(tmp_path / "site")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["5", "5", "5", "0"]


def test_proc_readers() -> None:
    assert startup.peak_rss_mib(os.getpid()) > 1
    assert startup.cpu_seconds(os.getpid()) > 0


def test_seeding_goes_through_the_store(tmp_path: Path) -> None:
    from psoas_tui.history.store import HistoryStore

    startup.seed_history(tmp_path, 50)
    with HistoryStore.open(tmp_path / "history.sqlite3") as store:
        assert store.count() == 50
        newest = store.page(0, 1)[0]
    assert newest.id == "bench-00000049" and newest.checkin is not None


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_pane_sees_the_minimal_app() -> None:
    from minimal_app import MARKER  # type: ignore[import-not-found]

    pane = startup.Pane()
    try:
        pane.launch([sys.executable, str(BENCH / "minimal_app.py")], {"TEXTUAL_ANIMATIONS": "none"})
        pid = pane.pid()
        pane.wait_for(MARKER, timeout=60)
        assert startup.peak_rss_mib(pid) > 1
        pane.stop()
    finally:
        pane.close()


def test_paint_marker_is_the_choose_screens_placeholder() -> None:
    from psoas_tui.tui.screens import choose

    source = Path(choose.__file__).read_text(encoding="utf-8")
    assert f'placeholder="{startup.PAINT_MARKER}' in source


def test_figure_marker_is_what_the_run_screen_shows_on_the_first_round() -> None:
    from psoas_tui.practice.timeline import build_timeline
    from psoas_tui.routines import RoutineLibrary
    from psoas_tui.tui.screens.run import rep_text

    routine = RoutineLibrary.load_local().get("half-kneeling")
    stretch = next(s for s in build_timeline(routine).segments if s.kind == "step" and s.reps > 1)
    assert rep_text(stretch) == startup.FIGURE_MARKER
