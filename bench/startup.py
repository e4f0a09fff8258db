"""Startup, memory and idle CPU of the full-screen app, measured in a real tmux pane.

* **Time to first screen**: from launching the installed ``psoas-tui`` in a tmux pane until a
  routine title is on screen (``capture-pane`` polled every few milliseconds), compared in the
  same run with ``bench/minimal_app.py`` (a header, a list of 20 items, a footer) until its
  last item is on screen. Runs are interleaved; the metric is the median of per-run ratios.
* The same with **50 dummy plugins installed**: 50 distributions (``*.dist-info`` with a
  ``psoas_tui`` entry point, each plugin module offering a routine and a cue style) in a
  temporary folder on ``PYTHONPATH``. ``importlib.metadata`` finds them exactly as it finds
  a pip install (it scans every ``sys.path`` entry), and each one is imported and called.
* Bytecode is compiled first (``compile_bytecode``) for the package and the dummy plugins, as
  an install would have it; otherwise edited modules would be compiled at every launch.
* **First paint**: when the choose screen's frame (header, filter box) is up, before the
  routines arrive; it must not wait for plugin discovery (compare with and without plugins).
* **Peak RSS at first screen**: ``VmHWM`` of the app process (tmux's ``pane_pid``).
* **CPU while the run screen counts down**: ``psoas-tui run desk-break``, then
  ``utime + stime`` from ``/proc/PID/stat`` over 5 seconds, as a share of one core.
* **CPU while the figure moves**: the same during the half-kneeling stretch (two skips past
  getting ready and padding the knee), whose figure leans and comes back with the 4-0-6-0
  breath while the big digits count down; the pane is compared before and after the sample to
  check the figure did move (``figure_moved``).
* **Log screen with 100,000 sessions**: a history seeded through ``HistoryStore.add_records``;
  F2 on the choose screen, then the time until the log screen's frame is painted and until
  its stats and first page of sessions are shown.

Prints one JSON object per line (``{"bench", "metric", "value", "unit", "target"}``; a value
at most its target means met, ``null`` target: a figure to watch), starting and ending with
the machine's load average: on a machine busy with other work every time grows, and ratios
get noisy, so read the figures with it. ``--quick``: 2 runs and a 2 s CPU sample. Needs tmux
and Linux ``/proc``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = "startup"
HERE = Path(__file__).resolve().parent
# Text of the choose screen's first frame (the filter box placeholder), before any routine.
PAINT_MARKER = "Filter: title"
FIGURE_MARKER = "Round 1 of 3"  # the run screen once half-kneeling's stretch step starts
WIDTH, HEIGHT = 80, 24
POLL = 0.01
TIMEOUT = 60.0
PLUGINS = 50
SESSIONS = 100_000
SPACING = timedelta(days=3652) / SESSIONS  # ten years of sessions at the full count


def emit(metric: str, value: float, unit: str, target: float | None, **extra: object) -> None:
    """Print one result line."""
    line = {"bench": BENCH, "metric": metric, "value": round(value, 3), "unit": unit, "target": target}
    line.update(extra)
    print(json.dumps(line), flush=True)


# -- tmux -------------------------------------------------------------------------------------
class Pane:
    """One tmux pane on a private server; ``launch`` replaces whatever runs in it."""

    def __init__(self) -> None:
        self.socket = f"psoas-bench-{os.getpid()}"
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", str(WIDTH),
                   "-y", str(HEIGHT), "sleep 100000")
        self._tmux("set-option", "-g", "remain-on-exit", "on")
        self._tmux("set-option", "-g", "default-terminal", "tmux-256color")

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                                check=True)
        return result.stdout

    def launch(self, argv: list[str], env: dict[str, str]) -> float:
        """Start ``argv`` in the pane (the process replaces the shell); returns the start time."""
        assignments = [f"{key}={value}" for key, value in env.items()]
        command = "exec env " + " ".join(shlex.quote(a) for a in [*assignments, *argv])
        start = time.perf_counter()
        self._tmux("respawn-pane", "-k", "-t", "bench:0", command)
        return start

    def pid(self) -> int:
        """The pane's process (the app itself: the shell ``exec``s ``env``, which ``exec``s it)."""
        return int(self._tmux("display-message", "-p", "-t", "bench:0", "#{pane_pid}").strip())

    def text(self) -> str:
        """What the pane shows now."""
        return self._tmux("capture-pane", "-p", "-t", "bench:0")

    def wait_for(self, marker: str, timeout: float = TIMEOUT) -> float:
        """Poll until ``marker`` is on screen; returns the time it was seen."""
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.text()
            now = time.perf_counter()
            if marker in screen:
                return now
            if now > deadline:
                raise TimeoutError(f"{marker!r} not on screen after {timeout} s; screen:\n{screen}")
            time.sleep(POLL)

    def keys(self, *keys: str) -> float:
        """Send keys; returns the time just before sending."""
        start = time.perf_counter()
        self._tmux("send-keys", "-t", "bench:0", *keys)
        return start

    def stop(self) -> None:
        """Leave the pane idle."""
        self._tmux("respawn-pane", "-k", "-t", "bench:0", "sleep 100000")

    def close(self) -> None:
        """Stop the private tmux server."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)


def peak_rss_mib(pid: int) -> float:
    """``VmHWM`` (peak resident set) of ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


