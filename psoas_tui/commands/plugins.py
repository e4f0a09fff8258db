"""``psoas-tui plugins``: every plugin with its version, hooks, contributions and failures.

Listing calls every hook once (routines, cue styles, exporters) so that what each plugin
contributes — and what it breaks — is known. It never imports Textual.
"""

from __future__ import annotations

import argparse
import sys

from psoas_tui.commands.common import print_json
from psoas_tui.plugins import PluginHost, PluginInfo, build_plugin_host
from psoas_tui.routines import RoutineLibrary
from psoas_tui.text import safe

CONTRIBUTION_LABELS = {"routines": "routines", "cue_styles": "cue styles", "exporters": "exporters"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser(
        "plugins",
        help="list plugins: version, hooks, what they add, failures",
        description="List every plugin, built-in or installed: distribution, version, the hooks it "
        "implements, the routines, cue styles and exporters it adds, and anything that failed. "
        "PSOAS_TUI_DISABLE_PLUGINS=name,... blocks plugins; --no-plugins loads the built-ins only.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list, one object per plugin")
    parser.set_defaults(func=run)


def survey(host: PluginHost | None = None) -> tuple[PluginHost, RoutineLibrary]:
    """A host whose every hook has been called, so contributions and failures are known."""
    host = host or build_plugin_host()
    library = RoutineLibrary.load(host)
    host.cue_styles()
    host.exporters()
    from psoas_tui.figures.library import load_figures

    load_figures(host)  # the psoas_tui_poses hook: poses, figures and their failures
    return host, library


def describe(info: PluginInfo) -> list[str]:
    """The text block for one plugin; its names and messages are neutralised (``safe``)."""
    return [safe(line) for line in _describe(info)]


def _describe(info: PluginInfo) -> list[str]:
    origin = "built-in" if info.builtin else info.distribution
    head = f"{info.name}  {info.version}  ({origin})"
    if info.disabled:
        return [f"{head}  disabled by {info.disabled}"]
    if info.failures:
        head += f"  {len(info.failures)} failure{'s' if len(info.failures) != 1 else ''}"
    lines = [head, f"  hooks: {', '.join(info.hooks) or '-'}"]
    for what, names in info.contributions.items():
        lines.append(f"  {CONTRIBUTION_LABELS.get(what, what)}: {', '.join(names)}")
    for failure in info.failures:
        lines.append(f"  FAILED {failure.stage}: {failure.message}")
    for warning in info.warnings:
        lines.append(f"  warning: {warning}")
    return lines


def run(args: argparse.Namespace) -> int:
    """List the plugins."""
    host, library = survey()
    infos = list(host.infos.values())
    for notice in library.errors:
        print(safe(f"psoas-tui: {notice}"), file=sys.stderr)
    for setting in host.notices:  # e.g. an unknown name in PSOAS_TUI_DISABLE_PLUGINS
        print(safe(f"psoas-tui: {setting}"), file=sys.stderr)
    if args.json:
        print_json([info.as_dict() for info in infos])
        return 0
    for info in infos:
        print("\n".join(describe(info)))
    loaded = sum(1 for i in infos if not i.disabled)
    failed = sum(1 for i in infos if i.failures)
    disabled = len(infos) - loaded
    summary = f"\n{loaded} plugin{'s' if loaded != 1 else ''} loaded"
    if failed:
        summary += f", {failed} with failures (they are skipped; the rest work)"
    if disabled:
        summary += f", {disabled} disabled"
    print(summary)
    return 0
