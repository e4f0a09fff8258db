"""Where psoas-tui keeps its config, history and user routines.

``PSOAS_TUI_CONFIG_DIR`` and ``PSOAS_TUI_DATA_DIR`` override the platform folders (tests,
portable installs). Nothing is created here; callers create what they write into.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "psoas-tui"
CONFIG_ENV = "PSOAS_TUI_CONFIG_DIR"
DATA_ENV = "PSOAS_TUI_DATA_DIR"


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


def config_file() -> Path:
    """The settings file."""
    return config_dir() / "config.toml"


def history_file() -> Path:
    """The SQLite history database."""
    return data_dir() / "history.sqlite3"


def user_routines_dir() -> Path:
    """The folder where the user's own routine TOML files live."""
    return data_dir() / "routines"
