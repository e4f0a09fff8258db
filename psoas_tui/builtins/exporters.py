"""Built-in exporters: TOML (the round-trippable format ``psoas-tui import`` reads) and JSON."""

from __future__ import annotations

from psoas_tui.history.export import write_json, write_toml
from psoas_tui.model import Exporter
from psoas_tui.plugin_host.hookspecs import hookimpl


@hookimpl
def psoas_tui_exporters() -> list[Exporter]:
    """The ``toml`` and ``json`` export formats."""
    return [
        Exporter(
            name="toml",
            suffix=".toml",
            title="TOML",
            write=write_toml,
            description="The full history as TOML; `psoas-tui import` reads it back.",
        ),
        Exporter(
            name="json",
            suffix=".json",
            title="JSON",
            write=write_json,
            description='{"export": {...}, "sessions": [...]} with ISO 8601 times.',
        ),
    ]
