"""The run screen: counts a routine down, step by step, side by side, breath by breath.

The session engine does the timing: a ``SessionRunner`` over the routine's timeline, driven by
a ``DeadlineTicker`` on the app's asyncio loop that wakes exactly at the runner's next deadline
(the next whole second, breath phase, cue or segment end) — never a polling interval. Widgets
are updated only when what they show changes; the breath pacer asks for an extra wake-up only
when its bar is about to move by a cell.

The enabled cue styles (except ``text``: this screen *is* the text) run through a
``CueDispatcher``; one that raises is switched off with a single notice. A
``SessionRecorder`` writes the session to the history when it starts, at every segment end and
when it finishes; the check-in that follows is saved with ``recorder.complete``.

Tests inject a ``FakeClock`` as ``app.ctx.clock``, advance it, and call ``refresh_state()``.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Button, Digits, Footer, Label, ProgressBar, Static

from psoas_tui.clock import Clock, clock_scale, session_clock
from psoas_tui.cues import CueDispatcher
from psoas_tui.errors import UserError
from psoas_tui.model import CheckIn, Cue, CueKind, CueStyle, Routine, SessionStatus
from psoas_tui.recorder import SessionRecorder
from psoas_tui.session import RunnerState, SessionRunner
from psoas_tui.ticker import DeadlineTicker
from psoas_tui.timeline import Segment, Timeline, build_timeline, format_seconds
from psoas_tui.tui.screens.checkin import CheckInScreen
from psoas_tui.tui.widgets.pacer import BreathPacer

if TYPE_CHECKING:
    from psoas_tui.tui.context import AppContext

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


class SessionProgress(ProgressBar):
    """Textual's ``ProgressBar`` without its once-a-second ETA timer: the run screen feeds it."""

    def on_mount(self, event: events.Mount) -> None:
        """Skip ``ProgressBar.on_mount`` (it starts a 1 s interval for the ETA we never show)."""
        event.prevent_default()
        self.update()


class ConfirmStop(ModalScreen[bool]):
    """"Stop this session?" — ``True`` to stop, ``False`` to carry on."""

    DEFAULT_CSS = """
    ConfirmStop { align: center middle; }
    ConfirmStop > Vertical {
        width: 50;
        max-width: 100%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    ConfirmStop Label { width: 1fr; }
    ConfirmStop #confirm-hint { color: $text-muted; margin-bottom: 1; }
    ConfirmStop Horizontal { height: auto; align-horizontal: right; }
    ConfirmStop Button { margin-left: 2; }
    """

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
    """``"Step 2 of 4"`` (or ``"Get ready"``) for the top line."""
    if segment is None:
        return ""
    if segment.step_index is None:
        return "Get ready"
    return f"Step {segment.step_index + 1} of {len(routine.steps)}"


def side_markup(segment: Segment | None) -> str:
    """The LEFT / RIGHT indicator: the current side lit, the other dim; empty when unsided."""
    if segment is None or segment.side is None:
        return ""
    parts = []
    for side in ("left", "right"):
        word = f" {side.upper()} "
        if side == segment.side:
            arrow = "→" if segment.kind == "switch" else ""
            parts.append(f"[reverse b]{arrow}{word}[/]")
        else:
            parts.append(f"[dim]{word}[/]")
    return " ".join(parts)


def rep_text(segment: Segment | None) -> str:
    """``"Round 2 of 3"`` for steps done more than once."""
    if segment is None or segment.reps <= 1:
        return ""
    return f"Round {segment.rep} of {segment.reps}"


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


