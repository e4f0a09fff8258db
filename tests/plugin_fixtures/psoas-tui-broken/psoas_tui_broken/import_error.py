"""Fails on import, as a plugin missing one of its dependencies would."""

import psoas_tui_broken_missing_dependency  # noqa: F401
