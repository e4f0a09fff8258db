"""``psoas-tui plugins [--json]`` as a subprocess: built-ins, installed plugins (fake metadata on
PYTHONPATH, no pip needed), failures, and the --no-plugins / PSOAS_TUI_DISABLE_PLUGINS switches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.commands.plugins import describe
from psoas_tui.plugin_host.host import PluginFailure, PluginInfo

TESTS = Path(__file__).resolve().parent
FIXTURES = "plugin_fixtures"
IMPORT_ERROR = "ModuleNotFoundError: No module named 'psoas_tui_fixture_no_such_dependency'"


def write_dist(root: Path, dist: str, version: str, entry_points: dict[str, str]) -> None:
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    lines = ["[psoas_tui]", *(f"{name} = {target}" for name, target in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "psoas_tui", *args],
        capture_output=True, text=True, check=False, env=full, stdin=subprocess.DEVNULL, timeout=120,
    )


def by_name(stdout: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in json.loads(stdout)}


@pytest.fixture
def installed(tmp_path: Path) -> dict[str, str]:
    """A good and a broken 'installed' plugin; returns the environment that shows them."""
    site = tmp_path / "site"
    write_dist(site, "psoas-tui-fixture-good", "1.2.3", {"fixture-good": f"{FIXTURES}.psoas_fixture_good"})
    broken = f"{FIXTURES}.psoas_fixture_import_error"
    write_dist(site, "psoas-tui-fixture-broken", "0.0.1", {"fixture-broken": broken})
    return {"PYTHONPATH": os.pathsep.join([str(site), str(TESTS)]), "PSOAS_TUI_NO_PLUGINS": ""}


def test_json_lists_the_builtins_with_their_contributions() -> None:
    done = cli("plugins", "--json")
    assert done.returncode == 0, done.stderr
    plugins = by_name(done.stdout)
    for name in ("builtin-routines", "builtin-cue-styles", "builtin-exporters"):
        assert plugins[name]["builtin"] is True
        assert plugins[name]["status"] == "ok"
        assert plugins[name]["distribution"] == "psoas-tui"
        assert plugins[name]["failures"] == []
    assert "desk-break" in plugins["builtin-routines"]["contributions"]["routines"]
    assert plugins["builtin-routines"]["hooks"] == ["psoas_tui_routines"]
    assert {"toml", "json"} <= set(plugins["builtin-exporters"]["contributions"]["exporters"])


def test_installed_plugins_are_listed_and_a_broken_one_is_reported(installed: dict[str, str]) -> None:
    done = cli("plugins", "--json", env=installed)
    assert done.returncode == 0, done.stderr
    plugins = by_name(done.stdout)
    good = plugins["fixture-good"]
    assert (good["distribution"], good["version"]) == ("psoas-tui-fixture-good", "1.2.3")
    assert good["status"] == "ok"
    assert good["contributions"] == {"exporters": ["entry-point-export"]}
    broken = plugins["fixture-broken"]
    assert broken["status"] == "failed"
    assert broken["failures"] == [
        {"stage": "import", "message": IMPORT_ERROR}
    ]
    text = cli("plugins", env=installed)
    assert text.returncode == 0
    assert "fixture-broken  0.0.1  (psoas-tui-fixture-broken)  1 failure" in text.stdout
    assert f"  FAILED import: {IMPORT_ERROR}" in text.stdout
    assert "1 with failures" in text.stdout
    # the rest keeps working
    routines = cli("routines", "--json", env=installed)
    assert routines.returncode == 0, routines.stderr
    assert "desk-break" in {r["id"] for r in json.loads(routines.stdout)}


def test_no_plugins_flag_lists_installed_plugins_as_disabled(installed: dict[str, str]) -> None:
    done = cli("--no-plugins", "plugins", "--json", env=installed)
    assert done.returncode == 0, done.stderr
    plugins = by_name(done.stdout)
    assert plugins["fixture-good"]["status"] == "disabled"
    assert plugins["fixture-broken"]["status"] == "disabled"
    assert plugins["fixture-broken"]["failures"] == []
    assert plugins["builtin-routines"]["status"] == "ok"


def test_disable_env_blocks_named_plugins(installed: dict[str, str]) -> None:
    env = {**installed, "PSOAS_TUI_DISABLE_PLUGINS": "fixture-broken,builtin-exporters"}
    done = cli("plugins", "--json", env=env)
    plugins = by_name(done.stdout)
    assert plugins["fixture-broken"]["status"] == "disabled"
    assert plugins["fixture-broken"]["disabled"] == "PSOAS_TUI_DISABLE_PLUGINS"
    assert plugins["builtin-exporters"]["status"] == "disabled"
    assert plugins["fixture-good"]["status"] == "ok"
    text = cli("plugins", env=env).stdout
    assert "fixture-broken  0.0.1  (psoas-tui-fixture-broken)  disabled by PSOAS_TUI_DISABLE_PLUGINS" in text
    assert "2 disabled" in text


def test_describe_shows_hooks_contributions_failures_and_warnings() -> None:
    info = PluginInfo(
        "voice", "psoas-tui-voice", "0.1.0", False, hooks=["psoas_tui_cue_styles"],
        contributions={"cue_styles": ["voice"]},
        failures=[PluginFailure("voice", "cue style 'voice'", "SpeakerMissing: no speech program")],
        warnings=["implements unknown hook 'psoas_tui_x'"],
    )
    assert describe(info) == [
        "voice  0.1.0  (psoas-tui-voice)  1 failure",
        "  hooks: psoas_tui_cue_styles",
        "  cue styles: voice",
        "  FAILED cue style 'voice': SpeakerMissing: no speech program",
        "  warning: implements unknown hook 'psoas_tui_x'",
    ]
