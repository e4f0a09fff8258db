"""The run screen: countdown, sides, reps, pacer, every key, cue styles and the saved session.

Time is a ``FakeClock`` (``tui_ctx.clock``): a test advances it and calls
``screen.refresh_state()``; nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Digits, Static

from psoas_tui.api import hookimpl
from psoas_tui.figures import bigdigits
from psoas_tui.history.store import HistoryStore
from psoas_tui.model import (
    BreathPattern,
    CheckIn,
    Cue,
    CueKind,
    CueStyle,
    Routine,
    SessionStatus,
    Step,
    StepKind,
)
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.practice.clock import FakeClock
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.checkin import CheckInScreen
from psoas_tui.tui.screens.choose import ChooseScreen
from psoas_tui.tui.screens.run import ConfirmStop, RunScreen
from psoas_tui.tui.widgets.pacer import BreathPacer, bar_fill, filled_cells

ROUTINE = Routine(
    id="test-run",
    title="Test run",
    summary="A lunge on both sides, tilts by hand, a breath.",
    steps=(
        Step(
            StepKind.HOLD,
            "Lunge",
            cue="Sink [b]gently[/b] forward",
            seconds=20,
            sides=("left", "right"),
            breath=BreathPattern(4, 2, 4, 0),
        ),
        Step(StepKind.REPS, "Pelvic tilts", cue="Tuck and release", count=8),
        Step(StepKind.BREATHE, "Breathe", cue="Slowly", seconds=10),
    ),
)
# Timeline (get ready 5 s, switch 5 s): 0 get ready | 1 Lunge left 20 | 2 switch 5 |
# 3 Lunge right 20 | 4 Pelvic tilts (manual) | 5 Breathe 10 — 60 timed seconds.


def text_of(screen: RunScreen, widget_id: str) -> str:
    """The plain text a Static shows."""
    return str(screen.query_one(f"#{widget_id}", Static).render())


def digits(screen: RunScreen) -> str:
    return screen.query_one(Digits).value


async def open_run(app: Any, pilot: Any) -> RunScreen:
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RunScreen)
    return screen


async def advance(pilot: Any, screen: RunScreen, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    screen.refresh_state()
    await pilot.pause()


@pytest.fixture
def run_app(make_app: Callable[..., Any]) -> Callable[..., Any]:
    """``run_app(routine=ROUTINE)``: the app opened straight on the run screen."""

    def factory(routine: Routine = ROUTINE, ctx: AppContext | None = None) -> Any:
        return make_app(ctx, routine=routine)

    return factory


def stored(ctx: AppContext) -> list[Any]:
    with HistoryStore.open(ctx.history_path) as store:
        return list(store.iter_sessions())


async def test_counts_down_from_the_fake_clock(run_app, tui_ctx):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        assert digits(screen) == "0:05"
        assert text_of(screen, "run-title") == "Get ready"
        assert text_of(screen, "run-next") == "Next: Lunge (left)"
        assert text_of(screen, "run-left") == "1:00 left"
        await advance(pilot, screen, clock, 1.5)
        assert digits(screen) == "0:04"  # ceil(3.5)
        await advance(pilot, screen, clock, 3.5)
        assert text_of(screen, "run-title") == "Lunge"
        assert digits(screen) == "0:20"
        assert "LEFT" in text_of(screen, "run-side")
        assert text_of(screen, "run-position") == "Step 1 of 3"
        assert text_of(screen, "run-next") == "Next: Switch sides"
        assert text_of(screen, "run-left") == "0:55 left"


async def test_getting_ready_shows_how_to_set_up_for_the_first_step(run_app, tui_ctx):
    """The "Next:" line names the first step; the cue row gives its instructions (not a second
    "Coming up: Lunge"), so the get-ready seconds can be used to set up."""
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        assert text_of(screen, "run-title") == "Get ready"
        assert text_of(screen, "run-position") == "Before step 1 of 3"
        assert text_of(screen, "run-cue") == "Sink [b]gently[/b] forward"
        assert text_of(screen, "run-next") == "Next: Lunge (left)"
        assert "Coming up" not in text_of(screen, "run-status")
        await advance(pilot, screen, tui_ctx.clock, 5)
        assert text_of(screen, "run-cue") == "Sink [b]gently[/b] forward"


async def test_routine_text_is_shown_literally(run_app, tui_ctx):
    routine = Routine(
        id="evil",
        title="[@click=app.quit]x",
        summary="s",
        steps=(Step(StepKind.HOLD, "[b]Bold?[/b]", cue="[red]cue[/red]", seconds=10),),
    )
    app = run_app(routine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        assert text_of(screen, "run-routine") == "[@click=app.quit]x"
        await advance(pilot, screen, tui_ctx.clock, 5)
        assert text_of(screen, "run-title") == "[b]Bold?[/b]"
        assert text_of(screen, "run-cue") == "[red]cue[/red]"
        await pilot.click("#run-routine")
        assert app.is_running


async def test_side_switch_shows_the_next_side(run_app, tui_ctx):
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, tui_ctx.clock, 5 + 20 + 1)
        assert text_of(screen, "run-title") == "Switch sides"
        assert "→ RIGHT" in text_of(screen, "run-side")
        assert screen.status_cue == "Switch to the right side"
        assert text_of(screen, "run-next") == "Next: Lunge (right)"
        await advance(pilot, screen, tui_ctx.clock, 4)
        assert text_of(screen, "run-title") == "Lunge"
        assert "RIGHT" in text_of(screen, "run-side")


async def test_breath_pacer_grows_holds_and_shrinks(run_app, tui_ctx):
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        pacer = screen.query_one(BreathPacer)
        assert pacer.phase is None
        await advance(pilot, screen, tui_ctx.clock, 5 + 1)  # 1 s into a 4 s inhale
        assert pacer.phase == "in"
        lit_quarter = str(pacer.render()).count("█")
        await advance(pilot, screen, tui_ctx.clock, 2)  # 3 s in
        lit_three_quarters = str(pacer.render()).count("█")
        assert 0 < lit_quarter < lit_three_quarters
        assert str(pacer.render()).strip().startswith("Breathe in")
        await advance(pilot, screen, tui_ctx.clock, 2)  # 5 s: the 2 s hold
        assert pacer.phase == "hold_in"
        assert str(pacer.render()).count("█") == pacer.bar_width
        await advance(pilot, screen, tui_ctx.clock, 2)  # 7 s: 1 s into a 4 s exhale
        assert pacer.phase == "out"
        assert str(pacer.render()).strip().startswith("Breathe out")
        assert str(pacer.render()).count("█") == lit_three_quarters
        assert screen.status_cue == "Exhale and ease a little deeper"


async def test_space_pauses_and_resumes(run_app, tui_ctx):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, 2)
        await pilot.press("space")
        assert screen.runner.status == "paused"
        assert screen.has_class("-paused")
        assert text_of(screen, "run-status") == "Paused — press space to resume"
        repaints = screen.repaints
        await advance(pilot, screen, clock, 30)
        assert digits(screen) == "0:03"
        assert screen.repaints == repaints  # nothing changed, nothing repainted
        await pilot.press("space")
        assert screen.runner.status == "running"
        assert not screen.has_class("-paused")
        await advance(pilot, screen, clock, 1)
        assert digits(screen) == "0:02"


@pytest.mark.parametrize("key", ["n", "right"])
async def test_skip_keys(run_app, tui_ctx, key):
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await pilot.press(key)
        assert screen.runner.snapshot().index == 1
        assert text_of(screen, "run-title") == "Lunge"
        await pilot.press(key)
        assert text_of(screen, "run-title") == "Switch sides"


@pytest.mark.parametrize("key", ["p", "left"])
async def test_back_keys_restart_then_go_back(run_app, tui_ctx, key):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, 5 + 12)
        assert (text_of(screen, "run-title"), digits(screen)) == ("Lunge", "0:08")
        await pilot.press(key)
        assert (text_of(screen, "run-title"), digits(screen)) == ("Lunge", "0:20")
        await pilot.press(key)  # again, quickly: the previous segment
        assert (text_of(screen, "run-title"), digits(screen)) == ("Get ready", "0:05")


async def test_reps_step_waits_for_d(run_app, tui_ctx):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await pilot.press("d")  # a timed step: d does nothing but say so
        assert screen.runner.snapshot().index == 0
        await advance(pilot, screen, clock, 5 + 20 + 5 + 20)
        assert text_of(screen, "run-title") == "Pelvic tilts"
        assert digits(screen) == "8x"
        assert text_of(screen, "run-status") == "8 reps at your pace — press d when done"
        assert screen.has_class("-manual")
        await advance(pilot, screen, clock, 300)  # waits, however long it takes
        assert text_of(screen, "run-title") == "Pelvic tilts"
        assert screen.ticker.runner.next_deadline() is None
        await pilot.press("d")
        assert text_of(screen, "run-title") == "Breathe"
        assert digits(screen) == "0:10"
        assert not screen.has_class("-manual")


async def test_escape_then_keep_going(run_app, tui_ctx):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, 2)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmStop)
        assert screen.runner.status == "paused"  # frozen while asking
        clock.advance(10)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert screen.runner.status == "running"
        assert digits(screen) == "0:03"
        await pilot.press("escape")
        await pilot.press("escape")  # Esc in the dialog also means "keep going"
        await pilot.pause()
        assert app.screen is screen and screen.runner.status == "running"


async def test_escape_confirm_stops_and_saves_as_stopped(run_app, tui_ctx):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, 5 + 8)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert screen.runner.status == "stopped"
        assert isinstance(app.screen, CheckInScreen)
        assert app.screen.status == "stopped"
        await pilot.press("escape")  # skip the check-in
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        assert "Session saved" in [n.message for n in app._notifications]
    (record,) = stored(tui_ctx)
    assert record.status is SessionStatus.STOPPED
    assert record.checkin is None
    assert record.done_seconds == pytest.approx(13)
    assert record.left_seconds == pytest.approx(8)
    assert record.routine_id == "test-run"


async def test_complete_session_saves_the_checkin(run_app, tui_ctx):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, 50)
        await pilot.press("d")
        await advance(pilot, screen, clock, 10)
        assert screen.runner.status == "completed"
        assert isinstance(app.screen, CheckInScreen)
        assert app.screen.sided
        # before 3, after 7 (digits), tightness left 5 (an arrow starts in the middle), right 10 (1, 0)
        await pilot.press("3", "down", "7", "down", "right", "down", "1", "0", "down")
        await pilot.press(*"easier")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        assert "Session saved" in [n.message for n in app._notifications]
    (record,) = stored(tui_ctx)
    assert record.status is SessionStatus.COMPLETED
    assert record.checkin == CheckIn(3, 7, 5, 10, "easier")
    assert record.done_seconds == pytest.approx(60)
    assert (record.left_seconds, record.right_seconds) == (pytest.approx(20), pytest.approx(20))
    assert record.segments_done == 6


async def test_session_is_written_at_start_and_checkpointed(run_app, tui_ctx):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        (record,) = stored(tui_ctx)
        assert record.status is SessionStatus.RUNNING
        await advance(pilot, screen, clock, 5 + 20 + 1)
        (record,) = stored(tui_ctx)
        assert record.segments_done == 2
        assert record.left_seconds == pytest.approx(20)


async def test_quitting_mid_session_saves_it_as_interrupted(run_app, tui_ctx):
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, tui_ctx.clock, 7)
        await pilot.press("ctrl+q")
    (record,) = stored(tui_ctx)
    assert record.status is SessionStatus.INTERRUPTED
    assert record.done_seconds == pytest.approx(7)


class _Styles:
    """A plugin offering a recording cue style and one that breaks on the first side switch."""

    def __init__(self) -> None:
        self.heard: list[Cue] = []
        self.ticks: list[Cue] = []

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        def broken(cue: Cue) -> None:
            if cue.kind is CueKind.SIDE_SWITCH:
                raise RuntimeError("speaker unplugged")

        return [
            CueStyle("record", "Record", self.heard.append, tick=self.ticks.append),
            CueStyle("broken", "Broken", broken),
        ]


async def test_cue_styles_run_and_a_broken_one_is_switched_off_once(run_app, tui_ctx):
    plugin = _Styles()
    tui_ctx._host = build_plugin_host(entry_points=False, extra=[("styles", plugin)])
    tui_ctx.settings = tui_ctx.settings.replace(cue_styles=["text", "record", "broken"])
    app = run_app(ctx=tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        assert screen.dispatcher.active == ["record", "broken"]  # "text" is the screen itself
        await advance(pilot, screen, tui_ctx.clock, 5 + 20 + 1)
        await advance(pilot, screen, tui_ctx.clock, 30)
        assert screen.dispatcher.active == ["record"]
        warnings = [n.message for n in app._notifications if "broken" in n.message]
        assert len(warnings) == 1 and "speaker unplugged" in warnings[0]
        assert screen.runner.status == "running"
        kinds = [cue.kind for cue in plugin.heard]
        assert CueKind.SIDE_SWITCH in kinds and CueKind.BREATH_IN in kinds
        assert plugin.ticks and plugin.ticks[-1].kind is CueKind.TICK


async def test_unknown_cue_style_is_a_notice_not_a_crash(run_app, tui_ctx):
    tui_ctx.settings = tui_ctx.settings.replace(cue_styles=["text", "hologram"])
    app = run_app(ctx=tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        assert screen.runner.status == "running"
        assert any("hologram" in n.message for n in app._notifications)


async def test_repaints_only_when_something_changes(run_app, tui_ctx):
    clock = tui_ctx.clock
    hold = Step(StepKind.HOLD, "Hold", seconds=30)
    routine = Routine(id="plain", title="Plain", summary="s", steps=(hold,))
    app = run_app(routine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, 6)
        before = screen.repaints
        for _ in range(5):  # woken without the clock moving: nothing to paint
            screen.refresh_state()
        assert screen.repaints == before
        await advance(pilot, screen, clock, 0.25)  # 29.75 -> still shows 0:29 (was 0:29)
        assert screen.repaints == before
        await advance(pilot, screen, clock, 1)  # digits and progress move
        assert digits(screen) == "0:28"
        assert screen.repaints > before


async def test_ticker_plans_its_wake_at_the_next_deadline(run_app, tui_ctx):
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        tui_ctx.clock.advance(0.4)
        assert screen.runner.next_deadline() == pytest.approx(tui_ctx.clock() + 0.6)
        await pilot.press("space")
        assert screen.runner.next_deadline() is None  # paused: the ticker sleeps until woken


async def test_degrades_at_60x20(run_app, tui_ctx):
    app = run_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, tui_ctx.clock, 7)
        assert digits(screen) == "0:18"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)


@pytest.mark.parametrize(
    ("phase", "progress", "fill"),
    [("in", 0.25, 0.25), ("hold_in", 0.5, 1.0), ("out", 0.25, 0.75), ("hold_out", 0.9, 0.0), (None, 0.5, 0.0),
     ("in", 1.5, 1.0), ("out", -1, 1.0)],
)
def test_bar_fill(phase, progress, fill):
    assert bar_fill(phase, progress) == fill


def test_filled_cells_grow_evenly_from_the_middle():
    assert [filled_cells(f, 40) for f in (0, 0.01, 0.5, 0.99, 1)] == [0, 0, 20, 40, 40]
    assert all(filled_cells(f / 100, 41) % 2 == 0 for f in range(101))
    assert filled_cells(0.5, 0) == 0


async def test_pacer_asks_to_wake_when_the_bar_next_moves(run_app, tui_ctx):
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, tui_ctx.clock, 5)  # the lunge breathes: the pacer is shown
        await pilot.pause()
        pacer = screen.query_one(BreathPacer)
        assert pacer.bar_width == 40  # capped: at most 20 steps a side per breath
        pacer.update_breath("in", 0.0)
        assert pacer.next_change_in(4) == pytest.approx(0.5 / 20 * 4)
        pacer.update_breath("in", 0.5)
        assert pacer.next_change_in(4) == pytest.approx(0.1)  # 10.0 -> 10.5 cells
        pacer.update_breath("hold_in", 0.5)
        assert pacer.next_change_in(2) is None
        pacer.update_breath("in", 0.99)
        assert pacer.next_change_in(4) is None  # full: nothing more to draw this phase
        assert not pacer.cells_changed("in", 0.995)
        assert pacer.cells_changed("out", 0.0)


async def test_escape_sequences_go_through_the_app_while_running(run_app, tui_ctx):
    from psoas_tui.builtins import cue_styles

    assert cue_styles._writer is None
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        assert cue_styles._writer is not None  # the title style writes via Textual's driver
        assert "title" in screen.dispatcher.active
        await pilot.press("escape", "y")
        await pilot.pause()
    assert cue_styles._writer is None


def running_timers(screen: RunScreen) -> list[Any]:
    """Timers under ``screen`` that are armed (not paused, not stopped)."""
    nodes = [screen, *screen.walk_children()]
    return [t for node in nodes for t in node._timers if t._active.is_set() and t._task is not None]


async def test_no_polling_timers_while_counting(run_app, tui_ctx):
    """The ticker wakes at deadlines; the only timer is the pacer's one-shot (no intervals)."""
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, tui_ctx.clock, 6)  # mid-inhale: the pacer wants a wake
        timers = running_timers(screen)
        assert timers and all(t._repeat == 0 for t in timers)  # one-shot only
        await pilot.press("space")
        assert running_timers(screen) == []


