"""``psoas-tui plugins``: every plugin with its version, hooks, contributions and failures.

Listing calls every hook once (routines, cue styles, exporters) so that what each plugin
contributes — and what it breaks — is known. It never imports Textual; the survey and
the wording live in ``psoas_tui.plugin_report`` (the app's plugins screen uses them too).
"""

from __future__ import annotations

import argparse
import sys

from psoas_tui.commands.common import print_json
from psoas_tui.env import DISABLE_PLUGINS
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.plugin_report import describe, summary, survey
from psoas_tui.text import safe


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser(
        "plugins",
        help="list plugins: version, hooks, what they add, failures",
        description="List every plugin, built-in or installed: distribution, version, the hooks it "
        "implements, the routines, cue styles and exporters it adds, and anything that failed. "
        f"{DISABLE_PLUGINS}=name,... blocks plugins; --no-plugins loads the built-ins only.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list, one object per plugin")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """List the plugins."""
    host, library = survey(build_plugin_host())
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
    print(f"\n{summary(infos)}")
    return 0
