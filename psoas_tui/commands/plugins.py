"""``psoas-tui plugins``: every plugin with its version, hooks, contributions and failures."""

from __future__ import annotations

import argparse

from psoas_tui.commands.common import print_json
from psoas_tui.model import CueStyle, Exporter
from psoas_tui.plugins import PluginHost, build_plugin_host
from psoas_tui.routines import RoutineLibrary


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("plugins", help="list plugins, their hooks and failures")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(func=run)


def survey() -> PluginHost:
    """A host whose every hook has been called, so contributions and failures are known."""
    host = build_plugin_host()
    RoutineLibrary.load(host)
    host.collect("psoas_tui_cue_styles", CueStyle, "cue_styles")
    host.collect("psoas_tui_exporters", Exporter, "exporters")
    return host


def run(args: argparse.Namespace) -> int:
    """List the plugins."""
    host = survey()
    infos = list(host.infos.values())
    if args.json:
        print_json([info.as_dict() for info in infos])
        return 0
    for info in infos:
        kind = "built-in" if info.builtin else info.distribution
        print(f"{info.name} {info.version} ({kind})")
        print(f"  hooks: {', '.join(info.hooks) or '-'}")
        for what, names in info.contributions.items():
            print(f"  {what}: {', '.join(names)}")
        for failure in info.failures:
            print(f"  FAILED {failure.stage}: {failure.message}")
    return 0
