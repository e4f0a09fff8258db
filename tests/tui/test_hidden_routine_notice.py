"""A routine in the user's folder that hides a built-in one is announced once per start, with
the routine's id and the file (issue 9, item 21)."""

from __future__ import annotations

from pathlib import Path

from psoas_tui.tui.screens.choose import ChooseScreen

OWN_DESK_BREAK = """\
schema = 1
id = "desk-break"
title = "My desk break"
summary = "My own version."

[[steps]]
kind = "hold"
title = "Stand"
seconds = 10
"""


def hidden_notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications if n.title == "Routine hidden"]


async def test_user_routine_hiding_a_builtin_is_announced_once(make_app, tui_dirs) -> None:
    path: Path = tui_dirs.routines / "desk-break.toml"
    path.write_text(OWN_DESK_BREAK)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        [message] = hidden_notices(app)
        assert "'desk-break'" in message and str(path) in message and "built-in pack is hidden" in message
        # Back on the choose screen (after the settings, say): nothing new is said.
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        app.report_problems()
        assert isinstance(app.screen, ChooseScreen)
        assert len(hidden_notices(app)) == 1


async def test_no_notice_without_a_clash(make_app, tui_dirs) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert hidden_notices(app) == []
