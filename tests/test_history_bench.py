"""The history benchmark runs (--quick) and prints well-formed result lines; times are not judged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "history_scale.py"


def test_history_bench_quick_prints_json_lines():
    proc = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    metrics = {line["metric"]: line for line in lines}
    assert {"stats", "last_30_days", "export_toml", "export_peak_rss", "import_toml"} <= set(metrics)
    for line in lines:
        assert set(line) == {"bench", "metric", "value", "unit", "target"}
        assert line["bench"] == "history_scale" and isinstance(line["value"], (int, float))
    assert metrics["sessions"]["value"] == 5000
    assert metrics["export_peak_rss"]["value"] > 0
    # issue 10: export and import as ratios to tomli-w and tomllib on the same data
    for metric, target in (("export_toml_vs_tomli_w", 1.25), ("import_toml_vs_tomllib", 1.5)):
        assert metrics[metric]["target"] == target and metrics[metric]["value"] > 0
