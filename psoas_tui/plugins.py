"""Builds the plugin manager and calls hooks so that one failing plugin never hides the others.

Built-in plugins (``psoas_tui.builtins.*``) are registered first, then every entry point in
the ``psoas_tui`` group. Each hook implementation is called on its own; what a plugin breaks
is recorded as a ``PluginFailure`` and shown by ``psoas-tui plugins`` and the app.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, TypeVar

import pluggy

from psoas_tui import hookspecs

ENTRY_POINT_GROUP = "psoas_tui"
DISABLE_ENV = "PSOAS_TUI_DISABLE_PLUGINS"
NO_PLUGINS_ENV = "PSOAS_TUI_NO_PLUGINS"

BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("builtin-routines", "psoas_tui.builtins.routines"),
    ("builtin-cue-styles", "psoas_tui.builtins.cue_styles"),
    ("builtin-exporters", "psoas_tui.builtins.exporters"),
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PluginFailure:
    """Something a plugin got wrong: which plugin, at what stage, and a one-line message."""

    plugin: str
    stage: str
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin}: {self.stage}: {self.message}"


@dataclass(slots=True)
class PluginInfo:
    """What the host knows of one plugin, for listing."""

    name: str
    distribution: str
    version: str
    builtin: bool
    hooks: list[str] = field(default_factory=list)
    contributions: dict[str, list[str]] = field(default_factory=dict)
    failures: list[PluginFailure] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "builtin": self.builtin,
            "hooks": list(self.hooks),
            "contributions": {k: list(v) for k, v in self.contributions.items()},
            "failures": [{"stage": f.stage, "message": f.message} for f in self.failures],
        }


def one_line(exc: BaseException) -> str:
    """An exception as one short line: ``ValueError: bad thing``."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def app_version() -> str:
    """The installed psoas-tui version (``0+unknown`` when not installed)."""
    try:
        return metadata.version("psoas-tui")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def disabled_from_env() -> set[str]:
    """Plugin names listed in ``PSOAS_TUI_DISABLE_PLUGINS`` (comma separated)."""
    raw = os.environ.get(DISABLE_ENV, "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def no_plugins_from_env() -> bool:
    """True when ``PSOAS_TUI_NO_PLUGINS`` asks for built-ins only."""
    return os.environ.get(NO_PLUGINS_ENV, "").strip().lower() not in ("", "0", "false", "no")


class PluginHost:
    """The plugin manager plus what was learned while loading and calling plugins."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self._cache: dict[str, list[tuple[str, Any]]] = {}

    # -- registration -------------------------------------------------------------------
    def register(
        self,
        plugin: object,
        name: str,
        *,
        distribution: str = "",
        version: str = "",
        builtin: bool = False,
    ) -> bool:
        """Register ``plugin`` under ``name``; a refused registration is recorded, not raised."""
        info = self.infos.setdefault(
            name,
            PluginInfo(name, distribution or name, version or app_version(), builtin),
        )
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:  # pluggy validation errors, duplicate names
            self.fail(name, "register", one_line(exc))
            return False
        info.hooks = sorted(
            caller.name for caller in (self.pm.get_hookcallers(plugin) or [])
        )
        return True

    def fail(self, plugin: str, stage: str, message: str) -> PluginFailure:
        """Record a failure against ``plugin``."""
        failure = PluginFailure(plugin, stage, message)
        info = self.infos.setdefault(plugin, PluginInfo(plugin, plugin, "?", False))
        if failure not in info.failures:
            info.failures.append(failure)
        return failure

    def contributed(self, plugin: str, what: str, name: str) -> None:
        """Note that ``plugin`` contributed ``name`` (a routine id, style or exporter)."""
        info = self.infos.get(plugin)
        if info is not None:
            items = info.contributions.setdefault(what, [])
            if name not in items:
                items.append(name)

    @property
    def failures(self) -> list[PluginFailure]:
        """Every failure recorded so far, plugin by plugin."""
        return [f for info in self.infos.values() for f in info.failures]

    # -- calling -----------------------------------------------------------------------
    def call_each(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every implementation of ``hook_name`` on its own.

        Returns ``(plugin name, result)`` pairs in registration order (built-ins first);
        an implementation that raises is recorded and left out.
        """
        hook = getattr(self.pm.hook, hook_name)
        results: list[tuple[str, Any]] = []
        for impl in reversed(hook.get_hookimpls()):  # pluggy keeps LIFO order
            try:
                results.append((impl.plugin_name, impl.function(**kwargs)))
            except Exception as exc:
                self.fail(impl.plugin_name, hook_name, one_line(exc))
        return results

    def collect(self, hook_name: str, item_type: type[T], what: str) -> list[tuple[str, T]]:
        """Call a hook that returns iterables of ``item_type`` objects, each with a ``name``.

        Results are cached per host. Wrong types and names already taken are recorded as
        failures and skipped; the first plugin to offer a name keeps it.
        """
        if hook_name in self._cache:
            return self._cache[hook_name]
        items: list[tuple[str, T]] = []
        taken: dict[str, str] = {}
        for plugin, result in self.call_each(hook_name):
            for item in _iterate(self, plugin, hook_name, result):
                if not isinstance(item, item_type):
                    self.fail(
                        plugin,
                        hook_name,
                        f"returned {type(item).__name__}, expected {item_type.__name__}",
                    )
                    continue
                name = getattr(item, "name", "")
                if name in taken:
                    self.fail(
                        plugin, hook_name, f"{what} name {name!r} is already taken by {taken[name]}"
                    )
                    continue
                taken[name] = plugin
                self.contributed(plugin, what, name)
                items.append((plugin, item))
        self._cache[hook_name] = items
        return items

    def notify(self, hook_name: str, **kwargs: Any) -> None:
        """Call a notification hook; failures are recorded and swallowed."""
        self.call_each(hook_name, **kwargs)


def _iterate(host: PluginHost, plugin: str, hook_name: str, result: Any) -> Iterable[Any]:
    """Iterate over a hook's result, recording a non-iterable or a failing iterator."""
    if result is None:
        return []
    if isinstance(result, (str, bytes)) or not hasattr(result, "__iter__"):
        host.fail(plugin, hook_name, f"returned {type(result).__name__}, expected an iterable")
        return []
    try:
        return list(result)
    except Exception as exc:
        host.fail(plugin, hook_name, one_line(exc))
        return []


def _register_entry_points(host: PluginHost, disabled: set[str]) -> None:
    """Load every entry point of the group on its own; a failing import is recorded."""
    try:
        entry_points = metadata.entry_points(group=ENTRY_POINT_GROUP)
    except Exception as exc:  # a broken installed distribution's metadata
        host.fail("entry-points", "discover", one_line(exc))
        return
    seen: set[str] = set()
    for ep in sorted(entry_points, key=lambda e: e.name):
        if ep.name in disabled or ep.name in seen:
            continue
        seen.add(ep.name)
        dist = getattr(ep, "dist", None)
        dist_name = dist.name if dist is not None else ep.name
        version = dist.version if dist is not None else "?"
        if dist_name in disabled:
            continue
        host.infos[ep.name] = PluginInfo(ep.name, dist_name, version, False)
        try:
            plugin = ep.load()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            host.fail(ep.name, "import", one_line(exc))
            continue
        host.register(plugin, ep.name, distribution=dist_name, version=version)


def build_plugin_host(
    *,
    entry_points: bool | None = None,
    disabled: Sequence[str] | None = None,
    extra: Sequence[tuple[str, object]] = (),
) -> PluginHost:
    """Build a host: built-ins, then installed entry points, then ``extra`` (for tests).

    ``entry_points=None`` follows ``PSOAS_TUI_NO_PLUGINS``; ``disabled=None`` follows
    ``PSOAS_TUI_DISABLE_PLUGINS``.
    """
    host = PluginHost()
    blocked = set(disabled) if disabled is not None else disabled_from_env()
    for name, module_name in BUILTIN_PLUGINS:
        if name in blocked:
            continue
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            host.fail(name, "import", one_line(exc))
            continue
        host.register(module, name, distribution="psoas-tui", builtin=True)
    load_eps = (not no_plugins_from_env()) if entry_points is None else entry_points
    if load_eps:
        _register_entry_points(host, blocked)
    for name, plugin in extra:
        if name not in blocked:
            host.infos[name] = PluginInfo(name, name, "?", False)
            host.register(plugin, name, distribution=name, version="?")
    return host
