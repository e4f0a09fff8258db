"""``psoas-tui sync``: merge the other machines' sessions from the sync folder, share this one's."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from psoas_tui.errors import UserError
from psoas_tui.text import safe

NO_FOLDER = "no sync folder set: use `psoas-tui sync --folder DIR` (or sync_folder in config.toml)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser(
        "sync",
        help="sync the history with your other machines through a shared folder",
        description="Sync the history through a folder that Syncthing, git, a cloud drive or NFS "
        "moves between your machines: each machine writes only its own files there, and reads "
        "everyone else's; a session updated later wins. Prints what was added and from which "
        "devices. --folder DIR remembers DIR as sync_folder in config.toml, then syncs. "
        "The app also syncs at start and after each session when a folder is set.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--folder", metavar="DIR", help="use DIR from now on (saved in config.toml)")
    group.add_argument("--stop", action="store_true",
                       help="stop syncing (clears sync_folder; the files in the folder stay)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Sync once (after saving ``--folder``)."""
    from psoas_tui.config import load_settings, save_settings
    from psoas_tui.history.sync import check_folder, sync_configured

    settings = load_settings()
    if args.stop:
        save_settings(settings.replace(sync_folder=""))
        print("Stopped syncing; this machine's files in the folder are left as they are")
        return 0
    folder = None
    if args.folder is not None:
        folder = check_folder(Path(args.folder))
        if settings.sync_folder != str(folder):
            save_settings(settings.replace(sync_folder=str(folder)))
    report = sync_configured(folder)
    if report is None:
        raise UserError(NO_FOLDER)
    for notice in report.notices:
        print(f"psoas-tui: {safe(notice)}", file=sys.stderr)
    print(report.summary())
    return 0
