"""bench/status.py's code path runs once (no timings asserted): every metric is printed as a
JSON line, ``status`` runs through the installed entry point, ``remind`` waits and is stopped."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import status as bench  # noqa: E402


def test_the_bench_runs_once_and_prints_every_metric(capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(bench, "SESSIONS", 20)
    assert bench.main(["--runs", "1", "--idle", "0.1"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    metrics = {line["metric"]: line for line in lines}
    assert {"status_wall_ms", "import_sqlite3_wall_ms", "status_vs_import_sqlite3", "status_peak_rss",
            "remind_rss", "remind_idle_cpu"} <= set(metrics)
    assert metrics["status_vs_import_sqlite3"]["target"] == 3.0
    assert metrics["status_peak_rss"]["target"] == 20.0
    assert all(line["bench"] == "status" for line in lines)
    assert metrics["status_peak_rss"]["value"] > 1


def test_the_runner_reports_the_exit_status_and_a_small_peak(tmp_path: Path) -> None:
    seconds, peak, code = bench.timed([sys.executable, "-c", "import sys; sys.exit(1)"], {})
    assert code == 1 and seconds > 0 and 1 < peak < 100
