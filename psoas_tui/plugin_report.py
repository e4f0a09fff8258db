"""What the plugins contribute and what failed, for people: shared by ``psoas-tui plugins`` and
the app's plugins screen (both front ends import it; it imports neither).

``survey`` calls every hook once (routines, cue styles, exporters, poses) so each plugin's
contributions and failures are known; ``describe`` is one plugin's text block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psoas_tui.labels import BUILTIN_PLUGIN, contribution_label
from psoas_tui.text import plural, safe

if TYPE_CHECKING:
    from psoas_tui.plugin_host.host import PluginHost, PluginInfo
    from psoas_tui.routines import RoutineLibrary


def survey(host: PluginHost | None = None) -> tuple[PluginHost, RoutineLibrary]:
    """A host whose every hook has been called, so contributions and failures are known."""
    from psoas_tui.figures.library import load_figures
    from psoas_tui.plugin_host.host import build_plugin_host  # looked up now: tests may replace it
    from psoas_tui.routines import RoutineLibrary

    host = host or build_plugin_host()
    library = RoutineLibrary.load(host)
    host.cue_styles()
    host.exporters()
    load_figures(host)  # the psoas_tui_poses hook: poses, figures and their failures
    return host, library


def describe(info: PluginInfo) -> list[str]:
    """The text block for one plugin; its names and messages are neutralised (``safe``)."""
    return [safe(line) for line in _describe(info)]


def _describe(info: PluginInfo) -> list[str]:
    origin = BUILTIN_PLUGIN if info.builtin else info.distribution
    head = f"{info.name}  {info.version}  ({origin})"
    if info.disabled:
        return [f"{head}  disabled by {info.disabled}"]
    if info.failures:
        head += f"  {plural(len(info.failures), 'failure')}"
    lines = [head, f"  hooks: {', '.join(info.hooks) or '-'}"]
    for what, names in info.contributions.items():
        lines.append(f"  {contribution_label(what)}: {', '.join(names)}")
    for failure in info.failures:
        lines.append(f"  FAILED {failure.stage}: {failure.message}")
    for warning in info.warnings:
        lines.append(f"  warning: {warning}")
    return lines


def summary(infos: list[PluginInfo]) -> str:
    """``3 plugins loaded, 1 with failures (they are skipped; the rest work), 1 disabled``."""
    loaded = sum(1 for info in infos if not info.disabled)
    failed = sum(1 for info in infos if info.failures)
    disabled = len(infos) - loaded
    text = f"{plural(loaded, 'plugin')} loaded"
    if failed:
        text += f", {failed} with failures (they are skipped; the rest work)"
    if disabled:
        text += f", {disabled} disabled"
    return text
