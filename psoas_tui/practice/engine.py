"""The practice engine: one session, assembled once; the run screen and plain mode both drive it.

``PracticeEngine.build(routine, services, ...)`` turns the settings into a timeline (the
breath pattern parsed once, ``psoas_tui.practice.settings``), picks the cue styles (``choose_styles``:
strict for ``--cue``, lenient for the config), and wires the ``CueDispatcher``, the guarded
``SessionRecorder`` (writes that fail are retried, see ``psoas_tui.practice.recorder``), the
``SessionRunner`` and its ``DeadlineTicker``. A front end then only

* calls ``watch(on_update=..., on_cue=..., on_notice=...)`` to hear about states, cues and
  notices (``on_notice(kind, message)``, ``kind`` one of ``NOTICE_KINDS``);
* calls ``start()``, then runs ``ticker.run()`` on its asyncio loop (or schedules
  ``next_deadline()`` / ``advance()`` itself);
* turns keys or stdin lines into controls (``pause``, ``resume``, ``toggle_pause``, ``skip``,
  ``back``, ``done``, ``stop``);
* once the runner has finished, calls ``finish(checkin)`` (True when the history has it all),
  and ``close()`` when it is done with the session (a session still running is saved as
  ``interrupted``).

Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from psoas_tui import paths
from psoas_tui.errors import UserError
from psoas_tui.model import CheckIn, Cue, CueStyle, Routine, SessionStatus
from psoas_tui.practice.clock import Clock, clock_scale, session_clock
from psoas_tui.practice.delivery import CueDispatcher, select_styles
from psoas_tui.practice.recorder import SessionRecorder, final_status
from psoas_tui.practice.runner import RunnerState, SessionRunner
from psoas_tui.practice.settings import timeline_for
from psoas_tui.practice.ticker import DeadlineTicker
from psoas_tui.practice.timeline import Timeline

if TYPE_CHECKING:
    from psoas_tui.figures.library import Figures
    from psoas_tui.plugin_host.host import PluginHost
    from psoas_tui.services import Services

STYLE_NOTICE = "cue-style"
HISTORY_NOTICE = "history"
NOTICE_KINDS = (STYLE_NOTICE, HISTORY_NOTICE)

UpdateObserver = Callable[[RunnerState, list[Cue]], None]
CueObserver = Callable[[Cue], None]
NoticeObserver = Callable[[str, str], None]
StateHook = Callable[[RunnerState], None]
UnknownStyle = Callable[[str, list[str]], None]
CONTROLS = ("pause", "resume", "toggle_pause", "skip", "back", "done", "stop")


def available_styles(host: PluginHost) -> list[CueStyle]:
    """Every usable cue style: the built-ins, then the plugins'."""
    return [style for _plugin, style in host.cue_styles()]


def choose_styles(
    available: Sequence[CueStyle],
    requested: Sequence[str] | None,
    configured: Iterable[str],
    *,
    first: Sequence[str] = (),
    unknown: UnknownStyle | None = None,
) -> list[CueStyle]:
    """The session's cue styles: ``first`` (always on), then the ``requested`` ones (``--cue``)
    or, without any, the ``configured`` ones (the config's ``cue_styles``).

    ``requested`` is strict: an unknown name is a ``UserError`` listing the available styles.
    ``configured`` is lenient: an unknown name (say, of an uninstalled plugin) is skipped and
    told to ``unknown(name, available_names)``.
    """
    if requested:
        wanted = list(requested)
        select_styles(available, wanted, where="--cue")  # raises on an unknown name
    else:
        known = sorted({style.name for style in available})
        wanted = []
        for name in configured:
            if name in known:
                wanted.append(name)
            elif unknown is not None:
                unknown(name, known)
    return select_styles(available, [*first, *wanted], where="--cue")


def practice_clock(services: Services, on_bad_scale: Callable[[UserError], None] | None = None) -> Clock:
    """The session clock: the injected one, else the real (``PSOAS_TUI_TIME_SCALE``-scaled) one.

    A bad scale raises ``UserError``; with ``on_bad_scale`` it is told there instead and the
    session runs at normal speed.
    """
    if services.clock is not None:
        return services.clock  # type: ignore[return-value]
    try:
        return session_clock()
    except UserError as exc:
        if on_bad_scale is None:
            raise
        on_bad_scale(exc)
        return session_clock(1.0)


