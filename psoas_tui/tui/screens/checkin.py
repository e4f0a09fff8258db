"""The check-in after a session: how it felt before and after, tightness per side, a note.

Each 0-10 scale takes a digit key (``1`` then ``0`` quickly makes 10), the left / right
arrows or a click on a number; Backspace / Delete clear it again. Only the ASCII digits 0-9 are
ratings (``str.isdigit`` also accepts ``²``, a key on AZERTY keyboards). Up / down and tab move
between fields. Enter saves, Esc skips (the result is ``None``). The note is one line; control
characters in it (a paste can carry ESC) are dropped.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Click, Key
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from psoas_tui.model import CheckIn
from psoas_tui.text import drop_controls, safe
from psoas_tui.tui.screens.base import PsoasModal

SCALE_MAX = 10
START_VALUE = 5
DIGITS = "0123456789"
LABEL_WIDTH = 17  # the label column of a scale's line; the numbers follow, each after a space


def number_at(x: int) -> int | None:
    """The number drawn at column ``x`` of a scale's line (the space before it counts), else ``None``."""
    if x < LABEL_WIDTH:
        return None
    number = (x - LABEL_WIDTH) // 2
    if number < SCALE_MAX:
        return number
    return SCALE_MAX if x < LABEL_WIDTH + 2 * SCALE_MAX + 3 else None  # " 10" is three columns


class Scale(Widget, can_focus=True):
    """A 0-10 scale on one line: the label, the numbers with the chosen one lit, the value."""

    DEFAULT_CSS = """
    Scale {
        height: 1;
        width: 1fr;
    }
    Scale > .scale--label { color: $text-muted; }
    Scale:focus > .scale--label { color: $text; text-style: bold; }
    Scale > .scale--number { color: $text-muted; }
    Scale > .scale--chosen { color: $background; background: $accent; text-style: bold; }
    Scale:focus > .scale--chosen { background: $primary; color: $text; }
    """

    COMPONENT_CLASSES = {"scale--label", "scale--number", "scale--chosen"}

    BINDINGS = [
        Binding("left", "change(-1)", "Less", show=False, id="checkin.less"),
        Binding("right", "change(1)", "More", show=False, id="checkin.more"),
        Binding("backspace,delete", "clear", "Clear", show=False, id="checkin.clear"),
    ]

    value: reactive[int | None] = reactive(None)

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self._last_digit: str | None = None

    def action_change(self, delta: int) -> None:
        """Step the value; an unset scale starts from the middle."""
        self._last_digit = None
        if self.value is None:
            self.value = START_VALUE
        else:
            self.value = min(SCALE_MAX, max(0, self.value + delta))

    def action_clear(self) -> None:
        """No rating (as before anything was chosen)."""
        self._last_digit = None
        self.value = None

    def on_click(self, event: Click) -> None:
        """A click on a number sets it."""
        offset = event.get_content_offset(self)
        number = None if offset is None else number_at(offset.x)
        if number is not None:
            self._last_digit = None
            self.value = number

    def on_key(self, event: Key) -> None:
        """ASCII digits set the value; ``1`` then ``0`` makes 10."""
        if event.character is None or len(event.character) != 1 or event.character not in DIGITS:
            return
        event.stop()
        event.prevent_default()
        digit = event.character
        if digit == "0" and self._last_digit == "1" and self.value == 1:
            self.value = 10
            self._last_digit = None
            return
        self.value = int(digit)
        self._last_digit = digit

    def render(self) -> Text:
        """``Feeling before   0 1 2 … 10   7``."""
        label = self.get_component_rich_style("scale--label")
        text = Text(f"{self.label:<{LABEL_WIDTH}}", style=label, end="")
        number = self.get_component_rich_style("scale--number")
        chosen = self.get_component_rich_style("scale--chosen")
        for n in range(SCALE_MAX + 1):
            text.append(" ")
            text.append(str(n), chosen if n == self.value else number)
        shown = "–" if self.value is None else f"{self.value}/10"
        text.append(f"   {shown}", label)
        return text


class CheckInScreen(PsoasModal[CheckIn | None]):
    """Ask how the session felt; dismiss with a ``CheckIn``, or ``None`` when skipped."""

    CSS_PATH = "checkin.tcss"

    # Up / down are priority bindings so that the focus moves before the next key is handed
    # to a widget: keys that arrive in one burst (a paste, tmux send-keys) land in order.
    BINDINGS = [
        Binding("up", "app.focus_previous", "Previous field", show=False, priority=True, id="checkin.up"),
        Binding("down", "app.focus_next", "Next field", show=False, priority=True, id="checkin.down"),
        Binding("escape", "skip", "Skip", id="checkin.skip"),
        Binding("enter", "save", "Save", priority=False, id="checkin.save"),
    ]

    AUTO_FOCUS = "#feeling-before"

    def __init__(self, routine_title: str, *, sided: bool = False, status: str = "completed") -> None:
        super().__init__()
        self.routine_title = routine_title
        self.sided = sided
        self.status = status

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="checkin-box"):
            yield Label("How did that feel?", id="checkin-title")
            done = "Session complete" if self.status == "completed" else "Session stopped"
            yield Static(f"{done}: {escape(safe(self.routine_title))}", id="checkin-status")
            yield Scale("Feeling before", id="feeling-before")
            yield Scale("Feeling after", id="feeling-after")
            if self.sided:
                yield Scale("Tightness left", id="tightness-left")
                yield Scale("Tightness right", id="tightness-right")
            yield Input(placeholder="A note (optional)", max_length=500, id="checkin-note")
            yield Static(
                "0-9 or ← → rate (1 0 = 10) · ↑↓ move · Enter save · Esc skip", id="checkin-hint"
            )
            with Horizontal(id="checkin-buttons"):
                yield Button("Skip", id="checkin-skip-button", action="screen.skip")
                yield Button("Save", variant="primary", id="checkin-save-button", action="screen.save")

    def _scale(self, scale_id: str) -> int | None:
        found = self.query(f"#{scale_id}")
        return found.first(Scale).value if found else None

    def result(self) -> CheckIn:
        """The check-in as currently entered."""
        return CheckIn(
            feeling_before=self._scale("feeling-before"),
            feeling_after=self._scale("feeling-after"),
            tightness_left=self._scale("tightness-left"),
            tightness_right=self._scale("tightness-right"),
            note=drop_controls(self.query_one("#checkin-note", Input).value).strip(),
        )

    def action_save(self) -> None:
        """Save what was entered."""
        self.dismiss(self.result())

    def action_skip(self) -> None:
        """Skip the check-in."""
        self.dismiss(None)

    @on(Input.Submitted, "#checkin-note")
    def _note_submitted(self) -> None:
        self.action_save()
