"""The choose screen: every routine, filtered as you type, with a detail pane; Enter starts one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from psoas_tui.errors import UserError
from psoas_tui.labels import short_source_label
from psoas_tui.labels import source_label as label_of
from psoas_tui.practice.timeline import OWN_PACE, Timeline, follows_setting, step_breath
from psoas_tui.text import format_seconds, plural, safe
from psoas_tui.tui.host import services
from psoas_tui.tui.overrides import RoutineList, applied_keymap
from psoas_tui.tui.screens.base import PsoasScreen
from psoas_tui.tui.widgets.footer import FittingFooter
from psoas_tui.tui.widgets.reminder_banner import ReminderBanner
from psoas_tui.tui.widgets.step_figure import StepFigure

if TYPE_CHECKING:
    from psoas_tui.figures.library import Figures
    from psoas_tui.model import BreathPattern, Routine, Step


def source_label(routine: Routine) -> str:
    """Where a routine came from, in the words the whole TUI uses (``psoas_tui.labels``)."""
    return label_of(routine.source)


def origin_label(routine: Routine) -> str:
    """The detail pane's "From" line: the source label, plus the file for your routines."""
    where = source_label(routine)
    if routine.source.kind == "user" and routine.source.path:
        where += f" ({safe(routine.source.path)})"
    return where


def short_origin(routine: Routine) -> str:
    """The pack for the list: "built-in", "your routines" or the plugin's name."""
    return short_source_label(routine.source)


def matches(routine: Routine, query: str) -> bool:
    """True when every word of ``query`` is found in the title, a tag, the level or the id."""
    haystack = " ".join((routine.title, routine.level, routine.id, *routine.tags, source_label(routine)))
    haystack = haystack.lower()
    return all(word in haystack for word in query.lower().split())


def setting_breath(settings: Any) -> BreathPattern | None:
    """The user's breath setting as a pattern (None when it is not a valid one)."""
    from psoas_tui.routines import parse_breath

    try:
        return parse_breath(settings.breath)
    except ValueError:
        return None


def timeline_of(routine: Routine, settings: Any) -> Timeline:
    """The routine's timeline with the user's get-ready, switch and breath settings."""
    from psoas_tui.practice.settings import timeline_for

    return timeline_for(routine, settings)


def total_label(timeline: Timeline) -> str:
    """``"2:15"`` plus the sets done at one's own pace, if any."""
    label = format_seconds(timeline.total_seconds)
    count = timeline.manual_count
    if count:
        label += f" + {plural(count, 'set')} at your pace"
    return label


def step_body(step: Step, default_breath: BreathPattern | None = None) -> Content:
    """One step of the detail pane's timeline: title, then time, sides, reps and breath
    (``default_breath``, the user's setting, for the steps that follow it)."""
    parts: list[str] = [step.kind.value]
    if step.manual:
        parts.append(f"x{step.count} at your pace")
    elif step.seconds:
        parts.append(format_seconds(step.seconds))
    if step.sides:
        parts.append(" then ".join(side.upper() for side in step.sides))
    if step.reps > 1:
        rest = f", {step.rest_seconds} s rest" if step.rest_seconds else ""
        parts.append(f"{plural(step.reps, 'round')}{rest}")
    breath = step_breath(step, default_breath)
    if breath:
        parts.append(f"breath {breath}" + (" (your setting)" if follows_setting(step) else ""))
    return Content.assemble((safe(step.title), "bold"), "\n", (" · ".join(parts), "$text-muted"))


def detail_head(routine: Routine, timeline: Timeline) -> Content:
    """The top of the detail pane: title, summary, level, total, steps and tags."""
    lines: list[Content] = [
        Content.styled(safe(routine.title), "bold $accent"),
        Content(safe(routine.summary)),
        Content.assemble(
            ("Level ", "dim"), safe(routine.level),
            ("  Total ", "dim"), total_label(timeline),
            ("  Steps ", "dim"), str(len(routine.steps)),
        ),
    ]
    if routine.tags:
        lines.append(Content.assemble(("Tags ", "dim"), safe(", ".join(routine.tags))))
    lines.append(Content(""))
    lines.append(Content.styled("Steps", "bold underline"))
    return Content("\n").join(lines)


