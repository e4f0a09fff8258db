"""History at scale: 100,000 synthetic sessions (about ten years of heavy use).

Measures inserting them (``insert_all``), opening the store (``open_store``), computing stats,
reading the last 30 days, a page of the log at the top and deep down (``page_first_50``,
``page_deep_offset_50``), exporting to TOML (time and the exporting process's peak RSS,
measured in a child process) and importing the export into an empty store. Export and import
are also given as ratios to the libraries they are built on (``tomli_w_alone`` and
``tomli_w_batched`` are the two tomli-w references, ``tomllib_loads`` the tomllib one), on the
same data in the same run: ``export_toml_vs_tomli_w`` is the export's time over the
time of streaming the same sessions (as dicts, made beforehand) through ``tomli_w.dumps`` one
session per call; ``export_toml_vs_tomli_w_batched`` is the same over ``tomli_w.dumps`` called
the way the export's writer calls it (``WRITE_BATCH`` sessions a call), so it shows what the
export adds to the library: reading rows, making records and dicts, escaping, the file (its
target is a guard against a slower export, looser than the first).
``import_toml_vs_tomllib`` is the import's time (read, parse, check and insert) over
``tomllib.loads`` of the same file. The ratios compare process CPU times (the same measure on
both sides, robust to other work on a shared machine), the least of three runs each;
``*_wall`` gives the same ratio in wall time. Prints one JSON object per line::

    {"bench": "history_scale", "metric": ..., "value": ..., "unit": ..., "target": ...}

A value at most its target means the target is met (``null``: no target, a figure to watch).
``--quick`` uses 5,000 sessions. ``*_cpu`` lines give the process CPU time next to the wall
time, which helps to read results from a machine shared with other work (``uptime``'s load).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path

from psoas_tui.history.codec import WRITE_BATCH, record_to_dict
from psoas_tui.history.export import export_history
from psoas_tui.history.importer import import_history
from psoas_tui.history.stats import compute_stats
from psoas_tui.history.store import HistoryStore
from psoas_tui.model import CheckIn, Exporter, SessionRecord, SessionStatus

BENCH = "history_scale"
TODAY = date(2026, 11, 23)
ROUTINES = [("desk-reset", "Desk reset"), ("couch-stretch", "Couch stretch"),
            ("lunge-flow", "Kneeling lunge flow"), ("evening-unwind", "Evening unwind")]
NOTES = ["", "tight on the left", 'felt "great"', "knee sore\nused a cushion", "ça va ✓", "short one"]


def emit(metric: str, value: float, unit: str, target: float | None) -> None:
    """Print one result line."""
    print(json.dumps({"bench": BENCH, "metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target}), flush=True)


def synthetic(count: int, seed: int = 4) -> Iterator[SessionRecord]:
    """``count`` sessions spread evenly over the ten years before ``TODAY``, oldest first."""
    rng = random.Random(seed)
    start = datetime(TODAY.year - 10, TODAY.month, TODAY.day, 6, tzinfo=UTC)
    span = (datetime(TODAY.year, TODAY.month, TODAY.day, 6, tzinfo=UTC) - start).total_seconds()
    offsets = [timezone(timedelta(hours=1)), timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))]
    for n in range(count):
        started = (start + timedelta(seconds=span * n / count)).astimezone(rng.choice(offsets))
        planned = rng.choice([300, 480, 600, 900])
        status = rng.choices(list(SessionStatus)[1:], weights=[8, 1, 1])[0]
        done = float(planned if status is SessionStatus.COMPLETED else rng.randint(30, planned))
        checkin = None
        if rng.random() < 0.7:
            checkin = CheckIn(rng.randint(2, 6), rng.randint(4, 9), rng.randint(0, 10),
                              rng.randint(0, 10), rng.choice(NOTES))
        rid, title = rng.choice(ROUTINES)
        yield SessionRecord(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), routine_id=rid,
            routine_title=title, routine_source="builtin", started_at=started,
            planned_seconds=planned, status=status, ended_at=started + timedelta(seconds=done),
            done_seconds=done, segments_done=rng.randint(1, 20), left_seconds=done * 0.4,
            right_seconds=done * 0.4, checkin=checkin,
        )


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Median wall time of ``fn`` in seconds (over ``repeat`` runs)."""
    return statistics.median(_timed(fn)[0] for _ in range(repeat))


