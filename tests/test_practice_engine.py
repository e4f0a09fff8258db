"""The practice engine on its own: an injected clock, no Textual, no terminal."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from history_helpers import ROUTINE, open_store

from psoas_tui.config import Settings
from psoas_tui.errors import UserError
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
from psoas_tui.plugin_host.hookspecs import hookimpl
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.practice.clock import FakeClock
from psoas_tui.practice.engine import PracticeEngine, choose_styles, practice_figures
from psoas_tui.practice.runner import RunnerState
from psoas_tui.practice.settings import PracticeSettings, timeline_for
from psoas_tui.services import Services

ROUTINE_WITH_REPS = Routine(
    id="mixed",
    title="Mixed",
    summary="A sided hold, then reps.",
    steps=(
        Step(StepKind.HOLD, "Hold", seconds=10, sides=("left", "right")),
        Step(StepKind.REPS, "Bridges", count=5),
    ),
)


class Listener:
    def __init__(self) -> None:
        self.records: list[Any] = []

    @hookimpl
    def psoas_tui_session_finished(self, record: Any) -> None:
        self.records.append(record)


class Flaky:
    """A real store whose writes fail with "database is locked" while ``locked``."""

    WRITES = frozenset({"start_session", "checkpoint", "finish", "save_checkin"})

    def __init__(self, store: Any) -> None:
        self.store = store
        self.locked = True
        self.failed = 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.store, name)
        if name not in self.WRITES or not self.locked:
            return attr

        def fail(*_args: Any, **_kwargs: Any) -> None:
            self.failed += 1
            raise sqlite3.OperationalError("database is locked")

        return fail


def services_for(tmp_path: Any, settings: Settings, **kw: Any) -> Services:
    host = kw.pop("host", None) or build_plugin_host(entry_points=False)
    return Services(settings=settings, history_path=tmp_path / "history.sqlite3", _host=host, **kw)


def test_settings_are_parsed_once_into_their_types() -> None:
    practice = PracticeSettings.from_settings(Settings(breath="5-1-7-0", get_ready_seconds=3))
    assert practice == PracticeSettings(3, 5, BreathPattern(5, 1, 7, 0))
    timeline = timeline_for(ROUTINE, Settings(get_ready_seconds=3, switch_seconds=2))
    assert [s.kind for s in timeline.segments][:2] == ["get_ready", "step"]
    assert timeline.total_seconds == 3 + 10 + 2 + 10


def test_a_whole_session_driven_through_controls() -> None:
    clock = FakeClock()
    timeline = timeline_for(ROUTINE_WITH_REPS, Settings(get_ready_seconds=2, switch_seconds=1))
    heard: list[Cue] = []
    style = CueStyle("rec", "Recorder", heard.append)
    engine = PracticeEngine(timeline, clock, [style])
    cues: list[Cue] = []
    ends: list[RunnerState] = []
    engine.watch(on_cue=cues.append, on_finish=ends.append)
    engine.start()
    assert engine.state.segment is not None and engine.state.segment.kind == "get_ready"
    assert engine.next_deadline() is not None
    assert engine.skip() and engine.state.segment.side == "left"
    clock.advance(4)
    assert engine.advance().remaining == 6
    assert engine.pause()
    clock.advance(100)
    assert engine.advance().remaining == 6 and engine.next_deadline() is None  # paused: no deadline
    assert engine.toggle_pause() and engine.state.status == "running"
    assert engine.back() and engine.advance().remaining == 10  # the segment starts over
    clock.advance(10 + 1 + 10)
    state = engine.advance()
    assert state.segment is not None and state.segment.manual and state.status == "running"
    assert engine.done()
    assert engine.finished and engine.state.status == "completed" and len(ends) == 1
    assert not engine.stop() and not engine.skip()  # controls after the end are ignored
    assert cues == heard  # every cue reached the style, then the observer
    assert [c.kind for c in cues].count(CueKind.SEGMENT_START) >= 5
    assert engine.final_status(engine.state) is SessionStatus.COMPLETED
    assert engine.finish(None)  # no recorder: nothing to save
    engine.close()
    assert engine.closed


def test_unknown_control_is_a_programming_error() -> None:
    engine = PracticeEngine(timeline_for(ROUTINE, Settings()), FakeClock(), [])
    with pytest.raises(ValueError, match="unknown control 'jump'"):
        engine.control("jump")


def test_cue_request_is_strict(tmp_path: Any) -> None:
    services = services_for(tmp_path, Settings())
    with pytest.raises(UserError) as caught:
        PracticeEngine.build(ROUTINE, services, cue_request=["bell", "ghost"], first_styles=("text",))
    available = "bell, notify, text, title, voice"
    assert str(caught.value) == f"--cue: unknown cue style 'ghost'; available: {available}"


def test_configured_styles_are_lenient(tmp_path: Any) -> None:
    services = services_for(tmp_path, Settings(cue_styles=("bell", "ghost", "bell")))
    unknown: list[tuple[str, list[str]]] = []
    engine = PracticeEngine.build(
        ROUTINE, services, clock=FakeClock(), first_styles=("text",), exclude={"text"},
        unknown_style=lambda name, known: unknown.append((name, known)),
    )  # fmt: skip
    assert [s.name for s in engine.dispatcher.styles] == ["bell"]  # text chosen, then excluded
    assert unknown == [("ghost", ["bell", "notify", "text", "title", "voice"])]
    engine.close(interrupted=False)


def test_cue_request_replaces_the_config() -> None:
    styles = [CueStyle(name, name.title(), lambda _cue: None) for name in ("text", "bell", "title")]
    chosen = choose_styles(styles, ["title"], ["bell", "ghost"], first=("text",))
    assert [s.name for s in chosen] == ["text", "title"]


def test_a_failing_store_is_retried_and_the_check_in_saved(tmp_path: Any) -> None:
    listener = Listener()
    host = build_plugin_host(entry_points=False, extra=[("listener", listener)])
    clock, mono = FakeClock(), FakeClock(0.0)
    flaky = Flaky(open_store(tmp_path))
    services = services_for(tmp_path, Settings(cue_styles=(), get_ready_seconds=0, switch_seconds=0),
                            host=host, clock=clock, monotonic=mono, _store=flaky)  # fmt: skip
    engine = PracticeEngine.build(ROUTINE, services)
    notices: list[tuple[str, str]] = []
    engine.watch(on_notice=lambda kind, message: notices.append((kind, message)))
    engine.start()
    for _ in range(2):
        clock.advance(10)
        mono.advance(10)
        engine.advance()
    assert engine.finished and flaky.failed >= 3  # the start, each checkpoint, the end
    assert not engine.finish(CheckIn(feeling_before=3, feeling_after=8))
    assert [kind for kind, _ in notices] == ["history"]  # said once
    assert "database is locked" in notices[0][1] or "locked by another program" in notices[0][1]
    assert listener.records == []
    flaky.locked = False
    assert engine.recorder is not None and engine.recorder.retry()
    (record,) = flaky.store.page(0, 5)
    assert record.status is SessionStatus.COMPLETED and record.done_seconds == pytest.approx(20)
    assert record.checkin == CheckIn(feeling_before=3, feeling_after=8)
    assert listener.records == [record]
    services.close()


def test_closing_a_running_session_saves_it_as_interrupted(tmp_path: Any) -> None:
    clock = FakeClock()
    services = services_for(tmp_path, Settings(cue_styles=()), clock=clock)
    engine = PracticeEngine.build(ROUTINE, services)
    engine.start()
    clock.advance(3)
    engine.advance()
    engine.close()
    (record,) = services.store.page(0, 5)
    assert record.status is SessionStatus.INTERRUPTED
    services.close()


def test_the_figure_of_the_step_under_way(tmp_path: Any) -> None:
    services = services_for(tmp_path, Settings(cue_styles=(), get_ready_seconds=5))
    routine = services.library.get("seated-psoas")
    engine = PracticeEngine.build(routine, services, clock=FakeClock(), figures=practice_figures(services))
    engine.start()
    assert engine.step_figure(30, 12) == []  # getting ready: no step under way
    engine.skip()
    drawn = engine.step_figure(30, 12)
    assert drawn and len(drawn) == 12
    assert PracticeEngine.build(routine, services, clock=FakeClock()).step_figure(30, 12) == []
