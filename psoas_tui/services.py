"""The services every front end shares: settings, routines, plugins, figures and the history.

One ``Services`` object serves the CLI, plain mode and the app alike (the app keeps it as
``app.ctx``). Front ends read what they need from it instead of opening files themselves, and
tests build one pointed at temporary folders. Slow things (plugin discovery, the SQLite store)
are made on first use, never before the app's first paint. Nothing here imports Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psoas_tui.config import Settings, load_settings, save_settings

if TYPE_CHECKING:
    from psoas_tui.figures.library import Figures
    from psoas_tui.plugin_host.host import PluginHost
    from psoas_tui.routines import RoutineLibrary


@dataclass
class Services:
    """What the front ends share. ``clock`` is the monotonic session clock and ``monotonic`` the
    real one that times history retries and a session's end (both injected in tests)."""

    settings: Settings = field(default_factory=Settings)
    config_path: Path | None = None
    history_path: Path | None = None
    clock: Callable[[], float] | None = None
    monotonic: Callable[[], float] | None = None
    now: Callable[[], datetime] | None = None  # the wall clock for reminders (tests inject one)
    _host: PluginHost | None = None
    _library: RoutineLibrary | None = None
    _store: Any = None
    _local: RoutineLibrary | None = field(default=None, repr=False, compare=False)
    # One lock for the plugin host and the library (the library needs the host, so it is
    # re-entrant); the store and the local library have their own, so neither opening the
    # history nor listing the built-in and user routines ever waits for plugin discovery.
    _plugins_lock: Any = field(default_factory=threading.RLock, repr=False, compare=False)
    _store_lock: Any = field(default_factory=threading.Lock, repr=False, compare=False)
    _local_lock: Any = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def from_environment(cls) -> Services:
        """Settings from the config file; everything else made lazily."""
        return cls(settings=load_settings())

    @property
    def host(self) -> PluginHost:
        """The plugin host (built on first use, once, even when worker threads race for it)."""
        if self._host is None:
            with self._plugins_lock:
                if self._host is None:
                    from psoas_tui.plugin_host.host import build_plugin_host

                    self._host = build_plugin_host()
        return self._host

    @property
    def library(self) -> RoutineLibrary:
        """The full routine library with plugin routines (loaded on first use, once)."""
        if self._library is None:
            with self._plugins_lock:
                if self._library is None:
                    from psoas_tui.routines import RoutineLibrary

                    local = self._local
                    host = self.host
                    self._library = local.with_plugins(host) if local else RoutineLibrary.load(host)
        return self._library

    @property
    def library_ready(self) -> bool:
        """True once the full library (with plugin routines) is loaded."""
        return self._library is not None

    @property
    def local_library(self) -> RoutineLibrary:
        """The routines that need no plugin discovery: the built-in pack and the user folder.

        Cheap (a few small TOML files), so the choose screen can list them in its first
        frame; the full ``library`` once it is loaded, since that is the better answer.
        """
        if self._library is not None:
            return self._library
        if self._local is None:
            with self._local_lock:  # not the plugins lock: never wait for plugin discovery
                if self._local is None:
                    from psoas_tui.routines import RoutineLibrary

                    self._local = RoutineLibrary.load_local()
        return self._local

    @property
    def figures(self) -> Figures:
        """The pose figures: the built-in ones plus every plugin's (read once per plugin host)."""
        from psoas_tui.figures.library import load_figures

        host = self.host
        with self._plugins_lock:
            return load_figures(host)

    @property
    def store(self) -> Any:
        """The history store (``psoas_tui.history.store.HistoryStore``), opened on first use, once."""
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    from psoas_tui.history.store import HistoryStore

                    self._store = HistoryStore.open(self.history_path)
        return self._store

    def save_settings(self, settings: Settings) -> None:
        """Keep and write new settings."""
        self.settings = settings
        save_settings(settings, self.config_path)

    def close(self) -> None:
        """Close the store if it was opened."""
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
