"""Plugins that misbehave harder: unprintable objects, sys.exit(), blocking, stream closing."""

from __future__ import annotations

import sys
import threading
from typing import Any, BinaryIO

from psoas_tui.api import Cue, CueStyle, Exporter, hookimpl


class Unprintable:
    """An object whose ``__str__`` and ``__repr__`` raise."""

    def __str__(self) -> str:
        raise RuntimeError("no str for you")

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


class UnprintableName(str):
    """A ``str`` subclass that cannot be printed, compared or hashed."""

    def __str__(self) -> str:
        raise RuntimeError("no str for you")

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")

    def __hash__(self) -> int:
        raise RuntimeError("no hash for you")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no eq for you")


class UnprintableError(Exception):
    """An exception whose message cannot be shown."""

    def __str__(self) -> str:
        raise RuntimeError("no message for you")


def _quiet(cue: Cue) -> None:
    return None


def _write_nothing(records: Any, stream: BinaryIO) -> None:
    for _record in records:
        pass


class Unprintables:
    """Every hook hands over something that cannot be printed."""

    @hookimpl
    def psoas_tui_routines(self) -> list[Any]:
        return [Unprintable()]

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[Any]:
        return [
            CueStyle(name=Unprintable(), title="Odd", handler=_quiet),  # type: ignore[arg-type]
            CueStyle(name=UnprintableName("odd-name"), title="Odd name", handler=_quiet),
            CueStyle(name="odd-title", title=Unprintable(), handler=_quiet),  # type: ignore[arg-type]
            Unprintable(),
        ]

    @hookimpl
    def psoas_tui_exporters(self) -> list[Any]:
        return [Exporter(name="odd-export", suffix=Unprintable(), title="Odd", write=_write_nothing)]  # type: ignore[arg-type]


class RaisesUnprintable:
    """Every hook raises an exception whose message cannot be shown."""

    @hookimpl
    def psoas_tui_routines(self) -> list[Any]:
        raise UnprintableError()

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[Any]:
        raise UnprintableError()

    @hookimpl
    def psoas_tui_exporters(self) -> list[Any]:
        raise UnprintableError()


def _exit(cue: Cue) -> None:
    sys.exit("a cue style ends the program")


def _unprintable(cue: Cue) -> None:
    raise UnprintableError()


class Gate:
    """A handler that blocks until the test opens the gate; records what it got."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.entered = threading.Event()
        self.heard: list[Cue] = []

    def __call__(self, cue: Cue) -> None:
        self.heard.append(cue)
        self.entered.set()
        self.opened.wait()


class BadStyles:
    """Cue styles that call sys.exit(), raise the unprintable, or block."""

    def __init__(self) -> None:
        self.gate = Gate()
        self.fast: list[Cue] = []

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        return [
            CueStyle("exits", "Exits", _exit),
            CueStyle("unprintable", "Unprintable", _unprintable),
            CueStyle("blocks", "Blocks", self.gate),
            CueStyle("fast", "Fast", self.fast.append),
        ]


def _exporter_exit(records: Any, stream: BinaryIO) -> None:
    raise SystemExit(3)


def _exporter_close(records: Any, stream: BinaryIO) -> None:
    for _record in records:
        stream.write(b"row\n")
    stream.close()


class BadExporters:
    """Exporters that exit, close the stream, or take what belongs to the built-ins."""

    @hookimpl
    def psoas_tui_exporters(self) -> list[Exporter]:
        return [
            Exporter("exits", ".exits", "Exits", _exporter_exit),
            Exporter("closes", ".closes", "Closes", _exporter_close),
            Exporter("fake-json", ".json", "Fake JSON", _exporter_close),
            Exporter("fake-toml", ".TOML", "Fake TOML", _exporter_close),
            Exporter("json", ".json2", "Stolen name", _exporter_close),
            Exporter("no-dot", "csv", "No dot", _exporter_close),
            Exporter("same-suffix", ".closes", "Same suffix", _exporter_close),
        ]
