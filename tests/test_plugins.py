"""The plugin host: each hook implementation is called on its own, and whatever one plugin breaks
is recorded against it while the built-ins and the other plugins keep working."""

from __future__ import annotations

import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pluggy
import pytest

if str(Path(__file__).parent) not in sys.path:  # the fixtures package sits beside this file
    sys.path.insert(0, str(Path(__file__).parent))
from plugin_fixtures import inprocess as fx

from psoas_tui.model import CueStyle, Exporter, SessionRecord, SessionStatus
from psoas_tui.plugin_host import hookspecs
from psoas_tui.plugin_host import host as plugins
from psoas_tui.plugin_host.host import PluginFailure, PluginHost, build_plugin_host
from psoas_tui.routines import RoutineLibrary

BUILTINS = [name for name, _module in plugins.BUILTIN_PLUGINS]
GOOD_MODULE = "plugin_fixtures.psoas_fixture_good"


def host_with(*extra: tuple[str, object]) -> PluginHost:
    return build_plugin_host(entry_points=False, disabled=[], extra=list(extra))


def failures_of(host: PluginHost, plugin: str) -> list[tuple[str, str]]:
    return [(f.stage, f.message) for f in host.failures if f.plugin == plugin]


def a_record() -> SessionRecord:
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    return SessionRecord("s1", "desk-break", "Desk break", "builtin", now, 120, SessionStatus.COMPLETED)


