"""The key bindings a class declares, merged the way Textual merges them, with the app's keymap.

Built from public pieces only (each class's ``BINDINGS``, ``Binding.make_bindings``,
``BindingsMap.apply_keymap``), so a screen or the size guard can ask "which keys do this?"
without reading a node's private binding map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from psoas_tui.tui.overrides import applied_keymap

if TYPE_CHECKING:
    from textual.app import App


def declared_bindings(node_class: type[DOMNode]) -> BindingsMap:
    """The bindings of ``node_class`` and its bases; a subclass's binding wins on its key."""
    keys: dict[str, list[Binding]] = {}
    for base in reversed(node_class.__mro__):
        if issubclass(base, DOMNode):
            for key, bindings in BindingsMap(base.__dict__.get("BINDINGS", [])).key_to_bindings.items():
                keys[key] = bindings
    return BindingsMap.from_keys(keys)


def app_bindings(app: App[object]) -> BindingsMap:
    """The app's own bindings with its keymap (``[keys]`` in config.toml) applied."""
    bindings = declared_bindings(type(app))
    keymap = applied_keymap(app)
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings
