"""Closing the terminal during a session ends the process (the session saved as interrupted),
and a second SIGTERM always ends it.

The real app runs on a pseudo-terminal; the test waits for its first frame, closes the
terminal's other side (what ``tmux kill-session`` or closing a window does) and polls the
process against a deadline. With the pty as the controlling terminal the kernel also sends
SIGHUP and SIGCONT, as it does for a real window; without it only the writes fail (EIO).
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.test_signals import _read

DEADLINE = 20.0  # seconds the process may take to end once its terminal is gone


def _controlling(fd: int) -> None:
    """In the child: a new session whose controlling terminal is ``fd``."""
    os.setsid()
    fcntl.ioctl(fd, termios.TIOCSCTTY, 0)


def _start(tmp_path: Path, *args: str, controlling: bool) -> tuple[subprocess.Popen[bytes], int]:
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text("safety_acknowledged = true\n")
    env = dict(os.environ, PSOAS_TUI_CONFIG_DIR=str(config), PSOAS_TUI_DATA_DIR=str(tmp_path / "data"),
               PSOAS_TUI_NO_PLUGINS="1", TERM="xterm-256color")
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    extra: dict[str, object] = (
        {"preexec_fn": lambda: _controlling(0)} if controlling else {"start_new_session": True}
    )
    proc = subprocess.Popen([sys.executable, "-m", "psoas_tui", *args], env=env,
                            stdin=secondary, stdout=secondary, stderr=secondary, **extra)  # type: ignore[call-overload]
    os.close(secondary)
    return proc, primary


def _ended_by(proc: subprocess.Popen[bytes], deadline: float) -> bool:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return True
        time.sleep(0.05)  # polling the pid against the deadline, not waiting for a state
    return proc.poll() is not None


@pytest.mark.parametrize("controlling", [True, False], ids=["controlling-terminal", "eio-only"])
def test_closing_the_terminal_ends_the_process_and_saves_the_session(
    tmp_path: Path, controlling: bool
) -> None:
    proc, primary = _start(tmp_path, "run", "desk-break", controlling=controlling)
    db = tmp_path / "data" / "history.sqlite3"
    try:
        first = _read(primary, time.monotonic() + 30, until=b"Get ready")
        assert b"Get ready" in first, first[-300:]
        deadline = time.monotonic() + 30
        while not db.exists() and time.monotonic() < deadline:  # the running row is written
            _read(primary, time.monotonic() + 0.2)
        os.close(primary)  # the window closes
        primary = -1
        ended = _ended_by(proc, time.monotonic() + DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if primary >= 0:
            os.close(primary)
    assert ended, f"still running {DEADLINE:g} s after its terminal went away"
    rows = sqlite3.connect(db).execute("SELECT status FROM sessions").fetchall()
    assert rows == [("interrupted",)]


def test_a_second_sigterm_ends_the_process_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from psoas_tui.tui.app import PsoasApp

    app = PsoasApp.__new__(PsoasApp)  # only the signal logic: no loop, no screens
    app._ending = False
    calls: list[object] = []

    class Loop:
        def call_soon_threadsafe(self, func: object, *args: object) -> None:
            calls.append((func, args))

    def fake_exit(status: int) -> None:
        calls.append(("_exit", status))
        raise SystemExit(status)

    monkeypatch.setattr(os, "_exit", fake_exit)
    app._on_signal(Loop(), signal.SIGTERM, None)  # type: ignore[arg-type]
    assert len(calls) == 1 and calls[0][0] == app._terminate  # type: ignore[index]
    with pytest.raises(SystemExit):
        app._on_signal(Loop(), signal.SIGTERM, None)  # type: ignore[arg-type]
    assert calls[-1] == ("_exit", 128 + signal.SIGTERM)


@pytest.mark.parametrize("controlling", [True, False], ids=["controlling-terminal", "eio-only"])
def test_closing_the_terminal_of_an_idle_screen_ends_the_process(tmp_path: Path, controlling: bool) -> None:
    """Nothing is drawn on the choose screen, so no write fails: the hang-up itself is noticed."""
    proc, primary = _start(tmp_path, controlling=controlling)
    try:
        first = _read(primary, time.monotonic() + 30, until=b"Two-minute desk break")
        assert b"Two-minute desk break" in first, first[-300:]
        _read(primary, time.monotonic() + 1)  # the first frames are out: the screen is idle
        os.close(primary)
        primary = -1
        ended = _ended_by(proc, time.monotonic() + DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if primary >= 0:
            os.close(primary)
    assert ended, f"still running {DEADLINE:g} s after its terminal went away"
