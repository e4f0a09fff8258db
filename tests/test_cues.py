"""Cue texts, style selection and the dispatcher that switches off a failing style."""

from __future__ import annotations

import pytest

from psoas_tui.errors import UserError
from psoas_tui.model import Cue, CueKind, CueStyle, Routine, Step, StepKind
from psoas_tui.practice.clock import FakeClock
from psoas_tui.practice.delivery import CueDispatcher, select_styles, status_line, tick_cue
from psoas_tui.practice.runner import SessionRunner
from psoas_tui.practice.timeline import build_timeline
from psoas_tui.practice.wording import start_text


def style(name: str, handler=None, **extra) -> CueStyle:  # type: ignore[no-untyped-def]
    return CueStyle(name=name, title=name.title(), handler=handler or (lambda cue: None), **extra)


CUE = Cue(CueKind.SEGMENT_START, "Lunge, left side")
SIDED = Step(StepKind.HOLD, "Half-kneeling", cue="Tuck", seconds=30, sides=("left", "right"), reps=2)


def timeline():  # type: ignore[no-untyped-def]
    return build_timeline(Routine(id="r", title="R", summary="", steps=(SIDED,)))


def test_start_texts_name_side_round_and_time() -> None:
    segments = timeline().segments
    assert start_text(segments[0]) == (CueKind.SEGMENT_START, "Get ready. Coming up: Half-kneeling")
    kind, text = start_text(segments[1])
    assert kind is CueKind.SEGMENT_START
    assert text == "Half-kneeling, left side, round 1 of 2, 0:30. Tuck"
    assert start_text(segments[2]) == (CueKind.SIDE_SWITCH, "Switch to the right side")


def test_status_line_looks_like_a_window_title() -> None:
    clock = FakeClock()
    runner = SessionRunner(timeline(), clock)
    runner.start()
    clock.advance(5 + 7)
    runner.tick()
    state = runner.snapshot()
    assert status_line(state) == "Left · 0:23 · Half-kneeling"
    runner.pause()
    assert status_line(runner.snapshot()) == "Paused · Left · 0:23 · Half-kneeling"
    cue = tick_cue(runner.snapshot())
    assert cue.kind is CueKind.TICK and cue.remaining == 23 and cue.side == "left"


def test_select_styles_in_order_without_repeats() -> None:
    available = [style("text"), style("bell"), style("title")]
    chosen = select_styles(available, ["title", "text", "title"])
    assert [s.name for s in chosen] == ["title", "text"]


def test_unknown_style_lists_the_available_ones() -> None:
    with pytest.raises(UserError) as info:
        select_styles([style("text"), style("bell")], ["beep"])
    message = str(info.value)
    assert "--cue" in message and "'beep'" in message and "bell, text" in message


def test_dispatcher_calls_every_style() -> None:
    got: list[tuple[str, Cue]] = []
    dispatcher = CueDispatcher(
        [style("a", lambda c: got.append(("a", c))), style("b", lambda c: got.append(("b", c)))]
    )
    dispatcher(CUE)
    assert got == [("a", CUE), ("b", CUE)]


def test_a_raising_style_is_switched_off_with_one_notice() -> None:
    calls: list[Cue] = []
    notices: list[str] = []

    def broken(cue: Cue) -> None:
        raise RuntimeError("speaker unplugged")

    dispatcher = CueDispatcher([style("speak", broken), style("text", calls.append)], notice=notices.append)
    for _ in range(5):
        dispatcher(CUE)
    assert len(calls) == 5  # the session goes on
    assert len(notices) == 1 and "speak" in notices[0] and "speaker unplugged" in notices[0]
    assert dispatcher.active == ["text"]
    assert dispatcher.disabled == {"speak": "RuntimeError: speaker unplugged"}


def test_a_style_raising_a_user_error_is_reported_as_its_sentence() -> None:
    notices: list[str] = []

    def no_speaker(cue: Cue) -> None:
        raise UserError("No speech program found: install espeak-ng.")

    dispatcher = CueDispatcher([style("voice", no_speaker)], notice=notices.append)
    dispatcher(CUE)
    assert notices == [
        "cue style 'voice' switched off for this session: No speech program found: install espeak-ng."
    ]


def test_exclude_skips_a_style_the_tui_shows_itself() -> None:
    calls: list[Cue] = []
    dispatcher = CueDispatcher([style("text", calls.append)], exclude={"text"})
    dispatcher(CUE)
    assert calls == [] and dispatcher.active == []


def test_tick_reaches_only_styles_with_a_tick() -> None:
    ticks: list[Cue] = []
    handled: list[Cue] = []
    clock = FakeClock()
    runner = SessionRunner(timeline(), clock)
    runner.start()
    dispatcher = CueDispatcher([style("title", handled.append, tick=ticks.append), style("plain")])
    dispatcher.tick(runner.snapshot())
    assert len(ticks) == 1 and ticks[0].kind is CueKind.TICK and handled == []


def test_a_raising_tick_switches_the_style_off() -> None:
    notices: list[str] = []

    def bad_tick(cue: Cue) -> None:
        raise OSError("tty gone")

    clock = FakeClock()
    runner = SessionRunner(timeline(), clock)
    dispatcher = CueDispatcher([style("title", tick=bad_tick)], notice=notices.append)
    dispatcher.tick(runner.snapshot())
    dispatcher.tick(runner.snapshot())
    assert len(notices) == 1 and dispatcher.active == []


def test_close_calls_each_close_once_even_if_one_fails() -> None:
    closed: list[str] = []
    notices: list[str] = []

    def bad_close() -> None:
        raise ValueError("nope")

    dispatcher = CueDispatcher(
        [style("a", close=bad_close), style("b", close=lambda: closed.append("b"))], notice=notices.append
    )
    dispatcher.close()
    dispatcher.close()
    assert closed == ["b"] and len(notices) == 1


def test_dispatcher_as_the_runner_on_cue() -> None:
    seen: list[CueKind] = []
    clock = FakeClock()
    dispatcher = CueDispatcher([style("x", lambda c: seen.append(c.kind))])
    runner = SessionRunner(timeline(), clock, on_cue=dispatcher)
    runner.start()
    clock.advance(1000)
    runner.tick()
    assert seen[0] is CueKind.SEGMENT_START and seen[-1] is CueKind.COMPLETE
    assert CueKind.TICK not in seen
