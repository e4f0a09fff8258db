"""``psoas-tui sync``, the app's config keys, a kill -9 mid-sync, and git as the transport."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from history_helpers import make_record
from sync_helpers import machines

from psoas_tui.cli import main
from psoas_tui.config import load_settings
from psoas_tui.history.store import HistoryStore
from psoas_tui.history.sync import SUBFOLDER, parse_month


def test_sync_without_a_folder_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_bad_folder_is_one_line_status_2_and_not_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--folder", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err == f"psoas-tui: {tmp_path / 'nope'}: no such sync folder\n"
    assert load_settings().sync_folder == ""


def test_folder_is_saved_then_used_and_stop_clears_it(tmp_path: Path, app_dirs: Any,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    other = machines(tmp_path, 1, names=["laptop"])[0]
    other.practise()
    other.sync(shared)
    assert main(["sync", "--folder", str(shared)]) == 0
    assert capsys.readouterr().out == "Added 1 session from laptop (00000001)\n"
    assert load_settings().sync_folder == str(shared.resolve())
    assert main(["sync"]) == 0
    assert capsys.readouterr().out == "Nothing new (1 other device in the sync folder)\n"
    assert (app_dirs.config / "device-id").exists()
    assert main(["sync", "--stop"]) == 0
    assert load_settings().sync_folder == ""


def test_notices_go_to_stderr_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared"
    (shared / SUBFOLDER / "junk\x1b[31m").mkdir(parents=True)
    assert main(["sync", "--folder", str(shared)]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "not a device folder" in err


def test_a_bad_sync_folder_setting_names_file_line_and_field(app_dirs: Any,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    app_dirs.config.mkdir(parents=True)
    (app_dirs.config / "config.toml").write_text("weekly_goal = 3\nsync_folder = 5\n")
    assert main(["sync"]) == 2
    err = capsys.readouterr().err
    assert err.endswith("config.toml:2: sync_folder: must be a string on one line, got 5\n")


def test_device_name_from_config_is_used(tmp_path: Path, app_dirs: Any) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    app_dirs.config.mkdir(parents=True)
    (app_dirs.config / "config.toml").write_text('device_name = "study"\n')
    with HistoryStore.open() as store:
        store.add_records([make_record(1)])
    assert main(["sync", "--folder", str(shared)]) == 0
    [month] = shared.glob(f"{SUBFOLDER}/*/*.toml")
    assert 'device_name = "study"' in month.read_text()


# -- kill -9 in the middle of a sync ---------------------------------------------------------
_SYNC_CHILD = """
import sys
from pathlib import Path
from typing import Any
from psoas_tui.history.device import Device
from psoas_tui.history.store import HistoryStore
from psoas_tui.history.sync import sync
with HistoryStore.open(Path(sys.argv[1])) as store:
    print("ready", flush=True)
    sync(store, Path(sys.argv[2]), Device(sys.argv[3], "victim"))
print("done", flush=True)
"""


def _big_history(path: Path, count: int) -> None:
    base = make_record(0)
    with HistoryStore.open(path) as store:
        store.add_records(
            make_record(0, id=f"00000000-0000-4000-8000-{n:012d}",
                        started_at=base.started_at + timedelta(hours=7 * n),
                        ended_at=base.started_at + timedelta(hours=7 * n, minutes=10))
            for n in range(count))


def test_kill_9_during_a_sync_loses_nothing_and_a_rerun_converges(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    a, b = machines(tmp_path, 2)
    _big_history(a.db, 4000)  # ~ 40 month files: the kill lands while they are written
    a.sync(shared)
    b.practise()
    before = b.history()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]), *sys.path])}
    kills = 0
    for delay in (0.05, 0.15, 0.3, 0.6):
        child = subprocess.Popen([sys.executable, "-c", _SYNC_CHILD, str(b.db), str(shared), b.device.id],
                                 stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
        ids = b.ids()  # the history opens, is whole, and lost nothing
        assert set(r.id for r, _ in before) <= set(ids) and len(ids) in (1, 4001)
        for month in (shared / SUBFOLDER / b.device.id).glob("*.toml"):  # every file is whole
            parse_month(month.read_bytes(), month)
    assert kills >= 1
    b.sync(shared)
    a.sync(shared)
    assert a.history() == b.history() and len(a.ids()) == 4001
    assert not list((shared / SUBFOLDER / b.device.id).glob(".psoas-tui-*"))  # leftovers removed


# -- git as the transport ------------------------------------------------------------------
def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_git_repository_as_the_transport_never_conflicts(tmp_path: Path) -> None:
    import random

    bare = tmp_path / "remote.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    ms = machines(tmp_path)
    clones = []
    for i, _m in enumerate(ms):
        clone = tmp_path / f"clone{i}"
        _git(tmp_path, "clone", "-q", str(bare), str(clone))
        _git(clone, "checkout", "-q", "-B", "main")
        clones.append(clone)
    rng = random.Random(13)
    from psoas_tui.model import CheckIn

    def round_trip(i: int) -> None:
        """pull, sync, commit, push: what a cron job or a shell alias would do."""
        clone = clones[i]
        if _git(clone, "ls-remote", "--heads", "origin", "main"):
            _git(clone, "pull", "-q", "--no-rebase", "origin", "main")
        ms[i].sync(clone)
        _git(clone, "add", "-A")
        if _git(clone, "status", "--porcelain"):
            _git(clone, "commit", "-q", "-m", f"sync {ms[i].device.name}")
        if subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=clone,
                          capture_output=True).returncode == 0:
            _git(clone, "push", "-q", "origin", "main")

    for _step in range(24):
        i = rng.randrange(3)
        action = rng.choice(["practise", "checkin", "sync"])
        ms[i].clock.advance(rng.randrange(1, 5000))
        if action == "practise":
            ms[i].practise()
        elif action == "checkin" and ms[i].ids():
            ms[i].check_in(rng.choice(ms[i].ids()), CheckIn(rng.randrange(11), None, None, None, "g"))
        else:
            round_trip(i)
    for i in [0, 1, 2, 0, 1]:
        round_trip(i)
    assert ms[0].history() == ms[1].history() == ms[2].history()
    assert ms[0].ids()
    for clone in clones:
        assert not _git(clone, "status", "--porcelain")
        assert "conflict" not in _git(clone, "log", "--format=%s").lower()
