"""The words people read for the project's own names: routine sources and plugin contributions.

One table each, so the list, the detail panes, the palette, the CLI and the messages say the
same thing. Names that come from plugins are data and go through ``safe`` where they are
shown on a terminal; the ``*_phrase`` helpers for messages leave that to the printer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psoas_tui.text import safe

if TYPE_CHECKING:
    from psoas_tui.model import RoutineSource

# Routine sources (``RoutineSource.kind``), as a label in a list: "built-in", "your routines".
SOURCE_LABELS = {"builtin": "built-in", "user": "your routines"}
BUILTIN_PACK = "the built-in pack"  # the built-in source inside a sentence
BUILTIN_PLUGIN = "built-in"  # a plugin that ships with psoas-tui, as its origin

# Plugin contributions (``PluginInfo.contributions`` keys): (one, many).
CONTRIBUTIONS: dict[str, tuple[str, str]] = {
    "routines": ("routine", "routines"),
    "cue_styles": ("cue style", "cue styles"),
    "exporters": ("exporter", "exporters"),
}


def source_label(source: RoutineSource) -> str:
    """Where a routine came from, as the whole TUI says it: "built-in", "your routines" or
    "plugin NAME"."""
    if source.kind == "plugin":
        return f"plugin {safe(source.name)}" if source.name else "plugin"
    return SOURCE_LABELS.get(source.kind, safe(source.kind))


def short_source_label(source: RoutineSource) -> str:
    """The pack for a list: "built-in", "your routines" or the plugin's name."""
    if source.kind == "plugin":
        return safe(source.name) if source.name else "plugin"
    return source_label(source)


def source_phrase(source: RoutineSource) -> str:
    """A source inside a message: "the built-in pack", "your routines folder (PATH)",
    "plugin NAME" (not neutralised: messages go through ``safe`` where they are printed)."""
    if source.kind == "user":
        return f"your routines folder ({source.path})"
    if source.kind == "plugin":
        return f"plugin {source.name}"
    return BUILTIN_PACK


def stored_source_text(stored: str) -> str:
    """A session's stored source (``str(RoutineSource)``) in words: ``builtin`` -> "the built-in
    pack", ``user`` -> "your routines", ``plugin:NAME`` -> "the NAME plugin"."""
    if stored == "builtin":
        return BUILTIN_PACK
    if stored == "user":
        return SOURCE_LABELS["user"]
    if stored.startswith("plugin:"):
        return f"the {safe(stored.removeprefix('plugin:'))} plugin"
    if stored == "plugin":
        return "a plugin"
    return safe(stored) if stored else "-"


def contribution_label(what: str, count: int = 2) -> str:
    """``cue_styles`` -> "cue styles" (or "cue style" for ``count`` 1); unknown keys as given."""
    one, many = CONTRIBUTIONS.get(what, (what.rstrip("s"), what))
    return one if count == 1 else many
