"""The choose screen: filter as you type, detail pane, Enter starts, escaping, notices."""

from __future__ import annotations

from palette_wait import wait_for_palette_hit
from textual.widgets import Input, OptionList

from psoas_tui.model import Routine
from psoas_tui.tui.screens.choose import ChooseScreen

EVIL_ROUTINE = """\
schema = 1
id = "evil"
title = "[@click=app.quit]x"
summary = "[bold]not bold[/bold] and [@click=app.bell]no click[/]"
tags = ["odd"]
cautions = ["[red]plain[/red]"]

[[steps]]
kind = "hold"
title = "[b]Hold[/b]"
seconds = 10
sides = ["left", "right"]
"""


async def loaded(app, pilot) -> ChooseScreen:
    """Wait for the library worker and return the choose screen."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen_stack[0]
    assert isinstance(screen, ChooseScreen) and screen.loaded
    return screen


def detail_text(screen: ChooseScreen) -> str:
    return screen.detail_text()


def record_starts(app, monkeypatch) -> list[Routine]:
    started: list[Routine] = []
    monkeypatch.setattr(app, "start", started.append)
    return started


async def test_lists_every_builtin_with_its_pack(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        routines = list(app.ctx.library)
        assert [r.id for r in screen.shown] == [r.id for r in routines]
        option_list = screen.query_one("#routines", OptionList)
        assert option_list.option_count == len(routines)
        first = str(option_list.get_option_at_index(0).prompt)
        assert "built-in" in first
        assert app.focused is screen.query_one("#filter", Input)


async def set_filter(pilot, screen: ChooseScreen, text: str) -> None:
    """Put ``text`` in the filter at once (typing is tested in its own test)."""
    screen.query_one("#filter", Input).value = text
    await pilot.pause()


async def test_filter_as_you_type(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        await pilot.press(*"desk")
        assert [r.id for r in screen.shown] == ["desk-break"]
        await pilot.press("escape")  # clears the filter
        assert len(screen.shown) == len(app.ctx.library)


async def test_filter_on_title_tag_and_level(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        await set_filter(pilot, screen, "Beginner")  # a level, any case
        assert screen.shown and all(r.level == "beginner" for r in screen.shown)
        await set_filter(pilot, screen, "breathing")  # a tag
        assert screen.shown and all("breathing" in r.tags or "breathing" in r.title.lower()
                                    for r in screen.shown)
        await set_filter(pilot, screen, "wall")  # a word of a title
        assert [r.id for r in screen.shown] == ["standing-hip-flexor"]
        await set_filter(pilot, screen, "gentle desk")  # every word must match
        assert [r.id for r in screen.shown] == ["desk-break"]
        await set_filter(pilot, screen, "zzz nothing")
        assert screen.shown == []
        option_list = screen.query_one("#routines", OptionList)
        assert "No routine matches" in str(option_list.get_option_at_index(0).prompt)
        assert "Nothing to show" in detail_text(screen)


async def test_detail_pane_shows_timeline_cautions_sources_and_origin(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        await set_filter(pilot, screen, "desk")
        text = detail_text(screen)
        routine = app.ctx.library.get("desk-break")
        assert routine.title in text
        assert "Total 2:05" in text  # 5 s get ready + 10 + 2x20 + 5 switch + 2x20 + 5 switch + 20
        assert "LEFT then RIGHT" in text
        assert "breath 4-0-6-0" in text
        assert routine.cautions[0] in text
        assert routine.sources[0] in text
        assert "From built-in" in text and "builtin" not in text


async def test_arrows_move_while_typing_and_detail_follows(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        started = record_starts(app, monkeypatch)
        second = screen.shown[1]
        await pilot.press("down")
        assert screen.highlighted_routine == second
        assert second.title in detail_text(screen)
        await pilot.press("up", "enter")
        assert started == [screen.shown[0]]


async def test_enter_starts_the_filtered_routine(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(app, pilot)
        started = record_starts(app, monkeypatch)
        await pilot.press(*"desk", "enter")
        assert [r.id for r in started] == ["desk-break"]


async def test_enter_on_the_list_starts_too(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        started = record_starts(app, monkeypatch)
        screen.query_one("#routines", OptionList).focus()
        await pilot.press("down", "enter")
        assert started == [screen.shown[1]]


async def test_enter_with_no_match_starts_nothing(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        started = record_starts(app, monkeypatch)
        await set_filter(pilot, screen, "zzz")
        await pilot.press("enter")
        assert started == []


async def test_routine_text_is_shown_literally(make_app, tui_dirs, monkeypatch):
    (tui_dirs.routines / "evil.toml").write_text(EVIL_ROUTINE, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(app, pilot)
        started = record_starts(app, monkeypatch)
        await set_filter(pilot, screen, "odd")
        assert [r.id for r in screen.shown] == ["evil"]
        prompt = str(screen.query_one("#routines", OptionList).get_option_at_index(0).prompt)
        assert "[@click=app.quit]x" in prompt
        text = detail_text(screen)
        for literal in ("[@click=app.quit]x", "[bold]not bold[/bold]", "[red]plain[/red]", "[b]Hold[/b]"):
            assert literal in text
        # Clicking the title must not run the action hidden in it; a double click starts it.
        await pilot.click("#routines", offset=(4, 1))
        await pilot.pause()
        assert app.is_running
        assert started == []  # one click only shows the details
        await pilot.click("#routines", offset=(4, 1), times=2)
        await pilot.pause()
        assert app.is_running
        assert [r.id for r in started] == ["evil"]
        assert "From your routines (" in text


async def test_skipped_routine_file_is_an_in_app_notice(make_app, tui_dirs):
    (tui_dirs.routines / "broken.toml").write_text("schema = 1\nid = 'Bad Id'\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(app, pilot)
        notices = [n for n in app._notifications]
        assert any(n.title == "Routine file skipped" and "broken.toml" in n.message for n in notices)


async def test_plugin_failure_is_an_in_app_notice(make_app, tui_ctx):
    from psoas_tui.api import hookimpl
    from psoas_tui.plugin_host.host import build_plugin_host

    class Broken:
        @hookimpl
        def psoas_tui_routines(self):
            raise RuntimeError("[@click=app.quit]boom")

    tui_ctx._host = build_plugin_host(entry_points=False, extra=[("broken", Broken())])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(app, pilot)
        messages = [n.message for n in app._notifications if n.title == "Plugin problem"]
        assert any("broken" in m and "[@click=app.quit]boom" in m for m in messages)
        assert app.is_running


async def test_totals_follow_the_settings_when_coming_back(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        await set_filter(pilot, screen, "desk")
        assert "Total 2:05" in detail_text(screen)
        app.ctx.settings = app.ctx.settings.replace(get_ready_seconds=10, switch_seconds=0)
        await pilot.press("f1")
        await pilot.press("escape")
        await pilot.pause()
        # 10 s get ready, no switch segments: 10 + 10 + 40 + 40 + 20
        assert "Total 2:00" in detail_text(screen)


async def test_command_palette_shows_routine_titles_literally(make_app, tui_dirs, monkeypatch):
    from textual.command import CommandPalette
    from textual.widgets import OptionList as Options

    (tui_dirs.routines / "evil.toml").write_text(EVIL_ROUTINE, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        started = record_starts(app, monkeypatch)
        await pilot.press("ctrl+p", *"startclick")
        await wait_for_palette_hit(app, pilot, "[@click=app.quit]x")
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one(Options)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Start: [@click=app.quit]x" in prompt for prompt in prompts), prompts
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert [r.id for r in started] == ["evil"]


async def test_an_empty_library_says_where_routines_go(make_app, tui_ctx, tui_dirs):
    from psoas_tui.plugin_host.host import build_plugin_host

    tui_ctx._host = build_plugin_host(entry_points=False, disabled=["builtin-routines"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        assert screen.shown == []
        prompt = str(screen.query_one("#routines", OptionList).get_option_at_index(0).prompt)
        assert "No routines yet" in prompt and str(tui_dirs.data / "routines") in prompt
        await pilot.press("enter")  # nothing to start, no crash
        assert app.screen is screen


def user_routine(routine_id: str, title: str) -> str:
    return (
        f'schema = 1\nid = "{routine_id}"\ntitle = "{title}"\nsummary = "Mine."\ntags = ["desk"]\n\n'
        '[[steps]]\nkind = "hold"\ntitle = "Hold"\nseconds = 20\n'
    )


async def test_plugin_routines_merge_in_keeping_filter_cursor_and_precedence(make_app, tui_ctx, tui_dirs):
    """Built-in and user routines are listed before plugins are discovered; the plugin routines
    merge in later, the filter and the highlighted routine stay, and a user routine still wins
    over a plugin routine with the same id. SQLite is not opened for any of it."""
    import threading

    from psoas_tui.api import hookimpl
    from psoas_tui.model import Step, StepKind
    from psoas_tui.plugin_host.host import build_plugin_host

    gate = threading.Event()

    def plugin_routine(routine_id: str, title: str) -> Routine:
        return Routine(id=routine_id, title=title, summary="From a plugin.", tags=("desk",),
                       steps=(Step(StepKind.HOLD, "Hold", seconds=30),))

    class Gated:
        @hookimpl
        def psoas_tui_routines(self):
            gate.wait(10)
            return [plugin_routine("desk-shared", "Desk shared (plugin)"),
                    plugin_routine("desk-extra", "A desk plugin extra")]

    (tui_dirs.routines / "shared.toml").write_text(user_routine("desk-shared", "Desk shared (mine)"),
                                                   encoding="utf-8")
    tui_ctx._host = build_plugin_host(entry_points=False, extra=[("gated", Gated())])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChooseScreen) and not screen.loaded
        assert {"desk-break", "desk-shared", "seated-psoas"} <= {r.id for r in screen.shown}
        await pilot.press(*"desk")
        ids = [r.id for r in screen.shown]
        assert "desk-extra" not in ids and "desk-break" in ids
        option_list = screen.query_one("#routines", OptionList)
        option_list.highlighted = ids.index("desk-break")
        await pilot.pause()
        assert "Two-minute desk break" in detail_text(screen)
        gate.set()
        await loaded(app, pilot)
        assert screen.query_one("#filter", Input).value == "desk"
        ids = [r.id for r in screen.shown]
        assert "desk-extra" in ids and "seated-psoas" not in ids
        assert ids.index("desk-extra") < ids.index("desk-break")  # it went in above the cursor
        assert screen.highlighted_routine is not None and screen.highlighted_routine.id == "desk-break"
        assert "Two-minute desk break" in detail_text(screen)
        shared = next(r for r in screen.shown if r.id == "desk-shared")
        assert shared.title == "Desk shared (mine)" and shared.source.kind == "user"
        assert "gated" in str(option_list.get_option_at_index(ids.index("desk-extra")).prompt)
        assert app.ctx._store is None  # the history was never opened for the choose screen


async def test_filter_typed_before_anything_is_listed_is_kept(make_app, tui_ctx, monkeypatch):
    """Even with no local routines (pack disabled), typing works and the list fills when ready."""
    monkeypatch.setenv("PSOAS_TUI_DISABLE_PLUGINS", "builtin-routines")
    from psoas_tui.plugin_host.host import build_plugin_host

    tui_ctx._host = build_plugin_host(entry_points=False, disabled=[])  # the host has the pack
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ChooseScreen)
        screen.query_one("#filter", Input).value = "desk"
        screen = await loaded(app, pilot)
        assert [r.id for r in screen.shown] == ["desk-break"]


def install_deskpack_routines(routines_dir) -> int:
    """Copy the deskpack example plugin's routines into the user folder (a 13-routine library)."""
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "plugins" / "psoas-tui-deskpack" / "src"
    files = sorted(root.glob("*/routines/*.toml"))
    for file in files:
        shutil.copy(file, routines_dir / file.name)
    return len(files)


async def test_every_row_keeps_its_info_line_when_the_scrollbar_appears(make_app, tui_dirs):
    """At 80x24 a long library gets a scrollbar; rows whose title wraps only because of it
    must grow, not lose their second (info) line."""
    from textual.content import Content

    assert install_deskpack_routines(tui_dirs.routines) >= 5
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        await pilot.pause()
        option_list = screen.query_one("#routines", OptionList)
        assert option_list.show_vertical_scrollbar
        width = option_list.scrollable_content_region.width
        heights = option_list.row_heights()
        for index, height in enumerate(heights):
            prompt = option_list.get_option_at_index(index).prompt
            assert isinstance(prompt, Content)
            title = prompt.plain.split("\n")[0]
            title_lines = -(-len(title) // width)  # at least: a word wrap may need more
            assert height >= title_lines + 1, (title, height, width)
        assert max(heights) >= 3  # a title wraps at this width, and its row grew to fit


async def test_typing_with_the_list_focused_filters(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        option_list = screen.query_one("#routines", OptionList)
        option_list.focus()
        await pilot.press("d", "e", "s", "k")
        filter_input = screen.query_one("#filter", Input)
        assert app.focused is filter_input
        assert filter_input.value == "desk"
        assert [r.id for r in screen.shown] == ["desk-break"]
        screen.query_one("#detail").focus()
        await pilot.press("space", "x")
        assert filter_input.value == "desk x"


async def test_question_mark_opens_help_with_the_filter_focused_too(make_app):
    # Issue 9 item 24 changed this: "?" opens help from the filter box too (it is never typed).
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        filter_input = screen.query_one("#filter", Input)
        assert app.focused is filter_input
        await pilot.press("question_mark")
        assert filter_input.value == ""
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        screen.query_one("#routines", OptionList).focus()
        await pilot.press("question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        assert filter_input.value == ""
        await pilot.press("escape")
        filter_input.focus()
        await pilot.press("f1")  # F1 works with the filter focused too
        assert type(app.screen).__name__ == "HelpScreen"


async def test_filter_placeholder_fits_at_80_columns(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        filter_input = screen.query_one("#filter", Input)
        assert len(filter_input.placeholder) <= filter_input.content_region.width - 1


async def test_manual_sets_are_counted_in_words():
    from psoas_tui.practice.timeline import Timeline
    from psoas_tui.tui.screens.choose import total_label

    class FakeTimeline:
        total_seconds = 75
        manual_count = 1

    one: Timeline = FakeTimeline()  # type: ignore[assignment]
    assert total_label(one) == "1:15 + 1 set at your pace"
    FakeTimeline.manual_count = 2
    assert total_label(one) == "1:15 + 2 sets at your pace"


async def test_wrapped_step_lines_keep_their_indent(make_app):
    """A step's wrapped lines start under its title, not under its number."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        await set_filter(pilot, screen, "desk")
        await pilot.pause()
        rows = list(screen.query("StepRow"))
        assert rows
        for row in rows:
            number, body = row.children
            assert body.region.x == number.region.right >= row.region.x + 4
            assert body.region.height >= 2


async def test_source_words_are_the_same_in_list_detail_and_palette(make_app, tui_dirs):
    from psoas_tui.tui.commands import PsoasCommands
    from psoas_tui.tui.screens.choose import short_origin, source_label

    (tui_dirs.routines / "mine.toml").write_text(EVIL_ROUTINE.replace('"evil"', '"mine"'))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        by_id = {r.id: r for r in screen.shown}
        assert source_label(by_id["desk-break"]) == short_origin(by_id["desk-break"]) == "built-in"
        assert source_label(by_id["mine"]) == short_origin(by_id["mine"]) == "your routines"
        provider = PsoasCommands(screen)
        await provider.startup()
        helps = {title: help_text for title, help_text, _ in provider._commands()}
        assert any("· built-in ·" in h for h in helps.values())
        assert any("· your routines ·" in h for h in helps.values())
        assert not any("builtin" in h or "user ·" in h for h in helps.values())