def load_average() -> float:
    """The 1-minute load average: context for every timing (a busy machine skews them)."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def cpu_seconds(pid: int) -> float:
    """``utime + stime`` of ``pid`` in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


# -- fixtures ---------------------------------------------------------------------------------
def make_home(root: Path, name: str) -> dict[str, str]:
    """Config (safety notice acknowledged) and data folders; the environment pointing at them."""
    config = root / name / "config"
    data = root / name / "data"
    config.mkdir(parents=True)
    data.mkdir(parents=True)
    (config / "config.toml").write_text("safety_acknowledged = true\n", encoding="utf-8")
    return {"PSOAS_TUI_CONFIG_DIR": str(config), "PSOAS_TUI_DATA_DIR": str(data)}


def make_dummy_plugins(folder: Path, count: int) -> None:
    """``count`` installed-looking plugin distributions: dist-info with an entry point + module."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        module = f"psoas_tui_bench_dummy_{n:02d}"
        (folder / f"{module}.py").write_text(
            '"""A do-nothing plugin for bench/startup.py."""\n'
            "from psoas_tui.api import CueStyle, Routine, Step, StepKind, hookimpl\n\n\n"
            "@hookimpl\n"
            "def psoas_tui_routines():\n"
            f"    return [Routine(id='bench-dummy-{n:02d}', title='Zz bench dummy {n:02d}',\n"
            "                    summary='A routine from a benchmark plugin.',\n"
            "                    steps=(Step(StepKind.HOLD, 'Hold', seconds=30),))]\n\n\n"
            "@hookimpl\n"
            "def psoas_tui_cue_styles():\n"
            f"    return [CueStyle('bench-dummy-{n:02d}', 'Dummy {n:02d}', lambda cue: None)]\n",
            encoding="utf-8",
        )
        dist = folder / f"psoas_tui_bench_dummy_{n:02d}-0.1.0.dist-info"
        dist.mkdir(exist_ok=True)
        (dist / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: psoas-tui-bench-dummy-{n:02d}\nVersion: 0.1.0\n",
            encoding="utf-8",
        )
        (dist / "entry_points.txt").write_text(
            f"[psoas_tui]\nbench-dummy-{n:02d} = {module}\n", encoding="utf-8"
        )
        (dist / "top_level.txt").write_text(module + "\n", encoding="utf-8")


def synthetic_sessions(count: int) -> Iterator[object]:
    """``count`` finished sessions going back from now, newest last: 100,000 of them span ten
    years (about 27 a day, the same heavy use ``bench/history_scale.py`` assumes)."""
    from psoas_tui.model import CheckIn, SessionRecord, SessionStatus

    tz = datetime.now().astimezone().tzinfo
    now = datetime.now(UTC).astimezone(tz)
    for n in range(count):
        started = now - SPACING * (count - n)
        done = 300.0 if n % 7 else 120.0
        yield SessionRecord(
            id=f"bench-{n:08d}", routine_id="desk-break", routine_title="Two-minute desk break",
            routine_source="builtin", started_at=started, planned_seconds=300,
            status=SessionStatus.COMPLETED if n % 7 else SessionStatus.STOPPED,
            ended_at=started + timedelta(seconds=done), done_seconds=done, segments_done=4,
            left_seconds=done / 3, right_seconds=done / 3,
            checkin=CheckIn(3 + n % 4, 5 + n % 5, n % 10, (n + 3) % 10, "" if n % 3 else "felt ok"),
        )


def seed_history(data_dir: Path, count: int) -> float:
    """Write ``count`` sessions through the real store; returns the seconds it took."""
    from psoas_tui.history.store import HistoryStore

    start = time.perf_counter()
    store = HistoryStore.open(data_dir / "history.sqlite3")
    try:
        store.add_records(synthetic_sessions(count))  # type: ignore[arg-type]
    finally:
        store.close()
    return time.perf_counter() - start


def compile_bytecode(*folders: Path) -> None:
    """Write fresh ``.pyc`` files for ``folders``, as ``pip install`` does for an installed app.

    Without it, a launch from a source checkout (or with ``PYTHONDONTWRITEBYTECODE`` set, or
    after an edit) compiles every changed module from source each time, while Textual's own
    modules are loaded from their compiled files: the comparison would charge psoas-tui for
    compiling, which no installed copy does.
    """
    import compileall

    for folder in folders:
        compileall.compile_dir(str(folder), quiet=1)


def first_routine_title(env: dict[str, str]) -> str:
    """The start of the title at the top of the choose screen's list (the library's first
    routine), cut at a word so that it is on one line of the list even when the title wraps."""
    code = "from psoas_tui.routines import RoutineLibrary; print(next(iter(RoutineLibrary.load())).title)"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True,
                         text=True, check=True)
    title = out.stdout.strip()
    words: list[str] = []
    for word in title.split():
        if len(" ".join([*words, word])) > 24:
            break
        words.append(word)
    return " ".join(words) or title[:24]


# -- measurements -----------------------------------------------------------------------------
def psoas_command() -> list[str]:
    """The installed console script next to this interpreter (or on PATH)."""
    script = Path(sys.executable).with_name("psoas-tui")
    if script.exists():
        return [str(script)]
    found = shutil.which("psoas-tui")
    if found is None:
        raise SystemExit("psoas-tui is not installed")
    return [found]


def timed_launch(pane: Pane, argv: list[str], env: dict[str, str], marker: str,
                 paint_marker: str | None = None) -> tuple[float, float | None, float]:
    """Launch and wait for ``marker``: (seconds to marker, seconds to first paint, peak RSS MiB)."""
    start = pane.launch(argv, env)
    pid = pane.pid()
    painted = None
    if paint_marker is not None:
        painted = pane.wait_for(paint_marker) - start
    seen = pane.wait_for(marker) - start
    rss = peak_rss_mib(pid)
    pane.stop()
    return seen, painted, rss


def bench_startup(pane: Pane, runs: int, root: Path) -> None:
    """Interleaved launches of the minimal app, psoas-tui, and psoas-tui with 50 plugins."""
    base_env = {"TEXTUAL_ANIMATIONS": "none"}
    home = {**base_env, **make_home(root, "startup")}
    plugins_dir = root / "plugins"
    make_dummy_plugins(plugins_dir, PLUGINS)
    import psoas_tui

    compile_bytecode(Path(psoas_tui.__file__).parent, plugins_dir)
    with_plugins = {**home, "PYTHONPATH": str(plugins_dir)}
    marker = first_routine_title(home)
    if first_routine_title(with_plugins) != marker:
        raise SystemExit("the dummy plugins changed the first routine; the comparison would be unfair")
    minimal = [sys.executable, str(HERE / "minimal_app.py")]
    from minimal_app import MARKER as minimal_marker  # type: ignore[import-not-found]

    app = psoas_command()
    paint = PAINT_MARKER
    variants: dict[str, Callable[[], tuple[float, float | None, float]]] = {
        "minimal": lambda: timed_launch(pane, minimal, base_env, minimal_marker),
        "psoas": lambda: timed_launch(pane, app, home, marker, paint),
        "psoas50": lambda: timed_launch(pane, app, with_plugins, marker, paint),
    }
    for fn in variants.values():  # warm the file cache and bytecode once, untimed
        fn()
    results: dict[str, list[tuple[float, float | None, float]]] = {k: [] for k in variants}
    names = list(variants)
    for run in range(runs):
        order = names[run % 3 :] + names[: run % 3]  # rotate so no variant always goes first
        for name in order:
            results[name].append(variants[name]())

    def median(name: str, index: int) -> float:
        return statistics.median(r[index] for r in results[name])  # type: ignore[misc]

    ratios = [p[0] / m[0] for p, m in zip(results["psoas"], results["minimal"], strict=True)]
    ratios50 = [p[0] / m[0] for p, m in zip(results["psoas50"], results["minimal"], strict=True)]
    emit("minimal_first_screen_ms", median("minimal", 0) * 1000, "ms", None, runs=runs)
    emit("first_screen_ms", median("psoas", 0) * 1000, "ms", None, runs=runs)
    emit("first_screen_ratio", statistics.median(ratios), "x minimal", 1.15, runs=runs)
    emit("first_screen_50_plugins_ms", median("psoas50", 0) * 1000, "ms", None, runs=runs)
    emit("first_screen_ratio_50_plugins", statistics.median(ratios50), "x minimal", 1.25, runs=runs)
    emit("first_paint_ms", median("psoas", 1) * 1000, "ms", None, runs=runs)
    emit("first_paint_50_plugins_ms", median("psoas50", 1) * 1000, "ms", None, runs=runs)
    emit("minimal_peak_rss", median("minimal", 2), "MiB", None)
    emit("peak_rss_first_screen", median("psoas", 2), "MiB", 45)
    emit("peak_rss_first_screen_50_plugins", median("psoas50", 2), "MiB", None)


def run_cpu(pane: Pane, env: dict[str, str], routine: str, marker: str, seconds: float,
            keys: tuple[str, ...] = (), title: str = "") -> tuple[float, float, str, str]:
    """``psoas-tui run ROUTINE``; once ``title`` is up, ``keys``; once ``marker`` is up, the
    share of one core it uses over ``seconds``. Returns (percent, wall seconds, screen before
    and after the sample)."""
    pane.launch([*psoas_command(), "run", routine], env)
    pid = pane.pid()
    pane.wait_for(title or marker)
    for key in keys:
        pane.keys(key)
    pane.wait_for(marker)
    time.sleep(0.5)  # let the first frames settle; we measure the steady countdown
    first = pane.text()
    before, wall0 = cpu_seconds(pid), time.perf_counter()
    time.sleep(seconds)  # no tmux polling meanwhile: only the app's own work is counted
    after, wall1 = cpu_seconds(pid), time.perf_counter()
    screen = pane.text()
    pane.stop()
    if marker not in screen:
        raise SystemExit(f"the run screen moved on or is gone:\n{screen}")
    return 100 * (after - before) / (wall1 - wall0), wall1 - wall0, first, screen


def braille(screen: str) -> str:
    """The braille cells of a screen (the pose figure), row by row."""
    rows = ("".join(ch for ch in line if 0x2800 <= ord(ch) <= 0x28FF) for line in screen.splitlines())
    return "\n".join(rows)


def bench_run_cpu(pane: Pane, root: Path, seconds: float) -> None:
    """Share of one core used by ``psoas-tui run desk-break`` while it counts down."""
    env = {"TEXTUAL_ANIMATIONS": "none", **make_home(root, "run")}
    percent, wall, _first, _last = run_cpu(pane, env, "desk-break", "Two-minute desk break", seconds)
    emit("run_countdown_cpu", percent, "% of one core", 5, seconds=round(wall, 2))


def bench_figure_cpu(pane: Pane, root: Path, seconds: float) -> None:
    """Share of one core while the half-kneeling stretch counts down and its figure breathes."""
    env = {"TEXTUAL_ANIMATIONS": "none", **make_home(root, "figure")}
    percent, wall, first, last = run_cpu(pane, env, "half-kneeling", FIGURE_MARKER, seconds, ("n", "n"),
                                         title="Half-kneeling hip-flexor")
    moved = braille(first) != braille(last) and bool(braille(last).strip())
    emit("run_figure_cpu", percent, "% of one core", 5, seconds=round(wall, 2), figure_moved=moved)


def bench_log(pane: Pane, root: Path, sessions: int, runs: int) -> None:
    """F2 with ``sessions`` in the history: until the log frame is painted, and until it is filled."""
    env = {"TEXTUAL_ANIMATIONS": "none", **make_home(root, "log")}
    seeded = seed_history(Path(env["PSOAS_TUI_DATA_DIR"]), sessions)
    emit("seed_sessions_s", seeded, "s", None, sessions=sessions)
    marker = first_routine_title(env)
    pages = -(-sessions // 100)
    frames, filled = [], []
    for _ in range(runs):
        pane.launch(psoas_command(), env)
        pane.wait_for(marker)
        time.sleep(0.3)
        start = pane.keys("F2")
        frames.append(pane.wait_for("Done/plan") - start)  # the table's header: the frame is up
        pane.wait_for(f"page 1 of {pages:,}")  # the first page of sessions
        filled.append(pane.wait_for("Streak") - start)  # and the stats
        pane.stop()
    emit("log_first_frame_ms", statistics.median(frames) * 1000, "ms", 300, sessions=sessions)
    emit("log_filled_ms", statistics.median(filled) * 1000, "ms", 300, sessions=sessions)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 runs, a 2 s CPU sample")
    parser.add_argument("--runs", type=int, default=None, help="launches per variant (default 9)")
    parser.add_argument("--sessions", type=int, default=SESSIONS, help="history size for the log")
    parser.add_argument("--only", choices=("startup", "cpu", "log"), action="append",
                        help="run only these parts (repeatable; default: all)")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        raise SystemExit("bench/startup.py needs tmux")
    runs = args.runs or (2 if args.quick else 9)
    sys.path.insert(0, str(HERE))
    pane = Pane()
    emit("load_average_1m_before", load_average(), "runnable tasks", None, cpus=os.cpu_count())
    try:
        with tempfile.TemporaryDirectory(prefix="psoas-startup-") as tmp:
            root = Path(tmp)
            parts = set(args.only or ("startup", "cpu", "log"))
            if "startup" in parts:
                bench_startup(pane, runs, root)
            if "cpu" in parts:
                bench_run_cpu(pane, root, 2.0 if args.quick else 5.0)
                bench_figure_cpu(pane, root, 2.0 if args.quick else 5.0)
            if "log" in parts:
                bench_log(pane, root, args.sessions, 3 if args.quick else 5)
    finally:
        pane.close()
    emit("load_average_1m_after", load_average(), "runnable tasks", None, cpus=os.cpu_count())
    return 0


if __name__ == "__main__":
    sys.exit(main())
