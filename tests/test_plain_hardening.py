"""Issue 9 item 20: plain mode shows the safety note once, prints the routine's cautions
before each run, and asks the check-in on the terminal when stdout is a file."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import sqlite3
import subprocess
import sys
import termios
import time
from pathlib import Path

SAFETY = "Before you stretch"


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, PSOAS_TUI_CONFIG_DIR=str(tmp_path / "config"),
                PSOAS_TUI_DATA_DIR=str(tmp_path / "data"), PSOAS_TUI_TIME_SCALE="0.002",
                PSOAS_TUI_NO_PLUGINS="1")


def _controlling_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pty on stdin."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _on_pty(tmp_path: Path, answers: bytes, stdout: object = None) -> tuple[int, bytes]:
    """``run desk-break --plain`` with a pty on stdin (and stdout unless given); the pty's output."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "psoas_tui", "run", "desk-break", "--plain", "--cue", "text"],
        env=_env(tmp_path), stdin=secondary, stdout=stdout if stdout is not None else secondary,
        stderr=subprocess.PIPE, preexec_fn=_controlling_terminal,
    )
    os.close(secondary)
    seen = b""
    deadline = time.monotonic() + 60
    sent = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if not sent and b"how did you feel" in seen:
            os.write(primary, answers)
            sent = True
        if proc.poll() is not None and not ready:
            break
    os.close(primary)
    status = proc.wait(timeout=30)
    assert proc.stderr is not None
    errors = proc.stderr.read()
    assert b"Traceback" not in errors, errors.decode()
    return status, seen


def test_the_safety_note_is_shown_once_and_cautions_every_run(tmp_path: Path) -> None:
    status, first = _on_pty(tmp_path, b"q\n")
    assert status == 0
    assert SAFETY.encode() in first and b"Cautions:" in first
    status, second = _on_pty(tmp_path, b"q\n")
    assert status == 0
    assert SAFETY.encode() not in second and b"Cautions:" in second
    assert "safety_acknowledged = true" in (tmp_path / "config" / "config.toml").read_text()


def test_redirected_output_gets_the_cues_and_the_terminal_gets_the_questions(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    with log.open("w") as out:
        status, screen = _on_pty(tmp_path, b"3\n7\n\n\nfine\n", stdout=out)
    assert status == 0
    written = log.read_text()
    assert "Cautions:" in written and SAFETY not in written
    assert "how did you feel" not in written and "Check-in" not in written
    assert b"Check-in" in screen and b"how did you feel" in screen and SAFETY.encode() in screen
    db = tmp_path / "data" / "history.sqlite3"
    row = sqlite3.connect(db).execute("SELECT feeling_before, feeling_after, note FROM sessions").fetchone()
    assert row == (3, 7, "fine")
    assert "safety_acknowledged = true" in (tmp_path / "config" / "config.toml").read_text()


def test_without_a_terminal_stdout_is_the_cues_alone(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "psoas_tui", "run", "desk-break", "--plain"], env=_env(tmp_path),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, start_new_session=True,
    )
    assert result.returncode == 0, result.stderr
    assert SAFETY not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Two-minute desk break") and lines[1] == "Cautions:"
