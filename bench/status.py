"""How cheap ``psoas-tui status`` is (it runs every few seconds in a status bar or prompt), and
what a waiting ``psoas-tui remind`` costs.

* **Wall time**: the installed ``psoas-tui status`` against ``python3 -c "import sqlite3"`` (the
  same interpreter), interleaved run by run in the same process; the metric is the ratio of the
  medians (target <= 3.0). The history holds a year of sessions and reminder events, reminders
  are enabled, and bytecode is compiled first, as an install would have it.
* **Peak RSS** of ``status`` (``ru_maxrss`` from ``wait4``; target <= 20 MiB).
* **A waiting ``remind``**: its resident set once it has printed its first line (target <= 25
  MiB) and its CPU time over an idle stretch (``/proc/PID/stat``; the target is ~0, 1 % of a core).

Prints one JSON object per line (``{"bench", "metric", "value", "unit", "target"}``; a value at
most its target means met), starting and ending with the load average. ``--quick``: fewer runs
and a short idle sample. Needs Linux ``/proc`` for the ``remind`` figures.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = "status"
ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 1000
CONFIG = '[reminders]\nenabled = true\nevery = "50m"\nat = ["15:00"]\nchannels = ["bell"]\n'
IDLE_CONFIG = '[reminders]\nenabled = true\nat = ["00:00"]\ndays = ["mon"]\nchannels = ["bell"]\n'


def emit(metric: str, value: float, unit: str, target: float | None, **extra: object) -> None:
    """Print one result line."""
    line = {"bench": BENCH, "metric": metric, "value": round(value, 3), "unit": unit, "target": target}
    line.update(extra)
    print(json.dumps(line), flush=True)


def load_average() -> float:
    """The 1-minute load average: context for every timing."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return float("nan")


def make_home(root: Path, config: str = CONFIG, sessions: int | None = None) -> dict[str, str]:
    """Config and data folders with ``sessions`` (default ``SESSIONS``) daily sessions and a
    reminder event or two a day."""
    sessions = SESSIONS if sessions is None else sessions
    from psoas_tui.history.store import HistoryStore
    from psoas_tui.model import SessionRecord, SessionStatus

    (root / "config").mkdir(parents=True)
    (root / "config" / "config.toml").write_text(config, encoding="utf-8")
    now = datetime.now(UTC)
    records = [
        SessionRecord(
            id=f"bench-{n:06d}", routine_id="desk-break", routine_title="Desk break",
            routine_source="builtin", started_at=now - timedelta(days=sessions - n, hours=1),
            planned_seconds=300, status=SessionStatus.COMPLETED,
            ended_at=now - timedelta(days=sessions - n, hours=1) + timedelta(seconds=300),
            done_seconds=300.0, segments_done=4, left_seconds=100.0, right_seconds=100.0,
        )
        for n in range(sessions)
    ]
    with HistoryStore.open(root / "data" / "history.sqlite3") as store:
        store.add_records(records)
        for days in range(min(sessions, 365)):
            at = now - timedelta(days=days, hours=2)
            store.record_reminder_event("shown", at=at, due_at=at, until=at + timedelta(hours=3))
            store.record_reminder_event("snoozed", at=at, until=at + timedelta(minutes=15))
    return {"PSOAS_TUI_CONFIG_DIR": str(root / "config"), "PSOAS_TUI_DATA_DIR": str(root / "data")}


def status_argv() -> list[str]:
    """The installed ``psoas-tui status`` (its console script), else the same entry point."""
    script = Path(sys.executable).with_name("psoas-tui")
    if script.exists():
        return [sys.executable, str(script), "status"]
    code = "import sys; from psoas_tui.cli import entry; sys.argv = ['psoas-tui', 'status']; entry()"
    return [sys.executable, "-c", code]


# A small process forks and times each run: a child forked straight from this (bigger)
# process would report this process's pages as its own peak RSS (counted until ``exec``).
RUNNER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.execv(sys.argv[1], sys.argv[1:])
_pid, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run ``argv`` (through ``RUNNER``); returns ``(seconds, peak RSS in MiB, exit status)``."""
    result = subprocess.run([sys.executable, "-c", RUNNER, *argv], env=env, capture_output=True,
                            text=True, check=True)
    seconds, peak_kib, code = result.stdout.split()
    if int(code) not in (0, 1):
        raise RuntimeError(f"{argv} failed with status {code}: {result.stderr!r}")
    return float(seconds), int(peak_kib) / 1024, int(code)


def compile_bytecode() -> None:
    """Compile the package, as an install does, so no run pays for it."""
    compileall.compile_dir(str(ROOT / "psoas_tui"), quiet=1)


def bench_status(env: dict[str, str], runs: int) -> None:
    """Interleaved runs of ``status`` and the baseline; medians, their ratio, peak RSS."""
    baseline = [sys.executable, "-c", "import sqlite3"]
    status, base, rss, base_rss = [], [], [], []
    for _ in range(runs):
        seconds, peak, _code = timed(status_argv(), env)
        status.append(seconds)
        rss.append(peak)
        seconds, peak, _code = timed(baseline, env)
        base.append(seconds)
        base_rss.append(peak)
    ours, theirs = statistics.median(status), statistics.median(base)
    emit("status_wall_ms", ours * 1000, "ms", None, runs=runs)
    emit("import_sqlite3_wall_ms", theirs * 1000, "ms", None, runs=runs)
    emit("status_vs_import_sqlite3", ours / theirs, "ratio", 3.0)
    emit("status_peak_rss", max(rss), "MiB", 20.0)
    emit("import_sqlite3_peak_rss", max(base_rss), "MiB", None)


def cpu_seconds(pid: int) -> float:
    """``utime + stime`` of ``pid`` in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """``VmRSS`` of ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def bench_remind(env: dict[str, str], idle: float) -> None:
    """A ``remind`` with nothing due for days: its memory and its CPU while it waits."""
    argv = [*status_argv()[:-1], "remind"]
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = child.stdout.readline() if child.stdout else ""
        if not first:
            raise RuntimeError(f"remind printed nothing: {child.stderr.read() if child.stderr else ''}")
        before = cpu_seconds(child.pid)
        time.sleep(idle)  # the measurement itself: CPU over an idle stretch
        used = cpu_seconds(child.pid) - before
        emit("remind_rss", rss_mib(child.pid), "MiB", 25.0)
        emit("remind_idle_cpu", 100 * used / idle if idle else 0.0, "% of a core", 1.0, seconds=idle)
    finally:
        child.terminate()
        child.wait()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 runs and a 2 s idle sample")
    parser.add_argument("--runs", type=int, help="status runs (default 30, --quick 5)")
    parser.add_argument("--idle", type=float, help="seconds of idle remind (default 60, --quick 2)")
    args = parser.parse_args(argv)
    runs = args.runs or (5 if args.quick else 30)
    idle = args.idle if args.idle is not None else (2.0 if args.quick else 60.0)
    emit("load_average", load_average(), "load", None)
    compile_bytecode()
    root = Path(tempfile.mkdtemp(prefix="psoas-bench-status-"))
    try:
        env = {**os.environ, **make_home(root / "status")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        bench_status(env, runs)
        if Path("/proc/self/stat").exists():
            idle_env = {**env, **make_home(root / "remind", IDLE_CONFIG, sessions=10)}
            bench_remind(idle_env, idle)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    emit("load_average", load_average(), "load", None)
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
