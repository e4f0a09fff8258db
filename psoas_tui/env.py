"""The environment variables psoas-tui reads, each named once.

Every ``PSOAS_TUI_*`` name is defined here and imported where it is read, so docs, messages
and tests all spell it the same way. This module imports nothing, so even the CLI's fast path
(``psoas_tui.cli``) may use it.
"""

from __future__ import annotations

import os

CONFIG_DIR = "PSOAS_TUI_CONFIG_DIR"  # folder of config.toml (else the platform's config folder)
DATA_DIR = "PSOAS_TUI_DATA_DIR"  # folder of the history and the user's routines
NO_PLUGINS = "PSOAS_TUI_NO_PLUGINS"  # load the built-in plugins only (the CLI's --no-plugins)
DISABLE_PLUGINS = "PSOAS_TUI_DISABLE_PLUGINS"  # comma-separated plugin names to block
PLUGIN_TIMEOUT = "PSOAS_TUI_PLUGIN_TIMEOUT"  # seconds a plugin's import or hook call may take
TIME_SCALE = "PSOAS_TUI_TIME_SCALE"  # session seconds per real second (tests and demos)
VOICE_WAV_DIR = "PSOAS_TUI_VOICE_WAV_DIR"  # the voice style writes WAV files here instead of playing

ALL = (CONFIG_DIR, DATA_DIR, NO_PLUGINS, DISABLE_PLUGINS, PLUGIN_TIMEOUT, TIME_SCALE, VOICE_WAV_DIR)


def disabled_plugins() -> set[str]:
    """Plugin names listed in ``PSOAS_TUI_DISABLE_PLUGINS`` (comma separated)."""
    raw = os.environ.get(DISABLE_PLUGINS, "")
    return {name.strip() for name in raw.split(",") if name.strip()}
