"""Plain mode logs its session, and asks the check-in questions only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PSOAS_TUI_CONFIG_DIR=str(tmp_path / "config"),
        PSOAS_TUI_DATA_DIR=str(tmp_path / "data"),
        PSOAS_TUI_TIME_SCALE="0.002",
        PSOAS_TUI_NO_PLUGINS="1",
    )
    return env


def _history(tmp_path: Path) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "psoas_tui", "history", "--json"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_piped_run_is_logged_without_checkin(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "psoas_tui", "run", "desk-break", "--plain"],
        env=_env(tmp_path),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Check-in" not in result.stdout
    (session,) = _history(tmp_path)
    assert session["routine_id"] == "desk-break"
    assert session["status"] == "completed"
    assert session["done_seconds"] == pytest.approx(session["planned_seconds"], abs=1)


def _read_until(fd: int, needle: bytes, deadline: float) -> bytes:
    seen = b""
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{needle!r} never came; got {seen[-400:]!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_terminal_run_asks_checkin_and_saves_answers(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "psoas_tui", "run", "desk-break", "--plain", "--cue", "text"],
        env=_env(tmp_path),
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        close_fds=True,
    )
    os.close(secondary)
    try:
        deadline = time.monotonic() + 60
        _read_until(primary, b"how did you feel?", deadline)
        os.write(primary, b"3\n")
        _read_until(primary, b"And now?", deadline)
        os.write(primary, b"8\n")
        _read_until(primary, b"LEFT", deadline)
        os.write(primary, b"6\n")
        _read_until(primary, b"RIGHT", deadline)
        os.write(primary, b"\n")
        _read_until(primary, b"note", deadline)
        os.write(primary, 'tight on the left, "better" ✓\n'.encode())
        _read_until(primary, b"Saved to your history", deadline)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(primary)
    (session,) = _history(tmp_path)
    assert session["status"] == "completed"
    checkin = session["checkin"]
    assert checkin["feeling_before"] == 3
    assert checkin["feeling_after"] == 8
    assert checkin["tightness_left"] == 6
    assert checkin.get("tightness_right") is None
    assert checkin["note"] == 'tight on the left, "better" ✓'
