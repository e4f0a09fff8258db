"""End to end in tmux: ``psoas-tui remind`` in one window at a scaled clock reaches the tmux
client (``display-message``, read back with ``show-messages``), ``snooze`` silences it at once
(it wakes the running ``remind``), and when the snooze ends the reminder shows again.

A client is attached (through ``script``, which gives it a terminal), because tmux shows a
message on a client and logs it there. States are awaited by polling against a deadline.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_tmux import POLL, Pane, installed_script, pane_env

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
    pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) to attach a tmux client"),
]

CONFIG = """\
[reminders]
enabled = true
every = "1m"
hours = "00:00-24:00"
days = ["mon-sun"]
channels = ["tmux", "bell"]
"""
SCALE = "0.01"  # remind's clock runs 100 times as fast: a 10-minute snooze lasts 6 s
MESSAGE = "message: Stretch due: desk-break"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[Pane, dict[str, str]]]:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(CONFIG, encoding="utf-8")
    env = {**pane_env(tmp_path), "PSOAS_TUI_TIME_SCALE": SCALE}
    pane = Pane(f"psoas-e2e-remind-{os.getpid()}", "e2e")
    pane.tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", "sleep 600")
    client = subprocess.Popen(
        ["script", "-qfc", f"tmux -L {pane.socket} attach -t e2e", "/dev/null"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    try:
        yield pane, env
    finally:
        pane.tmux("kill-server", check=False)
        client.terminate()
        client.wait()


def wait_until(condition: object, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(POLL)


def shown(pane: Pane) -> int:
    return pane.tmux("show-messages").count(MESSAGE)


def test_remind_reaches_the_tmux_client_and_snooze_silences_it(session: tuple[Pane, dict[str, str]]) -> None:
    pane, env = session
    wait_until(lambda: "attached" in pane.tmux("list-clients"), "the client to attach")
    script = installed_script()
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    pane.tmux("new-window", "-t", "e2e", "-n", "remind", f"env {assignments} {script} remind; sleep 600")
    remind_pane = Pane(pane.socket, "e2e:remind")
    remind_pane.wait_text("Stretch due: desk-break (psoas-tui snooze / skip)")
    wait_until(lambda: shown(pane) == 1, "the reminder on the tmux client")

    result = subprocess.run([str(script), "snooze", "10m"], env={**os.environ, **env},
                            capture_output=True, text=True, check=True)
    assert result.stdout.startswith("snoozed desk-break until ")
    remind_pane.wait_text("snoozed until")  # remind woke at once and sees the snooze
    assert shown(pane) == 1  # silenced: nothing more was shown

    remind_pane.wait_for(lambda s: s.count("Stretch due: desk-break") == 2, "the reminder after the snooze")
    wait_until(lambda: shown(pane) == 2, "the second reminder on the tmux client")
