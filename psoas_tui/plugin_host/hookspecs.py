"""The plugin contract: pluggy markers and every hook psoas-tui calls.

Each hook is called once per plugin, on its own (through pluggy, in registration order:
built-ins first; ``tryfirst``/``trylast`` and hook wrappers have no effect), so one failing
plugin never hides the others (see ``psoas_tui.plugin_host.host``). A ``None`` result counts as
nothing. Names are prefixed ``psoas_tui_``. Every hook here must be documented in
``docs/plugins.md`` with its signature (a test checks it).

A plugin's import is time-limited (``PSOAS_TUI_PLUGIN_TIMEOUT``, default 5 s); hook calls are
not: they run in the caller's thread, and one that never returns blocks that command or
screen. Hooks must return at once what the plugin already has — never wait on the network.

Versioning and deprecation policy (``HOOK_API_VERSION``):

* Adding a hook, or an optional argument a hook implementation may ask for, is backward
  compatible and does not change ``HOOK_API_VERSION``.
* A hook (or a hook argument) is never removed or changed without first being deprecated
  for at least one minor release: its spec gets pluggy's ``warn_on_impl`` (or
  ``warn_on_impl_args`` for one argument), e.g.
  ``@hookspec(warn_on_impl=DeprecationWarning("psoas_tui_x is deprecated: use psoas_tui_y"))``.
  pluggy then warns when a plugin implementing it is registered; the host records that
  warning against the plugin, and ``psoas-tui plugins`` shows it, so authors see it without
  running the app with warnings on. The docs mark the hook as deprecated with the release
  that removes it.
* Removing or changing a hook bumps ``HOOK_API_VERSION``; plugins can compare it to guard
  against an older or newer app.

No hook is deprecated yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pluggy

PROJECT_NAME = "psoas_tui"
HOOK_API_VERSION = 1

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

if TYPE_CHECKING:
    from psoas_tui.model import CueStyle, Exporter, SessionRecord


@hookspec
def psoas_tui_routines() -> Iterable[Any]:
    """Return routine sources to add to the library.

    Called once when the routine library is built. Return an iterable whose items are
    any of: a ``pathlib.Path`` or ``importlib.resources`` traversable pointing at a
    ``.toml`` routine file or at a folder of them (``psoas_tui.api.routines_folder``), or a
    ready ``Routine`` object. A bad file is reported with its name and skipped; the other
    routines still load. An id defined twice follows the library's precedence (user folder
    over plugins over the built-in pack) with a notice.
    """


@hookspec
def psoas_tui_poses() -> Iterable[Any]:
    """Return pose sources: the figures of this plugin's routines.

    Called once when figures are first drawn. Return an iterable of ``pathlib.Path`` or
    ``importlib.resources`` traversables (``psoas_tui.api.poses_folder``): a folder of pose
    ``.toml`` files, optionally with a ``figures.toml`` that maps each step of this plugin's
    routines to a pose, or single pose files. The map may name this plugin's poses and the
    built-in ones (its own win on a shared name) and applies only to routines this plugin
    offers, so a user routine with the same id never shows them. A bad file is reported
    with its name against the plugin and skipped; the rest still load.
    """


@hookspec
def psoas_tui_cue_styles() -> Iterable[CueStyle]:
    """Return ``CueStyle`` objects offered to the user.

    Called once when cue styles are listed or a session starts. Each style has a unique
    ``name`` (the first plugin to offer a name keeps it; built-ins come first); its
    ``handler(cue)`` is called with every ``Cue`` of a running session, on the style's own
    worker thread, and should return quickly (do slow work in a thread or subprocess). The
    optional ``tick`` and ``close`` are called about once a second and at the end of a
    session. A handler that raises (or calls ``sys.exit()``), runs longer than 10 s, or falls
    20 cues behind is switched off for the rest of that session with one notice naming it
    and its plugin.
    """


@hookspec
def psoas_tui_exporters() -> Iterable[Exporter]:
    """Return ``Exporter`` objects: export formats for the session history.

    Called when exporters are listed or an export runs. ``Exporter.write(records, stream)``
    receives an iterable of ``SessionRecord`` (consume it lazily, never all at once) and a
    binary stream to write to (do not close it; closing closes only the plugin's view).
    Names are unique as for cue styles; ``suffix`` starts with a dot, and ``toml``/``json``
    and ``.toml``/``.json`` are reserved for the built-ins.
    """


@hookspec
def psoas_tui_session_finished(record: SessionRecord) -> None:
    """Be told that a session was saved to the history.

    Called after the final ``SessionRecord`` (completed, stopped, with any check-in) is
    written. The return value is ignored; an exception is reported and swallowed.
    """
