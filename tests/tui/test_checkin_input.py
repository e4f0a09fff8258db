"""Check-in input (issue 9, item 11, and item 1 for notes): only ASCII 0-10 are ratings, in the
app and in plain mode; a rating can be cleared again (Backspace / Delete); clicking a number sets
it; control characters in a typed or pasted note are dropped."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input

from psoas_tui.model import CheckIn
from psoas_tui.practice.recorder import ask_checkin, parse_rating
from psoas_tui.tui.screens.checkin import CheckInScreen, Scale, number_at

_NOTHING = object()


class CheckInApp(App[None]):
    """Shows one check-in and keeps what it returned."""

    def __init__(self) -> None:
        super().__init__()
        self.result: Any = _NOTHING

    def on_mount(self) -> None:
        self.push_screen(CheckInScreen("Half-kneeling", sided=True), self._done)

    def _done(self, result: CheckIn | None) -> None:
        self.result = result


def scale(app: App, scale_id: str) -> Scale:
    return app.screen.query_one(f"#{scale_id}", Scale)


async def test_superscript_two_is_not_a_rating_and_the_app_goes_on() -> None:
    app = CheckInApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4", "²")  # an AZERTY key: str.isdigit() says yes, int() says no
        await pilot.pause()
        assert scale(app, "feeling-before").value == 4
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code in (None, 0)
    assert app.result == CheckIn(feeling_before=4)


@pytest.mark.parametrize("key", ["backspace", "delete"])
async def test_a_rating_can_be_cleared_again(key: str) -> None:
    app = CheckInApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("7", key)
        assert scale(app, "feeling-before").value is None
        await pilot.press("1", "0")  # the 1-then-0 rule still works after a clear
        assert scale(app, "feeling-before").value == 10
        await pilot.press("down", "3", key, "enter")
        await pilot.pause()
    assert app.result == CheckIn(feeling_before=10)


def test_number_at_maps_every_column_of_the_scale_line() -> None:
    # "Feeling before   " (17 columns), then " 0 1 2 3 4 5 6 7 8 9 10"
    line = " ".join(str(n) for n in range(11))
    assert number_at(16) is None
    for column, char in enumerate(line, 18):
        if char.isdigit():
            assert number_at(column) == (10 if column >= 38 else int(char))
    assert number_at(17) == 0 and number_at(37) == 10
    assert number_at(40) is None


@pytest.mark.parametrize(("column", "expected"), [(18, 0), (26, 4), (36, 9), (38, 10), (39, 10)])
async def test_clicking_a_number_sets_it(column: int, expected: int) -> None:
    app = CheckInApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert await pilot.click("#feeling-after", offset=(column, 0))
        await pilot.pause()
        assert scale(app, "feeling-after").value == expected
        assert scale(app, "feeling-before").value is None
        await pilot.click("#feeling-after", offset=(5, 0))  # the label: nothing changes
        assert scale(app, "feeling-after").value == expected


async def test_control_characters_in_a_pasted_note_are_dropped() -> None:
    app = CheckInApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        note = app.screen.query_one("#checkin-note", Input)
        note.focus()
        await pilot.pause()
        note.insert_text_at_cursor("tight \x1b]52;c;cHdu\x07left\x9b hip\x7f")
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == CheckIn(note="tight ]52;c;cHduleft hip")


@pytest.mark.parametrize("text", ["²", "³", "٣", "１", "-1", "11", "010", "1.5", "ten"])
def test_only_ascii_zero_to_ten_are_ratings(text: str) -> None:
    assert parse_rating(text) is None


def test_ratings_in_plain_mode() -> None:
    assert [parse_rating(str(n)) for n in range(11)] == list(range(11))
    assert parse_rating(" 7 ") == 7
    answers = iter(["²", "3", "٣", "", "10", "", "ok"])
    said: list[str] = []
    checkin = ask_checkin(lambda _prompt: next(answers), said.append)
    assert checkin == CheckIn(feeling_before=3, tightness_left=10, note="ok")
    assert said.count("  Please type a whole number from 0 to 10, or press Enter to skip.") == 2
