"""Issue 10, item 8: the host uses pluggy's own blocking, hook calling and pending-hook check,
and keeps only what pluggy lacks (each plugin's calls and results isolated, bounded imports)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

if str(Path(__file__).parent) not in sys.path:  # the fixtures package sits beside this file
    sys.path.insert(0, str(Path(__file__).parent))
from plugin_fixtures import inprocess as fx

from psoas_tui.api import CueStyle, hookimpl
from psoas_tui.plugin_host.host import PluginHost, build_plugin_host


def host_with(*extra: tuple[str, object], disabled: list[str] | None = None) -> PluginHost:
    return build_plugin_host(entry_points=False, disabled=disabled or [], extra=list(extra))


class Wrapper:
    """A hook wrapper beside an ordinary implementation."""

    def __init__(self) -> None:
        self.wrapped = 0

    @hookimpl(wrapper=True)
    def psoas_tui_cue_styles(self) -> Any:
        self.wrapped += 1
        return (yield)

    @hookimpl
    def psoas_tui_exporters(self) -> list[Any]:
        return [fx.exporter("wrapper-export")]


class TwoTypos:
    @hookimpl
    def psoas_tui_routnies(self) -> list[Any]:
        return []

    @hookimpl
    def psoas_tui_exporterz(self) -> list[Any]:
        return []

    @hookimpl(optionalhook=True)
    def psoas_tui_from_the_future(self) -> None:
        return None


class ReturnsNone:
    @hookimpl
    def psoas_tui_routines(self) -> None:
        return None


@dataclasses.dataclass
class DataclassPlugin:
    """Unhashable (a dataclass with ``eq``): pluggy's subset hook callers could not hold it."""

    name: str = "dc"

    @hookimpl
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        return [fx.style(f"{self.name}-style")]


class FirstPlease:
    @hookimpl(tryfirst=True)
    def psoas_tui_cue_styles(self) -> list[CueStyle]:
        return [fx.style("text")]  # a built-in's name: the built-in keeps it all the same


def test_disabled_plugins_are_blocked_in_pluggy() -> None:
    host = host_with(("good", fx.Good()), disabled=["good", "builtin-exporters"])
    assert host.pm.is_blocked("good") and host.pm.is_blocked("builtin-exporters")
    assert host.is_blocked("nope", "good")
    assert host.pm.register(fx.Good(), name="good") is None  # pluggy refuses the name
    assert host.infos["good"].status == "disabled"
    assert host.exporters() == []


def test_a_wrapper_is_never_called_and_named_while_the_plugins_other_hooks_work() -> None:
    plugin = Wrapper()
    host = host_with(("wrapper", plugin))
    styles = {style.name for _p, style in host.cue_styles()}
    assert "text" in styles
    assert plugin.wrapped == 0
    assert "wrapper-export" in {e.name for _p, e in host.exporters()}
    assert host.infos["wrapper"].warnings == [
        "psoas_tui_cue_styles: wrapper hooks are not supported; it is never called"
    ]
    assert host.infos["wrapper"].hooks == ["psoas_tui_cue_styles", "psoas_tui_exporters"]
    assert host.failures == []


def test_every_unknown_hook_is_named_and_an_optional_one_is_not() -> None:
    host = host_with(("typos", TwoTypos()))
    warnings = host.infos["typos"].warnings
    assert [w.split(" (")[0] for w in warnings] == [
        "implements unknown hook 'psoas_tui_exporterz'",
        "implements unknown hook 'psoas_tui_routnies'",
    ]
    assert host.failures == []


def test_unknown_hooks_of_one_plugin_are_not_blamed_on_the_next() -> None:
    host = host_with(("typos", TwoTypos()), ("good", fx.Good()))
    assert host.infos["good"].warnings == []


def test_none_results_are_left_out_as_pluggy_does() -> None:
    host = host_with(("none", ReturnsNone()))
    assert "none" not in [plugin for plugin, _result in host.call_each("psoas_tui_routines")]
    assert host.failures == []


def test_an_unhashable_plugin_object_is_called_like_any_other() -> None:
    host = host_with(("dc", DataclassPlugin()))
    assert ("dc", "dc-style") in [(p, s.name) for p, s in host.cue_styles()]
    assert host.failures == []


def test_tryfirst_cannot_put_a_plugin_before_the_built_ins() -> None:
    host = host_with(("first", FirstPlease()))
    order = [plugin for plugin, _result in host.call_each("psoas_tui_cue_styles")]
    assert order == ["builtin-cue-styles", "first"]
    assert {s.name: p for p, s in host.cue_styles()}["text"] == "builtin-cue-styles"
