"""``psoas-tui run ID [--plain [--figures]] [--cue STYLE ...]``: run a routine.

Without ``--plain`` this opens the full-screen app on the routine (``psoas_tui.tui.launch``);
when the app is not available, or stdout is not a terminal, it runs in plain mode.

Plain mode is for SSH, screen readers and scripts: one line per cue on stdout, each with the
time left in the segment (the ``text`` cue style, always on here), plus any other styles from
``--cue`` (or, without ``--cue``, the config's ``cue_styles``). Lines typed on stdin control it:

* an empty line (Enter) marks a ``reps`` step done;
* ``p`` pauses / resumes, ``s`` skips, ``b`` goes back, ``q`` stops (exit 0).

``--figures`` adds the pose figure (first key pose, on the current side, as ``show`` draws it)
under the line that starts each step; without it plain mode stays text only (screen readers).

When stdin is not a terminal (a pipe, a file) empty lines are queued: each marks the next
``reps`` step done when it comes, so ``printf '\\n\\n' | psoas-tui run ID --plain`` works.
When stdin is at end of file (``</dev/null``, a closed pipe) nobody can press Enter, so a
``reps`` step moves on by itself after its count x 3 s, and a line says so.
Ctrl-C stops the session cleanly: the "stopped" cue is printed and the exit status is 130.

``PSOAS_TUI_TIME_SCALE`` speeds the whole session up for demos and tests (0.02 makes a
30 s hold last 0.6 s).

The session is logged to the history (``psoas_tui.practice.recorder``): written when it starts, saved
at every segment end, finished as completed or stopped. When stdin is a terminal the check-in
questions follow (``--no-checkin`` skips them); then ``psoas_tui_session_finished`` fires.
When the history does not take the session even after retrying (a read-only folder, a full
disk), a line says what was not saved, why and where, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import os
import queue
import signal
import sys
import threading
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from psoas_tui.commands.common import load_library, report_plugin_failures
from psoas_tui.model import Cue, CueKind, Routine
from psoas_tui.practice.clock import clock_scale
from psoas_tui.practice.runner import RunnerState
from psoas_tui.services import Services
from psoas_tui.text import format_seconds, plural, safe

if TYPE_CHECKING:
    from psoas_tui.figures.library import Figures
    from psoas_tui.plugin_host.host import PluginHost
    from psoas_tui.practice.engine import PracticeEngine

SECONDS_PER_REP_WITHOUT_INPUT = 3
EXIT_INTERRUPTED = 130
EXIT_NOT_SAVED = 1  # the session ran but the history did not take it (scripts notice)
HELP_LINE = "Enter = set done, p = pause/resume, s = skip, b = back, q = stop, Ctrl-C = stop"
# What a typed line asks of the engine (an empty line is "done" on a reps step).
LINE_CONTROLS = {
    **dict.fromkeys(("p", "pause"), "toggle_pause"),
    **dict.fromkeys(("s", "skip"), "skip"),
    **dict.fromkeys(("b", "back"), "back"),
    **dict.fromkeys(("q", "quit", "stop"), "stop"),
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("run", help="run a routine (full-screen app, or --plain text)")
    parser.add_argument("routine", metavar="ID", help="a routine id, or a path to a .toml file")
    parser.add_argument(
        "--plain", action="store_true", help="no full screen: one line per cue on stdout (SSH, scripts)"
    )
    parser.add_argument(
        "--cue",
        action="append",
        metavar="STYLE",
        help="a cue style to use (repeatable; replaces the config's cue_styles): text, bell, title, "
        "notify or a plugin's",
    )
    parser.add_argument(
        "--no-checkin", action="store_true", help="plain mode: do not ask the check-in questions"
    )
    parser.add_argument(
        "--figures", action="store_true", help="plain mode: draw each step's pose figure when it starts"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Open the app on the routine, or run it in plain mode (also when it cannot draw: no
    terminal on stdin or stdout)."""
    if not args.plain and _isatty(sys.stdin) and _isatty(sys.stdout):
        try:
            launch = importlib.import_module("psoas_tui.tui.launch")
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("psoas_tui.tui"):
                raise
        else:
            return int(launch.launch(routine_id=args.routine, cue_styles=args.cue) or 0)
    return run_plain_command(args)


