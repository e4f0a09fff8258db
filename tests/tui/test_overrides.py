"""Each place psoas-tui goes beneath Textual's public surface (``psoas_tui/tui/overrides.py``)
still matches the Textual installed, and still does what it is there for.

If one of these fails after a Textual upgrade, the override depends on something Textual changed:
read the new Textual source and adapt (or drop) the override; do not just relax the test.
"""

from __future__ import annotations

import inspect

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Checkbox, ProgressBar
from textual.widgets._toggle_button import ToggleButton

from psoas_tui.tui.keys import app_bindings, declared_bindings
from psoas_tui.tui.overrides import SessionProgress, TickBox, applied_keymap, terminal_write


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
