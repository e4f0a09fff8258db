"""``psoas-tui routines`` marks routines with sets of reps at one's own pace (issue 9, item 24)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_routines_marks_own_pace(tmp_path: Path) -> None:
    env = {**os.environ, "PSOAS_TUI_CONFIG_DIR": str(tmp_path), "PSOAS_TUI_DATA_DIR": str(tmp_path),
           "PSOAS_TUI_NO_PLUGINS": "1", "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "psoas_tui", "routines"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "3:10 + own pace" in rows["standing-hip-flexor"]
    assert "own pace" not in rows["half-kneeling"]
    assert "+ own pace: also has sets of reps done at your own pace" in result.stdout
