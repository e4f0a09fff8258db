"""``TickBox`` lives in ``psoas_tui.tui.overrides`` with Textual's other overrides."""

from psoas_tui.tui.overrides import TICKED, UNTICKED, TickBox

__all__ = ["TICKED", "UNTICKED", "TickBox"]
