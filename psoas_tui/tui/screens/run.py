"""The run screen: counts a routine down, step by step, side by side, breath by breath.

The session is a ``PracticeEngine`` (``psoas_tui.practice``, the same one plain mode drives)
built from the routine and the app's services: it owns the timeline, the cue styles, the
history recorder, the runner and its ``DeadlineTicker``, which runs on the app's asyncio loop
and wakes exactly at the runner's next deadline (the next whole second, breath phase, cue or
segment end) — never a polling interval. This screen turns keys into the engine's controls
and paints the states it reports. Widgets
are updated only when what they show changes; the breath pacer asks for an extra wake-up only
when its bar is about to move by a cell.

What is seen from the floor: a ``BigClock`` (block-character digits as tall as the screen
allows) and beside it a ``PoseFigure`` of the step, mirrored on the right side. The figures come
from ``ctx.figures`` (built-in and plugins', by the routine's source). While a step whose figure
moves is running, a one-shot timer every ``FIGURE_FRAME`` seconds moves it on with the breath
(or its slow loop); a frame is painted only when its text changes, and no timer runs while
paused, getting ready, switching sides or resting (those show the step's first key pose).

The enabled cue styles (except ``text``: this screen *is* the text) run through the engine's
``CueDispatcher``; one that raises is switched off with a single notice. The engine's
``SessionRecorder`` writes the session to the history when it starts, at every segment end and
when it finishes; the check-in that follows is saved with ``engine.finish``.

Tests inject a ``FakeClock`` as ``app.ctx.clock``, advance it, and call ``refresh_state()``.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Footer, Label, Static

from psoas_tui.errors import UserError
from psoas_tui.model import CheckIn, Cue, CueKind, Routine, SessionStatus
from psoas_tui.practice.clock import Clock, clock_scale
from psoas_tui.practice.delivery import CueDispatcher
from psoas_tui.practice.engine import STYLE_NOTICE, PracticeEngine, practice_clock, practice_figures
from psoas_tui.practice.recorder import SessionRecorder
from psoas_tui.practice.runner import RunnerState, SessionRunner
from psoas_tui.practice.ticker import DeadlineTicker
from psoas_tui.practice.timeline import Segment, Timeline
from psoas_tui.text import format_seconds, safe
from psoas_tui.tui.overrides import SessionProgress, applied_keymap, terminal_write
from psoas_tui.tui.screens.base import PsoasModal, PsoasScreen
from psoas_tui.tui.screens.checkin import CheckInScreen
from psoas_tui.tui.widgets.bigclock import BigClock
from psoas_tui.tui.widgets.figure import PoseFigure
from psoas_tui.tui.widgets.footer import FittingFooter
from psoas_tui.tui.widgets.pacer import PHASE_WORDS, BreathPacer
from psoas_tui.tui.widgets.side import SideBand, side_markup

if TYPE_CHECKING:
    from psoas_tui.figures.library import Figures

# Cues worth repeating on the status line; the rest are already visible (title, digits).
STATUS_CUES = frozenset(
    {
        CueKind.BREATH_IN,
        CueKind.BREATH_HOLD,
        CueKind.BREATH_OUT,
        CueKind.HALFWAY,
        CueKind.SIDE_SWITCH,
        CueKind.SEGMENT_END,
        CueKind.RESUMED,
    }
)
# The pacer never asks to be woken more often than this (session seconds): at most 4 extra
# repaints a second, so a breathing hold stays cheap on the CPU.
PACER_MIN_WAKE = 0.25
# A moving figure is redrawn at most this often (real seconds; 5 frames a second), and only
# while the session runs and the step's figure moves: none while paused or still.
FIGURE_FRAME = 0.2
# From this many rows the step heading is five rows tall: the side in block letters.
ROOMY_ROWS = 30


class ConfirmStop(PsoasModal[bool]):
    """"Stop this session?" — ``True`` to stop, ``False`` to carry on."""

    CSS_PATH = "run.tcss"

    BINDINGS = [
        Binding("y", "answer(True)", "Stop", id="run.confirm_stop"),
        Binding("n,escape", "answer(False)", "Keep going", id="run.cancel_stop"),
    ]

    AUTO_FOCUS = "#confirm-no"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Stop this session?")
            yield Label("What you did so far is kept in the log.", id="confirm-hint")
            with Horizontal():
                yield Button("Keep going (n)", id="confirm-no")
                yield Button("Stop (y)", variant="warning", id="confirm-yes")

    def action_answer(self, stop: bool) -> None:
        """Close with the answer."""
        self.dismiss(stop)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons answer like the keys."""
        self.dismiss(event.button.id == "confirm-yes")


