"""An asyncio deadline ticker for a ``SessionRunner`` (no Textual here).

The TUI, plain mode and the timer benchmark all drive a session with it. Instead of polling on
a coarse interval, the ticker asks the runner for ``next_deadline()`` (the next whole second of
the countdown, breath phase, cue or segment end), turns that session time into loop time with
the clock's time scale, and sleeps exactly until then with ``loop.call_at``. Each wake calls
``runner.tick()`` and then ``on_update(state, cues)``.

Controls that happen between wakes (pause, resume, skip, back, done, stop from a key press or a
stdin line) change the runner's deadlines, so the caller must call ``wake()`` after them: the
ticker then ticks at once and re-plans. ``wake()`` must be called on the loop's thread; from
another thread use ``loop.call_soon_threadsafe(ticker.wake)``. While the runner is paused, on a
manual segment or not started, the ticker sleeps until woken. It returns when the runner has
finished (after one last ``on_update``) or when ``stop()`` is called.

Usage::

    ticker = DeadlineTicker(runner, on_update)       # scale from the runner's clock
    runner.start()
    task = ticker.start()                            # or: await ticker.run()
    ...; runner.pause(); ticker.wake()
    final_state = await task
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from psoas_tui.clock import clock_scale
from psoas_tui.model import Cue
from psoas_tui.session import RunnerState, SessionRunner

UpdateCallback = Callable[[RunnerState, list[Cue]], None]


class DeadlineTicker:
    """Wakes at the runner's deadlines on the running asyncio loop; see the module docstring.

    ``scale`` is real seconds per session second; ``None`` takes it from the runner's clock
    (``ScaledClock.scale``; 1.0 for clocks without one). ``wakes`` counts the wake-ups.
    """

    def __init__(
        self, runner: SessionRunner, on_update: UpdateCallback, *, scale: float | None = None
    ) -> None:
        self.runner = runner
        self.on_update = on_update
        self.scale = clock_scale(runner.clock) if scale is None else scale
        self.wakes = 0
        self._woken = False
        self._stopped = False
        self._waiter: asyncio.Future[None] | None = None
        self._task: asyncio.Task[RunnerState] | None = None

    def start(self) -> asyncio.Task[RunnerState]:
        """Run the ticker as a task on the running loop; the task's result is the final state."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="psoas-tui-ticker")
        return self._task

    def wake(self) -> None:
        """Tick now and re-plan (call after any control that changes the runner)."""
        self._woken = True
        self._release()

    def stop(self) -> None:
        """Make the ticker return at its next chance (the runner itself is left as it is)."""
        self._stopped = True
        self._release()

    async def run(self) -> RunnerState:
        """Tick at every deadline until the runner finishes or ``stop()``; return the last state."""
        loop = asyncio.get_running_loop()
        runner = self.runner
        while True:
            self._woken = False
            self.wakes += 1
            cues = runner.tick()
            state = runner.snapshot()
            self.on_update(state, cues)
            if state.finished or self._stopped:
                return state
            if self._woken:  # on_update pressed a control: tick again straight away
                continue
            deadline = runner.next_deadline()
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiter = waiter
            handle = None
            if deadline is not None:
                delay = max(0.0, (deadline - runner.clock()) * self.scale)
                handle = loop.call_at(loop.time() + delay, _resolve, waiter)
            try:
                await waiter
            finally:
                self._waiter = None
                if handle is not None:
                    handle.cancel()

    def _release(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


def _resolve(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def run_ticker(
    runner: SessionRunner, on_update: UpdateCallback, *, scale: float | None = None
) -> RunnerState:
    """Drive ``runner`` with a ``DeadlineTicker`` until it finishes; return the final state."""
    return await DeadlineTicker(runner, on_update, scale=scale).run()
