"""A plugin whose import never finishes on its own: it waits on a gate nobody opens.

``plugin_fixtures.hang_gate.RELEASE`` is set only by a test's teardown, so the hung import
thread can end; while the test runs, the import hangs as a real broken plugin would.
"""

from plugin_fixtures.hang_gate import RELEASE

RELEASE.wait()

from psoas_tui.api import hookimpl  # noqa: E402


@hookimpl
def psoas_tui_routines() -> list[object]:
    return []
