"""Each place psoas-tui goes beneath Textual's public surface (``psoas_tui/tui/overrides.py``)
still matches the Textual installed, and still does what it is there for.

If one of these fails after a Textual upgrade, the override depends on something Textual changed:
read the new Textual source and adapt (or drop) the override; do not just relax the test.
"""

from __future__ import annotations

import inspect

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Checkbox, OptionList, ProgressBar
from textual.widgets._toggle_button import ToggleButton

from psoas_tui.tui.keys import app_bindings, declared_bindings
from psoas_tui.tui.overrides import RoutineList, SessionProgress, TickBox, applied_keymap, terminal_write


class Harness(App[None]):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, *widgets: object) -> None:
        super().__init__()
        self.widgets = widgets

    def compose(self) -> ComposeResult:
        yield from self.widgets  # type: ignore[misc]


# -- SessionProgress: ProgressBar.on_mount ----------------------------------------------------


def test_progress_bar_on_mount_still_starts_the_eta_timer() -> None:
    assert "on_mount" in ProgressBar.__dict__
    assert list(inspect.signature(ProgressBar.on_mount).parameters) == ["self"]
    assert "set_interval" in inspect.getsource(ProgressBar.on_mount)


async def test_session_progress_starts_no_timer_and_still_paints(monkeypatch) -> None:
    intervals: list[object] = []
    original = ProgressBar.set_interval

    def recording(self, *args, **kwargs):
        intervals.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ProgressBar, "set_interval", recording)
    plain = ProgressBar(total=10, show_eta=False, id="plain")
    ours = SessionProgress(total=10, show_eta=False, show_percentage=False, id="ours")
    app = Harness(plain, ours)
    async with app.run_test() as pilot:
        ours.update(progress=5)
        await pilot.pause()
        assert plain in intervals  # Textual's bar ticks every second...
        assert ours not in intervals  # ...ours does not
        assert ours.percentage == 0.5


# -- TickBox: ToggleButton.BUTTON_INNER ------------------------------------------------------


def test_toggle_button_still_draws_button_inner() -> None:
    assert isinstance(ToggleButton.__dict__["BUTTON_INNER"], str)
    assert "self.BUTTON_INNER" in inspect.getsource(ToggleButton._button.fget)
    assert issubclass(TickBox, Checkbox)


async def test_tickbox_shows_an_empty_box_when_unticked() -> None:
    ticked, unticked = TickBox("a", value=True, id="on"), TickBox("b", value=False, id="off")
    plain = Checkbox("c", value=False, id="plain")
    app = Harness(ticked, unticked, plain)
    async with app.run_test():
        assert "▐X▌" in ticked.render().plain
        assert "▐ ▌" in unticked.render().plain
        assert "▐X▌" in plain.render().plain  # Textual's own: the same X either way


# -- App._driver and App._keymap -------------------------------------------------------------


async def test_the_driver_still_has_write_and_headless_writes_nothing() -> None:
    app = Harness()
    assert app._driver is None
    async with app.run_test():
        assert callable(app._driver.write)
        terminal_write(app, "\x1b]2;title\x07")  # headless: dropped, no error


def test_the_keymap_is_kept_in_long_form() -> None:
    app = Harness()
    assert applied_keymap(app) == {}
    app.set_keymap({"help": "?,f1"})
    assert applied_keymap(app) == {"help": "question_mark,f1"}


def test_app_bindings_follow_the_keymap() -> None:
    class Remappable(Harness):
        BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit")]

    app = Remappable()
    assert "ctrl+q" in declared_bindings(Remappable).key_to_bindings
    app.set_keymap({"quit": "f10"})
    bindings = app_bindings(app).key_to_bindings
    assert "f10" in bindings and "ctrl+q" not in bindings


# -- RoutineList: OptionList._update_lines, _clear_caches, _heights, _on_click ----------------


def test_option_list_still_has_the_members_routine_list_relies_on() -> None:
    for name in ("_update_lines", "_clear_caches", "_on_click", "_on_resize"):
        assert callable(OptionList.__dict__[name]), name
    assert isinstance(OptionList.__dict__["_heights"], property)
    clear = inspect.getsource(OptionList._clear_caches)
    assert "_option_render_cache.clear()" in clear and "_line_cache.clear()" in clear
    assert "_clear_caches" in inspect.getsource(OptionList._on_resize)  # a resize clears them...
    assert "action_select" in inspect.getsource(OptionList._on_click)  # ...one click selects


async def test_routine_list_measures_rows_again_when_its_scrollbar_appears() -> None:
    """Rows measured before the scrollbar took two columns: Textual's list keeps the stale
    heights (its second line is lost), ours measures again. If Textual starts doing this itself,
    the first assertion fails and the override can go."""
    plain, ours = OptionList(id="plain"), RoutineList(id="ours")
    for widget in (plain, ours):
        widget.styles.width = 40
        widget.styles.height = 8
    app = Harness(plain, ours)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        width = ours.scrollable_content_region.width
        assert width == plain.scrollable_content_region.width and not ours.show_vertical_scrollbar
        title = "x" * (width - 1)  # fits on one line, until a scrollbar takes two columns
        for widget in (plain, ours):
            widget.add_options(f"{title}\ninfo" for _ in range(12))
        await pilot.pause()
        await pilot.pause()
        assert ours.show_vertical_scrollbar and plain.show_vertical_scrollbar
        heights = lambda widget: [widget._heights[i] for i in range(widget.option_count)]  # noqa: E731
        assert set(heights(plain)) == {2}  # stale: measured at the width without the scrollbar
        assert set(ours.row_heights()) == {3}


async def test_routine_list_one_click_highlights_two_select() -> None:
    selected: list[int] = []

    class Listening(Harness):
        def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
            selected.append(event.option_index)

    ours = RoutineList("one", "two", id="ours")
    app = Listening(ours)
    async with app.run_test() as pilot:
        await pilot.click(ours, offset=(3, 2))  # inside the border: the second option
        await pilot.pause()
        assert ours.highlighted == 1 and selected == []
        await pilot.click(ours, offset=(3, 2), times=2)
        await pilot.pause()
        assert selected == [1]
