"""The choose screen: ``?`` opens help from the filter box; own-pace routines are marked; a
repeated step is counted in rounds (issue 9, item 24)."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from psoas_tui.model import Step, StepKind
from psoas_tui.tui.screens.choose import ChooseScreen, step_body


async def loaded(app, pilot) -> ChooseScreen:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen_stack[0]
    assert isinstance(screen, ChooseScreen)
    return screen


async def test_question_mark_opens_help_from_the_filter_box(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        filter_input = screen.query_one("#filter", Input)
        assert app.focused is filter_input
        await pilot.press("d", "e", "question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert filter_input.value == "de"  # typed so far, kept; "?" is not typed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and app.focused is filter_input


async def test_question_mark_opens_help_with_an_empty_filter(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


async def test_own_pace_routines_are_marked_in_the_list(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        options = screen.query_one("#routines", OptionList)
        prompts = {r.id: str(options.get_option_at_index(i).prompt) for i, r in enumerate(screen.shown)}
        assert "+ own pace" in prompts["standing-hip-flexor"]
        assert "own pace" not in prompts["half-kneeling"]


def test_repeated_steps_are_rounds() -> None:
    step = Step(StepKind.HOLD, "Hold", seconds=30, sides=("left", "right"), reps=3, rest_seconds=10)
    body = str(step_body(step))
    assert "3 rounds, 10 s rest" in body and "reps" not in body