def load_routine(ref: str, host: PluginHost | None = None) -> Routine:
    """A routine by id, or from a ``.toml`` path (the same rule and messages as ``show``)."""
    from psoas_tui.routines import find_routine

    return find_routine(ref, lambda: load_library(host))


def run_plain_command(args: argparse.Namespace) -> int:
    """``run --plain``: load everything, then run the session and record it.

    A history that does not accept writes (locked, full disk, read-only folder) never stops
    the session: one line on stderr, retries at every step, and at the end up to 60 s more
    (saying so) before the line naming what could not be saved.
    """
    from psoas_tui.practice.engine import PracticeEngine, available_styles, practice_clock

    services = Services.from_environment()
    clock = practice_clock(services)  # a bad PSOAS_TUI_TIME_SCALE fails before anything starts
    host = services.host  # one discovery for the routine, the styles and the finished hook
    routine = load_routine(args.routine, host)
    available_styles(host)  # discovered (and cached on the host) here so failures come first
    report_plugin_failures(host, ("import", "register", "psoas_tui_cue_styles"))
    engine = PracticeEngine.build(
        routine, services, clock=clock, cue_request=args.cue, first_styles=("text",),
        unknown_style=_unknown_style,
    )  # fmt: skip
    show_safety_once(services, sys.stdout)
    if getattr(args, "figures", False):
        engine.figures = _figures(services)
    assert engine.recorder is not None
    try:
        engine.recorder.retry_open()
        session = PlainSession(engine, stdin=sys.stdin, out=sys.stdout)
        status = session.run()
        if engine.recorder.finished:
            saved = _check_in_and_save(engine, session, ask=status == 0 and not args.no_checkin)
            status = status or (0 if saved else EXIT_NOT_SAVED)
    finally:
        services.close()
    return status


def _unknown_style(name: str, known: list[str]) -> None:
    """The config names a cue style that is not installed: say so, carry on without it."""
    names = ", ".join(known)
    print(f"psoas-tui: config cue_styles: unknown cue style {name!r} skipped; available: {names}",
          file=sys.stderr)  # fmt: skip


def show_safety_once(services: Services, out: IO[str]) -> None:
    """Print the safety notice on the terminal until someone has seen it there: the app's own
    ``safety_acknowledged`` setting, saved once the notice was printed. With stdout a file it
    goes to the terminal (``/dev/tty``); with no terminal at all (cron, CI) it waits for a run
    that has one, and stdout stays the cues alone."""
    if services.settings.safety_acknowledged:
        return
    from psoas_tui.safety import safety_lines

    with terminal_for_questions(out) as term:
        if not _isatty(term):
            return
        print("\n".join(safety_lines()), end="\n\n", file=term, flush=True)
    with contextlib.suppress(OSError):
        services.save_settings(services.settings.replace(safety_acknowledged=True))


