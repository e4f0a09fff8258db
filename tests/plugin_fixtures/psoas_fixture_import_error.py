"""A plugin whose import fails, as when it needs a package that is not installed."""

import psoas_tui_fixture_no_such_dependency  # noqa: F401
