"""The folders psoas-tui creates for itself (history, config, session locks) are 0700 whatever
the umask; folders that already exist keep their mode. Run in a child process with umask 000."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")

CHILD = """
import json, os, sys
from pathlib import Path
os.umask(0)
from psoas_tui.config import Settings, save_settings
from psoas_tui.history.device import device_id
from psoas_tui.history.store import HistoryStore
from psoas_tui.model import Routine

data, config = Path(sys.argv[1]), Path(sys.argv[2])
with HistoryStore.open(data / "history.sqlite3") as store:
    store.start_session(Routine(id="t", title="T", summary="", steps=()), 60)
save_settings(Settings(), config / "config.toml")
device_id(config)
print(json.dumps({str(p): oct(p.stat().st_mode & 0o777) for p in sorted(Path(sys.argv[3]).rglob("*"))
                  if p.is_dir()}))
"""


def _modes(tmp_path: Path, data: Path, config: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent.parent), *sys.path]))
    out = subprocess.run([sys.executable, "-c", CHILD, str(data), str(config), str(tmp_path)],
                         env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_the_apps_own_folders_are_created_0700_under_umask_000(tmp_path: Path) -> None:
    data, config = tmp_path / "share" / "psoas-tui", tmp_path / "config" / "psoas-tui"
    modes = _modes(tmp_path, data, config)
    assert modes[str(data)] == modes[str(config)] == "0o700"
    assert set(modes.values()) == {"0o700"}, modes  # missing parents and the lock folder too


def test_existing_folders_keep_their_mode(tmp_path: Path) -> None:
    data, config = tmp_path / "data", tmp_path / "config"
    for folder in (data, config):
        folder.mkdir()
        folder.chmod(0o755)
    modes = _modes(tmp_path, data, config)
    assert stat.S_IMODE(data.stat().st_mode) == 0o755 and modes[str(config)] == "0o755"
