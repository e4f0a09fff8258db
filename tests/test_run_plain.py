"""``psoas-tui run ID --plain`` end to end, as a subprocess at a fast time scale."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from psoas_tui.builtins.cue_styles import make_styles
from psoas_tui.commands.run import PlainSession
from psoas_tui.model import Routine, Step, StepKind
from psoas_tui.practice.clock import ScaledClock
from psoas_tui.practice.engine import PracticeEngine
from psoas_tui.practice.runner import RunnerState
from psoas_tui.practice.timeline import build_timeline

SCALE = "0.005"  # a 2-minute routine takes 0.6 s
LINE_RE = re.compile(r"^ {0,4}\d+:\d\d  \S")


def run_cli(
    *args: str, stdin: bytes | None = b"", scale: str = SCALE, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``python -m psoas_tui ARGS`` at the test time scale; ``stdin=None`` means /dev/null."""
    env = {**os.environ, "PSOAS_TUI_TIME_SCALE": scale}
    return subprocess.run(
        [sys.executable, "-m", "psoas_tui", *args],
        input=stdin.decode() if stdin is not None else None,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_plain_run_prints_one_line_per_cue_with_the_time_left() -> None:
    result = run_cli("run", "desk-break", "--plain", stdin=None)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Two-minute desk break: 2:05"
    assert any(LINE_RE.match(line) and line.endswith("Switch to the right side") for line in lines)
    assert "Halfway on the left side" in result.stdout
    assert lines[-1].strip() == "0:00  Session complete: 2:05 of stretching. Well done."
    assert "\x1b" not in result.stdout and result.stderr == ""


def test_reps_step_moves_on_by_itself_when_stdin_is_at_eof() -> None:
    result = run_cli("run", "standing-hip-flexor", "--plain", stdin=None)
    assert result.returncode == 0, result.stderr
    assert "(no input: moving on in 0:24)" in result.stdout
    assert "Done: Gentle pelvic tilts" in result.stdout
    assert "Session complete" in result.stdout


def test_piped_enter_marks_the_reps_step_done() -> None:
    result = run_cli("run", "standing-hip-flexor", "--plain", stdin=b"\n")
    assert result.returncode == 0, result.stderr
    assert "(done, from input)" in result.stdout
    assert "no input" not in result.stdout


def test_q_on_stdin_stops_cleanly() -> None:
    result = run_cli("run", "desk-break", "--plain", stdin=b"q\n", scale="1")
    assert result.returncode == 0, result.stderr
    assert "Session stopped after" in result.stdout
    assert "Session complete" not in result.stdout


def test_without_plain_and_without_a_terminal_it_runs_plain() -> None:
    result = run_cli("run", "desk-break", stdin=None)
    assert result.returncode == 0, result.stderr
    assert "Session complete" in result.stdout


def test_ctrl_c_stops_with_130_and_no_traceback() -> None:
    env = {**os.environ, "PSOAS_TUI_TIME_SCALE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "psoas_tui", "run", "desk-break", "--plain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().startswith("Two-minute desk break")
        line = proc.stdout.readline()
        while line.startswith(("Cautions:", "  - ")):  # printed before each run (issue 9, item 20)
            line = proc.stdout.readline()
        assert "Get ready" in line  # the session is running
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "Session stopped after" in out
    assert "Traceback" not in err


def test_unknown_cue_style_is_one_line_listing_the_available_ones() -> None:
    result = run_cli("run", "desk-break", "--plain", "--cue", "beep")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "psoas-tui: --cue: unknown cue style 'beep'; available: bell, notify, text, title, voice"
    ]


def test_bad_time_scale_names_the_variable() -> None:
    result = run_cli("run", "desk-break", "--plain", scale="fast")
    assert result.returncode == 2
    assert "PSOAS_TUI_TIME_SCALE" in result.stderr and "Traceback" not in result.stderr


def test_unknown_routine_is_a_user_error() -> None:
    result = run_cli("run", "no-such-routine", "--plain")
    assert result.returncode == 2 and "no-such-routine" in result.stderr


def test_terminal_styles_write_nothing_into_a_pipe() -> None:
    result = run_cli("run", "desk-break", "--plain", "--cue", "title", "--cue", "bell", "--cue", "notify")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_unknown_style_in_config_is_skipped_with_a_note(tmp_path: Path) -> None:
    config = Path(os.environ["PSOAS_TUI_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('cue_styles = ["text", "speech"]\n', encoding="utf-8")
    result = run_cli("run", "desk-break", "--plain")
    assert result.returncode == 0
    assert "unknown cue style 'speech' skipped" in result.stderr
    assert "Session complete" in result.stdout


def test_run_plain_seams_for_the_recorder(capsys: pytest.CaptureFixture[str]) -> None:
    step = Step(StepKind.HOLD, "Hold", seconds=4, sides=("left", "right"))
    timeline = build_timeline(Routine(id="r", title="R", summary="", steps=(step,)), get_ready_seconds=2)
    ends: list[RunnerState] = []
    finishes: list[RunnerState] = []
    started: list[object] = []
    text = [s for s in make_styles() if s.name == "text"]
    engine = PracticeEngine(
        timeline,
        ScaledClock(0.001),
        text,
        on_start=started.append,
        on_segment_end=ends.append,
        on_finish=finishes.append,
    )
    status = PlainSession(engine, stdin=io.StringIO(""), out=sys.stdout).run()
    assert status == 0 and len(started) == 1
    assert [s.segments_done for s in ends] == [1, 2, 3, 4]
    assert len(finishes) == 1 and finishes[0].status == "completed"
    assert finishes[0].left_seconds == pytest.approx(4) and finishes[0].elapsed == pytest.approx(15)
    assert "Release the right side" in capsys.readouterr().out


def test_closed_stdout_ends_the_run_quietly() -> None:
    env = {**os.environ, "PSOAS_TUI_TIME_SCALE": "0.05"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "psoas_tui", "run", "desk-break", "--plain"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        proc.stdout.readline()
        proc.stdout.readline()
        proc.stdout.close()  # like `| head -2`
        err = proc.stderr.read()
        proc.wait(timeout=30)  # long before the 6 s the whole routine would take
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert err == ""
