"""An asyncio deadline ticker for a ``SessionRunner`` (no Textual here).

The TUI, plain mode and the timer benchmark all drive a session with it. Instead of polling on
a coarse interval, the ticker asks the runner for ``next_deadline()`` (the next whole second of
the countdown, breath phase, cue or segment end), turns that session time into loop time with
the clock's time scale, and sleeps exactly until then with ``loop.call_at``. Each wake calls
``runner.tick()`` and then ``on_update(state, cues)``.

Controls that happen between wakes (pause, resume, skip, back, done, stop from a key press or a
stdin line) change the runner's deadlines, so the caller must call ``wake()`` after them: the
ticker then ticks on the loop's next iteration and re-plans. ``wake()`` must be called on the
loop's thread; from another thread use ``loop.call_soon_threadsafe(ticker.wake)``. While the
runner is paused, on a manual segment or not started, the ticker sleeps until woken. It returns
when the runner has finished (after one last ``on_update``) or when ``stop()`` is called.

Usage::

    ticker = DeadlineTicker(runner, on_update)       # scale from the runner's clock
    runner.start()
    future = ticker.start()                          # or: await ticker.run()
    ...; runner.pause(); ticker.wake()
    final_state = await future
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from psoas_tui.model import Cue
from psoas_tui.practice.clock import clock_scale
from psoas_tui.practice.runner import RunnerState, SessionRunner

UpdateCallback = Callable[[RunnerState, list[Cue]], None]


class DeadlineTicker:
    """Wakes at the runner's deadlines on the running asyncio loop; see the module docstring.

    ``scale`` is real seconds per session second; ``None`` takes it from the runner's clock
    (``ScaledClock.scale``; 1.0 for clocks without one). ``wakes`` counts the wake-ups.

    A deadline wake runs straight from the loop's timer (``loop.call_at``), with no extra hop
    through a task, so it is noticed as soon as the loop is free; ``wake()`` ticks on the
    loop's next iteration (``call_soon``), which keeps ``on_update`` from re-entering itself.
    """

    def __init__(
        self, runner: SessionRunner, on_update: UpdateCallback, *, scale: float | None = None
    ) -> None:
        self.runner = runner
        self.on_update = on_update
        self.scale = clock_scale(runner.clock) if scale is None else scale
        self.wakes = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._done: asyncio.Future[RunnerState] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._soon: asyncio.Handle | None = None

    @property
    def running(self) -> bool:
        """True between ``start()`` and the end."""
        return self._done is not None and not self._done.done()

    def start(self) -> asyncio.Future[RunnerState]:
        """Tick now and at every deadline; the returned future's result is the final state."""
        if self._done is None:
            self._loop = asyncio.get_running_loop()
            self._done = self._loop.create_future()
            self._step()
        return self._done

    async def run(self) -> RunnerState:
        """``start()`` and wait until the runner finishes or ``stop()``; return the last state."""
        return await self.start()

    def wake(self) -> None:
        """Tick on the loop's next iteration and re-plan (call after any control)."""
        if not self.running or self._loop is None or self._soon is not None:
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._soon = self._loop.call_soon(self._step)

    def stop(self) -> None:
        """End the ticker now (the runner itself is left as it is)."""
        self._cancel()
        if self._done is not None and not self._done.done():
            self._done.set_result(self.runner.snapshot())

    def _cancel(self) -> None:
        for handle in (self._timer, self._soon):
            if handle is not None:
                handle.cancel()
        self._timer = self._soon = None

    def _step(self) -> None:
        self._cancel()
        done, loop = self._done, self._loop
        if done is None or loop is None or done.done():
            return
        self.wakes += 1
        runner = self.runner
        try:
            cues = runner.tick()
            state = runner.snapshot()
            self.on_update(state, cues)
            if state.finished:
                self._cancel()
                if not done.done():
                    done.set_result(state)
                return
            if self._soon is not None or done.done():  # on_update pressed a control or stopped us
                return
            deadline = runner.next_deadline()
            if deadline is not None:
                delay = max(0.0, (deadline - runner.clock()) * self.scale)
                self._timer = loop.call_at(loop.time() + delay, self._step)
        except Exception as exc:  # surface errors to whoever awaits the ticker
            self._cancel()
            if not done.done():
                done.set_exception(exc)
