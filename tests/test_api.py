"""``psoas_tui.api``: the one module plugin authors import from."""

from __future__ import annotations

import importlib
import sys
import types
import zipfile
from pathlib import Path

import pytest

from psoas_tui import api, errors, model
from psoas_tui.plugin_host import hookspecs
from psoas_tui.routines import RoutineLibrary

ROUTINE = """\
schema = 1
id = "zipped-routine"
title = "Zipped"
summary = "Loaded from inside a zip file."
cautions = ["Gentle."]
sources = ["A test."]

[[steps]]
kind = "hold"
title = "Hold"
seconds = 10
"""


def test_every_public_name_exists_and_is_the_real_thing() -> None:
    for name in api.__all__:
        assert hasattr(api, name), name
    assert api.hookimpl is hookspecs.hookimpl
    assert api.Routine is model.Routine and api.Exporter is model.Exporter and api.CueStyle is model.CueStyle
    assert isinstance(api.HOOK_API_VERSION, int) and api.HOOK_API_VERSION == hookspecs.HOOK_API_VERSION == 1
    assert api.ENTRY_POINT_GROUP == "psoas_tui"
    assert api.RoutineLibrary is RoutineLibrary  # what a plugin's tests load routines with
    assert api.UserError is errors.UserError


def test_a_user_error_from_a_plugin_is_shown_as_its_sentence() -> None:
    from psoas_tui.plugin_host.host import one_line

    assert one_line(api.UserError("No speech program was found.")) == "No speech program was found."
    assert one_line(ValueError("bad")) == "ValueError: bad"
    assert one_line(api.UserError()) == "UserError"


def test_star_import_gives_exactly_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from psoas_tui.api import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(api.__all__)


def test_routines_folder_of_a_package_by_name_or_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "psoas_tui_apitest_pack"
    (package / "routines").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "routines" / "zipped-routine.toml").write_text(ROUTINE)
    (package / "extra").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("psoas_tui_apitest_pack")
    by_name = api.routines_folder("psoas_tui_apitest_pack")
    assert by_name.is_dir()
    assert [e.name for e in by_name.iterdir()] == ["zipped-routine.toml"]
    assert api.routines_folder(module).is_dir()
    assert api.routines_folder("psoas_tui_apitest_pack", "extra").name == "extra"


def test_routines_folder_missing_says_which_package_and_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "psoas_tui_apitest_empty").mkdir()
    (tmp_path / "psoas_tui_apitest_empty" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(FileNotFoundError, match="package 'psoas_tui_apitest_empty' has no folder 'routines'"):
        api.routines_folder("psoas_tui_apitest_empty")
    with pytest.raises(ValueError, match="__package__"):
        api.routines_folder(None)


def test_a_routine_pack_inside_a_zip_loads_through_the_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "psoas_tui_apitest_zipped/__init__.py",
            "from psoas_tui.api import hookimpl, routines_folder\n\n"
            "@hookimpl\n"
            "def psoas_tui_routines():\n"
            "    return [routines_folder(__package__)]\n",
        )
        zf.writestr("psoas_tui_apitest_zipped/routines/zipped-routine.toml", ROUTINE)
    monkeypatch.syspath_prepend(str(archive))
    monkeypatch.delitem(sys.modules, "psoas_tui_apitest_zipped", raising=False)
    module = importlib.import_module("psoas_tui_apitest_zipped")
    host = api.build_plugin_host(entry_points=False, extra=[("zipped", module)])
    library = RoutineLibrary.load(host, user_dir=tmp_path / "none")
    assert library.get("zipped-routine").source.name == "zipped"
    assert host.failures == []
    assert host.infos["zipped"].contributions["routines"] == ["zipped-routine"]


def test_a_hook_whose_folder_is_missing_is_one_failure_not_a_crash() -> None:
    plugin = types.SimpleNamespace()

    @api.hookimpl
    def psoas_tui_routines() -> list[object]:
        return [api.routines_folder("psoas_tui", "no-such-folder")]

    plugin.psoas_tui_routines = psoas_tui_routines
    host = api.build_plugin_host(entry_points=False, extra=[("missing", plugin)])
    library = RoutineLibrary.load(host, user_dir=Path("/nonexistent"))
    assert "desk-break" in library
    [failure] = host.failures
    assert failure.plugin == "missing" and failure.stage == "psoas_tui_routines"
    assert failure.message.startswith("FileNotFoundError: package 'psoas_tui' has no folder 'no-such-folder'")


def test_the_api_module_does_not_import_textual() -> None:
    assert "textual" not in api.__dict__
