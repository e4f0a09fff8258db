"""Issue 9 items 5, 13, 23 and 24 (stats part): the command line without a terminal, Ctrl-C
at start-up, one answer for a missing routine file, and errors naming their subcommand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from psoas_tui import cli


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PSOAS_TUI_TIME_SCALE="0.002")
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "psoas_tui", *args], env=env, text=True, timeout=60,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("args", [[], ["--no-plugins"]])
def test_the_app_without_a_terminal_is_one_line_and_status_2(args: list[str]) -> None:
    result = _run(args, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "needs a terminal" in line and "run ID --plain" in line


def test_stdout_to_a_file_is_refused_too(tmp_path: Path) -> None:
    primary, secondary = os.openpty()  # stdin a terminal, stdout a file
    try:
        with open(tmp_path / "out", "w") as out:
            result = _run([], stdin=secondary, stdout=out, stderr=subprocess.PIPE)
    finally:
        os.close(primary)
        os.close(secondary)
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr
    assert (tmp_path / "out").read_text() == ""


def test_run_without_a_terminal_falls_back_to_plain_mode() -> None:
    result = _run(["run", "desk-break"], stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "Desk break" in result.stdout or "desk" in result.stdout.lower()


def test_has_terminal_needs_both_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    class Closed:
        def isatty(self) -> bool:
            raise ValueError("I/O operation on closed file")

    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr(sys, "stdout", Tty())
    assert cli.has_terminal()
    monkeypatch.setattr(sys, "stdin", Closed())
    assert not cli.has_terminal()


def test_ctrl_c_while_the_parser_loads_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    with pytest.raises(SystemExit) as exit_info:
        monkeypatch.setattr(sys, "argv", ["psoas-tui", "routines"])
        cli.entry()
    assert exit_info.value.code == 130
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_ctrl_c_before_main_runs_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(argv: object = None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "main", interrupted)
    with pytest.raises(SystemExit) as exit_info:
        cli.entry()
    assert exit_info.value.code == 130
    assert capsys.readouterr().err == ""


def test_missing_routine_file_same_answer_for_run_and_show() -> None:
    shown = _run(["show", "missing.toml"])
    ran = _run(["run", "missing.toml", "--plain"], stdin=subprocess.DEVNULL)
    assert shown.returncode == ran.returncode == 2
    assert ran.stderr == shown.stderr
    assert "no such file" in ran.stderr


def test_unknown_option_names_its_subcommand() -> None:
    result = _run(["stats", "--bogus"])
    assert result.returncode == 2
    assert result.stderr.startswith("psoas-tui stats: unrecognized arguments: --bogus")


def test_unknown_option_without_a_subcommand_names_the_program() -> None:
    result = _run(["--bogus"])
    assert result.returncode == 2
    assert result.stderr.startswith("psoas-tui: ")
