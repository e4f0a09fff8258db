"""Where psoas-tui keeps its config, history and user routines.

``PSOAS_TUI_CONFIG_DIR`` and ``PSOAS_TUI_DATA_DIR`` override the platform folders (tests,
portable installs). Nothing is created here; callers create what they write into.
"""

from __future__ import annotations

import os
from pathlib import Path

from psoas_tui.env import CONFIG_DIR as CONFIG_ENV
from psoas_tui.env import DATA_DIR as DATA_ENV

APP_NAME = "psoas-tui"


def config_dir() -> Path:
    """The folder holding ``config.toml``."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    """The folder holding the history database and the user's routines."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def looks_like_path(text: str) -> bool:
    """True for a file name rather than a routine or pose id (ids are slugs: no dots, no slashes)."""
    return text.endswith(".toml") or "/" in text or "\\" in text


def config_file() -> Path:
    """The settings file."""
    return config_dir() / "config.toml"


def history_file() -> Path:
    """The SQLite history database."""
    return data_dir() / "history.sqlite3"


def user_routines_dir() -> Path:
    """The folder where the user's own routine TOML files live."""
    return data_dir() / "routines"
