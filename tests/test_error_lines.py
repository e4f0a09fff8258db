"""Every one-line error the command line prints is fit for a terminal: a file name or an
argument typed with escape sequences in it is shown as text, never sent raw."""

from __future__ import annotations

from pathlib import Path

import pytest

from psoas_tui.cli import main

ESC_NAME = "b\x1b[2Jx\x9b1;1H.toml"


def _no_raw_controls(text: str) -> None:
    assert "\x1b" not in text and "\x9b" not in text, repr(text)


def test_a_bad_routine_file_name_is_neutralised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ESC_NAME).write_text('id = "x"\ntitle = "X"\nsteps = 3\n', encoding="utf-8")
    assert main(["show", ESC_NAME]) == 2
    err = capsys.readouterr().err
    _no_raw_controls(err)
    assert err.startswith("psoas-tui: b\\x1b[2Jx\\u009b1;1H.toml") and err.count("\n") == 1


def test_a_missing_file_name_is_neutralised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["show", ESC_NAME]) == 2
    _no_raw_controls(capsys.readouterr().err)


def test_a_usage_error_is_neutralised(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["history", "\x1b]0;owned\x07"])  # unrecognized arguments: echoed as typed
    assert exit_info.value.code == 2
    _no_raw_controls(capsys.readouterr().err)
