"""The first-run steps after the safety notice: how cues reach you, and reminders.

``SafetyScreen(first_run=True)`` shows the notice, then these two steps in the same dialog
place; the answers are ordinary settings (``cue_styles`` and ``[reminders]``), saved together
with ``safety_acknowledged`` when the last step is done, so a config that has that key skips the
whole flow. Each step's "Continue" button has the focus: Enter keeps what is shown.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from psoas_tui.reminders.durations import DAY_NAMES, format_clock, format_duration
from psoas_tui.reminders.settings import ReminderSettings, hours_text
from psoas_tui.tui.overrides import TickBox

SPEAKERS = "espeak-ng, spd-say or say"
VOICE_MISSING = f"Voice: needs {SPEAKERS} (none found on this machine)"
FLOW_STYLES: tuple[tuple[str, str], ...] = (
    ("text", "Text: the time left and what to do, on screen"),
    ("bell", "Bell: the terminal bell when a step starts or the side switches"),
    ("voice", "Voice: spoken aloud with {speaker}"),
)
PRESET_EVERY = 50 * 60  # offered when the defaults set neither "every" nor "at"
CHANNEL_WORDS = {
    "bell": "bell",
    "osc": "terminal notification",
    "osc9": "terminal notification",
    "osc777": "terminal notification",
    "osc99": "terminal notification",
    "tmux": "tmux message",
    "notify-send": "desktop notification",
}


# -- what the steps offer (plain functions, tested on their own) ---------------------------


def flow_cue_styles(current: tuple[str, ...], chosen: set[str], offered: set[str]) -> tuple[str, ...]:
    """``current`` with the ``offered`` styles set to ``chosen``; the others (``title``,
    plugin styles, voice where it was not offered) kept as they are, in their order."""
    kept = [name for name in current if name not in offered or name in chosen]
    added = [name for name, _label in FLOW_STYLES if name in chosen & offered and name not in kept]
    return tuple(kept + added)


def offered_reminders(current: ReminderSettings) -> ReminderSettings:
    """The schedule the flow offers: ``current``, with ``every`` 50m when it sets no time."""
    if current.every is None and not current.at:
        return current._replace(every=PRESET_EVERY)
    return current


def days_text(days: tuple[int, ...]) -> str:
    """``(0, 1, 2, 3, 4)`` -> ``"Mon-Fri"``; other sets as a list (``"Mon, Wed"``)."""
    if not days:
        return "no days"
    if days == tuple(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{DAY_NAMES[days[0]].title()}-{DAY_NAMES[days[-1]].title()}"
    return ", ".join(DAY_NAMES[day].title() for day in days)


def when_text(reminders: ReminderSettings) -> str:
    """When reminders fall due: ``every 50m, 09:00-17:30 Mon-Fri``."""
    when = []
    if reminders.every is not None:
        when.append(f"every {format_duration(reminders.every)}")
    if reminders.at:
        when.append("at " + ", ".join(format_clock(minutes) for minutes in reminders.at))
    return f"{' and '.join(when) or 'never'}, {hours_text(reminders.hours)} {days_text(reminders.days)}"


def how_text(reminders: ReminderSettings) -> str:
    """What a reminder suggests and how it reaches you:
    ``suggests desk-break, by bell, terminal notification, tmux message``."""
    channels = list(dict.fromkeys(CHANNEL_WORDS.get(c, c) for c in reminders.channels))
    return f"suggests {reminders.routine}, by {', '.join(channels) or 'no channel'}"


# -- the steps -----------------------------------------------------------------------------


class StepDone(Message):
    """A step's Continue was pressed."""


