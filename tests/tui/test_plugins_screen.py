"""The plugins screen lists every plugin, its contributions and its failures, escaped."""

from __future__ import annotations

from pathlib import Path

from seed import HarnessApp

from psoas_tui.api import Exporter, hookimpl
from psoas_tui.plugins import build_plugin_host
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.plugins import PluginCard, PluginsScreen


class _GoodPlugin:
    """Contributes one exporter whose name looks like markup."""

    @hookimpl
    def psoas_tui_exporters(self) -> list[Exporter]:
        return [Exporter(name="[b]csvish[/b]", suffix="csv", title="CSV-ish", write=lambda r, s: None)]


class _BrokenPlugin:
    """Raises from a hook with a message that looks like a Textual action."""

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[object]:
        raise RuntimeError("[@click=app.quit]boom")


def _ctx(tmp_path: Path) -> AppContext:
    host = build_plugin_host(
        entry_points=False, extra=[("good-plugin", _GoodPlugin()), ("broken-plugin", _BrokenPlugin())]
    )
    return AppContext(config_path=tmp_path / "config.toml", history_path=tmp_path / "h.sqlite3", _host=host)


def _card_text(card: PluginCard) -> str:
    return str(card.render())


async def test_lists_plugins_with_contributions_and_failures(tmp_path: Path) -> None:
    app = HarnessApp(_ctx(tmp_path), PluginsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PluginsScreen)
        cards = {card.info.name: card for card in screen.query(PluginCard)}
        assert {"builtin-routines", "good-plugin", "broken-plugin"} <= set(cards)
        good = _card_text(cards["good-plugin"])
        assert "exporters: [b]csvish[/b]" in good  # shown literally, not as bold markup
        broken = _card_text(cards["broken-plugin"])
        assert "FAILED psoas_tui_cue_styles: RuntimeError: [@click=app.quit]boom" in broken
        assert cards["broken-plugin"].has_class("-failed")
        assert not cards["good-plugin"].has_class("-failed")
        summary = str(screen.query_one("#plugins-summary").render())
        assert "1 failure" in summary
        assert app.is_running  # the click-looking text did not quit the app


async def test_escape_goes_back(tmp_path: Path) -> None:
    app = HarnessApp(_ctx(tmp_path), PluginsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PluginsScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, PluginsScreen)
