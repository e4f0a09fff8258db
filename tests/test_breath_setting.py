"""The breath setting paces the shipped routines (issue 9, item 19): their breathing steps say
``breath = "default"``; a routine may still fix its own pattern."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from psoas_tui.model import DEFAULT_BREATH, BreathPattern, Routine, Step, StepKind
from psoas_tui.practice.timeline import build_timeline
from psoas_tui.routines import check_routine, load_routine_file, parse_routine, routine_to_dict

REPO = Path(__file__).resolve().parents[1]
FILES = sorted((REPO / "routines").glob("*.toml"))
MINE = BreathPattern(5, 1, 7, 1)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_shipped_breath_follows_the_setting(path: Path) -> None:
    routine = load_routine_file(path)
    paced = [s for s in build_timeline(routine, default_breath=MINE).segments if s.breath is not None]
    assert all(s.breath == MINE for s in paced), [(s.title, str(s.breath)) for s in paced]


def test_the_shipped_routines_have_paced_breathing() -> None:
    paced = {
        path.stem
        for path in FILES
        if any(s.breath for s in build_timeline(load_routine_file(path), default_breath=MINE).segments)
    }
    assert {"seated-psoas", "constructive-rest", "half-kneeling", "daily-hip-flexors"} <= paced


def test_without_a_setting_default_means_4_0_6_0() -> None:
    routine = load_routine_file(REPO / "routines" / "constructive-rest.toml")
    paced = [s.breath for s in build_timeline(routine).segments if s.breath]
    assert paced and set(paced) == {DEFAULT_BREATH} and str(DEFAULT_BREATH) == "4-0-6-0"


ROUTINE = """\
schema = 1
id = "own"
title = "Own"
summary = "Own pattern and the default one."

[[steps]]
kind = "hold"
title = "Fixed"
seconds = 10
breath = "3-0-5-0"

[[steps]]
kind = "hold"
title = "Yours"
seconds = 10
breath = "default"

[[steps]]
kind = "hold"
title = "None"
seconds = 10
"""


def test_a_routine_may_fix_its_own_pattern() -> None:
    routine = parse_routine(ROUTINE.encode(), "own.toml")
    fixed, yours, none = build_timeline(routine, get_ready_seconds=0, default_breath=MINE).segments
    assert fixed.breath == BreathPattern(3, 0, 5, 0)
    assert yours.breath == MINE
    assert none.breath is None


def test_default_survives_the_round_trip_of_a_plugin_routine() -> None:
    routine = parse_routine(ROUTINE.encode(), "own.toml")
    assert routine_to_dict(routine)["steps"][1]["breath"] == "default"
    built = Routine(
        id="code", title="Code", summary="Built in code.",
        steps=(Step(StepKind.HOLD, "Hold", seconds=10, breath=DEFAULT_BREATH, breath_default=True),),
    )
    checked = check_routine(built, "plugin x")
    assert isinstance(checked, Routine) and checked.steps[0].breath_default


def test_show_uses_the_breath_setting(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('breath = "5-1-7-1"\n')
    env = {**os.environ, "PSOAS_TUI_CONFIG_DIR": str(tmp_path), "PSOAS_TUI_DATA_DIR": str(tmp_path),
           "PSOAS_TUI_NO_PLUGINS": "1", "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "psoas_tui", "show", "seated-psoas"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "breath 5-1-7-1" in result.stdout and "4-0-6-0" not in result.stdout