def practice_figures(services: Services, on_missing: Callable[[UserError], None] | None = None) -> Figures:
    """The pose figures (the plugins' too). A broken pack raises ``UserError``; with
    ``on_missing`` it is told there instead and no figure is shown."""
    from psoas_tui.figures.library import Figures, PoseLibrary

    try:
        return services.figures
    except UserError as exc:
        if on_missing is None:
            raise
        on_missing(exc)
        return Figures(PoseLibrary())


class PracticeEngine:
    """One session: runner, ticker, cue delivery and the guarded recorder; see the module
    docstring. ``on_start``, ``on_segment_end`` and ``on_finish`` are extra hooks on the
    runner's life (called after the engine's own handling). A ``recorder``'s notices go to the
    engine's ``on_notice`` (kind ``history``)."""

    def __init__(
        self,
        timeline: Timeline,
        clock: Clock,
        styles: Iterable[CueStyle],
        *,
        recorder: SessionRecorder | None = None,
        figures: Figures | None = None,
        exclude: Collection[str] = (),
        on_start: Callable[[SessionRunner], None] | None = None,
        on_segment_end: StateHook | None = None,
        on_finish: StateHook | None = None,
    ) -> None:
        self.timeline = timeline
        self.routine = timeline.routine
        self.clock = clock
        self.recorder = recorder
        self.figures = figures
        self.closed = False
        self._hooks = (on_start, on_segment_end, on_finish)
        self._on_update: UpdateObserver | None = None
        self._on_cue: CueObserver | None = None
        self._on_notice: NoticeObserver | None = None
        self._on_finish: StateHook | None = None
        self.dispatcher = CueDispatcher(styles, exclude=exclude, notice=self._style_notice)
        self.runner = SessionRunner(
            timeline, clock, on_cue=self._cue, on_segment_end=self._segment_ended, on_finish=self._finished
        )
        self.ticker = DeadlineTicker(self.runner, self._update, scale=clock_scale(clock))
        if recorder is not None:
            recorder.notice = self._history_notice

    @classmethod
    def build(
        cls,
        routine: Routine,
        services: Services,
        *,
        clock: Clock | None = None,
        cue_request: Sequence[str] | None = None,
        first_styles: Sequence[str] = (),
        exclude: Collection[str] = (),
        unknown_style: UnknownStyle | None = None,
        figures: Figures | None = None,
    ) -> PracticeEngine:
        """The engine for ``routine`` with ``services``' settings, plugins and history.

        ``clock`` defaults to ``practice_clock(services)``; ``cue_request`` are the ``--cue``
        names (strict), else the config's are used (lenient, see ``choose_styles``).
        """
        settings = services.settings
        timeline = timeline_for(routine, settings)
        styles = choose_styles(
            available_styles(services.host), cue_request, settings.cue_styles,
            first=first_styles, unknown=unknown_style,
        )  # fmt: skip
        recorder = SessionRecorder(
            lambda: services.store, routine, timeline.total_seconds, host=services.host,
            folder=(services.history_path or paths.history_file()).parent,
            **({"monotonic": services.monotonic} if services.monotonic is not None else {}),
        )  # fmt: skip
        clock = clock if clock is not None else practice_clock(services)
        return cls(timeline, clock, styles, recorder=recorder, figures=figures, exclude=exclude)

    def watch(
        self,
        *,
        on_update: UpdateObserver | None = None,
        on_cue: CueObserver | None = None,
        on_notice: NoticeObserver | None = None,
        on_finish: StateHook | None = None,
    ) -> None:
        """Hear about every state the ticker reaches (with its cues), every cue as it is
        delivered, every notice (``on_notice(kind, message)``) and the end of the session
        (``on_finish(state)``, once, when the runner finishes: the history has been told)."""
        self._on_update, self._on_cue, self._on_notice = on_update, on_cue, on_notice
        self._on_finish = on_finish

    # -- life -----------------------------------------------------------------------------
    def start(self) -> None:
        """Note the start in the history (a failure is one notice; retried later) and start
        counting. Then run ``ticker.run()`` on the loop, or schedule ``advance()`` yourself."""
        if self.recorder is not None:
            self.recorder.start()
        self.runner.start()
        if self._hooks[0] is not None:
            self._hooks[0](self.runner)

    @property
    def state(self) -> RunnerState:
        """Where the session is now (without catching up with the clock)."""
        return self.runner.snapshot()

    @property
    def finished(self) -> bool:
        """True once the runner has finished (completed or stopped)."""
        return self.runner.finished

    def next_deadline(self) -> float | None:
        """The session-clock time of the next change (None while paused or waiting)."""
        return self.runner.next_deadline()

    def advance(self) -> RunnerState:
        """Catch up with the clock now (cues are delivered) and return the state."""
        self.runner.tick()
        return self.runner.snapshot()

    def final_status(self, state: RunnerState) -> SessionStatus:
        """How the finished session goes into the history."""
        if self.recorder is not None and self.recorder.final is not None:
            return self.recorder.final
        return final_status(state, state.total_seconds)

    def finish(self, checkin: CheckIn | None) -> bool:
        """Save the check-in (if any) once the session has finished; True when the history
        holds everything (else retry with ``recorder.retry`` / ``recorder.save_until``)."""
        if self.recorder is None:
            return True
        self.recorder.complete(checkin)
        return self.recorder.saved

    def close(self, *, interrupted: bool = True) -> None:
        """Stop the ticker and close the cue styles (the title style restores the window's
        title); with ``interrupted``, a session still running is saved as ``interrupted``."""
        if self.closed:
            return
        self.closed = True
        self.ticker.stop()
        if interrupted and self.recorder is not None and self.recorder.started and not self.runner.finished:
            self.recorder.finish(self.runner.snapshot(), SessionStatus.INTERRUPTED)
        self.dispatcher.close()

    # -- controls -------------------------------------------------------------------------
    def control(self, name: str) -> bool:
        """Apply one of ``CONTROLS`` (ignored once finished) and wake the ticker; True if applied."""
        if name not in CONTROLS:
            raise ValueError(f"unknown control {name!r}")
        if self.runner.finished:
            return False
        getattr(self.runner, name)()
        self.ticker.wake()
        return True

    def pause(self) -> bool:
        """Pause the countdown."""
        return self.control("pause")

    def resume(self) -> bool:
        """Carry on after a pause."""
        return self.control("resume")

    def toggle_pause(self) -> bool:
        """Pause or resume."""
        return self.control("toggle_pause")

    def skip(self) -> bool:
        """Skip to the next segment."""
        return self.control("skip")

    def back(self) -> bool:
        """Restart this segment (twice quickly: the previous one)."""
        return self.control("back")

    def done(self) -> bool:
        """Mark a reps step done."""
        return self.control("done")

    def stop(self) -> bool:
        """Stop the session (it finishes as stopped)."""
        return self.control("stop")

    # -- figures --------------------------------------------------------------------------
    def step_figure(self, columns: int, rows: int) -> list[str]:
        """The figure of the step now under way (first key pose, its side), ``columns`` x
        ``rows``; none between steps or without figures."""
        from psoas_tui.figures.library import figure_for

        segment = self.runner.current
        if self.figures is None or segment is None or segment.kind != "step" or segment.step_index is None:
            return []
        drawn = figure_for(self.routine, segment.step_index, segment.side, 0.0,
                           columns=columns, rows=rows, library=self.figures)  # fmt: skip
        return drawn or []

    # -- the runner's and ticker's callbacks -----------------------------------------------
    def _cue(self, cue: Cue) -> None:
        self.dispatcher(cue)
        if self._on_cue is not None:
            self._on_cue(cue)

    def _segment_ended(self, state: RunnerState) -> None:
        if self.recorder is not None and not state.finished:
            self.recorder.checkpoint(state)
        if self._hooks[1] is not None:
            self._hooks[1](state)

    def _finished(self, state: RunnerState) -> None:
        if self.recorder is not None:
            self.recorder.finish(state)  # completed only when most of the plan was done
        for hook in (self._hooks[2], self._on_finish):
            if hook is not None:
                hook(state)

    def _update(self, state: RunnerState, cues: list[Cue]) -> None:
        if self.closed and not state.finished:
            return
        if self._on_update is not None:
            self._on_update(state, cues)
        if not self.runner.finished and not self.closed:
            self.dispatcher.tick(state)

    def _style_notice(self, message: str) -> None:
        self._notify(STYLE_NOTICE, message)

    def _history_notice(self, message: str) -> None:
        self._notify(HISTORY_NOTICE, message)

    def _notify(self, kind: str, message: str) -> None:
        if self._on_notice is not None:
            self._on_notice(kind, message)

