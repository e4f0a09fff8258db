"""The plugins screen lists every plugin, its contributions and its failures, escaped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from seed import HarnessApp, settle

from psoas_tui.api import Exporter, hookimpl
from psoas_tui.plugin_host.host import build_plugin_host
from psoas_tui.tui.context import AppContext
from psoas_tui.tui.screens.plugins import PluginCard, PluginsScreen, plugin_text, summary_text


class _GoodPlugin:
    """Contributes one exporter whose name looks like markup."""

    @hookimpl
    def psoas_tui_exporters(self) -> list[Exporter]:
        return [Exporter(name="[b]csvish[/b]", suffix=".csv", title="CSV-ish", write=lambda r, s: None)]


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


def _install_fake_plugin(site: Path, name: str) -> Path:
    """A distribution with a ``psoas_tui`` entry point in ``site`` (a folder on ``sys.path``)."""
    module = name.replace("-", "_")
    (site / f"{module}.py").write_text(
        "from psoas_tui.api import hookimpl\n\n"
        "@hookimpl\n"
        "def psoas_tui_exporters():\n"
        "    return []\n",
        encoding="utf-8",
    )
    dist = site / f"{module}-1.2.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[psoas_tui]\n{name} = {module}\n", encoding="utf-8")
    return dist


async def test_r_rescans_installed_plugins_and_says_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed after start-up: shown after r; uninstalled: gone after r (the old survey kept it)."""
    monkeypatch.delenv("PSOAS_TUI_NO_PLUGINS", raising=False)
    monkeypatch.delenv("PSOAS_TUI_DISABLE_PLUGINS", raising=False)
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    app = HarnessApp(_ctx(tmp_path), PluginsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PluginsScreen)
        names = {card.info.name for card in screen.query(PluginCard)}
        assert "late-plugin" not in names
        note = str(screen.query_one("#plugins-note").render())
        assert "after restarting psoas-tui" in note

        dist = _install_fake_plugin(site, "late-plugin")
        await pilot.press("r")
        await settle(app, pilot)
        cards = {card.info.name: card for card in screen.query(PluginCard)}
        assert "late-plugin" in cards
        assert "from late-plugin" in _card_text(cards["late-plugin"])

        shutil.rmtree(dist)
        await pilot.press("r")
        await settle(app, pilot)
        names = {card.info.name for card in screen.query(PluginCard)}
        assert "late-plugin" not in names
        assert "builtin-routines" in names


def test_wording_built_in_and_plurals() -> None:
    host = build_plugin_host(entry_points=False, extra=[("good-plugin", _GoodPlugin())])
    infos = list(host.infos.values())
    summary = str(summary_text(infos[:1]))
    assert summary.startswith("1 plugin (1 built-in, 0 installed)")
    assert "built in" not in str(plugin_text(infos[0]))
    assert "(built-in)" in str(plugin_text(infos[0]))
