"""Plain mode's own lines: the keys line once when stdin is a pipe; a history that never takes
the session ends with a clear sentence (what, why, where) and exit status 1."""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import pytest

from psoas_tui.commands import run as run_command
from psoas_tui.commands.run import HELP_LINE
from psoas_tui.services import Services
from tests.test_run_plain import run_cli


def test_the_keys_line_is_printed_once_from_a_pipe() -> None:
    result = run_cli("run", "desk-break", "--plain", stdin=b"4\n6\nx\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(HELP_LINE) == 1


def _unwritable_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder that cannot be made (its parent is a file): nothing can be written."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    data = blocker / "data"
    monkeypatch.setenv("PSOAS_TUI_DATA_DIR", str(data))
    monkeypatch.setenv("PSOAS_TUI_TIME_SCALE", "0.002")
    return data


def _jumping_monotonic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real time, plus whatever the recorder's retry pauses ask for (the 60 s pass at once)."""
    skipped = [0.0]

    def pause(seconds: float) -> None:
        skipped[0] += seconds

    monkeypatch.setattr("psoas_tui.practice.recorder.pause", pause)
    original = Services.from_environment

    def services() -> Services:
        made = original()
        made.monotonic = lambda: time.monotonic() + skipped[0]
        return made

    monkeypatch.setattr(Services, "from_environment", staticmethod(services))


def test_a_history_that_never_takes_the_session_says_so_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _unwritable_history(tmp_path, monkeypatch)
    _jumping_monotonic(monkeypatch)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    args = argparse.Namespace(routine="desk-break", plain=True, cue=None, no_checkin=True)
    assert run_command.run(args) == run_command.EXIT_NOT_SAVED == 1
    out = capsys.readouterr()
    assert "Session complete" in out.out
    [report] = [line for line in out.err.splitlines() if line.startswith("psoas-tui: Not saved")]
    assert report.startswith("psoas-tui: Not saved to your history: this session. ")
    assert f"The history in {data} could not be written (" in report
    assert report.endswith("check that the folder exists and that you can write to it.")
