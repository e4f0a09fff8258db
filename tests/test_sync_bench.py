"""The sync benchmark runs and its no-change sync rewrites no file; times are not judged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_sync_bench_prints_json_lines_and_a_no_change_sync_writes_nothing():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "sync.py"), "--sessions", "150"],
                          capture_output=True, text=True, timeout=300, check=False, env=env)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    metrics = {line["metric"]: line["value"] for line in lines}
    assert all(set(line) == {"bench", "metric", "value", "unit", "target"} for line in lines)
    assert metrics["no_change_files_rewritten"] == 0
    assert metrics["no_change_sessions_changed"] == 0
    assert metrics["converged_sessions"] == 450
    assert metrics["first_sync_peak_rss"] > 0 and "no_change_ratio" in metrics
