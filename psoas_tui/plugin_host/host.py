"""Builds the plugin manager and calls hooks so that one failing plugin never hides the others.

Built-in plugins (``psoas_tui.builtins.*``) are registered first, then every entry point in
the ``psoas_tui`` group (sorted by name), then any ``extra`` plugins a test passes in. Each
hook implementation is called on its own, in that order; whatever a plugin gets wrong — an
import error, a hook that raises (at once or half-way through a generator), a result of the
wrong type, a name another plugin already took — is recorded as a ``PluginFailure`` against
that plugin and the rest carry on. ``psoas-tui plugins`` lists the failures; the app shows
``PluginHost.new_failures()`` as notices. Whatever a plugin hands over is treated as hostile:
an exception or a name whose ``__str__``/``__repr__`` raises is described without calling them
twice (``error_line``, ``safe_repr``), ``SystemExit`` from a plugin is a failure like any other,
and the names of cue styles and exporters are copied to plain ``str``. Each collected cue style's
``handler``/``tick``/``close`` is wrapped in a ``PluginCallable`` that names its plugin, so the
``CueDispatcher`` can attribute (and isolate) it wherever the style is passed.

What pluggy offers is pluggy's: blocked plugins are ``PluginManager.set_blocked``, a hook a
plugin implements without a spec is found by ``check_pending`` (a warning against that plugin:
it is never called), and hooks are called by pluggy. The host adds only what pluggy lacks: a
bounded import of each entry point, and isolation: pluggy calls all implementations of a hook
in one go and stops at the first exception, so each plugin is also registered in a manager of
its own and called through it, in registration order (``tryfirst``/``trylast`` cannot put a
plugin before the built-ins), and its results are checked before anyone uses them. Hook
wrappers are left out at registration (``parse_hookimpl_opts``): there is nothing to wrap.

Switches: ``PSOAS_TUI_DISABLE_PLUGINS=name,...`` blocks plugins by entry-point name or
distribution name; ``PSOAS_TUI_NO_PLUGINS=1`` (the CLI's ``--no-plugins``) loads the built-ins
only. Blocked plugins are still listed (as disabled) but never imported. A name in
``PSOAS_TUI_DISABLE_PLUGINS`` that matches no plugin is reported (``host.notices``, also part of
``host.failures``), so a typo does not silently leave a plugin switched on.

An installed plugin is imported in a daemon thread that the host waits for at most
``PSOAS_TUI_PLUGIN_TIMEOUT`` seconds (default 5): a plugin that hangs on import is recorded
(``import did not finish within 5 s``) and skipped, and the hung thread never keeps the
process alive. Hook calls are not bounded: a hook that never returns blocks its caller.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from importlib.resources.abc import Traversable
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO, TypeVar

import pluggy

from psoas_tui.env import DISABLE_PLUGINS as DISABLE_ENV
from psoas_tui.env import NO_PLUGINS as NO_PLUGINS_ENV
from psoas_tui.env import PLUGIN_TIMEOUT as TIMEOUT_ENV
from psoas_tui.env import disabled_plugins as disabled_from_env
from psoas_tui.errors import one_line
from psoas_tui.labels import contribution_label
from psoas_tui.model import CueStyle, Exporter
from psoas_tui.plugin_host import hookspecs
from psoas_tui.text import plural

ENTRY_POINT_GROUP = "psoas_tui"
DEFAULT_IMPORT_TIMEOUT = 5.0
POSES_HOOK = "psoas_tui_poses"

# Names and suffixes of the built-in exporters: no other plugin may take them, even when the
# built-in exporters are disabled, so ``-o x.json`` always means the built-in JSON.
RESERVED_EXPORTER_NAMES = frozenset({"toml", "json"})
RESERVED_EXPORTER_SUFFIXES = frozenset({".toml", ".json"})
BUILTIN_EXPORTERS = "builtin-exporters"
_SUFFIX_RE = re.compile(r"\.[A-Za-z0-9][A-Za-z0-9._+-]*")

BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("builtin-routines", "psoas_tui.builtins.routines"),
    ("builtin-cue-styles", "psoas_tui.builtins.cue_styles"),
    ("builtin-exporters", "psoas_tui.builtins.exporters"),
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PluginFailure:
    """Something a plugin got wrong: which plugin, at what stage, and a one-line message.

    ``stage`` is ``import``, ``register``, a hook name (``psoas_tui_exporters``) or whatever
    a caller passed to ``PluginHost.guard`` (e.g. ``cue style 'voice'``).
    """

    plugin: str
    stage: str
    message: str
    kind: str = "plugin"  # "setting": about a setting such as PSOAS_TUI_DISABLE_PLUGINS

    def __str__(self) -> str:
        if self.kind == "setting":
            return f"{self.plugin}: {self.message}"
        return f"plugin {self.plugin}: {self.stage}: {self.message}"


@dataclass(frozen=True, slots=True)
class PluginCallable:
    """A function a plugin contributed (a cue style's handler, tick or close), with its owner.

    Calling it calls ``func``. ``plugin`` names the plugin and ``builtin`` says whether it is
    one of psoas-tui's own, so whoever calls it can isolate it and name it in a notice.
    """

    plugin: str
    builtin: bool
    func: Callable[..., Any]

    def __call__(self, *args: Any) -> Any:
        return self.func(*args)


class PluginStream(io.BufferedIOBase):
    """A binary stream handed to a plugin: writes go through, ``close`` only closes this view.

    A plugin exporter that closes its stream (or wraps it in a ``TextIOWrapper`` that closes
    it when dropped) would otherwise close psoas-tui's file or ``sys.stdout``.
    """

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("write to a closed stream (the exporter closed it)")
        written = self._stream.write(data)
        return len(memoryview(data)) if written is None else written

    def flush(self) -> None:
        if not self.closed:
            self._stream.flush()

    def fileno(self) -> int:
        raise io.UnsupportedOperation("an exporter writes through write(), not the file descriptor")


def plugin_of(func: object) -> tuple[str | None, bool]:
    """``(plugin, builtin)`` for a ``PluginCallable``; ``(None, False)`` for anything else."""
    if isinstance(func, PluginCallable):
        return func.plugin, func.builtin
    return None, False


def error_line(exc: BaseException) -> str:
    """``one_line(exc)``, even when the exception's ``__str__`` raises or returns garbage."""
    try:
        return one_line(exc)
    except BaseException as inner:
        if _fatal(inner):
            raise
    try:
        name = type(exc).__name__
    except BaseException:  # pragma: no cover - a class whose name cannot be read
        name = "exception"
    return f"{name} (its message could not be shown: str() raised)"


def safe_repr(value: object) -> str:
    """``repr(value)`` for a message, or a placeholder naming the type when ``repr`` raises."""
    try:
        text = repr(value)
        if type(text) is str:
            return text if len(text) <= 80 else text[:79] + "…"
    except BaseException as exc:
        if _fatal(exc):
            raise
    return f"<{_type_name(value)} object>"


def _type_name(value: object) -> str:
    try:
        return str(type(value).__name__)
    except BaseException:  # pragma: no cover - a metaclass that breaks __name__
        return "unknown"


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
    warnings: list[str] = field(default_factory=list)
    disabled: str = ""  # why the plugin was not loaded; "" when it was

    @property
    def status(self) -> str:
        """``disabled``, ``failed`` (something went wrong) or ``ok``."""
        if self.disabled:
            return "disabled"
        return "failed" if self.failures else "ok"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "builtin": self.builtin,
            "status": self.status,
            "disabled": self.disabled or None,
            "hooks": list(self.hooks),
            "contributions": {k: list(v) for k, v in self.contributions.items()},
            "failures": [{"stage": f.stage, "message": f.message} for f in self.failures],
            "warnings": list(self.warnings),
        }


