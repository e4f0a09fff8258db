"""A real, non-editable wheel ships the built-in routines and finds them once installed.

The wheel is built from this checkout into ``tmp_path``, installed with
``pip install --no-deps --target``, and imported by a child Python that runs from ``tmp_path``
with the checkout removed from ``sys.path`` — so only the installed copy can answer.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ROUTINE_FILES = sorted(p.name for p in (REPO / "routines").glob("*.toml"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once for this module (offline when hatchling is installed)."""
    out = tmp_path_factory.mktemp("dist")
    if importlib.util.find_spec("hatchling") and importlib.util.find_spec("build"):
        command = [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ]
    else:  # a fresh virtualenv: let pip fetch the build backend
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(REPO)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    wheels = list(out.glob("psoas_tui-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contains_every_builtin_routine(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for name in ROUTINE_FILES:
            member = f"psoas_tui/routines/{name}"
            assert member in names
            assert zf.read(member) == (REPO / "routines" / name).read_bytes()
    assert "psoas_tui/__init__.py" in names
    assert not any(n.startswith(("tests/", "routines/", ".venv/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    with zipfile.ZipFile(wheel) as zf:
        assert "psoas-tui = psoas_tui.cli:entry" in zf.read(entry_points).decode()


PROBE = """
import json, os, sys
site, repo = sys.argv[1], os.path.realpath(sys.argv[2])
# the editable install's .pth puts the checkout on sys.path: take it off
sys.path[:] = [site] + [p for p in sys.path if p and os.path.realpath(p) != repo]
import psoas_tui
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.routines import RoutineLibrary
library = RoutineLibrary.load(build_plugin_host(entry_points=False))
print(json.dumps({
    "package": psoas_tui.__file__,
    "routines": {r.id: [r.source.kind, r.source.path] for r in library},
    "notices": [str(n) for n in library.notices],
}))
"""


def test_installed_wheel_finds_every_builtin_routine(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            "--target",
            str(site),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert install.returncode == 0, install.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    probe = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, str(site), str(REPO)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert Path(found["package"]).is_relative_to(site)  # the installed copy, not the checkout
    assert found["notices"] == []
    assert sorted(found["routines"]) == sorted(Path(n).stem for n in ROUTINE_FILES)
    for kind, path in found["routines"].values():
        assert kind == "builtin"
        assert Path(path).is_relative_to(site / "psoas_tui" / "routines")
