"""Sync at scale: three devices with 10,000 sessions each, sharing one folder.

Each sync runs in a child process of its own (so peak RSS is that sync's): first the three first
syncs (device 1, 2, 3: each reads what the ones before it wrote), rounds of syncs until one
round changes and writes nothing (every device is up to date), then a no-change sync on each.
Prints one JSON object per line::

    {"bench": "sync", "metric": ..., "value": ..., "unit": ..., "target": ...}

A value at most its target means the target is met (``null``: a figure to watch). The no-change
sync must rewrite no file (checked by inode and mtime) and take at most 0.2x the first sync
(``no_change_ratio``: the no-change syncs' total time over the first syncs' total).
``--quick`` uses 1,000 sessions per device.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history_scale import synthetic

from psoas_tui.history.store import HistoryStore

BENCH = "sync"
DEVICES = 3
CHILD = """
import json, resource, sys, time
from pathlib import Path
from psoas_tui.history.device import Device
from psoas_tui.history.store import HistoryStore
from psoas_tui.history.sync import sync
t0 = time.perf_counter()
with HistoryStore.open(Path(sys.argv[1])) as store:
    report = sync(store, Path(sys.argv[2]), Device(sys.argv[3], sys.argv[4]))
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "written": len(report.written), "changed": report.changed, "notices": report.notices}))
"""


def emit(metric: str, value: float, unit: str, target: float | None = None) -> None:
    """Print one result line."""
    print(json.dumps({"bench": BENCH, "metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target}), flush=True)


def device_id(n: int) -> str:
    return f"{n + 1:08d}-0000-4000-8000-000000000000"


def run_sync(home: Path, folder: Path, n: int) -> dict:
    """One sync of device ``n`` in a child process: its time, peak RSS and what it did."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(home / f"d{n}" / "history.sqlite3"), str(folder),
         device_id(n), f"device-{n}"],
        capture_output=True, text=True, check=True, env=env,
    )
    return json.loads(done.stdout)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Inode and mtime of every file under ``folder``."""
    return {str(p): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 sessions per device")
    parser.add_argument("--sessions", type=int, help="sessions per device")
    args = parser.parse_args(argv)
    count = args.sessions or (1_000 if args.quick else 10_000)
    with tempfile.TemporaryDirectory() as tmp:
        home, folder = Path(tmp), Path(tmp) / "shared"
        folder.mkdir()
        for n in range(DEVICES):
            with HistoryStore.open(home / f"d{n}" / "history.sqlite3") as store:
                store.add_records(synthetic(count, seed=100 + n))
        emit("sessions_per_device", count, "sessions")
        first = [run_sync(home, folder, n) for n in range(DEVICES)]
        emit("first_sync", sum(r["seconds"] for r in first), "s")
        emit("first_sync_peak_rss", max(r["rss_kib"] for r in first) / 1024, "MiB")
        rounds, catch_up = 0, 0.0
        while rounds < 10:  # until a whole round writes nothing: every device has read everything
            results = [run_sync(home, folder, n) for n in range(DEVICES)]
            rounds += 1
            catch_up += sum(r["seconds"] for r in results)
            if not any(r["written"] or r["changed"] for r in results):
                break
        emit("catch_up_rounds", rounds, "rounds")
        emit("catch_up_sync", catch_up, "s")
        before = snapshot(folder)
        quiet = [run_sync(home, folder, n) for n in range(DEVICES)]
        after = snapshot(folder)
        rewritten = sum(before.get(path) != stamp for path, stamp in after.items())
        emit("no_change_sync", sum(r["seconds"] for r in quiet), "s")
        emit("no_change_sync_peak_rss", max(r["rss_kib"] for r in quiet) / 1024, "MiB")
        emit("no_change_files_rewritten", rewritten + sum(r["written"] for r in quiet), "files", 0)
        emit("no_change_sessions_changed", sum(r["changed"] for r in quiet), "sessions", 0)
        ratio = sum(r["seconds"] for r in quiet) / sum(r["seconds"] for r in first)
        emit("no_change_ratio", ratio, "x first sync", 0.2)
        emit("folder_files", len(after), "files")
        emit("folder_size", sum(Path(p).stat().st_size for p in after) / 2**20, "MiB")
        counts = set()
        for n in range(DEVICES):
            with HistoryStore.open(home / f"d{n}" / "history.sqlite3") as store:
                counts.add(store.count())
        emit("converged_sessions", counts.pop() if len(counts) == 1 else -1, "sessions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
