"""``python -m psoas_tui``."""

from psoas_tui.cli import entry

entry()
