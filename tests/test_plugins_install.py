"""The example plugins as a user gets them: each is built as a wheel, pip-installed into ONE fresh
virtualenv beside a wheel of psoas-tui, seen through the CLI, then uninstalled and seen gone. A
broken plugin distribution is installed too and reported while everything else keeps working.

Kept fast: wheels are built with ``build.ProjectBuilder`` (no isolation: hatchling comes with the
``test`` extra), the virtualenv is made without pip (the running pip installs into it with
``--python``), and psoas-tui's own dependencies come from pip's cache after the first run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = {
    "psoas-tui": ROOT,
    "psoas-tui-deskpack": ROOT / "plugins" / "psoas-tui-deskpack",
    "psoas-tui-chimes": ROOT / "plugins" / "psoas-tui-chimes",
    "psoas-tui-export-extra": ROOT / "plugins" / "psoas-tui-export-extra",
    "psoas-tui-broken": ROOT / "tests" / "plugin_fixtures" / "psoas-tui-broken",
}
DESK_FOLDER = PROJECTS["psoas-tui-deskpack"] / "src" / "psoas_tui_deskpack" / "routines"
DESK_ROUTINES = {p.stem for p in DESK_FOLDER.glob("*.toml")}
BROKEN_IMPORT = "ModuleNotFoundError: No module named 'psoas_tui_broken_missing_dependency'"
STYLES = "builtin-cue-styles"
PIP_TIMEOUT = 600
CLI_TIMEOUT = 120


@dataclass
class Env:
    """The fresh virtualenv, its wheels and the folders its app uses."""

    root: Path
    wheels: dict[str, Path]
    data: Path
    config: Path

    @property
    def python(self) -> Path:
        return self.root / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

    @property
    def bindir(self) -> Path:
        return self.python.parent

    def environ(self) -> dict[str, str]:
        dropped = ("PSOAS_TUI_", "PYTHON", "VIRTUAL_ENV")
        env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
        env.update(PSOAS_TUI_DATA_DIR=str(self.data), PSOAS_TUI_CONFIG_DIR=str(self.config))
        return env

    def pip(self, *args: str) -> None:
        cmd = [sys.executable, "-m", "pip", "--python", str(self.python), *args]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=PIP_TIMEOUT)
        assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"

    def install(self, *projects: str) -> None:
        self.pip("install", "--quiet", "--find-links", str(self.wheels["psoas-tui"].parent),
                 *(str(self.wheels[p]) for p in projects))

    def uninstall(self, *projects: str) -> None:
        self.pip("uninstall", "--yes", *projects)

    def run(self, argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` outside the source tree (so ``-c`` cannot import the checkout)."""
        return subprocess.run(
            argv, capture_output=True, text=True, check=False, cwd=self.root.parent,
            env=env or self.environ(), stdin=subprocess.DEVNULL, timeout=CLI_TIMEOUT,
        )

    def cli(
        self, *args: str, expect: int = 0, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        done = self.run([str(self.bindir / "psoas-tui"), *args], env)
        assert done.returncode == expect, f"psoas-tui {' '.join(args)} -> {done.returncode}\n{done.stderr}"
        return done

    def plugins(self) -> dict[str, dict[str, Any]]:
        return {p["name"]: p for p in json.loads(self.cli("plugins", "--json").stdout)}

    def routines(self) -> dict[str, dict[str, Any]]:
        return {r["id"]: r for r in json.loads(self.cli("routines", "--json").stdout)}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    """Wheels of psoas-tui and every plugin, and one fresh virtualenv with psoas-tui installed."""
    build = pytest.importorskip("build")
    base = tmp_path_factory.mktemp("install")
    wheelhouse = base / "wheels"
    wheels = {
        name: Path(build.ProjectBuilder(str(path)).build("wheel", str(wheelhouse)))
        for name, path in PROJECTS.items()
    }
    venv.EnvBuilder(with_pip=False, system_site_packages=False, clear=True).create(base / "venv")
    environment = Env(base / "venv", wheels, base / "data", base / "config")
    environment.install("psoas-tui")
    yield environment


def test_fresh_virtualenv_has_only_the_builtins(env: Env) -> None:
    where = "import sys, psoas_tui; print(sys.prefix); print(psoas_tui.__file__)"
    done = env.run([str(env.python), "-c", where])
    prefix, location = done.stdout.split()
    assert Path(prefix) == env.root  # not the developer's virtualenv
    assert Path(location).is_relative_to(env.root)  # a real (non-editable) install
    plugins = env.plugins()
    assert set(plugins) == {"builtin-routines", "builtin-cue-styles", "builtin-exporters"}
    assert all(p["status"] == "ok" for p in plugins.values())


def test_deskpack_routines_appear_and_go_away(env: Env) -> None:
    env.install("psoas-tui-deskpack")
    try:
        plugin = env.plugins()["deskpack"]
        assert (plugin["distribution"], plugin["version"]) == ("psoas-tui-deskpack", "0.1.0")
        assert plugin["status"] == "ok"
        assert plugin["hooks"] == ["psoas_tui_poses", "psoas_tui_routines"]
        assert set(plugin["contributions"]["routines"]) == DESK_ROUTINES
        routines = env.routines()
        assert len(DESK_ROUTINES) >= 4
        for routine_id in DESK_ROUTINES:
            assert routines[routine_id]["source"] == "plugin:deskpack"
        assert "desk-break" in routines  # the built-ins are still there
    finally:
        env.uninstall("psoas-tui-deskpack")
    assert "deskpack" not in env.plugins()
    assert not DESK_ROUTINES & set(env.routines())


def test_chimes_style_appears_reports_a_missing_player_and_goes_away(env: Env) -> None:
    builtin_styles = env.plugins()["builtin-cue-styles"]["contributions"]["cue_styles"]
    assert "voice" in builtin_styles  # spoken cues are built in, no plugin needed
    env.install("psoas-tui-chimes")
    try:
        plugin = env.plugins()["chimes"]
        assert (plugin["distribution"], plugin["status"]) == ("psoas-tui-chimes", "ok")
        assert plugin["contributions"] == {"cue_styles": ["chimes"]}
        # With no audio player on PATH, the first cue raises one clear error.
        probe = (
            "from psoas_tui.api import Cue, CueKind, build_plugin_host\n"
            "host = build_plugin_host()\n"
            "style = dict((s.name, (p, s)) for p, s in host.cue_styles())['chimes']\n"
            "for kind in (CueKind.SEGMENT_START, CueKind.SIDE_SWITCH):\n"
            "    host.guard(style[0], 'cue style chimes', style[1].handler, Cue(kind, 'Begin'))\n"
            "print('\\n'.join(str(f) for f in host.failures))\n"
        )
        environ = {**env.environ(), "PATH": str(env.bindir)}
        done = env.run([str(env.python), "-c", probe], env=environ)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines() == [
            "plugin chimes: cue style chimes: No audio player was found (looked for pw-play, paplay, "
            "aplay and afplay); install pipewire, pulseaudio-utils or alsa-utils to hear chimes."
        ]
    finally:
        env.uninstall("psoas-tui-chimes")
    assert "chimes" not in env.plugins()


def _seed_history(env: Env, tmp_path: Path, session_id: str) -> None:
    from psoas_tui.history.export import write_toml
    from psoas_tui.model import CheckIn, SessionRecord, SessionStatus

    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    record = SessionRecord(
        id=session_id, routine_id="desk-break", routine_title="Two-minute desk break",
        routine_source="builtin", started_at=start, planned_seconds=120, status=SessionStatus.COMPLETED,
        ended_at=start + timedelta(seconds=130), done_seconds=120.0, segments_done=7,
        checkin=CheckIn(feeling_before=4, feeling_after=7, note="fine"),
    )
    path = tmp_path / "seed.toml"
    with path.open("wb") as stream:
        write_toml([record], stream)
    env.cli("import", str(path))


def test_export_extra_formats_appear_export_and_go_away(env: Env, tmp_path: Path) -> None:
    session_id = str(uuid.uuid4())
    _seed_history(env, tmp_path, session_id)
    env.install("psoas-tui-export-extra")
    try:
        plugin = env.plugins()["export-extra"]
        assert plugin["status"] == "ok"
        assert plugin["contributions"] == {"exporters": ["csv", "ics"]}
        csv_text = env.cli("export", "--format", "csv").stdout.lstrip("\ufeff")
        lines = csv_text.splitlines()
        assert lines[0].startswith("session_id,date,started_at")
        assert len(lines) == 2 and lines[1].startswith(f"{session_id},2026-11-20,")
        ics_text = env.cli("export", "--format", "ics").stdout
        assert ics_text.startswith("BEGIN:VCALENDAR")
        assert f"UID:{session_id}" in ics_text and ics_text.count("BEGIN:VEVENT") == 1
    finally:
        env.uninstall("psoas-tui-export-extra")
    assert "export-extra" not in env.plugins()
    gone = env.cli("export", "--format", "csv", expect=2)
    assert "csv" in gone.stderr and len(gone.stderr.strip().splitlines()) == 1


def test_a_broken_distribution_is_reported_while_the_rest_works(env: Env) -> None:
    env.install("psoas-tui-broken", "psoas-tui-deskpack")
    try:
        plugins = env.plugins()
        assert plugins["broken-import"]["status"] == "failed"
        assert plugins["broken-import"]["distribution"] == "psoas-tui-broken"
        assert plugins["broken-import"]["failures"] == [
            {"stage": "import", "message": BROKEN_IMPORT}
        ]
        assert plugins["broken-hooks"]["failures"] == [
            {"stage": "psoas_tui_routines", "message": "RuntimeError: broken routines hook"},
            {"stage": "psoas_tui_cue_styles", "message": f"cue style 'text' is already taken by {STYLES}"},
            {"stage": "psoas_tui_exporters", "message": "returned int, expected an iterable"},
        ]
        assert plugins["deskpack"]["status"] == "ok"
        assert plugins["builtin-cue-styles"]["contributions"]["cue_styles"][0] == "text"
        routines = env.routines()
        assert set(routines) >= DESK_ROUTINES and "desk-break" in routines
        assert env.cli("export", "--format", "json").stdout.startswith("{")
        text = env.cli("plugins").stdout
        assert "FAILED import: ModuleNotFoundError" in text
        assert "2 with failures" in text
        # Blocking the broken plugins by distribution name silences them without uninstalling.
        blocking = {**env.environ(), "PSOAS_TUI_DISABLE_PLUGINS": "psoas-tui-broken"}
        blocked = env.cli("plugins", "--json", env=blocking)
        states = {p["name"]: p["status"] for p in json.loads(blocked.stdout)}
        assert states["broken-import"] == states["broken-hooks"] == "disabled"
        assert states["deskpack"] == "ok"
    finally:
        env.uninstall("psoas-tui-broken", "psoas-tui-deskpack")
    assert not {"broken-import", "broken-hooks", "deskpack"} & set(env.plugins())
