"""Issue 9 item 6: SIGTERM and SIGHUP restore the terminal and save the session as
interrupted. The real app runs on a pseudo-terminal; the test waits for its first frame
(reading the pty against a deadline), sends the signal and reads what it writes on the way out.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

RESTORE = {
    "alternate screen off": b"\x1b[?1049l",
    "cursor shown": b"\x1b[?25h",
    "mouse reporting off": b"\x1b[?1000l",
}


def _read(fd: int, deadline: float, until: bytes | None = None) -> bytes:
    seen = b""
    while time.monotonic() < deadline and (until is None or until not in seen):
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        seen += chunk
    return seen


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_restores_the_terminal_and_saves_the_session(tmp_path: Path, signum: int) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text("safety_acknowledged = true\n")
    env = dict(os.environ, PSOAS_TUI_CONFIG_DIR=str(config), PSOAS_TUI_DATA_DIR=str(tmp_path / "data"),
               PSOAS_TUI_NO_PLUGINS="1", TERM="xterm-256color")
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "psoas_tui", "run", "desk-break"], env=env,
                            stdin=secondary, stdout=secondary, stderr=secondary, start_new_session=True)
    os.close(secondary)
    try:
        first = _read(primary, time.monotonic() + 30, until=b"Get ready")
        assert b"Get ready" in first, first[-300:]
        db = tmp_path / "data" / "history.sqlite3"
        deadline = time.monotonic() + 30
        while not db.exists() and time.monotonic() < deadline:  # the running row is written
            _read(primary, time.monotonic() + 0.2)
        proc.send_signal(signum)
        after = _read(primary, time.monotonic() + 30)
        status = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(primary)
    assert status == 128 + signum
    for what, sequence in RESTORE.items():
        assert sequence in after, what
    rows = sqlite3.connect(db).execute("SELECT status FROM sessions").fetchall()
    assert rows == [("interrupted",)]
