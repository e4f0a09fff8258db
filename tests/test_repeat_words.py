"""One vocabulary for repeats (issue 9, item 24): a repeated step goes in rounds, a counted
movement in reps, one go of counted reps at your own pace is a set."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from psoas_tui.model import Routine, Step, StepKind
from psoas_tui.practice.timeline import build_timeline
from psoas_tui.practice.wording import start_text
from psoas_tui.tui.screens.run import rep_text

REPO = Path(__file__).resolve().parents[1]
ROUTINE = Routine(
    id="words", title="Words", summary="s",
    steps=(
        Step(StepKind.HOLD, "Hold", seconds=30, sides=("left", "right"), reps=2),
        Step(StepKind.REPS, "Tilts", count=8, reps=2),
    ),
)
SEGMENTS = build_timeline(ROUTINE).segments
HOLD = next(s for s in SEGMENTS if s.title == "Hold")
TILTS = next(s for s in SEGMENTS if s.title == "Tilts")


def test_run_screen_says_round() -> None:
    assert rep_text(HOLD) == "Round 1 of 2"


def test_cues_say_round_and_reps() -> None:
    assert ", round 1 of 2," in start_text(HOLD)[1]
    text = start_text(TILTS)[1]
    assert "round 1 of 2" in text and "8 reps at your own pace" in text and "times" not in text


def test_show_and_docs_say_round(tmp_path: Path) -> None:
    env = {**os.environ, "PSOAS_TUI_CONFIG_DIR": str(tmp_path), "PSOAS_TUI_DATA_DIR": str(tmp_path),
           "PSOAS_TUI_NO_PLUGINS": "1", "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "psoas_tui", "show", "half-kneeling"],
                         capture_output=True, text=True, env=env, timeout=60).stdout
    assert "round 1/3" in out and not re.search(r"\brep \d", out)
    doc = (REPO / "docs" / "routine-format.md").read_text()
    assert "[LEFT, round 1/2]" in doc and not re.search(r"\brep \d/", doc)