@contextlib.contextmanager
def terminal_for_questions(out: IO[str]) -> Iterator[IO[str]]:
    """Where the check-in questions go: stdout when it is a terminal, else the terminal itself
    (``/dev/tty``), so ``run --plain >log`` still asks on screen; stdout when there is none."""
    if _isatty(out):
        yield out
        return
    try:
        tty = open("/dev/tty", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    except OSError:
        yield out
        return
    with tty:
        yield tty


def _figures(services: Services) -> Figures:
    """The pose figures for ``--figures``: the built-in ones and the plugins'."""
    from psoas_tui.practice.engine import practice_figures

    figures = practice_figures(services)
    report_plugin_failures(services.host, ("psoas_tui_poses",))
    return figures


def _say_error(message: str) -> None:
    print(f"psoas-tui: {message}", file=sys.stderr, flush=True)


def _check_in_and_save(engine: PracticeEngine, session: PlainSession, *, ask: bool) -> bool:
    """Ask the check-in (when someone can answer, on the terminal even when stdout is a
    file), then save, retrying for up to 60 s; True when the history holds it all."""
    from psoas_tui.practice.recorder import ask_checkin

    recorder = engine.recorder
    assert recorder is not None
    ask = ask and session.interactive and not session.output_closed
    with terminal_for_questions(session.out) as term:
        session.prompt_out = term
        say = lambda line: print(line, file=term, flush=True)  # noqa: E731
        saved = engine.finish(ask_checkin(ask=session.ask, say=say) if ask else None)
        try:
            saved = saved or recorder.save_until(say=_say_error)
        except KeyboardInterrupt:
            saved = False
        if not saved:
            _say_error(recorder.failure_report())
        elif ask:
            say("Saved to your history (psoas-tui history).")
        session.prompt_out = session.out
    return saved


class PlainSession:
    """One plain-mode run of a ``PracticeEngine``: stdin lines become its controls, its cues
    and states become lines on ``out`` (the stdin reader is a thread)."""

    def __init__(self, engine: PracticeEngine, *, stdin: IO[str] | None, out: IO[str]) -> None:
        self.engine = engine
        self.timeline = engine.timeline
        self.out = out
        self.prompt_out = out  # where ``ask`` writes its prompt (the terminal, for the check-in)
        self.stdin = stdin
        self.dispatcher = engine.dispatcher
        self.runner = engine.runner
        self.ticker = engine.ticker
        engine.watch(on_update=self._on_update, on_cue=self._on_cue, on_notice=self._notice)
        self.scale = clock_scale(engine.clock)
        self.interactive = _isatty(stdin)
        self.eof = stdin is None
        self.queued_done = 0
        self.interrupted = False
        self._announced: int | None = None
        self._help_shown = False
        self._auto: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Every stdin line goes through this queue (None marks end of input): the session
        # drains it on the loop, and the check-in afterwards reads what is left.
        self._lines: queue.Queue[str | None] = queue.Queue()

    def run(self) -> int:
        """Run the session to the end; returns the exit status (0, or 130 after Ctrl-C)."""
        try:
            status = asyncio.run(self.main())
        except KeyboardInterrupt:  # no signal handler on this platform
            self.runner.stop()
            self.dispatcher.close()
            return EXIT_INTERRUPTED
        if self.output_closed:  # keep Python's exit-time flush from complaining about the pipe
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return status

    def ask(self, prompt: str) -> str:
        """Read one line for a question after the session (``EOFError`` at end of input)."""
        print(prompt, end="", file=self.prompt_out, flush=True)
        line = self._lines.get()
        if line is None:
            self._lines.put(None)
            raise EOFError
        return line.rstrip("\n")

    @property
    def output_closed(self) -> bool:
        """True once stdout went away (``| head``): the ``text`` style hit a broken pipe."""
        return self.dispatcher.disabled.get("text", "").startswith("BrokenPipeError")

    def _notice(self, kind: str, message: str) -> None:
        if kind == "history":  # psoas_tui.practice.HISTORY_NOTICE
            _say_error(message)
        elif not self.output_closed:
            print(f"psoas-tui: {safe(message)}", file=sys.stderr)

    def _on_cue(self, cue: Cue) -> None:
        """With figures, a step's start line (just delivered) is followed by its figure."""
        if self.engine.figures is not None and cue.kind is CueKind.SEGMENT_START and not self.output_closed:
            lines = [f"{'':>9}{line}".rstrip() for line in self.step_figure()]
            if lines:
                print("\n".join(lines), file=self.out, flush=True)

    def step_figure(self) -> list[str]:
        """The figure of the step now starting (first key pose, its side); none between steps."""
        from psoas_tui.commands.show import SHOW_SIZE

        return self.engine.step_figure(*SHOW_SIZE)

    def say(self, text: str) -> None:
        """A line of our own (not a cue) on stdout."""
        print(f"{'':>7}  {text}", file=self.out, flush=True)

    async def main(self) -> int:
        """Run to the end; returns the exit status."""
        loop = self._loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGINT, self._interrupt)
        routine = self.timeline.routine
        count = self.timeline.manual_count
        manual = f" plus {plural(count, 'set')} at your pace" if count else ""
        print(f"{safe(routine.title)}: {format_seconds(self.timeline.total_seconds)}{manual}", file=self.out)
        for line in caution_lines(routine):
            print(line, file=self.out)
        if self.interactive:
            self._show_help()
        if self.stdin is not None:
            threading.Thread(target=self._read_stdin, name="psoas-tui-stdin", daemon=True).start()
        try:
            self.engine.start()
            await self.ticker.run()
        finally:
            if self._auto is not None:
                self._auto.cancel()
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGINT)
            self.engine.close(interrupted=False)
        return EXIT_INTERRUPTED if self.interrupted else 0

    # -- events (all on the loop thread) --------------------------------------------------
    def _on_update(self, state: RunnerState, cues: list[Cue]) -> None:
        if self.output_closed and not state.finished:  # nobody is reading: stop, quietly
            self.engine.stop()
            return
        segment = state.segment
        if segment is None or not segment.manual or state.finished or self._announced == state.index:
            return
        self._announced = state.index
        if self._auto is not None:
            self._auto.cancel()
            self._auto = None
        if self.queued_done:
            self.queued_done -= 1
            self.say("(done, from input)")
            self.engine.done()
        elif self.eof:
            self._schedule_auto(state)
        else:
            self.say("(press Enter when done)")

    def _schedule_auto(self, state: RunnerState) -> None:
        segment = state.segment
        if segment is None or self._loop is None:
            return
        wait = (segment.count or 1) * SECONDS_PER_REP_WITHOUT_INPUT
        self.say(f"(no input: moving on in {format_seconds(wait)})")
        self._auto = self._loop.call_later(wait * self.scale, self._auto_done, state.index)

    def _auto_done(self, index: int) -> None:
        self._auto = None
        if self.runner.snapshot().index == index:
            if self.runner.status == "paused":
                self.engine.resume()
            self.engine.done()

    def _on_line(self, line: str) -> None:
        command = line.strip().lower()
        engine = self.engine
        if engine.finished:
            return
        if command == "":
            current = self.runner.current
            if current is not None and current.manual:
                engine.done()
            elif not self.interactive:
                self.queued_done += 1
        elif command in LINE_CONTROLS:
            engine.control(LINE_CONTROLS[command])
        else:
            self._show_help()
        self.ticker.wake()

    def _show_help(self) -> None:
        """The keys line: at the start on a terminal, and after a line that is no control;
        from a pipe or a file (nobody reads it as they type) at most once."""
        if self._help_shown and not self.interactive:
            return
        self._help_shown = True
        self.say(HELP_LINE)

    def _on_eof(self) -> None:
        self.eof = True
        state = self.runner.snapshot()
        if state.segment is not None and state.segment.manual and not state.finished and self._auto is None:
            if self.queued_done:
                return
            self._schedule_auto(state)

    def _interrupt(self) -> None:
        self.interrupted = True
        self.engine.stop()

    def _read_stdin(self) -> None:
        stream = self.stdin
        loop = self._loop
        if stream is None or loop is None:
            return
        try:
            for line in iter(stream.readline, ""):
                self._lines.put(line)
                with contextlib.suppress(RuntimeError):  # the loop is closed once the session ends
                    loop.call_soon_threadsafe(self._drain)
        except (OSError, ValueError):
            pass
        self._lines.put(None)
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._drain)

    def _drain(self) -> None:
        """Hand queued stdin lines to the running session (on the loop thread)."""
        while not self.runner.finished:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return
            if line is None:
                self._lines.put(None)  # keep end-of-input for the check-in
                if not self.eof:
                    self._on_eof()
                return
            self._on_line(line)


def caution_lines(routine: Routine) -> list[str]:
    """The routine's cautions, printed before each plain run (read, not waited on)."""
    from psoas_tui.text import safe

    if not routine.cautions:
        return []
    return ["Cautions:", *(f"  - {safe(caution)}" for caution in routine.cautions)]


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False
