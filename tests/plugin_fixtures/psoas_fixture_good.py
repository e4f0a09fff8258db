"""A good plugin module loaded through a (fake or real) entry point."""

from __future__ import annotations

from typing import Any, BinaryIO

from psoas_tui.api import Exporter, hookimpl


def _write(records: Any, stream: BinaryIO) -> None:
    for record in records:
        stream.write(f"{record.id}\n".encode())


@hookimpl
def psoas_tui_exporters() -> list[Exporter]:
    return [Exporter(name="entry-point-export", suffix=".txt", title="Entry point", write=_write)]
