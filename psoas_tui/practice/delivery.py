"""How the runner's cues are delivered to the cue styles.

The words themselves live in ``psoas_tui.practice.wording`` (the runner imports only those; this
module imports the runner's types, never the other way round).

* ``status_line`` / ``tick_cue``: the short status given to styles' ``tick`` handlers.
* ``select_styles``: the ``CueStyle`` objects the user switched on (config ``cue_styles`` or
  repeated ``--cue``), with an error listing the available names for an unknown one.
* ``CueDispatcher``: calls every enabled style's ``handler`` with each cue (and its ``tick``
  with status updates). A style that raises is switched off for the rest of the session with
  one notice naming it and its plugin; the session goes on. Installed plugins' styles run on
  their own worker threads, so a slow one never delays the countdown (see the class).

Inside the TUI the on-screen line *is* the ``text`` style, so the TUI builds its dispatcher
with ``exclude={"text"}`` (the ``text`` handler prints to stdout, which belongs to plain mode).
Styles that write escape sequences (``bell``, ``title``, ``notify``) go through
``psoas_tui.builtins.cue_styles.set_terminal_writer`` so the TUI can route them through its
own output (see that module).
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from psoas_tui.errors import UserError
from psoas_tui.model import Cue, CueKind, CueStyle
from psoas_tui.plugin_host.host import PluginFailure, error_line, plugin_of, safe_repr
from psoas_tui.practice.wording import side_label
from psoas_tui.text import format_seconds, plural

if TYPE_CHECKING:
    from psoas_tui.practice.runner import RunnerState

CALL_LIMIT = 10.0  # seconds one call of a plugin's style may run before the style is switched off
BACKLOG_LIMIT = 20  # cues that may wait for a plugin's style before it is switched off
HANDOFF_WAIT = 0.25  # real seconds a cue waits for an idle worker to finish it, once per style
EXIT_DRAIN = 2.0  # seconds the process may wait at exit for workers to deliver their last cues

def status_line(state: RunnerState) -> str:
    """A short status such as ``"Left · 0:23 · Half-kneeling"`` (window titles, tick cues)."""
    segment = state.segment
    if state.status == "completed":
        return "psoas-tui · session complete"
    if state.status == "stopped":
        return "psoas-tui · stopped"
    if segment is None:
        return "psoas-tui"
    parts: list[str] = []
    if state.paused:
        parts.append("Paused")
    if segment.side:
        parts.append(side_label(segment.side) if segment.kind == "step" else f"To {segment.side}")
    if segment.manual:
        parts.append(f"x{segment.count}" if segment.count else "at your pace")
    else:
        parts.append(format_seconds(state.remaining))
    parts.append(segment.title)
    return " · ".join(parts)


def tick_cue(state: RunnerState) -> Cue:
    """The ``TICK`` cue given to ``CueStyle.tick`` handlers for ``state``."""
    segment = state.segment
    return Cue(
        kind=CueKind.TICK,
        text=status_line(state),
        segment_index=state.index,
        step_title=segment.title if segment else "",
        side=segment.side if segment else None,
        remaining=None if segment is None or segment.manual else state.remaining,
    )


def select_styles(
    available: Iterable[CueStyle], wanted: Sequence[str], *, where: str = "--cue"
) -> list[CueStyle]:
    """The styles named in ``wanted``, in that order, without repeats.

    An unknown name is a ``UserError`` naming ``where`` and listing the available styles.
    """
    by_name = {style.name: style for style in available}
    chosen: list[CueStyle] = []
    for name in dict.fromkeys(wanted):
        if name not in by_name:
            names = ", ".join(sorted(by_name)) or "none"
            raise UserError(f"{where}: unknown cue style {name!r}; available: {names}")
        chosen.append(by_name[name])
    return chosen


class CueDispatcher:
    """Delivers cues to the enabled styles; a style that fails is switched off with one notice.

    ``exclude`` names styles whose handlers are not called (the TUI passes ``{"text"}`` since
    it shows the cue line itself). ``notice`` receives one human-readable line per style
    switched off (plain mode prints it to stderr, the TUI shows a notification); notices are
    also kept in ``notices``, and the failures, with the plugin that owns each style, in
    ``failures``. The dispatcher is itself a ``Callable[[Cue], None]``, so it can be passed
    straight to ``SessionRunner(on_cue=...)``.

    Styles of installed plugins (those ``PluginHost.cue_styles`` attributed to a plugin that is
    not built in) never run on the caller's thread: each is fed from its own queue by a worker
    thread (``StyleWorker``), so a slow or blocking handler never delays the countdown. While a
    worker keeps up, each cue waits for it up to ``HANDOFF_WAIT`` (0.25 s of real time), so
    cues stay in order with the other styles and a failure is reported at once; the first
    call that takes longer marks the style slow and it is never waited for again. A style
    is switched off when one of its calls runs longer than ``call_limit`` seconds (on
    ``clock``, ``time.monotonic`` by default) or more than ``backlog`` cues wait for it. Built-in
    styles, and styles not made by a plugin host, are called in place, in order. Whatever a
    style raises (even ``SystemExit``, or an exception whose message cannot be printed) switches
    it off; only ``KeyboardInterrupt`` goes through. Notices from worker threads are handed to
    ``notice`` on the caller's thread, at the next cue, tick, ``poll()`` or ``close()``.
    """

    def __init__(
        self,
        styles: Iterable[CueStyle],
        *,
        exclude: Collection[str] = (),
        notice: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        call_limit: float = CALL_LIMIT,
        backlog: int = BACKLOG_LIMIT,
    ) -> None:
        self.styles: list[CueStyle] = [s for s in styles if s.name not in exclude]
        self.disabled: dict[str, str] = {}
        self.notices: list[str] = []
        self.failures: list[PluginFailure] = []
        self.clock = clock
        self.call_limit = call_limit
        self.backlog = backlog
        self._notice = notice
        self._closed = False
        self._lock = threading.Lock()
        self._pending: list[str] = []  # notices from worker threads, not yet handed on
        self._workers: dict[str, StyleWorker] = {}
        for style in self.styles:
            plugin, builtin = plugin_of(style.handler)
            if plugin is not None and not builtin:
                self._workers[style.name] = StyleWorker(self, style, plugin)

    @property
    def active(self) -> list[str]:
        """Names of the styles still switched on."""
        return [s.name for s in self.styles if s.name not in self.disabled]

    def __call__(self, cue: Cue) -> None:
        """Give ``cue`` to every active style's handler."""
        self._check_workers()
        for style in self.styles:
            if style.name not in self.disabled:
                self._deliver(style, style.handler, cue)
        self.poll()

    def tick(self, state: RunnerState) -> None:
        """Give a status update to every active style that has a ``tick``."""
        self._check_workers()
        cue: Cue | None = None
        for style in self.styles:
            if style.tick is not None and style.name not in self.disabled:
                cue = cue or tick_cue(state)
                self._deliver(style, style.tick, cue)
        self.poll()

    def poll(self) -> None:
        """Hand on the notices that worker threads left (call it now and then when idle)."""
        self._check_workers()
        with self._lock:
            pending, self._pending = self._pending, []
        for message in pending:
            self._tell(message)

    def close(self) -> None:
        """Call every style's ``close`` once (also for styles switched off); errors are noticed.

        Never blocks: a worker style's ``close`` is queued behind its cues. At interpreter exit
        the workers get a short, bounded time to finish what was queued (``EXIT_DRAIN``).
        """
        if self._closed:
            return
        self._closed = True
        for style in self.styles:
            if style.close is None:
                continue
            worker = self._workers.get(style.name)
            if worker is not None:
                worker.put(style.close, None, closing=True)
            else:
                self._call(style, style.close, None, closing=True)
        for worker in self._workers.values():
            worker.finish()
        self.poll()

    # -- delivery ------------------------------------------------------------------------
    def _deliver(self, style: CueStyle, func: Callable[[Cue], None], cue: Cue) -> None:
        worker = self._workers.get(style.name)
        if worker is None:
            self._call(style, func, cue)
            return
        idle = worker.idle
        waiting = worker.put(func, cue, replace_tick=cue.kind is CueKind.TICK)
        if waiting > self.backlog:
            self._switch_off(style, f"fell behind: {plural(waiting, 'cue')} waiting")
        elif idle and not worker.slow and not worker.wait_idle(HANDOFF_WAIT):
            worker.slow = True

    def _call(
        self, style: CueStyle, func: Callable[..., None], cue: Cue | None, *, closing: bool = False
    ) -> None:
        """Call ``func`` here and now; a failure switches ``style`` off (or notes a failed close)."""
        try:
            func() if closing else func(cue)
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, GeneratorExit)):
                raise
            self._failed(style, exc, closing=closing, here=True)

    def _failed(self, style: CueStyle, exc: BaseException, *, closing: bool, here: bool) -> None:
        """Record what ``style`` raised; ``here`` is False on a worker thread."""
        reason = "called sys.exit()" if isinstance(exc, SystemExit) else error_line(exc)
        if closing:
            self._record(style, "close", reason, f"{self._label(style)} failed to close: {reason}", here=here)
        else:
            self._switch_off(style, reason, here=here)

    def _switch_off(self, style: CueStyle, reason: str, *, here: bool = True) -> None:
        with self._lock:
            if style.name in self.disabled:
                return
            self.disabled[style.name] = reason
        worker = self._workers.get(style.name)
        if worker is not None:
            worker.drop_queued()
        message = f"{self._label(style)} switched off for this session: {reason}"
        self._record(style, "cue", reason, message, here=here)

    def _record(self, style: CueStyle, stage: str, reason: str, message: str, *, here: bool) -> None:
        plugin, _builtin = plugin_of(style.handler)
        with self._lock:
            self.failures.append(PluginFailure(plugin or "", f"cue style {style.name!r}: {stage}", reason))
            if not here:
                self._pending.append(message)
                return
        self._tell(message)

    def _check_workers(self) -> None:
        """Switch off every worker style whose current call has run past ``call_limit``."""
        now = self.clock()
        for name, worker in self._workers.items():
            since = worker.busy_since
            if name not in self.disabled and since is not None and now - since > self.call_limit:
                self._switch_off(worker.style, f"a call did not return within {self.call_limit:g} s")

    @staticmethod
    def _label(style: CueStyle) -> str:
        """``cue style 'chimes' (plugin chimes)``; the plugin only when known."""
        plugin, builtin = plugin_of(style.handler)
        owner = f" (plugin {plugin})" if plugin and not builtin else ""
        return f"cue style {safe_repr(style.name)}{owner}"

    def _tell(self, message: str) -> None:
        self.notices.append(message)
        if self._notice is not None:
            with contextlib.suppress(Exception):  # a failing notice must not stop the session
                self._notice(message)