class StepTickBox(TickBox, inherit_bindings=False):
    """A tick box that Space ticks and Enter leaves alone, so Enter always moves the flow on."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle_button", "Toggle", show=False)]


class FirstRunStep(Vertical):
    """A dialog with a title, the step's controls and a Continue button (focused)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "next_step", "Continue", show=False)]

    DEFAULT_CSS = """
    FirstRunStep {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    FirstRunStep > .step-title {
        text-style: bold;
        color: $accent;
        width: 1fr;
        content-align: center middle;
        padding: 0 0 1 0;
    }
    FirstRunStep > .step-text {
        margin-bottom: 1;
    }
    FirstRunStep > .step-hint {
        color: $text-muted;
        margin-top: 1;
    }
    FirstRunStep TickBox {
        width: 1fr;
        height: auto;
    }
    FirstRunStep #reminders-how {
        padding-left: 4;
    }
    FirstRunStep #voice-row {
        height: auto;
    }
    FirstRunStep #play-sample {
        margin-left: 2;
    }
    FirstRunStep > .step-buttons {
        height: auto;
        align: center middle;
        margin-top: 1;
    }
    """

    TITLE: ClassVar[str] = ""
    BUTTON: ClassVar[str] = "Continue"

    def compose(self) -> ComposeResult:
        yield Static(self.TITLE, classes="step-title", markup=False)
        yield from self.body()
        with Horizontal(classes="step-buttons"):
            yield Button(self.BUTTON, classes="step-next", variant="primary")

    def body(self) -> ComposeResult:
        """The step's controls."""
        yield from ()

    def focus_next_button(self) -> None:
        """Give the Continue button the focus (Enter keeps what is shown)."""
        self.query_one(".step-next", Button).focus()

    @on(Button.Pressed, ".step-next")
    def _next(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(StepDone())

    def action_next_step(self) -> None:
        """Enter on a tick box (or anywhere but another button) moves on, keeping what is shown."""
        self.post_message(StepDone())


class CueStep(FirstRunStep):
    """How should cues reach you: text, bell, and voice when a speaker is found."""

    TITLE = "How should cues reach you?"

    def __init__(self, enabled: tuple[str, ...], speaker: str | None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.enabled = enabled
        self.speaker = speaker

    def body(self) -> ComposeResult:
        yield Static(
            "While a routine runs, cues say when a step starts, when to switch sides and "
            "when you are done. Space ticks a box; Tab moves; Enter continues.",
            classes="step-text",
            markup=False,
        )
        for name, label in FLOW_STYLES:
            if name == "voice" and self.speaker is None:
                yield Static(VOICE_MISSING, id="voice-missing", classes="step-hint", markup=False)
                continue
            box = StepTickBox(label.format(speaker=self.speaker), name in self.enabled, compact=True,
                          id=f"cue-{name}")
            if name != "voice":
                yield box
                continue
            with Horizontal(id="voice-row"):
                yield box
                yield Button("Play a sample", id="play-sample", compact=True)
        yield Static("Change these any time in Settings (F4).", classes="step-hint", markup=False)

    def offered(self) -> set[str]:
        """The styles shown with a box."""
        return {name for name, _label in FLOW_STYLES if self.query(f"#cue-{name}")}

    def chosen(self) -> set[str]:
        """The ticked styles."""
        return {name for name in self.offered() if self.query_one(f"#cue-{name}", TickBox).value}

    @on(Button.Pressed, "#play-sample")
    def _sample(self, event: Button.Pressed) -> None:
        event.stop()
        self.run_worker(_play_sample, thread=True, group="voice-sample", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Say why the sample could not be played, if it could not."""
        if event.worker.group != "voice-sample":
            return
        problem = event.worker.result if event.state is WorkerState.SUCCESS else None
        if event.state is WorkerState.ERROR:
            problem = f"Could not play the sample: {event.worker.error}"
        if problem:
            self.app.notify(str(problem), title="Voice", severity="warning", markup=False)


def _play_sample() -> str | None:
    from psoas_tui.builtins import voice

    return voice.play_sample()


class ReminderStep(FirstRunStep):
    """Remind you to stretch: on or off, with the schedule in one line."""

    TITLE = "Remind you to stretch?"
    BUTTON = "Done"

    def __init__(self, reminders: ReminderSettings, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.current = reminders
        self.offered = offered_reminders(reminders)

    def body(self) -> ComposeResult:
        yield StepTickBox(f"Remind me {when_text(self.offered)}", self.offered.enabled, compact=True,
                      id="reminders-enabled")
        yield Static(how_text(self.offered), id="reminders-how", classes="step-text",
                     markup=False)
        yield Static(
            'Reminders reach you through "psoas-tui remind" (a tmux window, a systemd user '
            'service or cron) and "psoas-tui status" (tmux status bar, prompt); see the README, '
            '"Reminders". Change the schedule in Settings (F4).',
            classes="step-hint",
            markup=False,
        )

    def answer(self) -> ReminderSettings:
        """The offered schedule switched on when the box is ticked, else the current one off."""
        # The offered schedule is kept either way, so ticking "enabled" in Settings later gives
        # the reminders this step described.
        return self.offered._replace(enabled=self.query_one("#reminders-enabled", TickBox).value)