def step_position(routine: Routine, segment: Segment | None) -> str:
    """``"Step 2 of 4"`` for the top line (``"Before step 1 of 4"`` while getting ready: the
    title under it already says "Get ready")."""
    if segment is None:
        return ""
    if segment.step_index is None:
        return f"Before step 1 of {len(routine.steps)}"
    return f"Step {segment.step_index + 1} of {len(routine.steps)}"


def rep_text(segment: Segment | None) -> str:
    """``"Round 2 of 3"`` for steps done more than once."""
    if segment is None or segment.reps <= 1:
        return ""
    return f"Round {segment.rep} of {segment.reps}"


def cue_text(state: RunnerState) -> str:
    """What to do now: the segment's cue. While getting ready it is the first step's own cue,
    so the seconds can be used to set up (the "Next:" line already names the step)."""
    segment, upcoming = state.segment, state.next_segment
    if segment is None:
        return ""
    if segment.kind == "get_ready" and upcoming is not None and upcoming.cue:
        return upcoming.cue
    return segment.cue


def next_text(state: RunnerState) -> str:
    """``"Next: Switch sides (right)"`` or ``"Next: Finish"``."""
    if state.finished:
        return ""
    upcoming = state.next_segment
    if upcoming is None:
        return "Next: Finish"
    side = f" ({upcoming.side})" if upcoming.side and upcoming.kind == "step" else ""
    return f"Next: {upcoming.title}{side}"


def digits_text(state: RunnerState) -> str:
    """What the big digits show: ``m:ss``, or ``8x`` on a manual reps step."""
    segment = state.segment
    if segment is not None and segment.manual:
        return f"{segment.count}x" if segment.count else "--"
    return format_seconds(state.remaining)


def reps_text(segment: Segment, done_keys: str = "d") -> str:
    """The prompt on a manual reps step (``done_keys``: the key(s) bound to "Done")."""
    count = f"{segment.count} reps at your pace" if segment.count else "At your pace"
    return f"{count} — press {done_keys} when done"


def said_by_pacer(cue: str, phase: str | None) -> bool:
    """True when ``cue`` only repeats the pacer's label (``"Breathe in"``, ``"Breathe out
    slowly"``, ``"Hold"``): the status line leaves it out, so it is shown once."""
    words = PHASE_WORDS.get(phase or "", "")
    return bool(words) and cue.casefold().startswith(words.casefold())


def phase_seconds(segment: Segment | None, phase: str | None) -> float:
    """How long the current breath phase lasts in all (0 when there is none)."""
    if segment is None or segment.breath is None or phase is None:
        return 0.0
    breath = segment.breath
    return float(
        {"in": breath.inhale, "hold_in": breath.hold_in, "out": breath.exhale, "hold_out": breath.hold_out}[
            phase
        ]
    )