class RunScreen(Screen[None]):
    """Guide the person through ``routine``; see the module docstring."""

    DEFAULT_CSS = """
    RunScreen {
        layout: vertical;
    }
    RunScreen #run-top { height: 1; padding: 0 1; }
    RunScreen #run-routine { width: 1fr; color: $text-muted; }
    RunScreen #run-position { width: auto; color: $text-muted; }
    RunScreen #run-main {
        height: 1fr;
        align-vertical: middle;
        overflow-y: auto;
        padding: 0 1;
    }
    RunScreen #run-heading { height: 1; }
    RunScreen #run-side { width: auto; margin-right: 1; }
    RunScreen #run-title { width: 1fr; text-style: bold; }
    RunScreen #run-rep { width: auto; color: $accent; }
    RunScreen #run-cue { height: auto; max-height: 4; color: $text; margin-top: 1; }
    RunScreen #run-digits {
        width: 1fr;
        text-align: center;
        text-style: bold;
        margin: 1 0;
        color: $accent;
    }
    RunScreen.-paused #run-digits { color: $text-disabled; }
    RunScreen.-manual #run-digits { color: $success; }
    RunScreen #run-status { height: 1; margin-top: 1; text-style: italic; text-align: center; }
    RunScreen.-paused #run-status { color: $warning; text-style: bold; }
    RunScreen.-manual #run-status { color: $success; text-style: bold; }
    RunScreen #run-bottom { height: auto; padding: 0 1; }
    RunScreen #run-next { height: 1; color: $text-muted; }
    RunScreen #run-progress-row { height: 1; }
    RunScreen #run-progress { width: 1fr; }
    RunScreen #run-progress Bar { width: 1fr; }
    RunScreen #run-left { width: auto; margin-left: 1; color: $text-muted; }
    """

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
        self.timeline: Timeline | None = None
        self.runner: SessionRunner | None = None
        self.ticker: DeadlineTicker | None = None
        self.recorder: SessionRecorder | None = None
        self.dispatcher: CueDispatcher | None = None
        self.clock: Clock | None = None
        self.record_ok = True
        self.status_cue = ""
        self.repaints = 0
        self._shown: dict[str, object] = {}
        self._pacer_timer: Timer | None = None
        self._asked_checkin = False
        self._ended = False
        self._auto_paused = False
        self._writer_installed = False
        self._previous_writer: Callable[[str], None] | None = None

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="run-top"):
            yield Static(self.routine.title, id="run-routine", markup=False)
            yield Static("", id="run-position", markup=False)
        with Vertical(id="run-main"):
            with Horizontal(id="run-heading"):
                yield Static("", id="run-side")
                yield Static("", id="run-title", markup=False)
                yield Static("", id="run-rep", markup=False)
            yield Static("", id="run-cue", markup=False)
            yield Digits("", id="run-digits")
            yield BreathPacer(id="run-pacer")
            yield Static("", id="run-status", markup=False)
        with Vertical(id="run-bottom"):
            yield Static("", id="run-next", markup=False)
            with Horizontal(id="run-progress-row"):
                yield SessionProgress(show_eta=False, show_percentage=False, id="run-progress")
                yield Static("", id="run-left", markup=False)
        yield Footer()

    # -- life cycle ---------------------------------------------------------------------
    @property
    def ctx(self) -> AppContext:
        """The app's shared services."""
        return self.app.ctx  # type: ignore[attr-defined, no-any-return]

    def on_mount(self) -> None:
        """Build the timeline, runner, cue styles and recorder; start counting."""
        from psoas_tui.routines import parse_breath

        settings = self.ctx.settings
        self.timeline = build_timeline(
            self.routine,
            get_ready_seconds=settings.get_ready_seconds,
            switch_seconds=settings.switch_seconds,
            default_breath=parse_breath(settings.breath),
        )
        self.clock = self.ctx.clock or self._session_clock()
        self.dispatcher = CueDispatcher(self._cue_styles(), exclude={"text"}, notice=self._style_notice)
        self._route_terminal_output()
        self.runner = SessionRunner(
            self.timeline,
            self.clock,
            on_cue=self._cue_emitted,
            on_segment_end=self._segment_ended,
            on_finish=self._session_finished,
        )
        self.query_one(SessionProgress).update(total=max(self.timeline.total_seconds, 1), progress=0)
        store = self._guard_store(lambda: self.ctx.store)
        if store is not None:
            planned = self.timeline.total_seconds
            self.recorder = SessionRecorder(store, self.routine, planned, host=self.ctx.host)
            self._guard_store(self.recorder.start)
        self.runner.start()
        self.ticker = DeadlineTicker(self.runner, self._ticked, scale=clock_scale(self.clock))
        # An async worker: the ticker runs on the app's loop, is cancelled with the screen, and
        # an error in it is reported by Textual instead of vanishing with a bare task.
        self.run_worker(self.ticker.run(), name="session-ticker", group="session-ticker", exit_on_error=True)

    def _session_clock(self) -> Clock:
        """The real (possibly ``PSOAS_TUI_TIME_SCALE``-scaled) clock; a bad scale is a notice."""
        try:
            return session_clock()
        except UserError as exc:
            self.notify(f"{exc} — running at normal speed.", severity="warning", markup=False)
            return session_clock(1.0)

    def on_screen_suspend(self) -> None:
        """Another screen covers this one (help, log, the palette): pause until it is gone."""
        runner = self.runner
        if runner is not None and runner.status == "running":
            runner.pause()
            self._auto_paused = True
            self.refresh_state()

    def on_screen_resume(self) -> None:
        """Back on top: carry on if the pause was ours, not the person's."""
        runner = self.runner
        if self._auto_paused and runner is not None and runner.status == "paused":
            runner.resume()
            self.refresh_state()
        self._auto_paused = False

    def on_unmount(self) -> None:
        """Stop the ticker; a session left running (the app quit) is saved as interrupted."""
        self._wind_down(interrupted=True)

    def _wind_down(self, *, interrupted: bool) -> None:
        if self._ended:
            return
        self._ended = True
        if self.ticker is not None:
            self.ticker.stop()
        self._cancel_pacer_timer()
        runner, recorder = self.runner, self.recorder
        recording = recorder is not None and recorder.record is not None and self.record_ok
        if interrupted and runner is not None and recorder is not None and recording and not runner.finished:
            self._guard_store(recorder.finish, runner.snapshot(), SessionStatus.INTERRUPTED)
        if self.dispatcher is not None:
            self.dispatcher.close()  # e.g. the title style restores the window title
        if self._writer_installed:
            from psoas_tui.builtins.cue_styles import set_terminal_writer

            set_terminal_writer(self._previous_writer)
            self._writer_installed = False

    def _cue_styles(self) -> list[CueStyle]:
        """The enabled styles, in config order; unknown names get one notice."""
        available = {style.name: style for _plugin, style in self.ctx.host.cue_styles()}
        chosen: list[CueStyle] = []
        for name in self.ctx.settings.cue_styles:
            if name in available:
                chosen.append(available[name])
            elif name != "text":
                self.notify(
                    f"Cue style {name!r} is not installed; carrying on without it.",
                    severity="warning",
                    markup=False,
                )
        return chosen

    def _route_terminal_output(self) -> None:
        """Send escape-sequence cue styles (bell, title, notify) through Textual's own output.

        Written straight to the tty they could land in the middle of a frame; the driver's
        writer queue keeps them whole and in order. Headless (tests) they go nowhere.
        """
        from psoas_tui.builtins.cue_styles import set_terminal_writer

        app = self.app

        def write(data: str) -> None:
            driver = getattr(app, "_driver", None)
            if driver is not None and not app.is_headless:
                driver.write(data)

        self._previous_writer = set_terminal_writer(write)
        self._writer_installed = True

    def _style_notice(self, message: str) -> None:
        self.notify(message, title="Cue style switched off", severity="warning", markup=False)

    def _guard_store(self, func: Any, *args: Any) -> Any:
        """Call a history write; a failure is one notice, and the session goes on."""
        if not self.record_ok:
            return None
        try:
            return func(*args)
        except Exception as exc:  # a full disk or a locked file must not stop the stretch
            self.record_ok = False
            self.notify(
                f"History not saved: {type(exc).__name__}: {exc}", severity="error", markup=False
            )
            return None

    # -- engine callbacks ---------------------------------------------------------------
    def _cue_emitted(self, cue: Cue) -> None:
        if cue.kind in STATUS_CUES:
            self.status_cue = cue.text
        elif cue.kind is CueKind.SEGMENT_START:
            self.status_cue = ""
        if self.dispatcher is not None:
            self.dispatcher(cue)

    def _segment_ended(self, state: RunnerState) -> None:
        if self.recorder is not None and self.recorder.record is not None:
            self._guard_store(self.recorder.checkpoint, state)

    def _session_finished(self, state: RunnerState) -> None:
        status = SessionStatus.COMPLETED if state.status == "completed" else SessionStatus.STOPPED
        if self.recorder is not None and self.recorder.record is not None:
            self._guard_store(self.recorder.finish, state, status)
        if not self._asked_checkin:
            self._asked_checkin = True
            self.call_later(self._ask_checkin, status)

    def _ticked(self, state: RunnerState, _cues: list[Cue]) -> None:
        """Called by the ticker at every deadline."""
        if self._ended and not state.finished:
            return
        self.show(state)
        if self.dispatcher is not None and not state.finished:
            self.dispatcher.tick(state)

    # -- driving ------------------------------------------------------------------------
    def refresh_state(self) -> RunnerState | None:
        """Catch up with the clock now and repaint (tests call this after advancing a fake clock)."""
        if self.runner is None:
            return None
        self.runner.tick()
        state = self.runner.snapshot()
        self.show(state)
        if self.ticker is not None:
            self.ticker.wake()
        return state

    def _control(self, name: str) -> None:
        if self.runner is None or self.runner.finished:
            return
        getattr(self.runner, name)()
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

    def action_stop(self) -> None:
        """Ask before stopping; the session is paused while asking."""
        runner = self.runner
        if runner is None or runner.finished:
            return
        was_running = runner.status == "running"
        if was_running:
            runner.pause()
            self.refresh_state()

        def answered(stop: bool | None) -> None:
            if runner.finished:
                return
            if stop:
                runner.stop()
            elif was_running:
                runner.resume()
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
        keymap: dict[str, str] = dict(getattr(self.app, "_keymap", {}) or {})
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
        saved = False
        if self.recorder is not None and self.recorder.record is not None and self.record_ok:
            saved = self._guard_store(self.recorder.complete, checkin) is not None
        if saved:
            self.app.notify("Session saved", markup=False)
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
            side = self.query_one("#run-side", Static)
            side.update(side_markup(segment))
            side.display = bool(side_markup(segment))
        self._text("run-title", self._title(state))
        self._text("run-rep", rep_text(segment))
        self._text("run-cue", segment.cue if segment is not None else self._final_words(state))
        value = digits_text(state)
        if self._set("run-digits", value):
            self.query_one(Digits).update(value)
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

    def _pacer_wake(self) -> None:
        self._pacer_timer = None
        if self.runner is None or self.runner.status != "running" or not self.is_attached:
            return
        state = self.runner.snapshot()
        pacer = self.query_one(BreathPacer)
        pacer.update_breath(state.breath_phase, state.breath_progress)
        self._plan_pacer_wake(state)

    def _cancel_pacer_timer(self) -> None:
        if self._pacer_timer is not None:
            with contextlib.suppress(Exception):
                self._pacer_timer.stop()
            self._pacer_timer = None


_UNSET = object()