async def test_covering_screens_pause_and_coming_back_resumes(run_app, tui_ctx):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, 2)
        await pilot.press("f1")  # help covers the run screen: the session must not run on unseen
        await pilot.pause()
        assert app.screen is not screen
        assert screen.runner.status == "paused"
        clock.advance(60)
        app.pop_screen()
        await pilot.pause()
        assert screen.runner.status == "running"
        assert digits(screen) == "0:03"
        await pilot.press("space", "f1")  # paused by the person: stays paused afterwards
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert screen.runner.status == "paused"


async def test_unopenable_history_is_one_notice_and_the_session_goes_on(run_app, tui_ctx, tmp_path):
    tui_ctx.history_path = tmp_path  # a folder: SQLite cannot open it
    app = run_app(ctx=tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        assert not screen.recorder.saved  # kept, retried later (issue 9, item 7)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and errors[0].startswith("History not saved")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        assert "Session saved" not in [n.message for n in app._notifications]


async def test_bad_time_scale_is_a_notice(run_app, tui_ctx, monkeypatch):
    monkeypatch.setenv("PSOAS_TUI_TIME_SCALE", "fast")
    tui_ctx.clock = None
    app = run_app(ctx=tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        assert screen.runner.status == "running"
        assert any("PSOAS_TUI_TIME_SCALE" in n.message for n in app._notifications)
        await pilot.press("space")


async def test_run_keys_can_be_remapped_by_binding_id(run_app, tui_ctx):
    tui_ctx.settings = tui_ctx.settings.replace(keys={"run.skip": "s", "run.pause": "ctrl+p"})
    app = run_app(ctx=tui_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await pilot.press("s")
        assert screen.runner.snapshot().index == 1
        await pilot.press("ctrl+p")
        assert screen.runner.status == "paused"


async def test_skip_pressed_as_the_segment_ends_skips_only_that_segment(run_app, tui_ctx):
    """A skip that arrives after the on-screen segment's end, before the ticker has shown the
    next one, leaves the segment on screen, not the next one too (was: step 1 -> step 3)."""
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, 5 + 19.5)
        assert text_of(screen, "run-title") == "Lunge"
        clock.advance(0.6)  # Lunge (left) is over; the ticker has not woken yet
        await pilot.press("n")
        assert screen.runner.snapshot().index == 2
        assert text_of(screen, "run-title") == "Switch sides"
        await pilot.press("n")  # the next press skips as usual
        assert screen.runner.snapshot().index == 3


async def test_one_skip_key_moves_one_segment(run_app, tui_ctx):
    """`n` and `right` are one binding: one press is one skip."""
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        for expected, key in enumerate(["n", "right", "n"], start=1):
            await pilot.press(key)
            assert screen.runner.snapshot().index == expected


async def test_status_names_the_remapped_keys(run_app, tui_ctx):
    """The pause and reps prompts name the keys of the active keymap, not the defaults."""
    clock = tui_ctx.clock
    tui_ctx.settings = tui_ctx.settings.replace(keys={"run.pause": "f5,z", "run.done": "enter"})
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await pilot.press("z")
        assert screen.runner.status == "paused"
        assert text_of(screen, "run-status") == "Paused — press f5 or z to resume"
        await pilot.press("f5")
        await advance(pilot, screen, clock, 5 + 20 + 5 + 20)
        assert text_of(screen, "run-status") == "8 reps at your pace — press ⏎ when done"  # as in the footer
        await pilot.press("enter")
        assert text_of(screen, "run-title") == "Breathe"


async def test_footer_fits_the_run_keys_at_80_columns(run_app, tui_ctx):
    """The footer shows the run keys, not the global ones (which still work)."""
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        shown = {active.binding.action for active in screen.active_bindings.values() if active.binding.show}
        assert {"toggle_pause", "skip", "back", "stop"} <= shown
        assert "done" not in shown  # timed step: "Done" only where it works (issue 9 item 24)
        assert not shown & {"help", "open_log", "open_plugins", "open_settings"}
        footer = app.export_screenshot(simplify=True)
        assert "Stop" in footer
        await pilot.press("f1")  # the global keys still work on the run screen
        assert type(app.screen).__name__ == "HelpScreen"


async def test_next_line_at_the_end_says_finish(run_app, tui_ctx):
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, 5 + 20 + 5 + 20)
        await pilot.press("d")
        assert text_of(screen, "run-next") == "Next: Finish"


@pytest.mark.parametrize("seconds", [0, 5 + 3])  # get ready (no pacer, no status), mid-lunge
@pytest.mark.parametrize("size", [(100, 30), (80, 24), (60, 20)])
async def test_main_block_is_centred_vertically(run_app, tui_ctx, size, seconds):
    """What is visible of the step, cue, countdown, pacer and status sits in the middle of the
    free space: rows with nothing to show do not count (they used to leave the lower half empty)."""
    clock = tui_ctx.clock
    app = run_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, clock, seconds)
        await pilot.pause()
        main = screen.query_one("#run-main")
        visible = [child for child in main.children if child.display]
        assert screen.query_one(BreathPacer).display is (seconds > 0)
        area = main.content_region
        top = visible[0].region.y
        bottom = max(child.region.bottom + child.styles.margin.bottom for child in visible)
        above, below = top - area.y, area.bottom - bottom
        assert above >= 0 and below >= 0
        assert abs(above - below) <= 1, (above, below)


