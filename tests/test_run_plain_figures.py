"""``psoas-tui run ID --plain --figures``: each step's figure under the line that starts it."""

from __future__ import annotations

import pytest

from psoas_tui.commands.show import SHOW_SIZE
from psoas_tui.figures.library import figure_for
from psoas_tui.routines import RoutineLibrary
from tests.test_run_plain import run_cli


def has_braille(text: str) -> bool:
    return any(0x2800 < ord(ch) <= 0x28FF for ch in text)


def indented(lines: list[str]) -> str:
    return "\n".join(f"{'':>9}{line}".rstrip() for line in lines)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PSOAS_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PSOAS_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PSOAS_TUI_NO_PLUGINS", "1")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("safety_acknowledged = true\n", encoding="utf-8")


def test_figures_are_printed_at_each_step_start_on_its_side(home) -> None:
    result = run_cli("run", "half-kneeling", "--plain", "--figures", "--no-checkin", stdin=None)
    assert result.returncode == 0, result.stderr
    routine = RoutineLibrary.load_local().get("half-kneeling")
    columns, rows = SHOW_SIZE
    for index, side in ((0, None), (1, "left"), (1, "right"), (2, None)):
        lines = figure_for(routine, index, side, 0.0, columns=columns, rows=rows)
        assert lines is not None
        assert indented(lines) in result.stdout, (index, side)
    out = result.stdout.splitlines()
    start = next(n for n, line in enumerate(out) if "Half-kneeling stretch, left side, round 1" in line)
    assert has_braille(out[start + 1])  # right under the step's first line
    left = figure_for(routine, 1, "left", 0.0, columns=columns, rows=rows)
    assert result.stdout.count(indented(left or [])) == 3  # three rounds, each with its figure
    assert "\x1b" not in result.stdout


def test_plain_mode_stays_text_only_without_figures(home) -> None:
    result = run_cli("run", "half-kneeling", "--plain", "--no-checkin", stdin=None)
    assert result.returncode == 0, result.stderr
    assert not has_braille(result.stdout)
