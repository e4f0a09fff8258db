"""The safety notice: shown once on first run, and again from help or the command palette."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from psoas_tui.safety import SAFETY_FOOTER, SAFETY_POINTS, SAFETY_TITLE

__all__ = ["SAFETY_FOOTER", "SAFETY_POINTS", "SAFETY_TITLE", "SafetyScreen"]
SHORT_HEIGHT = 24


class SafetyScreen(ModalScreen[bool]):
    """The notice. On first run it must be acknowledged, and that is saved in the settings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "acknowledge", "I understand", id="safety_ok", show=True),
        Binding("escape", "close", "Close", id="safety_close", show=False),
    ]

    def __init__(self, first_run: bool = False) -> None:
        """``first_run``: Esc does not dismiss it, and acknowledging saves the setting."""
        super().__init__()
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        """Title, the points, and one button."""
        with Vertical(id="safety-dialog"):
            yield Static(SAFETY_TITLE, id="safety-title", markup=False)
            with VerticalScroll(id="safety-text"):
                for point in SAFETY_POINTS:
                    yield Static(f"• {point}", classes="safety-point", markup=False)
                yield Static(SAFETY_FOOTER, classes="safety-hint", markup=False)
            with Horizontal(id="safety-buttons"):
                label = "I understand" if self.first_run else "Close"
                yield Button(label, id="safety-ok", variant="primary")

    def on_mount(self) -> None:
        """Focus the button so Enter acknowledges."""
        self.query_one("#safety-ok", Button).focus()

    def on_resize(self) -> None:
        """Below 24 lines the blank lines between the points go, so that at 60x20 every word
        of the notice is on screen above the button (nothing to scroll to)."""
        self.set_class(self.size.height < SHORT_HEIGHT, "-short")

    @on(Button.Pressed, "#safety-ok")
    def _pressed(self) -> None:
        self.action_acknowledge()

    def action_acknowledge(self) -> None:
        """Save that the notice was read (first run) and close."""
        ctx = getattr(self.app, "ctx", None)
        if ctx is not None and not ctx.settings.safety_acknowledged:
            try:
                ctx.save_settings(ctx.settings.replace(safety_acknowledged=True))
            except OSError as exc:
                self.app.notify(f"Could not save the settings: {exc}", severity="error", markup=False)
        self.dismiss(True)

    def action_close(self) -> None:
        """Close without acknowledging (only once it has been acknowledged before)."""
        if self.first_run:
            self.app.bell()
            return
        self.dismiss(False)
