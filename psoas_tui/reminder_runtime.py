"""What the reminder commands share: the local clock, the settings, the history snapshot.

Kept light for ``psoas-tui status`` (no argparse, no Textual, no plugins, no platformdirs when
the folders are given): the good case reads config.toml with ``tomllib`` and the history with
one read-only connection; a bad config.toml is re-read by ``psoas_tui.config`` so the error is
exactly the one every other command gives (file:line: field).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from psoas_tui import env
from psoas_tui.reminders.events import EventLog, ReminderSnapshot, open_read_only, read_snapshot
from psoas_tui.reminders.schedule import ReminderState, reminder_state
from psoas_tui.reminders.settings import ReminderFieldError, ReminderSettings, reminders_from_dict

Now = Callable[[], datetime]
MAX_CONFIG_BYTES = 1024 * 1024
BUSY_TIMEOUT_MS = 15_000  # how long a write waits for another copy's lock (the store's own)


def local_zone() -> tzinfo:
    """The computer's time zone as a ``ZoneInfo`` when it can be named (``$TZ`` or
    /etc/localtime), so future days' working hours are right across a DST change; else the
    current fixed offset."""
    try:
        from zoneinfo import ZoneInfo

        name = os.environ.get("TZ", "").lstrip(":")
        if not name:
            target = os.path.realpath("/etc/localtime")
            marker = "/zoneinfo/"
            name = target.split(marker, 1)[1] if marker in target else ""
        if name:
            return ZoneInfo(name)
    except (ImportError, ValueError, OSError, KeyError):
        pass
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def system_now() -> datetime:
    """Now, in the computer's named time zone."""
    return datetime.now(local_zone())


def _folder(override: str, xdg: str, default: str, which: str) -> str:
    """``psoas_tui.paths``' folder as a string, without pathlib or platformdirs on Linux
    (the same rule: the override, else ``$XDG_…`` or its default, then ``psoas-tui``)."""
    chosen = os.environ.get(override)
    if chosen:
        return os.path.expanduser(chosen)
    if sys.platform.startswith("linux"):
        base = os.environ.get(xdg, "").strip() or os.path.expanduser(default)
        return os.path.join(base, "psoas-tui")
    from psoas_tui import paths

    return str(getattr(paths, which)())


def config_file() -> str:
    """config.toml (``psoas_tui.paths.config_file``), found cheaply."""
    folder = _folder(env.CONFIG_DIR, "XDG_CONFIG_HOME", "~/.config", "config_dir")
    return os.path.join(folder, "config.toml")


def data_folder() -> str:
    """The data folder (``psoas_tui.paths.data_dir``), found cheaply."""
    return _folder(env.DATA_DIR, "XDG_DATA_HOME", "~/.local/share", "data_dir")


def history_file() -> str:
    """The history database (``psoas_tui.paths.history_file``), found cheaply."""
    return os.path.join(data_folder(), "history.sqlite3")


def open_event_log(now: Now) -> Any:
    """What ``remind`` reads and records reminder events with: an ``EventLog`` on the history
    file when it is up to date (the common case: no ``psoas_tui.history.store`` import), else
    ``HistoryStore.open`` (creating or migrating the file, or wording why it cannot)."""
    log = EventLog.open(history_file(), BUSY_TIMEOUT_MS)
    if log is not None:
        return log
    from psoas_tui.history.store import HistoryStore

    return HistoryStore.open(now=now)


def load_reminder_settings(path: str | None = None) -> ReminderSettings:
    """The ``[reminders]`` table of config.toml (defaults when there is none).

    A config.toml that cannot be read or holds a bad value anywhere raises the ``ConfigError``
    ``psoas_tui.config.load_settings`` gives (file, line, field).
    """
    import tomllib

    path = path or config_file()
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES or not os.path.isfile(path):
            raise ValueError("not a small regular file")
        data = tomllib.loads(raw.decode("utf-8-sig"))
        return reminders_from_dict(data.get("reminders", {}))
    except FileNotFoundError:
        return ReminderSettings()
    except (OSError, ValueError, ReminderFieldError):  # unreadable, not UTF-8 or TOML, a bad value
        pass
    from pathlib import Path

    from psoas_tui.config import load_settings  # the full reader words the error

    return load_settings(Path(path)).reminders


def read_history(now: datetime, path: str | None = None) -> ReminderSnapshot:
    """The snapshot from the history file, read-only; an empty one when there is no file.

    A file that cannot be read is a ``UserError`` naming it.
    """
    import sqlite3

    path = path or history_file()
    try:
        conn = open_read_only(path)
        if conn is None:
            return ReminderSnapshot()
        try:
            return read_snapshot(conn, now)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        from psoas_tui.errors import UserError

        raise UserError(f"{path}: cannot read the history: {exc}") from None


def current_state(
    settings: ReminderSettings, now: datetime, snapshot: ReminderSnapshot
) -> ReminderState:
    """``reminder_state`` for the snapshot's facts."""
    return reminder_state(settings, now, snapshot.facts)