def app_version() -> str:
    """The installed psoas-tui version (``0+unknown`` when not installed)."""
    try:
        return metadata.version("psoas-tui")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def no_plugins_from_env() -> bool:
    """True when ``PSOAS_TUI_NO_PLUGINS`` asks for built-ins only."""
    return os.environ.get(NO_PLUGINS_ENV, "").strip().lower() not in ("", "0", "false", "no")


def import_timeout_from_env() -> float:
    """Seconds to wait for one plugin's import: ``PSOAS_TUI_PLUGIN_TIMEOUT``, default 5.

    A value that is not a positive number falls back to the default.
    """
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_IMPORT_TIMEOUT
    except ValueError:
        return DEFAULT_IMPORT_TIMEOUT
    return value if 0 < value < float("inf") else DEFAULT_IMPORT_TIMEOUT


def _seconds(value: float) -> str:
    return f"{value:g} s"


# Imports still running in a daemon thread after their wait ran out, by entry-point value, so a
# second host in the same process does not wait for them again.
_hung_imports: dict[str, threading.Thread] = {}


def _load_bounded(ep: metadata.EntryPoint, timeout: float) -> tuple[bool, Any]:
    """``ep.load()`` in a daemon thread, waiting at most ``timeout`` seconds.

    Returns ``(True, plugin)``, ``(False, exception)`` when the import raised, or
    ``(False, None)`` when it did not finish in time (the thread is left running; being a
    daemon it does not keep the process alive, and Python's per-module import locks let
    other imports go on meanwhile).
    """
    hung = _hung_imports.get(ep.value)
    if hung is not None:
        if hung.is_alive():
            return False, None
        del _hung_imports[ep.value]
    outcome: list[tuple[bool, Any]] = []

    def load() -> None:
        try:
            outcome.append((True, ep.load()))
        except BaseException as exc:  # reported by the waiting thread
            outcome.append((False, exc))

    thread = threading.Thread(target=load, name=f"psoas-tui plugin import {ep.name}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        _hung_imports[ep.value] = thread
        return False, None
    return outcome[0]


class _Manager(pluggy.PluginManager):
    """pluggy's manager, leaving hook wrappers out (pluggy's hook for choosing implementations).

    The host calls each plugin on its own, so a wrapper would wrap nothing; the wrappers left
    out are noted in ``wrappers`` as ``(plugin, hook name)`` for the host to warn about.
    """

    def __init__(self, project_name: str) -> None:
        super().__init__(project_name)
        self.wrappers: list[tuple[object, str]] = []

    def parse_hookimpl_opts(self, plugin: object, name: str) -> pluggy.HookimplOpts | None:
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is not None and (opts.get("wrapper") or opts.get("hookwrapper")):
            self.wrappers.append((plugin, opts.get("specname") or name))
            return None
        return opts

    def wrappers_of(self, plugin: object) -> list[str]:
        """The hook names of the wrappers ``plugin`` offered (noted since the last call)."""
        names = sorted({hook for owner, hook in self.wrappers if owner is plugin})
        self.wrappers.clear()
        return names


def _fatal(exc: BaseException) -> bool:
    """Exceptions a plugin must never swallow on our behalf (Ctrl-C, interpreter exit)."""
    return isinstance(exc, (KeyboardInterrupt, GeneratorExit))


class PluginHost:
    """The plugin manager plus what was learned while loading and calling plugins.

    ``infos`` maps each plugin name to its ``PluginInfo``; ``failures`` lists every
    ``PluginFailure`` so far. Results of ``collect`` are cached per host.
    """

    def __init__(self, specs: Iterable[ModuleType | type] = (hookspecs,)) -> None:
        self._specs = tuple(specs)
        self.pm = _Manager(hookspecs.PROJECT_NAME)
        for spec in self._specs:
            self.pm.add_hookspecs(spec)
        self._callers: dict[str, _Manager] = {}  # each registered plugin's own manager
        self.infos: dict[str, PluginInfo] = {}
        self._order: dict[str, int] = {}
        self._cache: dict[str, list[tuple[str, Any]]] = {}
        self._seen: set[PluginFailure] = set()
        self.notices: list[PluginFailure] = []  # problems of settings, not of one plugin

    # -- registration -------------------------------------------------------------------
    def claim(
        self, name: str, distribution: str, version: str, *, builtin: bool = False
    ) -> PluginInfo | None:
        """Reserve ``name`` for a plugin about to be loaded; ``None`` if it is taken.

        A taken name keeps its first owner; the newcomer is listed under ``name (2)`` with
        a failure that says so.
        """
        if name in self.infos:
            owner = self.infos[name].distribution
            key = self._free_key(name)
            self.infos[key] = PluginInfo(key, distribution, version, builtin)
            self.fail(key, "register", f"plugin name {name!r} is already taken by {owner}; skipped")
            return None
        info = PluginInfo(name, distribution, version, builtin)
        self.infos[name] = info
        return info

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
        info = self.claim(name, distribution or name, version or "?", builtin=builtin)
        return info is not None and self._register_claimed(plugin, info)

    def _register_claimed(self, plugin: object, info: PluginInfo) -> bool:
        name = info.name
        if plugin is None:
            self.fail(name, "register", "the entry point refers to None, not a module or object")
            return False
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                own = self._own_manager(plugin, name)
                self.pm.register(plugin, name=name)
            except BaseException as exc:  # pluggy validation errors, the same object twice
                if _fatal(exc):
                    raise
                self.pm.wrappers.clear()
                self.fail(name, "register", error_line(exc))
                return False
        self._order[name] = len(self._order)
        self._callers[name] = own
        for warning in caught:
            info.warnings.append(_warning_text(warning))
        try:
            self._check_hooks(plugin, info)
        except BaseException as exc:  # a plugin object whose attributes misbehave
            if _fatal(exc):
                raise
            self.fail(name, "register", error_line(exc))
        return True

    def _own_manager(self, plugin: object, name: str) -> _Manager:
        """A pluggy manager holding only ``plugin``, to call its hooks apart from the others.

        pluggy calls all of a hook's implementations in one go and stops at the first that
        raises; calling each plugin through a manager of its own keeps one plugin's error its
        own (``subset_hook_caller`` would need every plugin object to be hashable). Its
        warnings are left to the shared ``pm``'s registration, so they are recorded once.
        """
        own = _Manager(hookspecs.PROJECT_NAME)
        for spec in self._specs:
            own.add_hookspecs(spec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            own.register(plugin, name=name)
        own.wrappers.clear()
        return own

    def _check_hooks(self, plugin: object, info: PluginInfo) -> None:
        """Fill ``info.hooks`` and warn about hooks that will never be called."""
        callers = self.pm.get_hookcallers(plugin) or []
        wrappers = self.pm.wrappers_of(plugin)
        info.hooks = sorted({caller.name for caller in callers} | set(wrappers))
        for hook in _pending_hooks(self._callers[info.name], plugin):
            info.warnings.append(
                f"implements unknown hook {hook!r} (a typo, or a newer psoas-tui?); it is never called"
            )
        for hook in wrappers:
            info.warnings.append(f"{hook}: wrapper hooks are not supported; it is never called")
        if not info.hooks:
            info.warnings.append("implements no psoas-tui hooks (mark functions with psoas_tui.api.hookimpl)")

    def _free_key(self, name: str) -> str:
        number = 2
        while f"{name} ({number})" in self.infos:
            number += 1
        return f"{name} ({number})"

    def block(self, names: Iterable[str]) -> None:
        """Block plugins by entry-point or distribution name (pluggy's ``set_blocked``)."""
        for name in names:
            self.pm.set_blocked(name)

    def is_blocked(self, *names: str) -> bool:
        """True when any of ``names`` (a plugin's entry-point and distribution name) is blocked."""
        return any(self.pm.is_blocked(name) for name in names)

    def disable(
        self, name: str, distribution: str, version: str, reason: str, *, builtin: bool = False
    ) -> None:
        """List a plugin that was not loaded, with ``reason``."""
        info = self.claim(name, distribution, version, builtin=builtin)
        if info is not None:
            info.disabled = reason

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

    def notice(self, setting: str, message: str) -> PluginFailure:
        """Record a problem with a plugin setting (e.g. an unknown name in ``setting``)."""
        failure = PluginFailure(setting, "setting", message, kind="setting")
        if failure not in self.notices:
            self.notices.append(failure)
        return failure

    @property
    def failures(self) -> list[PluginFailure]:
        """Every failure recorded so far, plugin by plugin, then the settings' notices."""
        return [f for info in self.infos.values() for f in info.failures] + list(self.notices)

    def new_failures(self) -> list[PluginFailure]:
        """Failures recorded since the last call, so the app can show each one once."""
        fresh = [f for f in self.failures if f not in self._seen]
        self._seen.update(fresh)
        return fresh

    @property
    def active(self) -> list[str]:
        """Names of the registered plugins, in calling order."""
        return sorted(self._order, key=self._order.__getitem__)

    # -- calling -----------------------------------------------------------------------
    def call_each(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every plugin's implementation of ``hook_name`` on its own, through pluggy.

        Returns ``(plugin name, result)`` pairs in registration order (built-ins first,
        then installed plugins by entry-point name); ``None`` results are left out, as pluggy
        does, and a plugin whose implementation raises is recorded and left out.
        ``tryfirst``/``trylast`` are ignored. An implementation receives only the arguments
        it names, as with pluggy.
        """
        getattr(self.pm.hook, hook_name)  # an unknown hook name is the caller's error
        results: list[tuple[str, Any]] = []
        for name in self.active:
            hook = getattr(self._callers[name].hook, hook_name, None)
            if hook is None or not hook.get_hookimpls():
                continue
            try:
                outcome = hook(**kwargs)
            except BaseException as exc:
                if _fatal(exc):
                    raise
                self.fail(name, hook_name, error_line(exc))
                continue
            results.extend((name, result) for result in outcome)
        return results

    def items_of(self, plugin: str, hook_name: str, result: Any) -> list[Any]:
        """The items of an iterable hook result.

        ``None`` counts as nothing; a non-iterable (or a bare string) is a failure. An
        iterator that raises half-way keeps the items it gave before and records the error.
        """
        if result is None:
            return []
        items: list[Any] = []
        try:
            if isinstance(result, (str, bytes)) or not hasattr(result, "__iter__"):
                self.fail(plugin, hook_name, f"returned {_type_name(result)}, expected an iterable")
                return []
            for item in result:
                items.append(item)
        except BaseException as exc:
            if _fatal(exc):
                raise
            where = f"after {plural(len(items), 'item')}: " if items else ""
            self.fail(plugin, hook_name, f"{where}{error_line(exc)}")
        return items

    def collect(self, hook_name: str, item_type: type[T], what: str) -> list[tuple[str, T]]:
        """Call a hook that returns iterables of ``item_type`` objects, each with a ``name``.

        Results are cached per host. Wrong types, unusable objects (an empty name, a
        handler that is not callable, an exporter suffix without a dot) and names already
        taken are recorded as failures and skipped; the first plugin to offer a name keeps
        it, so built-ins win. Each item is returned as a copy with plain-``str`` text fields,
        and a cue style's functions (an exporter's ``write``) wrapped in ``PluginCallable``
        (see ``plugin_of``).
        """
        if hook_name in self._cache:
            return self._cache[hook_name]
        items: list[tuple[str, T]] = []
        taken: dict[str, str] = {}
        for plugin, result in self.call_each(hook_name):
            builtin = self._is_builtin(plugin)
            for raw in self.items_of(plugin, hook_name, result):
                try:
                    item = _checked(raw, item_type, plugin, builtin)
                    problem = "" if isinstance(item, item_type) else item
                    if not problem and isinstance(item, Exporter):
                        problem = _exporter_clash(item, plugin, items)
                except BaseException as exc:  # a property or __eq__ that raises
                    if _fatal(exc):
                        raise
                    problem = error_line(exc)
                if problem:
                    self.fail(plugin, hook_name, str(problem))
                    continue
                name: str = item.name  # type: ignore[union-attr]
                if name in taken:
                    owner = taken[name]
                    thing = contribution_label(what, 1)
                    self.fail(plugin, hook_name, f"{thing} {name!r} is already taken by {owner}")
                    continue
                taken[name] = plugin
                self.contributed(plugin, what, name)
                items.append((plugin, item))  # type: ignore[arg-type]
        self._cache[hook_name] = items
        return items

    def _is_builtin(self, plugin: str) -> bool:
        info = self.infos.get(plugin)
        return info is not None and info.builtin

    def cue_styles(self) -> list[tuple[str, CueStyle]]:
        """``(plugin, CueStyle)`` for every usable cue style, built-ins first."""
        return self.collect("psoas_tui_cue_styles", CueStyle, "cue_styles")

    def exporters(self) -> list[tuple[str, Exporter]]:
        """``(plugin, Exporter)`` for every usable exporter, built-ins first."""
        return self.collect("psoas_tui_exporters", Exporter, "exporters")

    def pose_sources(self) -> list[tuple[str, list[Any]]]:
        """``(plugin, items)`` for every plugin that offers poses, in calling order.

        Each item is a ``pathlib.Path`` or ``importlib.resources`` traversable (a ``str`` is
        taken as a path): a folder of pose files (with its ``figures.toml``) or one ``.toml``
        file. Anything else is recorded as a failure of that plugin and left out; reading and
        checking the files is ``psoas_tui.figures.library.load_figures``'s job. Cached per host.
        """
        cached = self._cache.get(POSES_HOOK)
        if cached is not None:
            return cached
        sources: list[tuple[str, list[Any]]] = []
        for plugin, result in self.call_each(POSES_HOOK):
            items = []
            for item in self.items_of(plugin, POSES_HOOK, result):
                path = Path(str.__str__(item)) if isinstance(item, str) else item
                if isinstance(path, (Path, Traversable)):
                    items.append(path)
                else:
                    expected = "expected a path to a pose folder or file"
                    self.fail(plugin, POSES_HOOK, f"returned {_type_name(item)}, {expected}")
            if items:
                sources.append((plugin, items))
        self._cache[POSES_HOOK] = sources
        return sources

    def notify(self, hook_name: str, **kwargs: Any) -> None:
        """Call a notification hook; failures are recorded and swallowed."""
        self.call_each(hook_name, **kwargs)

    def guard(self, plugin: str, stage: str, func: Callable[..., T], *args: Any) -> tuple[bool, T | None]:
        """Call ``func(*args)`` on behalf of ``plugin``; an exception becomes a failure.

        Returns ``(True, result)`` or ``(False, None)``. Use it to call what a plugin
        contributed, e.g. ``host.guard(plugin, f"cue style {style.name!r}", style.handler, cue)``.
        """
        try:
            return True, func(*args)
        except BaseException as exc:
            if _fatal(exc):
                raise
            self.fail(plugin, stage, error_line(exc))
            return False, None


def _pending_hooks(own: pluggy.PluginManager, plugin: object) -> list[str]:
    """The hooks pluggy's ``check_pending`` finds without a spec in ``plugin``'s own manager.

    pluggy stops at the first; the host names each (they are never called).
    """
    try:
        own.check_pending()
        return []
    except Exception:  # PluginValidationError, or a plugin's raising repr() in its message
        pass
    return sorted(
        caller.name
        for caller in own.get_hookcallers(plugin) or []
        if not caller.has_spec() and any(not impl.optionalhook for impl in caller.get_hookimpls())
    )


def _warning_text(warning: warnings.WarningMessage) -> str:
    """One recorded warning as ``Category: message``, whatever its message object does."""
    message = warning.message
    text = error_line(message) if isinstance(message, BaseException) else safe_repr(message)
    return text if isinstance(message, BaseException) else f"{_type_name(warning.category)}: {text}"


def _plain(value: object) -> str | None:
    """A ``str`` (or ``str`` subclass) as a plain ``str``; ``None`` for anything else.

    A subclass could override ``__str__``, ``__eq__`` or ``__hash__``; the copy cannot.
    """
    return str.__str__(value) if isinstance(value, str) else None


def _checked(item: Any, item_type: type, plugin: str, builtin: bool) -> Any:
    """A usable copy of ``item`` (plain strings, attributed functions), or why it is unusable."""
    if not isinstance(item, item_type):
        return f"returned {_type_name(item)}, expected {item_type.__name__}"
    name = _plain(getattr(item, "name", None))
    if name is None or not name.strip() or name != name.strip():
        got = safe_repr(name if name is not None else getattr(item, "name", None))
        return f"a {item_type.__name__} needs a non-empty name without surrounding spaces, got {got}"
    what = contribution_label("cue_styles" if isinstance(item, CueStyle) else "exporters", 1)
    texts: dict[str, Any] = {"name": name}
    for text_field in ("title", "description"):
        value = getattr(item, text_field, "")
        texts[text_field] = _plain(value)
        if texts[text_field] is None:
            return f"{what} {name!r}: {text_field} must be a string, got {_type_name(value)}"
    if isinstance(item, CueStyle):
        return _checked_style(item, texts, plugin, builtin)
    if isinstance(item, Exporter):
        return _checked_exporter(item, texts, plugin, builtin)
    return item


def _checked_style(style: CueStyle, texts: dict[str, Any], plugin: str, builtin: bool) -> CueStyle | str:
    name = texts["name"]
    if not callable(style.handler):
        return f"cue style {name!r}: handler is not callable"
    funcs: dict[str, Any] = {"handler": PluginCallable(plugin, builtin, _unwrapped(style.handler))}
    for optional in ("close", "tick"):
        value = getattr(style, optional, None)
        if value is not None and not callable(value):
            return f"cue style {name!r}: {optional} is not callable"
        funcs[optional] = None if value is None else PluginCallable(plugin, builtin, _unwrapped(value))
    return dataclasses.replace(style, **texts, **funcs)


def _unwrapped(func: Any) -> Any:
    """A plugin cannot pass itself off as another by handing in a ``PluginCallable``."""
    return func.func if isinstance(func, PluginCallable) else func


def _checked_exporter(
    exporter: Exporter, texts: dict[str, Any], plugin: str, builtin: bool
) -> Exporter | str:
    name = texts["name"]
    if not callable(exporter.write):
        return f"exporter {name!r}: write is not callable"
    suffix = _plain(exporter.suffix)
    if suffix is None or not _SUFFIX_RE.fullmatch(suffix):
        got = safe_repr(suffix) if suffix is not None else _type_name(exporter.suffix)
        return f"exporter {name!r}: suffix must start with a dot, like '.csv', got {got}"
    write = PluginCallable(plugin, builtin, _unwrapped(exporter.write))
    return dataclasses.replace(exporter, suffix=suffix, write=write, **texts)


def _exporter_clash(exporter: Exporter, plugin: str, taken: list[tuple[str, Any]]) -> str:
    """Why ``exporter`` may not have its name or suffix (reserved or already used), or ``""``.

    A name already in use is left to the caller's "already taken" check.
    """
    if any(other.name == exporter.name for _owner, other in taken):
        return ""
    if plugin != BUILTIN_EXPORTERS:
        if exporter.name in RESERVED_EXPORTER_NAMES:
            return f"exporter {exporter.name!r}: the name is reserved for a built-in exporter"
        if exporter.suffix.lower() in RESERVED_EXPORTER_SUFFIXES:
            suffix = exporter.suffix
            return f"exporter {exporter.name!r}: suffix {suffix!r} is reserved for a built-in exporter"
    for owner, other in taken:
        if other.suffix.lower() == exporter.suffix.lower():
            return f"exporter {exporter.name!r}: suffix {exporter.suffix!r} is already taken by {owner}"
    return ""


def _entry_points() -> list[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)


def _dist_of(ep: metadata.EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return ep.name, "?"
    return dist.name or ep.name, dist.version or "?"


def _register_entry_points(host: PluginHost, *, load: bool, timeout: float | None = None) -> set[str]:
    """Load every entry point of the group on its own; a failing or hung import is recorded.

    With ``load=False`` (``--no-plugins``) they are only listed as disabled. Each import may
    take ``timeout`` seconds (``None``: ``PSOAS_TUI_PLUGIN_TIMEOUT``, default 5). Returns the
    entry-point and distribution names seen.
    """
    wait = import_timeout_from_env() if timeout is None else timeout
    seen: set[str] = set()
    try:
        entry_points = _entry_points()
    except Exception as exc:  # a broken installed distribution's metadata
        host.fail("entry-points", "discover", error_line(exc))
        return seen
    for ep in entry_points:
        dist_name, version = _dist_of(ep)
        seen.update((ep.name, dist_name))
        if not load:
            host.disable(ep.name, dist_name, version, f"{NO_PLUGINS_ENV} / --no-plugins")
            continue
        if host.is_blocked(ep.name, dist_name):
            host.disable(ep.name, dist_name, version, DISABLE_ENV)
            continue
        info = host.claim(ep.name, dist_name, version)
        if info is None:  # two distributions with one entry-point name
            continue
        loaded, plugin = _load_bounded(ep, wait)
        if not loaded:
            if plugin is None:
                host.fail(ep.name, "import", f"import did not finish within {_seconds(wait)}")
            elif isinstance(plugin, KeyboardInterrupt):
                raise plugin
            else:
                host.fail(ep.name, "import", error_line(plugin))
            continue
        host._register_claimed(plugin, info)
    return seen


def build_plugin_host(
    *,
    entry_points: bool | None = None,
    disabled: Sequence[str] | None = None,
    extra: Sequence[tuple[str, object]] = (),
) -> PluginHost:
    """Build a host: built-ins, then installed entry points, then ``extra`` (for tests).

    ``entry_points=None`` follows ``PSOAS_TUI_NO_PLUGINS``; ``disabled=None`` follows
    ``PSOAS_TUI_DISABLE_PLUGINS``. ``extra`` is a list of ``(name, plugin)`` pairs —
    typically a plugin module registered in-process by its tests.
    """
    host = PluginHost()
    blocked = set(disabled) if disabled is not None else disabled_from_env()
    host.block(blocked)
    for name, module_name in BUILTIN_PLUGINS:
        if host.is_blocked(name):
            host.disable(name, "psoas-tui", app_version(), DISABLE_ENV, builtin=True)
            continue
        info = host.claim(name, "psoas-tui", app_version(), builtin=True)
        if info is None:
            continue
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            host.fail(name, "import", error_line(exc))
            continue
        host._register_claimed(module, info)
    load_eps = (not no_plugins_from_env()) if entry_points is None else entry_points
    known = {name for name, _module in BUILTIN_PLUGINS} | {name for name, _plugin in extra}
    if load_eps or entry_points is None:
        known |= _register_entry_points(host, load=load_eps)
        if disabled is None:  # names from the environment, checked against every plugin there is
            report_unknown_disabled(host, blocked, known)
    for name, plugin in extra:
        if host.is_blocked(name):
            host.disable(name, name, "?", "disabled")
            continue
        host.register(plugin, name, distribution=name, version="?")
    return host


def report_unknown_disabled(host: PluginHost, blocked: set[str], known: set[str]) -> None:
    """A notice for each name in ``PSOAS_TUI_DISABLE_PLUGINS`` that matches no plugin."""
    for name in sorted(blocked - known):
        names = ", ".join(sorted(known))
        host.notice(DISABLE_ENV, f"no plugin is named {name!r}, so it disables nothing (plugins: {names})")