def detail_tail(routine: Routine) -> Content:
    """The bottom of the detail pane: cautions, sources and where the routine came from."""
    lines: list[Content] = []
    if routine.cautions:
        lines.append(Content(""))
        lines.append(Content.styled("Cautions", "bold underline $warning"))
        lines.extend(Content.assemble(("• ", "$warning"), safe(caution)) for caution in routine.cautions)
    if routine.sources:
        lines.append(Content(""))
        lines.append(Content.styled("Sources", "bold underline"))
        lines.extend(Content.assemble("• ", safe(source)) for source in routine.sources)
    lines.append(Content(""))
    origin = origin_label(routine)
    lines.append(Content.assemble(("From ", "dim"), origin, ("  id ", "dim"), safe(routine.id)))
    return Content("\n").join(lines)


class StepRow(Horizontal):
    """A numbered step with a hanging indent: wrapped lines stay under the title, not the number;
    the step's small figure (if it has one) under its text."""

    DEFAULT_CSS = """
    StepRow { height: auto; }
    StepRow > .step-number { width: 4; color: $text-muted; }
    StepRow > .step-text { width: 1fr; height: auto; }
    StepRow .step-body { width: 1fr; }
    """

    def __init__(self, number: int, step: Step, routine: Routine | None = None) -> None:
        super().__init__()
        self.number = number
        self._step = step
        self._routine = routine

    def compose(self) -> ComposeResult:
        yield Static(f"{self.number:>2}.", classes="step-number", markup=False)
        with Vertical(classes="step-text"):
            yield Static(self.body(), classes="step-body", markup=False)
            yield StepFigure()

    def on_mount(self) -> None:
        """Draw the figure after the first frame: reading the pose files then never delays the
        routine list and its text from reaching the screen."""
        self.call_after_refresh(self._show_figure)

    def update(self, number: int, step: Step, routine: Routine | None = None) -> None:
        """Show another step in this row."""
        self.number, self._step, self._routine = number, step, routine
        if self.is_mounted and self.children:
            self.query_one(".step-number", Static).update(f"{number:>2}.")
            self.query_one(".step-body", Static).update(self.body())
            self._show_figure()

    def _show_figure(self) -> None:
        figures = self.query(StepFigure)
        if not self.is_attached or not figures:  # being removed (the list moved on) before its
            return  # first frame: detached, or its children already gone
        figure = figures.first()
        screen = self.screen
        if self._routine is None or not isinstance(screen, ChooseScreen):
            figure.display = False
            return
        figure.show(self._routine, self.number - 1, screen.figures())

    def body(self) -> Content:
        """The step's text, paced by the user's breath setting where it follows it."""
        return step_body(self._step, setting_breath(services(self.app).settings))


def option_prompt(routine: Routine, timeline: Timeline) -> Content:
    """A list entry: the title, then level, total time and where it came from."""
    total = format_seconds(timeline.total_seconds) + (OWN_PACE if timeline.manual_count else "")
    meta = f"{safe(routine.level)} · {total} · {short_origin(routine)}"
    return Content.assemble((safe(routine.title), "bold"), "\n", (meta, "$text-muted"))


class FilterInput(Input):
    """The filter box. ``?`` is never typed into it: it opens help (the app's ``help`` key), as
    everywhere else; no id, tag or level holds a ``?``."""

    HELP_CHARACTER = "?"

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Leave ``?`` to the app's bindings (help)."""
        return character != self.HELP_CHARACTER and super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        # Input's own handler (which types the key) runs next, unless the default is prevented;
        # the key still bubbles up to the app, whose help binding gets it.
        if event.character == self.HELP_CHARACTER:
            event.prevent_default()


