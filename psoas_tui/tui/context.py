"""Services shared by every screen: settings, routines, plugins and the history store.

The app owns one ``AppContext`` (``app.ctx``). Screens read what they need from it instead of
opening files themselves, and tests build one pointed at temporary folders. Slow things
(plugin discovery, the SQLite store) are made on first use, never before the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psoas_tui.config import Settings, load_settings, save_settings

if TYPE_CHECKING:
    from psoas_tui.plugins import PluginHost
    from psoas_tui.routines import RoutineLibrary


@dataclass
class AppContext:
    """What the screens share. ``clock`` is the monotonic session clock (injected in tests)."""

    settings: Settings = field(default_factory=Settings)
    config_path: Path | None = None
    history_path: Path | None = None
    clock: Callable[[], float] | None = None
    _host: PluginHost | None = None
    _library: RoutineLibrary | None = None
    _store: Any = None

    @classmethod
    def from_environment(cls) -> AppContext:
        """Settings from the config file; everything else made lazily."""
        return cls(settings=load_settings())

    @property
    def host(self) -> PluginHost:
        """The plugin host (built on first use)."""
        if self._host is None:
            from psoas_tui.plugins import build_plugin_host

            self._host = build_plugin_host()
        return self._host

    @property
    def library(self) -> RoutineLibrary:
        """The routine library (loaded on first use)."""
        if self._library is None:
            from psoas_tui.routines import RoutineLibrary

            self._library = RoutineLibrary.load(self.host)
        return self._library

    @property
    def store(self) -> Any:
        """The history store (``psoas_tui.history.HistoryStore``), opened on first use."""
        if self._store is None:
            from psoas_tui.history import HistoryStore

            self._store = HistoryStore.open(self.history_path)
        return self._store

    def save_settings(self, settings: Settings) -> None:
        """Keep and write new settings."""
        self.settings = settings
        save_settings(settings, self.config_path)

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None