def write_dist(root: Path, dist: str, version: str, entry_points: dict[str, str]) -> None:
    """A minimal installed distribution (just its metadata) on a folder put on ``sys.path``."""
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    lines = ["[psoas_tui]", *(f"{name} = {target}" for name, target in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


# -- order and the built-ins --------------------------------------------------------------


def test_builtins_are_registered_first_and_called_first() -> None:
    good = fx.Good()
    host = host_with(("good", good))
    assert host.active == [*BUILTINS, "good"]
    assert [info.builtin for info in host.infos.values()] == [True, True, True, False]
    exporters = [plugin for plugin, _e in host.exporters()]
    assert exporters.index("builtin-exporters") < exporters.index("good")
    assert host.failures == []


def test_a_good_plugin_contributes_to_every_hook() -> None:
    good = fx.Good()
    host = host_with(("good", good))
    library = RoutineLibrary.load(host, user_dir=Path("/nonexistent"))
    assert library.get("good-routine").source.name == "good"
    assert ("good", "good-style") in [(p, s.name) for p, s in host.cue_styles()]
    assert ("good", "good-export") in [(p, e.name) for p, e in host.exporters()]
    host.notify("psoas_tui_session_finished", record=a_record())
    assert [r.id for r in good.finished] == ["s1"]
    assert host.infos["good"].contributions == {
        "routines": ["good-routine"],
        "cue_styles": ["good-style"],
        "exporters": ["good-export"],
    }
    assert host.infos["good"].hooks == sorted(
        ["psoas_tui_routines", "psoas_tui_cue_styles", "psoas_tui_exporters", "psoas_tui_session_finished"]
    )


# -- a raising plugin -----------------------------------------------------------------------


def test_a_raising_plugin_is_reported_per_hook_and_hides_nothing() -> None:
    good = fx.Good()
    host = host_with(("raising", fx.Raising()), ("good", good))
    library = RoutineLibrary.load(host, user_dir=Path("/nonexistent"))
    styles = [s.name for _p, s in host.cue_styles()]
    exporters = [e.name for _p, e in host.exporters()]
    host.notify("psoas_tui_session_finished", record=a_record())

    assert "good-routine" in library and "desk-break" in library  # built-ins and the good plugin
    assert "good-style" in styles and "text" in styles
    assert "good-export" in exporters and "toml" in exporters
    assert len(good.finished) == 1
    assert failures_of(host, "raising") == [
        ("psoas_tui_routines", "RuntimeError: routines exploded"),
        ("psoas_tui_cue_styles", "ValueError: styles exploded"),
        ("psoas_tui_exporters", "KeyError: 'exporters'"),
        ("psoas_tui_session_finished", "OSError: disk full"),
    ]
    assert host.infos["raising"].status == "failed"
    assert host.infos["good"].status == "ok"
    assert str(host.failures[0]) == "plugin raising: psoas_tui_routines: RuntimeError: routines exploded"


def test_a_hook_calling_sys_exit_is_a_failure_not_an_exit() -> None:
    host = host_with(("exits", fx.Exits()))
    library = RoutineLibrary.load(host, user_dir=Path("/nonexistent"))
    assert "desk-break" in library
    assert failures_of(host, "exits") == [("psoas_tui_routines", "SystemExit: 3")]


def test_ctrl_c_in_a_hook_still_stops_the_app() -> None:
    host = host_with(("interrupted", fx.Interrupted()))
    with pytest.raises(KeyboardInterrupt):
        host.call_each("psoas_tui_routines")


# -- wrong return types, half-broken generators -----------------------------------------------


def test_wrong_return_types_are_reported_and_skipped() -> None:
    host = host_with(("wrong", fx.WrongType()))
    library = RoutineLibrary.load(host, user_dir=Path("/nonexistent"))
    styles = {s.name for _p, s in host.cue_styles()}
    exporters = {e.name: p for p, e in host.exporters()}
    assert "desk-break" in library
    assert "broken-handler" not in styles
    assert exporters["ok-export"] == "wrong"  # the good item of a partly bad list is kept
    assert "" not in exporters
    messages = failures_of(host, "wrong")
    assert ("psoas_tui_routines", "returned int, expected an iterable") in messages
    assert ("psoas_tui_cue_styles", "returned str, expected CueStyle") in messages
    assert ("psoas_tui_cue_styles", "cue style 'broken-handler': handler is not callable") in messages
    assert ("psoas_tui_exporters", "returned object, expected Exporter") in messages
    assert (
        "psoas_tui_exporters",
        "a Exporter needs a non-empty name without surrounding spaces, got ''",
    ) in messages


def test_a_generator_that_raises_midway_keeps_what_it_gave() -> None:
    host = host_with(("midway", fx.Midway()))
    exporters = {e.name: p for p, e in host.exporters()}
    assert exporters["midway-export"] == "midway"
    assert ("psoas_tui_exporters", "after 1 item: RuntimeError: exporter generator broke") in failures_of(
        host, "midway"
    )
    library = RoutineLibrary.load(host, user_dir=Path("/nonexistent"))
    assert "desk-break" in library
    assert any(stage == "psoas_tui_routines" for stage, _m in failures_of(host, "midway"))


def test_items_of_handles_none_strings_and_iterators() -> None:
    host = host_with()
    assert host.items_of("p", "hook", None) == []
    assert host.items_of("p", "hook", "text") == []
    assert host.items_of("p", "hook", iter([1, 2])) == [1, 2]
    assert failures_of(host, "p") == [("hook", "returned str, expected an iterable")]


# -- names already taken ---------------------------------------------------------------------


def test_style_and_exporter_names_already_taken_are_skipped_and_the_first_owner_keeps_them() -> None:
    host = host_with(("good", fx.Good()), ("duplicate", fx.Duplicate()))
    styles = {s.name: p for p, s in host.cue_styles()}
    exporters = {e.name: p for p, e in host.exporters()}
    assert styles["good-style"] == "good"
    assert styles["duplicate-own-style"] == "duplicate"
    assert exporters["toml"] == "builtin-exporters"  # a built-in name can never be stolen
    assert exporters["good-export"] == "good"
    assert failures_of(host, "duplicate") == [
        ("psoas_tui_cue_styles", "cue style 'good-style' is already taken by good"),
        ("psoas_tui_exporters", "exporter 'toml' is already taken by builtin-exporters"),
        ("psoas_tui_exporters", "exporter 'good-export' is already taken by good"),
    ]
    assert host.infos["duplicate"].contributions["cue_styles"] == ["duplicate-own-style"]


def test_duplicate_routine_ids_follow_library_precedence_with_a_notice_not_a_failure() -> None:
    host = host_with(("good", fx.Good()), ("duplicate", fx.Duplicate()))
    library = RoutineLibrary.load(host, user_dir=Path("/nonexistent"))
    assert library.get("good-routine").title == "Fixture routine"  # first plugin keeps the id
    assert any("good-routine" in n.message and n.kind == "override" for n in library.notices)
    assert not any(stage == "psoas_tui_routines" for stage, _m in failures_of(host, "duplicate"))


def test_a_plugin_name_already_taken_is_listed_separately_and_skipped() -> None:
    good = fx.Good()
    host = host_with(("builtin-routines", good))
    assert host.infos["builtin-routines"].builtin
    assert host.infos["builtin-routines"].failures == []
    clash = host.infos["builtin-routines (2)"]
    expected = "plugin name 'builtin-routines' is already taken by psoas-tui; skipped"
    assert clash.failures[0].message == expected
    assert "good-export" not in {e.name for _p, e in host.exporters()}


def test_the_same_plugin_object_twice_is_a_registration_failure() -> None:
    good = fx.Good()
    host = host_with(("one", good), ("two", good))
    assert host.infos["one"].status == "ok"
    assert failures_of(host, "two")[0][0] == "register"
    assert "already registered" in failures_of(host, "two")[0][1]


# -- registration problems -------------------------------------------------------------------


def test_a_hookimpl_asking_for_unknown_arguments_is_refused_at_registration() -> None:
    host = host_with(("badsig", fx.BadSignature()), ("good", fx.Good()))
    [(stage, message)] = failures_of(host, "badsig")
    assert stage == "register"
    assert message.startswith("PluginValidationError:")
    assert "badsig" not in host.active
    host.notify("psoas_tui_session_finished", record=a_record())  # nothing of badsig is called


def test_unknown_hooks_and_missing_markers_are_warnings() -> None:
    host = host_with(("typo", fx.Typo()), ("nohooks", fx.NoHooks()))
    assert any("unknown hook 'psoas_tui_routnies'" in w for w in host.infos["typo"].warnings)
    assert "typo-export" in {e.name for _p, e in host.exporters()}
    assert host.infos["nohooks"].warnings == [
        "implements no psoas-tui hooks (mark functions with psoas_tui.api.hookimpl)"
    ]
    assert host.failures == []


def test_an_implementation_receives_only_the_arguments_it_names() -> None:
    lazy = fx.Lazy()
    host = host_with(("lazy", lazy))
    host.notify("psoas_tui_session_finished", record=a_record())
    assert lazy.calls == 1
    assert host.failures == []


class _DeprecatedSpecs:
    """A stand-in for a future hookspecs module with a deprecated hook."""

    @hookspecs.hookspec(warn_on_impl=DeprecationWarning("psoas_tui_old is deprecated: use psoas_tui_new"))
    def psoas_tui_old(self) -> None:
        """Deprecated."""


class _UsesDeprecated:
    @hookspecs.hookimpl
    def psoas_tui_old(self) -> None:
        return None


def test_a_deprecated_hook_is_recorded_as_a_warning_against_the_plugin() -> None:
    host = PluginHost(specs=(hookspecs, _DeprecatedSpecs))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing escapes to the terminal
        assert host.register(_UsesDeprecated(), "old-plugin")
    assert host.infos["old-plugin"].warnings == [
        "DeprecationWarning: psoas_tui_old is deprecated: use psoas_tui_new"
    ]
    assert host.failures == []


# -- entry points, --no-plugins and PSOAS_TUI_DISABLE_PLUGINS ---------------------------------


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two fake installed distributions: a good one and one whose import fails."""
    write_dist(tmp_path, "psoas-tui-fixture-good", "1.2.3", {"fixture-good": GOOD_MODULE})
    write_dist(
        tmp_path,
        "psoas-tui-fixture-broken",
        "0.0.1",
        {"fixture-broken": "plugin_fixtures.psoas_fixture_import_error"},
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "plugin_fixtures.psoas_fixture_good", raising=False)
    return tmp_path


def test_entry_points_load_with_their_distribution_and_an_import_error_is_isolated(installed: Path) -> None:
    host = build_plugin_host(entry_points=True, disabled=[])
    good = host.infos["fixture-good"]
    assert (good.distribution, good.version) == ("psoas-tui-fixture-good", "1.2.3")
    assert good.hooks == ["psoas_tui_exporters"]
    assert "entry-point-export" in {e.name for _p, e in host.exporters()}
    broken = host.infos["fixture-broken"]
    assert broken.distribution == "psoas-tui-fixture-broken"
    assert [(f.stage, f.message) for f in broken.failures] == [
        ("import", "ModuleNotFoundError: No module named 'psoas_tui_fixture_no_such_dependency'")
    ]
    assert "desk-break" in RoutineLibrary.load(host, user_dir=Path("/nonexistent"))


def test_two_distributions_with_one_entry_point_name(installed: Path) -> None:
    write_dist(installed, "psoas-tui-fixture-copy", "9.9", {"fixture-good": GOOD_MODULE})
    host = build_plugin_host(entry_points=True, disabled=[])
    names = [n for n in host.infos if n.startswith("fixture-good")]
    assert names == ["fixture-good", "fixture-good (2)"]
    assert "is already taken by" in host.infos["fixture-good (2)"].failures[0].message
    assert "fixture-good" in host.active and "fixture-good (2)" not in host.active


@pytest.mark.parametrize("name", ["fixture-good", "psoas-tui-fixture-good"])
def test_disable_env_blocks_by_entry_point_or_distribution_name_without_importing(
    installed: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(plugins.DISABLE_ENV, f" {name} , fixture-broken,builtin-cue-styles")
    host = build_plugin_host(entry_points=True)
    assert "plugin_fixtures.psoas_fixture_good" not in sys.modules
    assert host.infos["fixture-good"].status == "disabled"
    assert host.infos["fixture-good"].disabled == plugins.DISABLE_ENV
    assert host.infos["fixture-broken"].failures == []  # never imported, so never failed
    assert host.infos["builtin-cue-styles"].status == "disabled"
    assert host.cue_styles() == []
    assert "entry-point-export" not in {e.name for _p, e in host.exporters()}
    assert host.active == ["builtin-routines", "builtin-exporters"]


def test_no_plugins_env_lists_installed_plugins_as_disabled_and_imports_none(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(plugins.NO_PLUGINS_ENV, "1")
    host = build_plugin_host()
    assert host.active == BUILTINS
    assert host.infos["fixture-good"].status == "disabled"
    assert "plugin_fixtures.psoas_fixture_good" not in sys.modules
    assert build_plugin_host(entry_points=True).infos["fixture-good"].status == "ok"  # explicit wins


@pytest.mark.parametrize(
    ("value", "expected"), [("", False), ("0", False), ("no", False), ("1", True), ("yes", True)]
)
def test_no_plugins_env_values(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv(plugins.NO_PLUGINS_ENV, value)
    assert plugins.no_plugins_from_env() is expected


# -- the app's side: notices and guarded calls ---------------------------------------------------


def test_new_failures_are_handed_out_once_for_in_app_notices() -> None:
    host = host_with(("raising", fx.Raising()))
    host.cue_styles()
    first = host.new_failures()
    assert [f.stage for f in first] == ["psoas_tui_cue_styles"]
    assert host.new_failures() == []
    host.exporters()
    assert [f.stage for f in host.new_failures()] == ["psoas_tui_exporters"]
    assert len(host.failures) == 2


def test_guard_turns_an_exception_in_contributed_code_into_a_failure() -> None:
    host = host_with()

    def handler(cue: object) -> None:
        raise RuntimeError("speaker unplugged")

    assert host.guard("voice", "cue style 'voice'", handler, object()) == (False, None)
    assert host.guard("voice", "cue style 'voice'", len, "abc") == (True, 3)
    assert host.failures == [PluginFailure("voice", "cue style 'voice'", "RuntimeError: speaker unplugged")]


def test_collect_results_are_cached_per_host() -> None:
    host = host_with(("raising", fx.Raising()))
    assert host.cue_styles() is host.cue_styles()
    assert len(failures_of(host, "raising")) == 1
    assert all(isinstance(s, CueStyle) for _p, s in host.cue_styles())
    assert all(isinstance(e, Exporter) for _p, e in host.exporters())


def test_as_dict_is_json_ready() -> None:
    host = host_with(("raising", fx.Raising()))
    host.cue_styles()
    data = host.infos["raising"].as_dict()
    assert data["status"] == "failed"
    assert data["failures"] == [{"stage": "psoas_tui_cue_styles", "message": "ValueError: styles exploded"}]
    assert data["disabled"] is None and data["builtin"] is False


def test_pluggy_marker_project_name_is_the_contract() -> None:
    assert hookspecs.PROJECT_NAME == plugins.ENTRY_POINT_GROUP == "psoas_tui"
    assert isinstance(hookspecs.hookimpl, pluggy.HookimplMarker)