class StyleWorker:
    """Feeds one plugin's cue style from its own queue on a daemon thread.

    ``put`` never waits. The thread calls the style's functions one at a time, in order, and
    notes when the current call began (``busy_since``, on the dispatcher's clock) so the
    dispatcher can tell a stuck style. A newer tick replaces one still waiting.
    """

    def __init__(self, dispatcher: CueDispatcher, style: CueStyle, plugin: str) -> None:
        self.dispatcher = dispatcher
        self.style = style
        self.plugin = plugin
        self.busy_since: float | None = None
        self.slow = False  # a call outlasted the hand-off wait: cues no longer wait for it
        self._items: deque[tuple[Callable[..., None], Cue | None, bool]] = deque()
        self._wake = threading.Condition()
        self._finished = False
        self._thread: threading.Thread | None = None

    def put(self, func: Callable[..., None], cue: Cue | None, *, closing: bool = False,
            replace_tick: bool = False) -> int:
        """Queue a call; returns how many calls are waiting (the current one not counted)."""
        with self._wake:
            if replace_tick and self._items and _is_tick(self._items[-1][1]):
                self._items.pop()
            self._items.append((func, cue, closing))
            self._wake.notify_all()
            waiting = len(self._items)
        self._ensure_thread()
        return waiting

    def drop_queued(self) -> None:
        """Forget the cues not yet delivered (the style was switched off)."""
        with self._wake:
            self._items = deque(item for item in self._items if item[2])

    def finish(self) -> None:
        """Let the thread end once the queue is empty."""
        with self._wake:
            self._finished = True
            self._wake.notify_all()

    @property
    def idle(self) -> bool:
        """True when nothing is queued or running."""
        with self._wake:
            return not self._items and self.busy_since is None

    def wait_idle(self, timeout: float) -> bool:
        """Wait up to ``timeout`` real seconds until nothing is queued or running."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._items and self.busy_since is None, timeout)

    def join(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the thread to end."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _ensure_thread(self) -> None:
        with self._wake:
            if self._thread is not None:
                return
            self._thread = threading.Thread(
                target=self._run, name=f"psoas-tui cue style {self.style.name}", daemon=True
            )
        _live_workers.add(self)
        _register_exit_drain()
        self._thread.start()

    def _next(self) -> tuple[Callable[..., None], Cue | None, bool] | None:
        with self._wake:
            while not self._items and not self._finished:
                self._wake.wait()
            return self._items.popleft() if self._items else None

    def _run(self) -> None:
        while (item := self._next()) is not None:
            func, cue, closing = item
            if closing or self.style.name not in self.dispatcher.disabled:
                self._call(func, cue, closing)
        _live_workers.discard(self)

    def _call(self, func: Callable[..., None], cue: Cue | None, closing: bool) -> None:
        with self._wake:
            self.busy_since = self.dispatcher.clock()
        try:
            func() if closing else func(cue)
        except BaseException as exc:  # SystemExit too: a plugin never ends the program
            self.dispatcher._failed(self.style, exc, closing=closing, here=False)
        finally:
            with self._wake:
                self.busy_since = None
                self._wake.notify_all()


def _is_tick(cue: Cue | None) -> bool:
    return cue is not None and cue.kind is CueKind.TICK


# Workers still running; at interpreter exit they get EXIT_DRAIN seconds in all to finish what
# was queued before their ``close`` (so the last cue, "Session complete", is still delivered).
_live_workers: weakref.WeakSet[StyleWorker] = weakref.WeakSet()
_exit_drain_registered = False


def _register_exit_drain() -> None:
    """Register ``drain_workers`` once, to run before atexit handlers (plugins' own drains)."""
    global _exit_drain_registered
    if _exit_drain_registered:
        return
    _exit_drain_registered = True
    register = getattr(threading, "_register_atexit", None)
    try:
        if register is not None:
            register(drain_workers)
        else:  # pragma: no cover - older or other Pythons
            atexit.register(drain_workers)
    except RuntimeError:  # the interpreter is already shutting down
        pass


def drain_workers(timeout: float = EXIT_DRAIN) -> None:
    """Wait up to ``timeout`` seconds in all for finished workers to deliver their last cues."""
    deadline = time.monotonic() + timeout
    for worker in list(_live_workers):
        if worker._finished and worker.style.name not in worker.dispatcher.disabled:
            worker.join(max(0.0, deadline - time.monotonic()))
