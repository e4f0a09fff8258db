"""Small in-process plugin objects: one good, and one for each way a plugin can break."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from psoas_tui.api import (
    Cue,
    CueStyle,
    Exporter,
    Routine,
    SessionRecord,
    Step,
    StepKind,
    hookimpl,
)


def routine(routine_id: str, title: str = "Fixture routine") -> Routine:
    """A one-step routine."""
    return Routine(
        id=routine_id,
        title=title,
        summary="A routine made by a test plugin.",
        steps=(Step(kind=StepKind.HOLD, title="Hold", seconds=10),),
    )


def _noop(cue: Cue) -> None:
    return None


def _write(records: Any, stream: BinaryIO) -> None:
    for _record in records:
        stream.write(b"x\n")


def style(name: str) -> CueStyle:
    return CueStyle(name=name, title=name.title(), handler=_noop)


def exporter(name: str) -> Exporter:
    return Exporter(name=name, suffix=f".{name}", title=name.upper(), write=_write)


class Good:
    """Offers one of everything and records the sessions it is told about."""

    def __init__(self, tag: str = "good") -> None:
        self.tag = tag
        self.finished: list[SessionRecord] = []

    @hookimpl
    def psoas_tui_routines(self) -> list[Any]:
        return [routine(f"{self.tag}-routine")]

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        return [style(f"{self.tag}-style")]

    @hookimpl
    def psoas_tui_exporters(self) -> list[Exporter]:
        return [exporter(f"{self.tag}-export")]

    @hookimpl
    def psoas_tui_session_finished(self, record: SessionRecord) -> None:
        self.finished.append(record)


class Raising:
    """Every hook raises."""

    @hookimpl
    def psoas_tui_routines(self) -> list[Any]:
        raise RuntimeError("routines exploded")

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        raise ValueError("styles exploded\nsecond line is not shown")

    @hookimpl
    def psoas_tui_exporters(self) -> list[Exporter]:
        raise KeyError("exporters")

    @hookimpl
    def psoas_tui_session_finished(self, record: SessionRecord) -> None:
        raise OSError("disk full")


class WrongType:
    """Returns the wrong kinds of things."""

    @hookimpl
    def psoas_tui_routines(self) -> Any:
        return 42

    @hookimpl
    def psoas_tui_cue_styles(self) -> Any:
        return ["text", CueStyle(name="broken-handler", title="B", handler="not callable")]  # type: ignore[arg-type]

    @hookimpl
    def psoas_tui_exporters(self) -> Any:
        return [exporter("ok-export"), exporter(""), object()]


class Midway:
    """Generators that yield one good item, then raise."""

    @hookimpl
    def psoas_tui_routines(self) -> Iterator[Any]:
        yield routine("midway-routine")
        raise RuntimeError("routine generator broke")

    @hookimpl
    def psoas_tui_exporters(self) -> Iterator[Exporter]:
        yield exporter("midway-export")
        raise RuntimeError("exporter generator broke")


class Duplicate:
    """Offers names other plugins already use."""

    @hookimpl
    def psoas_tui_routines(self) -> list[Any]:
        return [routine("good-routine", title="Duplicate's copy")]

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        return [style("good-style"), style("duplicate-own-style")]

    @hookimpl
    def psoas_tui_exporters(self) -> list[Exporter]:
        return [exporter("toml"), exporter("good-export")]


class BadSignature:
    """Asks for an argument the hook does not have: refused at registration."""

    @hookimpl
    def psoas_tui_session_finished(self, record: SessionRecord, screen: object) -> None:
        return None


class Typo:
    """Implements a hook name that does not exist (and one real hook)."""

    @hookimpl
    def psoas_tui_routnies(self) -> list[Any]:
        return []

    @hookimpl
    def psoas_tui_exporters(self) -> list[Exporter]:
        return [exporter("typo-export")]


class NoHooks:
    """Forgot the hookimpl marker."""

    def psoas_tui_routines(self) -> list[Any]:
        return [routine("never-seen")]


class Lazy:
    """Implements a notification hook without taking its argument (allowed by pluggy)."""

    def __init__(self) -> None:
        self.calls = 0

    @hookimpl
    def psoas_tui_session_finished(self) -> None:
        self.calls += 1


class Exits:
    """Calls sys.exit in a hook: must not end the app."""

    @hookimpl
    def psoas_tui_routines(self) -> list[Any]:
        raise SystemExit(3)


class Interrupted:
    """Ctrl-C while a hook runs must still stop the app."""

    @hookimpl
    def psoas_tui_routines(self) -> list[Any]:
        raise KeyboardInterrupt
