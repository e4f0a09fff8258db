"""The timer benchmark runs (--quick) and prints well-formed result lines; times are not judged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "timer_accuracy.py"


def test_timer_bench_quick_prints_json_lines() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    for line in lines:
        assert set(line) == {"bench", "metric", "value", "unit", "target"}
        assert line["bench"] == "timer_accuracy"
    metrics = {line["metric"]: line for line in lines}
    late = [name for name in metrics if "late" in name]
    assert {"late_p95_ms", "late_max_ms", "late_after_block_p95_ms", "late_after_block_max_ms"} <= set(late)
    assert "elapsed_drift_ms" in metrics
    assert metrics["segment_ends_outside_blocks"]["value"] > 0
    assert metrics["segment_ends_in_blocks"]["value"] > 0