def cpu_timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Least process CPU time of ``fn`` in seconds (robust to other work on the machine)."""
    return min(_timed(fn)[1] for _ in range(repeat))


def child_export(db: str, out: str, repeat: int) -> None:
    """Run in a child process: export the store to TOML once for its peak RSS (before anything
    else is held in memory), then ``repeat`` times each: the export, the same sessions (dicts
    made beforehand) streamed through tomli-w one session per call, and the same in the
    batches the writer uses. Times are the least of the runs; the dicts held for the baselines
    are frozen out of the garbage collector, so they weigh on no run."""
    import gc

    from psoas_tui.builtins.exporters import psoas_tui_exporters

    toml: Exporter = next(e for e in psoas_tui_exporters() if e.name == "toml")
    store = HistoryStore.open(Path(db))
    written = export_history(store, toml, Path(out))
    hwm_kib = peak_kib()
    sessions = [record_to_dict(record) for record in store.iter_sessions()]
    gc.freeze()
    runs: dict[str, list[tuple[float, float]]] = {"export": [], "each": [], "batched": []}
    for _ in range(repeat):
        runs["export"].append(_timed(lambda: export_history(store, toml, Path(out), force=True)))
        runs["each"].append(_timed(lambda: tomli_w_alone(sessions, out + ".baseline", 1)))
        runs["batched"].append(_timed(lambda: tomli_w_alone(sessions, out + ".baseline", WRITE_BATCH)))
    store.close()
    result: dict[str, float] = {"written": written, "peak_kib": hwm_kib}
    for name, times in runs.items():
        result[f"{name}_seconds"] = min(t[0] for t in times)
        result[f"{name}_cpu"] = min(t[1] for t in times)
    print(json.dumps(result))


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, process CPU seconds) of one call of ``fn``."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def tomli_w_alone(sessions: list[dict[str, object]], out: str, batch: int) -> None:
    """Stream ``sessions`` to ``out`` through ``tomli_w.dumps``, ``batch`` sessions a call (as
    one array of tables), and fsync it, as an export does."""
    import tomli_w

    with open(out, "wb", buffering=1 << 16) as stream:
        for start in range(0, len(sessions), batch):
            tables = tomli_w.dumps({"sessions": sessions[start:start + batch]})
            stream.write(("\n" + tables).encode("utf-8"))
        stream.flush()
        os.fsync(stream.fileno())


def peak_kib() -> int:
    """This process's peak resident set size in KiB."""
    hwm_kib = 0
    status = Path("/proc/self/status")
    for line in status.read_text().splitlines() if status.exists() else []:
        if line.startswith("VmHWM:"):
            hwm_kib = int(line.split()[1])
    if not hwm_kib:  # macOS reports bytes, Linux KiB
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        hwm_kib = rss // 1024 if sys.platform == "darwin" else rss
    return hwm_kib


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 sessions instead of 100,000")
    parser.add_argument("--sessions", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-export", nargs=3, metavar=("DB", "OUT", "REPEAT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_export:
        db, out, times = args.child_export
        child_export(db, out, int(times))
        return 0
    count = args.sessions or (5_000 if args.quick else 100_000)
    repeat = 3 if args.quick else 7
    with tempfile.TemporaryDirectory(prefix="psoas-bench-") as tmp:
        folder = Path(tmp)
        db = folder / "history.sqlite3"
        records = list(synthetic(count))
        store = HistoryStore.open(db)
        emit("sessions", count, "sessions", None)
        emit("load_average", os.getloadavg()[0] if hasattr(os, "getloadavg") else -1, "load", None)
        t0 = time.perf_counter()
        store.add_records(records)
        emit("insert_all", time.perf_counter() - t0, "s", None)
        records.clear()
        store.close()
        store = HistoryStore.open(db)  # a fresh open, as every command does (runs recovery)
        emit("open_store", timed(lambda: HistoryStore.open(db).close(), repeat) * 1000, "ms", None)
        compute_stats(store, weekly_goal=3, today=TODAY)  # warm the page cache once
        emit("stats", timed(lambda: compute_stats(store, weekly_goal=3, today=TODAY), repeat) * 1000,
             "ms", 20)
        emit("stats_cpu", cpu_timed(lambda: compute_stats(store, weekly_goal=3, today=TODAY), repeat) * 1000,
             "ms", None)
        since = TODAY - timedelta(days=29)
        last30 = list(store.iter_sessions(since=since))
        emit("last_30_days_sessions", len(last30), "sessions", None)
        emit("last_30_days", timed(lambda: list(store.iter_sessions(since=since)), repeat) * 1000, "ms", 5)
        emit("last_30_days_cpu", cpu_timed(lambda: list(store.iter_sessions(since=since)), repeat) * 1000,
             "ms", None)
        emit("page_first_50", timed(lambda: store.page(0, 50), repeat) * 1000, "ms", None)
        deep = max(count - 100, 0)
        emit("page_deep_offset_50", timed(lambda: store.page(deep, 50), repeat) * 1000, "ms", None)
        store.close()

        out = folder / "export.toml"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        proc = subprocess.run([sys.executable, __file__, "--child-export", str(db), str(out), "3"],
                              check=True, capture_output=True, text=True)
        child = json.loads(proc.stdout)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        emit("export_toml", child["export_seconds"], "s", None)  # judged as ratios to tomli-w below
        emit("export_toml_cpu", child["export_cpu"], "s", None)
        peak_kib = child["peak_kib"] or (after if after > before else 0)
        emit("export_peak_rss", peak_kib / 1024, "MiB", 100)
        emit("export_size", out.stat().st_size / 2**20, "MiB", None)
        emit("tomli_w_alone", child["each_seconds"], "s", None)
        emit("tomli_w_batched", child["batched_seconds"], "s", None)
        # The target as set: the same sessions streamed through tomli-w one call per session.
        emit("export_toml_vs_tomli_w", child["export_cpu"] / child["each_cpu"], "ratio", 1.25)
        emit("export_toml_vs_tomli_w_wall", child["export_seconds"] / child["each_seconds"], "ratio", None)
        # What the export adds to tomli-w called the way the writer calls it (WRITE_BATCH
        # sessions a call): reading the rows, making records and dicts, escaping, the file.
        # Its target guards against a slower export (it measured 1.34-1.43 when set); the target
        # the issue set is the line above.
        emit("export_toml_vs_tomli_w_batched", child["export_cpu"] / child["batched_cpu"], "ratio", 1.6)

        import_runs = 3
        loads: list[tuple[float, float]] = []
        imports: list[tuple[float, float]] = []
        for n in range(import_runs):  # interleaved, so both see the same machine
            loads.append(_timed(partial(tomllib.loads, out.read_text(encoding="utf-8"))))
            fresh = HistoryStore.open(folder / f"imported-{n}.sqlite3")
            added: list[int] = []
            run = partial(import_history, fresh, out)
            imports.append(_timed(lambda run=run, into=added: into.append(run().added)))
            fresh.close()
            if added != [count]:
                print(f"import added {added}, expected {count}", file=sys.stderr)
                return 1
        emit("tomllib_loads", min(t[0] for t in loads), "s", None)
        emit("import_toml", min(t[0] for t in imports), "s", None)  # judged as a ratio to tomllib below
        emit("import_toml_cpu", min(t[1] for t in imports), "s", None)
        emit("import_toml_vs_tomllib", min(t[1] for t in imports) / min(t[1] for t in loads), "ratio", 1.5)
        emit("import_toml_vs_tomllib_wall", min(t[0] for t in imports) / min(t[0] for t in loads), "ratio",
             None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