async def test_a_tall_terminal_draws_the_side_in_block_letters_and_back(run_app, tui_ctx):
    """``-roomy`` comes from ``RunScreen.VERTICAL_BREAKPOINTS``: at 120x40 the side is LEFT in
    block letters at least five rows tall; at 80x24 the one-row LEFT / RIGHT band."""
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, tui_ctx.clock, 6)
        band = screen.query_one("#run-side", Static)
        assert not screen.has_class("-roomy") and band.size.height == 1
        assert text_of(screen, "run-side").strip() == "LEFT   RIGHT"
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert screen.has_class("-roomy") and screen.has_class("-wide")  # the app's breakpoints too
        rows = text_of(screen, "run-side").split("\n")
        inked = [row for row in rows if set(row) & set("█▀▄")]
        assert len(inked) >= 5 and band.size.height >= 5
        assert "\n".join(rows) == "\n".join(bigdigits.render("LEFT", 5))
        assert band.size.width >= len(rows[0])  # drawn whole, not cut
        assert "LEFT" not in text_of(screen, "run-side")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not screen.has_class("-roomy") and band.size.height == 1
        assert text_of(screen, "run-side").strip() == "LEFT   RIGHT"


async def test_a_paced_breath_is_named_once_by_the_pacer_not_again_on_the_status_line(run_app, tui_ctx):
    routine = Routine(
        id="calm", title="Calm", summary="s",
        steps=(Step(StepKind.BREATHE, "Breathe", seconds=30, breath=BreathPattern(4, 2, 4, 0)),),
    )  # fmt: skip
    app = run_app(routine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(app, pilot)
        await advance(pilot, screen, tui_ctx.clock, 5 + 1)
        assert str(screen.query_one(BreathPacer).render()).strip().startswith("Breathe in")
        assert screen.status_cue == "Breathe in"  # what the cue styles heard
        assert "Breathe in" not in text_of(screen, "run-status")
        await advance(pilot, screen, tui_ctx.clock, 4)  # the hold
        assert text_of(screen, "run-status").strip() == ""
        await advance(pilot, screen, tui_ctx.clock, 2)  # "Breathe out slowly": the pacer says it
        assert "Breathe out" not in text_of(screen, "run-status")