class ChooseScreen(PsoasScreen[None]):
    """Pick a routine: type to filter, arrows to move, Enter to start."""

    AUTO_FOCUS = "#filter"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start", id="start", priority=True),
        Binding("down", "cursor(1)", "Move down the list", id="choose_down", show=False),
        Binding("up", "cursor(-1)", "Move up the list", id="choose_up", show=False),
        Binding("escape", "clear_filter", "Clear filter", id="clear_filter", show=False),
        # Answers to a due reminder (the banner): Ctrl+letters that no text field or list
        # takes, so typing into the filter and Enter on the list are never taken from it.
        Binding("ctrl+t", "reminder('start')", "Reminder: start it", id="reminder_start", show=False),
        Binding("ctrl+n", "reminder('snooze')", "Reminder: snooze", id="reminder_snooze", show=False),
        Binding("ctrl+o", "reminder('skip')", "Reminder: skip", id="reminder_skip", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._routines: list[Routine] = []
        self._shown: list[Routine] = []
        self._timelines: dict[str, Timeline] = {}
        self._detail_of: Routine | None = None
        self._figures: Figures | None = None  # with the plugins' (set once the library is in)
        self.loaded = False  # True once the full library (with plugin routines) is listed

    def compose(self) -> ComposeResult:
        """Filter above the list, the detail pane beside (or below, when narrow)."""
        yield Header(icon="")
        yield ReminderBanner(key_label=self.key_label, id="reminder-banner")
        with Horizontal(id="choose-body"):
            with Vertical(id="choose-left"):
                filter_input = FilterInput(
                    placeholder="Filter: title, tag, level", id="filter", select_on_focus=False
                )
                filter_input.set_reactive(Input.cursor_blink, False)  # no needless repaints
                yield filter_input
                yield RoutineList(Option("Loading routines…", disabled=True), id="routines")
            with VerticalScroll(id="detail", can_focus=True):
                yield Static("", id="detail-body", markup=False)
                yield Vertical(id="detail-steps")
                yield Static("", id="detail-tail", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """List the built-in and user routines at once (a few small files, no plugin discovery),
        then, after the first frame is painted, load the full library in a thread worker."""
        self.query_one("#routines").border_title = "Routines"
        self.query_one("#detail").border_title = "Details"
        self._routines = list(self.ctx.local_library)
        self._refresh_list()
        self.call_after_refresh(self._load)

    def on_screen_resume(self) -> None:
        """Back from a run or the settings: totals may have changed with the settings, and a
        session (or new reminder settings) may have answered the reminder."""
        if self.loaded or self._routines:
            self._refresh_list()
        banner = self.query_one(ReminderBanner)
        if banner.is_mounted:
            banner.check()

    @property
    def banner(self) -> ReminderBanner:
        """The reminder banner (hidden while nothing is due)."""
        return self.query_one(ReminderBanner)

    def key_label(self, binding_id: str) -> str:
        """The first key bound to ``binding_id`` now (``[keys]`` remaps applied), as shown."""
        keymap = applied_keymap(self.app)
        binding = next(b for b in Binding.make_bindings(self.BINDINGS) if b.id == binding_id)
        key = keymap.get(binding_id, binding.key).split(",")[0].strip()
        return self.app.get_key_display(Binding(key, binding.action))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The reminder keys act only while the banner shows a reminder."""
        if action == "reminder":
            return self.banner.due is not None
        return True

    def action_reminder(self, answer: str) -> None:
        """Start, snooze or skip the reminder the banner shows."""
        banner = self.banner
        {"start": banner.start, "snooze": banner.snooze, "skip": banner.skip}[answer]()

    @work(thread=True, exclusive=True, group="load-library")
    def _load(self) -> None:
        routines = list(self.host.load_library())
        try:
            figures = self.ctx.figures  # plugins' pose files read here, off the app thread
        except UserError:
            figures = self._no_figures()
        self.app.call_from_thread(self._loaded, routines, figures)

    def _loaded(self, routines: list[Routine], figures: Figures | None = None) -> None:
        """The full library is in: merge it into the list, keeping the filter and the cursor."""
        self._routines = routines
        self._figures = figures
        self.loaded = True
        self._refresh_list()
        self.host.report_problems()

    def timeline(self, routine: Routine) -> Timeline:
        """The (cached) timeline of ``routine`` with the current settings."""
        settings = self.ctx.settings
        key = f"{routine.id}|{settings.get_ready_seconds}|{settings.switch_seconds}|{settings.breath}"
        if key not in self._timelines:
            self._timelines[key] = timeline_of(routine, settings)
        return self._timelines[key]

    @property
    def shown(self) -> list[Routine]:
        """The routines the filter lets through, in list order."""
        return list(self._shown)

    @property
    def highlighted_routine(self) -> Routine | None:
        """The routine under the cursor, if any."""
        index = self.query_one("#routines", OptionList).highlighted
        if index is None or not 0 <= index < len(self._shown):
            return None
        return self._shown[index]

    def _refresh_list(self) -> None:
        query = self.query_one("#filter", Input).value
        option_list = self.query_one("#routines", OptionList)
        previous = self.highlighted_routine
        self._shown = [r for r in self._routines if matches(r, query)]
        option_list.border_title = f"Routines {len(self._shown)}/{len(self._routines)}"
        option_list.clear_options()
        if self._shown:
            option_list.add_options(
                Option(option_prompt(r, self.timeline(r)), id=r.id) for r in self._shown
            )
            index = next((i for i, r in enumerate(self._shown) if previous and r.id == previous.id), 0)
            option_list.highlighted = index
        elif self._routines:
            option_list.add_option(Option(Content.assemble("No routine matches ", (safe(query), "italic")),
                                          disabled=True))
        elif not self.loaded:
            option_list.add_option(Option("Loading routines…", disabled=True))
        else:
            from psoas_tui import paths

            option_list.add_option(Option(
                Content.assemble("No routines yet. Put routine .toml files in ",
                                 (str(paths.user_routines_dir()), "italic")),
                disabled=True,
            ))
        self._show_detail()

    def _show_detail(self) -> None:
        body = self.query_one("#detail-body", Static)
        routine = self.highlighted_routine
        previous, self._detail_of = self._detail_of, routine
        if routine is None:
            body.update("Nothing to show." if self.loaded else "Loading…")
            self._show_steps(())
            self.query_one("#detail-tail", Static).update("")
            return
        body.update(detail_head(routine, self.timeline(routine)))
        self._show_steps(routine.steps, routine)
        self.query_one("#detail-tail", Static).update(detail_tail(routine))
        if routine != previous:  # the same routine again (plugins merged in): keep the scroll
            self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    def _show_steps(self, steps: tuple[Step, ...], routine: Routine | None = None) -> None:
        """One ``StepRow`` per step, reusing the rows already mounted."""
        container = self.query_one("#detail-steps", Vertical)
        rows = list(container.query_children(StepRow))
        for number, (row, step) in enumerate(zip(rows, steps, strict=False), 1):
            row.update(number, step, routine)
        if len(rows) > len(steps):
            for row in rows[len(steps):]:
                row.remove()
        elif len(steps) > len(rows):
            container.mount_all(StepRow(number, step, routine) for number, step in enumerate(steps, 1)
                                if number > len(rows))

    def figures(self) -> Figures:
        """The pose figures for the detail pane: the built-in ones until the full library (and
        with it the plugin host) is loaded, then the plugins' too (read by the loading worker,
        never on the app thread). A broken pack shows no figures."""
        from psoas_tui.figures.library import builtin_figures

        if self._figures is not None:
            return self._figures
        try:
            return builtin_figures()
        except UserError:
            return self._no_figures()

    @staticmethod
    def _no_figures() -> Figures:
        from psoas_tui.figures.library import Figures, PoseLibrary

        return Figures(PoseLibrary())

    def detail_text(self) -> str:
        """The detail pane as plain text (what a reader sees, without the wrapping)."""
        parts = [str(self.query_one("#detail-body", Static).visual)]
        for row in self.query_one("#detail-steps", Vertical).query_children(StepRow):
            parts.append(f"{row.number:>2}. {row.body()}")
        parts.append(str(self.query_one("#detail-tail", Static).visual))
        return "\n".join(part for part in parts if part)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refresh_list()

    @on(OptionList.OptionHighlighted, "#routines")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#routines")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_start()

    @on(Input.Submitted, "#filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def on_key(self, event: events.Key) -> None:
        """Typing while the list or the detail pane has focus goes to the filter: it takes the
        focus and the character. ``?`` is left to the app (help), in the filter box too."""
        character = event.character
        filter_input = self.query_one("#filter", Input)
        if not event.is_printable or not character or character == "?" or self.focused is filter_input:
            return
        event.stop()
        event.prevent_default()
        filter_input.focus()
        filter_input.cursor_position = len(filter_input.value)
        filter_input.insert_text_at_cursor(character)

    def action_cursor(self, delta: int) -> None:
        """Move the list cursor while typing in the filter."""
        option_list = self.query_one("#routines", OptionList)
        if delta > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_clear_filter(self) -> None:
        """Empty the filter (Esc)."""
        self.query_one("#filter", Input).value = ""

    def action_start(self) -> None:
        """Start the highlighted routine."""
        routine = self.highlighted_routine
        if routine is None:
            self.app.bell()
            return
        self.host.start(routine)