class RunScreen(PsoasScreen[None]):
    """Guide the person through ``routine``; see the module docstring."""

    CSS_PATH = "run.tcss"

    # A tall terminal gives the side block letters, the title an accent (``-roomy`` in run.tcss).
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(ROOMY_ROWS, "-roomy")]

    BINDINGS = [
        Binding("space", "toggle_pause", "Pause/resume", id="run.pause"),
        Binding("right,n", "skip", "Skip", id="run.skip"),
        Binding("left,p", "back", "Back", id="run.back"),
        Binding("d", "done", "Done", id="run.done"),
        Binding("escape", "stop", "Stop", id="run.stop"),
    ]

    def __init__(self, routine: Routine) -> None:
        super().__init__()
        self.routine = routine
        self.engine: PracticeEngine | None = None
        self.figures: Figures | None = None
        self.timeline: Timeline | None = None
        self.runner: SessionRunner | None = None
        self.ticker: DeadlineTicker | None = None
        self.recorder: SessionRecorder | None = None
        self.dispatcher: CueDispatcher | None = None
        self.clock: Clock | None = None  # the engine's parts, for painting and for tests
        self.status_cue = ""
        self.repaints = 0
        self._shown: dict[str, object] = {}
        self._pacer_timer: Timer | None = None
        self._figure_timer: Timer | None = None
        self._entered: tuple[int, float] | None = None  # (segment index, clock when first shown)
        self._asked_checkin = False
        self._auto_paused = False
        self._writer_installed = False
        self._previous_writer: Callable[[str], None] | None = None

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="run-top"):
            yield Static(safe(self.routine.title), id="run-routine", markup=False)
            yield Static("", id="run-position", markup=False)
        with Vertical(id="run-main"):
            with Horizontal(id="run-heading"):
                yield SideBand(id="run-side")
                yield Static("", id="run-title", markup=False)
                yield Static("", id="run-rep", markup=False)
            yield Static("", id="run-cue", markup=False)
            with Horizontal(id="run-stage"):
                yield BigClock("", id="run-digits")
                yield PoseFigure(self.routine, self._figures(), id="run-figure")
            yield BreathPacer(id="run-pacer")
            yield Static("", id="run-status", markup=False)
        with Vertical(id="run-bottom"):
            yield Static("", id="run-next", markup=False)
            with Horizontal(id="run-progress-row"):
                yield SessionProgress(show_eta=False, show_percentage=False, id="run-progress")
                yield Static("", id="run-left", markup=False)
        yield FittingFooter()

    # -- life cycle ---------------------------------------------------------------------
    def on_mount(self) -> None:
        """Build the session from the routine and the app's services; start counting."""
        ctx = self.ctx
        engine = self.engine = PracticeEngine.build(
            self.routine, ctx, clock=practice_clock(ctx, self._bad_scale), exclude={"text"},
            unknown_style=self._unknown_style, figures=self.figures,
        )  # fmt: skip
        engine.watch(on_update=self._ticked, on_cue=self._cue_emitted, on_notice=self._notice,
                     on_finish=self._session_finished)  # fmt: skip
        self.timeline, self.clock, self.runner = engine.timeline, engine.clock, engine.runner
        self.ticker, self.recorder, self.dispatcher = engine.ticker, engine.recorder, engine.dispatcher
        self._route_terminal_output()
        self.query_one(SessionProgress).update(total=max(engine.timeline.total_seconds, 1), progress=0)
        engine.start()  # a history that cannot be written is one notice; retried later
        # An async worker: the ticker runs on the app's loop, is cancelled with the screen, and
        # an error in it is reported by Textual instead of vanishing with a bare task.
        self.run_worker(engine.ticker.run(), name="session-ticker", group="session-ticker",
                        exit_on_error=True)  # fmt: skip

    def _figures(self) -> Figures:
        """The pose figures (plugins' too); without them (a broken pack) no figure is shown."""
        if self.figures is None:
            self.figures = practice_figures(self.ctx, self._no_figures)
        return self.figures

    def _no_figures(self, exc: UserError) -> None:
        self.notify(f"No pose figures: {safe(str(exc))}", severity="warning", markup=False)

    def _bad_scale(self, exc: UserError) -> None:
        """A bad ``PSOAS_TUI_TIME_SCALE`` is a notice; the session runs at normal speed."""
        self.notify(f"{exc} — running at normal speed.", severity="warning", markup=False)

    def on_screen_suspend(self) -> None:
        """Another screen covers this one (help, log, the palette): pause until it is gone."""
        runner = self.runner
        if self.engine is not None and runner is not None and runner.status == "running":
            self.engine.pause()
            self._auto_paused = True
            self.refresh_state()

    def on_screen_resume(self) -> None:
        """Back on top: carry on if the pause was ours, not the person's."""
        runner = self.runner
        if self._auto_paused and self.engine is not None and runner is not None and runner.status == "paused":
            self.engine.resume()
            self.refresh_state()
        self._auto_paused = False

    def on_unmount(self) -> None:
        """Stop the ticker; a session left running (the app quit) is saved as interrupted."""
        self._wind_down(interrupted=True)

    def _wind_down(self, *, interrupted: bool) -> None:
        engine = self.engine
        if engine is None or engine.closed:
            return
        self._cancel_pacer_timer()
        self._cancel_figure_timer()
        engine.close(interrupted=interrupted)  # e.g. the title style restores the window title
        if self._writer_installed:
            from psoas_tui.builtins.cue_styles import set_terminal_writer

            set_terminal_writer(self._previous_writer)
            self._writer_installed = False

    def _unknown_style(self, name: str, _known: list[str]) -> None:
        """A configured style that is not installed: one notice; the session goes on."""
        if name != "text":
            self.notify(f"Cue style {name!r} is not installed; carrying on without it.",
                        severity="warning", markup=False)  # fmt: skip

    def _route_terminal_output(self) -> None:
        """Send escape-sequence cue styles (bell, title, notify) through Textual's own output.

        Written straight to the tty they could land in the middle of a frame; the driver's
        writer queue keeps them whole and in order. Headless (tests) they go nowhere.
        """
        from psoas_tui.builtins.cue_styles import set_terminal_writer

        self._previous_writer = set_terminal_writer(partial(terminal_write, self.app))
        self._writer_installed = True

    def _notice(self, kind: str, message: str) -> None:
        """A cue style switched off, or the history could not be written (locked, full,
        read-only: said once; the engine retries)."""
        if kind == STYLE_NOTICE:
            self.notify(safe(message), title="Cue style switched off", severity="warning", markup=False)
        else:
            self.notify(message, severity="error", markup=False)

    # -- engine callbacks ---------------------------------------------------------------
    def _cue_emitted(self, cue: Cue) -> None:
        if cue.kind in STATUS_CUES:
            self.status_cue = cue.text
        elif cue.kind is CueKind.SEGMENT_START:
            self.status_cue = ""

    def _session_finished(self, state: RunnerState) -> None:
        if self.engine is not None and not self._asked_checkin:
            self._asked_checkin = True
            self.call_later(self._ask_checkin, self.engine.final_status(state))

    def _ticked(self, state: RunnerState, _cues: list[Cue]) -> None:
        """Called by the ticker at every deadline."""
        self.show(state)

    # -- driving ------------------------------------------------------------------------
    def refresh_state(self) -> RunnerState | None:
        """Catch up with the clock now and repaint (tests call this after advancing a fake clock)."""
        if self.engine is None:
            return None
        state = self.engine.advance()
        self.show(state)
        self.engine.ticker.wake()
        return state

    def _control(self, name: str) -> None:
        if self.engine is not None and self.engine.control(name):
            self.refresh_state()

    def action_toggle_pause(self) -> None:
        """Pause or resume."""
        self._control("toggle_pause")

    def action_skip(self) -> None:
        """Skip to the next segment: the one after the segment on screen.

        A key press can arrive just after the on-screen segment's end but before the ticker's
        wake-up has shown the next one (they are due in the same loop iteration). The runner
        would first catch up into the next segment and then skip *that* too (step 1 -> step 3,
        missing a 5-minute step), so when catching up has already left the segment on screen,
        the press is spent: the person wanted to leave it, and it is gone.
        """
        runner = self.runner
        if runner is None or runner.finished:
            return
        runner.tick()
        if runner.snapshot().index != self._shown.get("index"):
            self.refresh_state()
            return
        self._control("skip")

    def action_back(self) -> None:
        """Restart this segment (twice quickly: the previous one)."""
        self._control("back")

    def action_done(self) -> None:
        """Mark a reps step done."""
        segment = self.runner.current if self.runner is not None else None
        if segment is None or not segment.manual:
            self.notify(f"{self.keys_for('run.done')} marks a reps step done; this step is timed.",
                        markup=False, timeout=3)
            return
        self._control("done")

    def action_stop(self, then_quit: bool = False) -> None:
        """Ask before stopping; the session is paused while asking. With ``then_quit`` (Ctrl+Q)
        a "yes" stores the session as ``stopped`` and quits the app."""
        engine = self.engine
        if engine is None or engine.finished:
            return
        was_running = engine.runner.status == "running"
        if was_running:
            engine.pause()
            self.refresh_state()

        def answered(stop: bool | None) -> None:
            if engine.finished:
                return
            if stop:
                engine.stop()
                if then_quit:
                    self._asked_checkin = True  # quitting: no check-in
                    self.app.exit()
                    return
            elif was_running:
                engine.resume()
            self.refresh_state()

        self.app.push_screen(ConfirmStop(), answered)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show "Done" in the footer only on a step that waits for it."""
        if action == "done":
            segment = self.runner.current if self.runner is not None else None
            return segment is not None and segment.manual
        return True

    def keys_for(self, binding_id: str) -> str:
        """The key(s) bound to ``binding_id`` right now (the ``[keys]`` remaps applied), as
        shown to people: ``"space"``, ``"p or f5"``."""
        keymap = applied_keymap(self.app)
        binding = next(b for b in Binding.make_bindings(self.BINDINGS) if b.id == binding_id)
        keys = keymap.get(binding_id, binding.key)
        shown: list[str] = []
        for key in (k.strip() for k in keys.split(",") if k.strip()):
            label = self.app.get_key_display(Binding(key, binding.action))
            if label not in shown:
                shown.append(label)
        return " or ".join(shown)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The bindings the footer shows: this screen's own, without the app's global keys
        (help, log, plugins, settings) so the run keys fit at 80 columns. The global keys
        still work (key dispatch does not read this) and are listed in help; Quit is kept
        so ctrl+c can still say how to quit."""
        return {
            key: active
            for key, active in super().active_bindings.items()
            if active.node is not self.app or active.binding.action in ("quit", "app.quit")
        }

    # -- finishing ----------------------------------------------------------------------
    def _ask_checkin(self, status: SessionStatus) -> None:
        self._wind_down(interrupted=False)
        self.query_one(Footer).display = False  # its keys do not act under the check-in
        self.app.push_screen(
            CheckInScreen(self.routine.title, sided=self.routine.sided, status=status.value),
            self._checked_in,
        )

    def _checked_in(self, checkin: CheckIn | None) -> None:
        engine = self.engine
        if engine is not None:
            if engine.finish(checkin):
                self.app.notify("Session saved", markup=False)
            else:  # the app keeps trying for up to a minute, after this screen is gone
                self.host.keep_saving(engine.recorder)
        if self.app.screen is self:
            self.app.pop_screen()

    # -- painting -----------------------------------------------------------------------
    def _set(self, key: str, value: object) -> bool:
        """Remember ``value`` for ``key``; True when it differs from what is shown."""
        if self._shown.get(key, _UNSET) == value:
            return False
        self._shown[key] = value
        self.repaints += 1
        return True

    def _text(self, widget_id: str, value: str) -> None:
        value = safe(value)  # routine text (titles, cues) is data: no control character reaches the terminal
        old = self._shown.get(widget_id)
        if self._set(widget_id, value):
            # A relayout only when the size may change: the cue wraps, the rest are one line.
            layout = widget_id == "run-cue" or not isinstance(old, str) or len(old) != len(value)
            self.query_one(f"#{widget_id}", Static).update(value, layout=layout)

    def show(self, state: RunnerState) -> None:
        """Bring every widget up to ``state``, touching only those whose content changed."""
        if not self.is_attached:
            return
        segment = state.segment
        manual = segment is not None and segment.manual
        self._shown["index"] = state.index  # the segment on screen (see action_skip)
        self.set_class(state.paused, "-paused")
        self.set_class(manual, "-manual")
        self._text("run-position", step_position(self.routine, segment))
        if self._set("run-side", side_markup(segment)):
            self.query_one(SideBand).show(segment)
        self._text("run-title", self._title(state))
        self._text("run-rep", rep_text(segment))
        self._text("run-cue", cue_text(state) if segment is not None else self._final_words(state))
        value = digits_text(state)
        if self._set("run-digits", value):
            self.query_one(BigClock).update(value)
        self._show_figure(state)
        # Rows with nothing to show are taken out of the block, so what is visible (title, cue,
        # digits, and the pacer and status when they speak) is what gets centred vertically.
        # The status row stays while breathing, so a cue there does not make the block jump.
        breathing = segment is not None and segment.breath is not None and not state.finished
        status = self._status(state)
        pacer = self.query_one(BreathPacer)
        if self._set("pacer-shown", breathing):
            pacer.display = breathing
            if breathing:  # its bar has no width until laid out: plan its wake-up after that
                self.call_after_refresh(self._pacer_wake)
        pacer.set_class(state.paused, "-paused")
        pacer.update_breath(state.breath_phase, state.breath_progress)
        if self._set("status-shown", breathing or bool(status)):
            self.query_one("#run-status", Static).display = breathing or bool(status)
        self._text("run-status", status)
        self._text("run-next", next_text(state))
        total = max(state.total_seconds, 1)
        done = round(state.progress * total)
        if self._set("run-progress", done):
            self.query_one(SessionProgress).update(progress=done)
        self._text("run-left", f"{format_seconds(math.ceil(state.time_left - 1e-9))} left")
        if self._set("manual", manual):
            self.refresh_bindings()
        self._plan_pacer_wake(state)
        self._plan_figure_wake(state)

    def _title(self, state: RunnerState) -> str:
        if state.status == "completed":
            return "Session complete"
        if state.status == "stopped":
            return "Session stopped"
        return state.segment.title if state.segment is not None else ""

    def _final_words(self, state: RunnerState) -> str:
        return f"{format_seconds(state.elapsed)} of stretching." if state.finished else ""

    def _status(self, state: RunnerState) -> str:
        segment = state.segment
        if state.paused:
            return f"Paused — press {self.keys_for('run.pause')} to resume"
        if segment is not None and segment.manual:
            return reps_text(segment, self.keys_for("run.done"))
        if state.finished or (segment is not None and self.status_cue == segment.cue):
            return ""
        if said_by_pacer(self.status_cue, state.breath_phase):
            return ""
        return self.status_cue

    def _plan_pacer_wake(self, state: RunnerState) -> None:
        """Wake once more before the next deadline if the pacer's bar will move before it."""
        self._cancel_pacer_timer()
        if state.status != "running" or state.breath_phase is None or self.clock is None:
            return
        pacer = self.query_one(BreathPacer)
        delay = pacer.next_change_in(phase_seconds(state.segment, state.breath_phase))
        if delay is None:
            return
        delay = max(delay, PACER_MIN_WAKE)
        deadline = self.runner.next_deadline() if self.runner is not None else None
        if deadline is not None and self.clock() + delay >= deadline:
            return  # the ticker wakes first anyway
        self._pacer_timer = self.set_timer(delay * clock_scale(self.clock), self._pacer_wake)

    def _running_state(self) -> RunnerState | None:
        """The runner's state while the session runs on this (attached) screen, else ``None``."""
        if self.runner is None or self.runner.status != "running" or not self.is_attached:
            return None
        return self.runner.snapshot()

    def _pacer_wake(self) -> None:
        self._pacer_timer = None
        state = self._running_state()
        if state is not None:
            self.query_one(BreathPacer).update_breath(state.breath_phase, state.breath_progress)
            self._plan_pacer_wake(state)

    def _cancel_pacer_timer(self) -> None:
        self._pacer_timer = _stopped(self._pacer_timer)

    # -- the pose figure ----------------------------------------------------------------
    def _figure_step(self, state: RunnerState) -> tuple[int | None, str | None]:
        """The step (index, side) whose figure to show: the current one, or while getting
        ready the first one to come; ``(None, None)`` when the session is over."""
        segment = state.segment
        if state.finished or segment is None:
            return None, None
        if segment.step_index is None and state.next_segment is not None:
            segment = state.next_segment
        return segment.step_index, segment.side

    def _figure_moving(self, state: RunnerState) -> bool:
        """True while a step whose figure moves is under way (not getting ready, switching
        or resting: those show the step's first key pose, still)."""
        segment = state.segment
        if state.finished or segment is None or segment.kind != "step":
            return False
        return self.query_one(PoseFigure).moves(segment.step_index, segment.breath)

    def _figure_elapsed(self, state: RunnerState) -> float:
        """Seconds into the current segment: the runner's for a timed one; for a reps step
        (which waits, uncounted) the time since it was first shown."""
        segment = state.segment
        if segment is None:
            return 0.0
        if not segment.manual:
            return (segment.duration or 0) - state.remaining_exact
        now = self.clock() if self.clock is not None else 0.0
        if self._entered is None or self._entered[0] != state.index:
            self._entered = (state.index, now)
        return now - self._entered[1]

    def _show_figure(self, state: RunnerState) -> None:
        """Show (or hide) the figure of the step on screen, at its place in the movement."""
        figure = self.query_one(PoseFigure)
        index, side = self._figure_step(state)
        shown = figure.has_figure(index)
        if self._set("figure-shown", shown):
            figure.display = shown
        if not shown or index is None:
            return
        segment = state.segment
        t = 0.0
        if self._figure_moving(state) and segment is not None:
            t = figure.position(index, segment.breath, self._figure_elapsed(state))
        figure.show(index, side, t)

    def _plan_figure_wake(self, state: RunnerState) -> None:
        """One frame later, while the session runs and the figure moves; nothing otherwise."""
        if state.status != "running" or not self._figure_moving(state):
            self._cancel_figure_timer()
        elif self._figure_timer is None:
            self._figure_timer = self.set_timer(FIGURE_FRAME, self._figure_wake)

    def _figure_wake(self) -> None:
        self._figure_timer = None
        state = self._running_state()
        if state is not None:
            self._show_figure(state)
            self._plan_figure_wake(state)

    def _cancel_figure_timer(self) -> None:
        self._figure_timer = _stopped(self._figure_timer)


def _stopped(timer: Timer | None) -> None:
    """Stop ``timer`` if there is one (it may have fired already); ``None``, to store in its place."""
    if timer is not None:
        with contextlib.suppress(Exception):
            timer.stop()


_UNSET = object()
