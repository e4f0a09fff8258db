"""``psoas-tui export`` / ``history`` / ``stats`` as a user meets them: pipes closed early, the
format picked from the file suffix, file permissions, and read-only use of a fresh data dir."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from history_helpers import make_record

from psoas_tui import paths
from psoas_tui.cli import main
from psoas_tui.history.store import HistoryStore

ROOT = Path(__file__).resolve().parents[1]


def _seed(count: int) -> None:
    with HistoryStore.open() as store:
        store.add_records([make_record(n) for n in range(count)])


def _cli(*args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PSOAS_TUI_NO_PLUGINS="1")
    return subprocess.Popen(
        [sys.executable, "-c", "from psoas_tui.cli import entry; entry()", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )


@pytest.mark.parametrize("command", [
    ["export", "--format", "toml", "-o", "-"],
    ["export", "--format", "json"],
    ["history", "--json"],
])
def test_a_pipe_closed_early_ends_quietly(command):
    # 1,500 sessions are far more than a pipe buffer holds, so the child is still writing (or
    # blocked writing) when the reader goes away, as with `psoas-tui export | head -1`.
    _seed(1500)
    child = _cli(*command)
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline()
    child.stdout.close()
    stderr = child.stderr.read()
    assert child.wait(timeout=60) == 0
    assert stderr.decode() == ""


def test_the_suffix_of_o_picks_the_format_and_an_unknown_one_is_refused(tmp_path, capsys):
    _seed(2)
    assert main(["export", "-o", str(tmp_path / "x.json")]) == 0
    assert len(json.loads((tmp_path / "x.json").read_text())["sessions"]) == 2
    assert main(["export", "-o", str(tmp_path / "X.TOML")]) == 0
    assert len(tomllib.loads((tmp_path / "X.TOML").read_text())["sessions"]) == 2
    capsys.readouterr()
    assert main(["export", "-o", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'.csv'" in err
    assert "json (.json)" in err and "toml (.toml)" in err and "--format" in err
    assert not (tmp_path / "x.csv").exists() and not list(tmp_path.glob(".x.csv*"))
    assert main(["export", "--format", "toml", "-o", str(tmp_path / "x.csv")]) == 0  # asked for
    assert tomllib.loads((tmp_path / "x.csv").read_text())["export"]["format"] == "psoas-tui-history"
    assert main(["export", "-o", str(tmp_path / "plain")]) == 0  # no suffix: toml
    assert tomllib.loads((tmp_path / "plain").read_text())["sessions"]


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")
def test_a_new_export_is_private_and_a_replaced_one_keeps_its_mode(tmp_path):
    _seed(1)
    old = os.umask(0o022)
    try:
        assert main(["export", "-o", str(tmp_path / "a.toml")]) == 0
        # issue 9 item 3: a new export is 0600 whatever the umask (was 0666 & ~umask)
        assert stat.S_IMODE((tmp_path / "a.toml").stat().st_mode) == 0o600
        (tmp_path / "b.toml").write_text("old")
        (tmp_path / "b.toml").chmod(0o600)
        assert main(["export", "--force", "-o", str(tmp_path / "b.toml")]) == 0  # keeps its mode
        assert stat.S_IMODE((tmp_path / "b.toml").stat().st_mode) == 0o600
    finally:
        os.umask(old)


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_history_limit_must_be_at_least_one(value, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["history", "--limit", value])
    assert exit_.value.code == 2
    assert "--limit" in capsys.readouterr().err


def test_read_only_commands_create_nothing_in_a_fresh_data_dir(tmp_path, capsys):
    data = paths.data_dir()
    assert not data.exists()
    assert main(["history"]) == 0
    assert "No sessions logged yet" in capsys.readouterr().out
    assert main(["history", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["total_sessions"] == 0 and figures["current_streak"] == 0
    assert main(["export", "-o", "-"]) == 0
    assert "sessions" not in tomllib.loads(capsys.readouterr().out)
    assert main(["export", "-o", str(tmp_path / "empty.json")]) == 0
    assert json.loads((tmp_path / "empty.json").read_text())["sessions"] == []
    assert not data.exists()
    # Writing still creates the file and its folder.
    with HistoryStore.open() as store:
        store.add_records([make_record(0)])
    assert paths.history_file().is_file()
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total_sessions"] == 1
