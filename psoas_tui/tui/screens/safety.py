"""The safety notice: shown once on first run, and again from help or the command palette.

On first run it opens the first-run flow (``firstrun.py``): the notice, then how cues should
reach you, then reminders. The answers are saved together with ``safety_acknowledged`` when the
last step is done; a config that has that key skips the whole flow.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from psoas_tui.errors import UserError
from psoas_tui.safety import SAFETY_FOOTER, SAFETY_POINTS, SAFETY_TITLE
from psoas_tui.tui.screens.base import PsoasModal
from psoas_tui.tui.screens.firstrun import CueStep, FirstRunStep, ReminderStep, StepDone, flow_cue_styles

__all__ = ["SAFETY_FOOTER", "SAFETY_POINTS", "SAFETY_TITLE", "SafetyScreen"]
SHORT_HEIGHT = 24


class SafetyScreen(PsoasModal[bool]):
    """The notice. On first run it must be acknowledged and the first-run steps follow; the
    answers and the acknowledgement are saved in the settings at the end."""

    CSS_PATH = "safety.tcss"
    # Below 24 lines the blank lines between the points go, so that at 60x20 every word of the
    # notice is on screen above the button (nothing to scroll to).
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (SHORT_HEIGHT, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "acknowledge", "I understand", id="safety_ok", show=True),
        Binding("escape", "close", "Close", id="safety_close", show=False),
    ]

    def __init__(self, first_run: bool = False) -> None:
        """``first_run``: Esc does not dismiss it, and acknowledging saves the setting."""
        super().__init__()
        self.first_run = first_run
        self._step = 0  # 0: the notice; then the index + 1 of the first-run step shown

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
        if self.first_run:
            yield from self._first_run_steps()

    def _first_run_steps(self) -> list[FirstRunStep]:
        from psoas_tui.builtins import voice

        settings = self.ctx.settings
        steps: list[FirstRunStep] = [
            CueStep(settings.cue_styles, voice.speaker_available(), id="firstrun-cues"),
            ReminderStep(settings.reminders, id="firstrun-reminders"),
        ]
        for step in steps:
            step.display = False
        return steps

    def on_mount(self) -> None:
        """Focus the button so Enter acknowledges."""
        self.query_one("#safety-ok", Button).focus()

    def _pages(self) -> list[Widget]:
        return [self.query_one("#safety-dialog"), *self.query(FirstRunStep)]

    def _show(self, step: int) -> None:
        """Show page ``step`` (0: the notice) and focus its button."""
        self._step = step
        for index, page in enumerate(self._pages()):
            page.display = index == step
        page = self._pages()[step]
        if isinstance(page, FirstRunStep):
            page.focus_next_button()
        else:
            self.query_one("#safety-ok", Button).focus()

    @on(Button.Pressed, "#safety-ok")
    def _pressed(self) -> None:
        self.action_acknowledge()

    def on_step_done(self, event: StepDone) -> None:
        event.stop()
        self.action_acknowledge()

    def action_acknowledge(self) -> None:
        """Go on to the next first-run step; after the last one save the answers and close.
        Not on first run: close."""
        if self.first_run:
            if self._step + 1 < len(self._pages()):
                self._show(self._step + 1)
                return
            self._save_answers()
            self.dismiss(True)
            return
        ctx = self.ctx
        if not ctx.settings.safety_acknowledged:
            try:
                ctx.save_settings(ctx.settings.replace(safety_acknowledged=True))
            except OSError as exc:
                self.app.notify(f"Could not save the settings: {exc}", severity="error", markup=False)
        self.dismiss(True)

    def _save_answers(self) -> None:
        """Save the first-run answers and ``safety_acknowledged`` in one write."""
        ctx = self.ctx
        cues = self.query_one(CueStep)
        new = ctx.settings.replace(
            safety_acknowledged=True,
            cue_styles=flow_cue_styles(ctx.settings.cue_styles, cues.chosen(), cues.offered()),
            reminders=self.query_one(ReminderStep).answer(),
        )
        try:
            ctx.save_settings(new)
        except (OSError, UserError) as exc:
            self.app.notify(f"Could not save the settings: {exc}", severity="error", markup=False)

    def action_close(self) -> None:
        """Close without acknowledging (only once it has been acknowledged before); in the
        first-run steps, go back one step."""
        if self.first_run:
            if self._step > 0:
                self._show(self._step - 1)
            else:
                self.app.bell()
            return
        self.dismiss(False)
