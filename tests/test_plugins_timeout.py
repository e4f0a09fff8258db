"""A plugin that hangs on import is reported and skipped after a bounded wait; the rest load."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

if str(Path(__file__).parent) not in sys.path:  # the fixtures package sits beside this file
    sys.path.insert(0, str(Path(__file__).parent))
from plugin_fixtures import hang_gate

from psoas_tui.plugin_host import host as plugins
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.routines import RoutineLibrary

TESTS = Path(__file__).parent
HANG_MODULE = "plugin_fixtures.psoas_fixture_hang"
GOOD_MODULE = "plugin_fixtures.psoas_fixture_good"


def write_dist(root: Path, dist: str, entry_points: dict[str, str]) -> None:
    """A minimal installed distribution (just its metadata) in ``root``."""
    info = root / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    lines = ["[psoas_tui]", *(f"{name} = {target}" for name, target in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


@pytest.fixture
def hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A good plugin and one whose import waits on a gate this fixture opens only at teardown."""
    write_dist(tmp_path, "psoas-tui-fixture-hang", {"fixture-hang": HANG_MODULE})
    write_dist(tmp_path, "psoas-tui-fixture-good", {"fixture-good": GOOD_MODULE})
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, HANG_MODULE, raising=False)
    monkeypatch.setenv(plugins.TIMEOUT_ENV, "0.2")
    hang_gate.RELEASE.clear()
    plugins._hung_imports.clear()
    yield tmp_path
    hang_gate.RELEASE.set()  # let the abandoned import thread end
    for thread in list(plugins._hung_imports.values()):
        thread.join(10)
    plugins._hung_imports.clear()


def test_a_plugin_that_hangs_on_import_is_reported_and_the_others_load(hanging: Path) -> None:
    host = build_plugin_host(entry_points=True, disabled=[])
    assert [(f.stage, f.message) for f in host.infos["fixture-hang"].failures] == [
        ("import", "import did not finish within 0.2 s")
    ]
    assert "fixture-hang" not in host.active
    assert host.infos["fixture-good"].status == "ok"
    assert "entry-point-export" in {e.name for _p, e in host.exporters()}
    assert "desk-break" in RoutineLibrary.load(host, user_dir=hanging / "none")


def test_a_second_host_does_not_wait_again_for_a_hung_import(hanging: Path) -> None:
    build_plugin_host(entry_points=True, disabled=[])
    thread = plugins._hung_imports[HANG_MODULE]
    again = build_plugin_host(entry_points=True, disabled=[])
    assert plugins._hung_imports[HANG_MODULE] is thread  # no second import thread was started
    assert again.infos["fixture-hang"].failures[0].message == "import did not finish within 0.2 s"


def test_once_the_import_finishes_a_later_host_loads_the_plugin(hanging: Path) -> None:
    build_plugin_host(entry_points=True, disabled=[])
    hang_gate.RELEASE.set()
    plugins._hung_imports[HANG_MODULE].join(10)
    host = build_plugin_host(entry_points=True, disabled=[])
    assert host.infos["fixture-hang"].status == "ok"
    assert HANG_MODULE not in plugins._hung_imports


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", 5.0), ("0.5", 0.5), ("12", 12.0), ("0", 5.0), ("-1", 5.0), ("soon", 5.0), ("inf", 5.0)],
)
def test_timeout_env_values(monkeypatch: pytest.MonkeyPatch, value: str, expected: float) -> None:
    monkeypatch.setenv(plugins.TIMEOUT_ENV, value)
    assert plugins.import_timeout_from_env() == expected


def test_the_cli_lists_the_hang_and_exits_although_the_import_thread_never_ends(hanging: Path) -> None:
    """The hung import runs in a daemon thread, so the process still exits when it is done."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.path[:0] = [{str(hanging)!r}, {str(TESTS)!r}]
        from psoas_tui.cli import main
        sys.exit(main(["routines"]))
        """
    )
    env = {**os.environ, plugins.TIMEOUT_ENV: "0.2"}
    env.pop(plugins.NO_PLUGINS_ENV, None)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "desk-break" in done.stdout
    assert "psoas-tui: plugin fixture-hang: import: import did not finish within 0.2 s" in done.stderr
