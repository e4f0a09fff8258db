"""Plugins ship poses and figure maps (``psoas_tui_poses``); figures follow a routine's source."""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.api import build_plugin_host, figure_for, hookimpl, load_figures
from psoas_tui.cli import main
from psoas_tui.figures.library import builtin_figures
from psoas_tui.plugin_host import host as plugins
from psoas_tui.routines import RoutineLibrary

JOINTS = """\
head = [50, 90]
neck = [50, 82]
shoulder = [50, 78]
elbow_near = [48, 62]
wrist_near = [49, 48]
elbow_far = [52, 62]
wrist_far = [53, 48]
hip = [50, 48]
knee_near = [49, 25]
ankle_near = [49, 3]
toe_near = [55, 1]
knee_far = [51, 25]
ankle_far = [51, 3]
toe_far = [57, 1]
"""


def pose_file(name: str, title: str = "A test pose") -> str:
    return (f'schema = 1\n\n[[poses]]\nname = "{name}"\ntitle = "{title}"\nprops = [{{ kind = "floor" }}]\n\n'
            f'[[poses.keys]]\nname = "still"\n{JOINTS}')


ROUTINE = """\
schema = 1
id = "{id}"
title = "Pack routine"
summary = "Two steps."

[[steps]]
kind = "hold"
title = "Stand"
seconds = 20

[[steps]]
kind = "hold"
title = "Lunge"
seconds = 20
sides = ["left", "right"]
"""


def make_pack(tmp_path: Path, *, routine_id: str = "pack-routine", figures: str = "", extra: dict[str, str]
              | None = None, poses_result: Any = None) -> types.ModuleType:
    """A plugin module with one routine and a ``poses`` folder holding ``extra`` files."""
    (tmp_path / "routines").mkdir(parents=True)
    (tmp_path / "routines" / f"{routine_id}.toml").write_text(ROUTINE.format(id=routine_id), encoding="utf-8")
    poses = tmp_path / "poses"
    poses.mkdir()
    files = {"mine.toml": pose_file("pack-stand"), **(extra or {})}
    if figures:
        files["figures.toml"] = figures
    for name, text in files.items():
        (poses / name).write_text(text, encoding="utf-8")
    module = types.ModuleType("psoas_tui_testpack")

    @hookimpl
    def psoas_tui_routines() -> list[Path]:
        return [tmp_path / "routines"]

    @hookimpl
    def psoas_tui_poses() -> Any:
        return [poses] if poses_result is None else poses_result

    module.psoas_tui_routines = psoas_tui_routines  # type: ignore[attr-defined]
    module.psoas_tui_poses = psoas_tui_poses  # type: ignore[attr-defined]
    return module


FIGURES = """\
schema = 1

[figures]
pack-routine = ["pack-stand", { pose = "desk-lunge", keys = ["step-back", "sink"] }]
"""


def load(module: types.ModuleType, user_dir: Path) -> tuple[Any, RoutineLibrary, Any]:
    host = build_plugin_host(entry_points=False, extra=[("testpack", module)])
    library = RoutineLibrary.load(host, user_dir=user_dir)
    return host, library, load_figures(host)


def test_a_plugin_routine_gets_the_plugins_figures_and_built_in_poses(tmp_path: Path) -> None:
    host, library, figures = load(make_pack(tmp_path, figures=FIGURES), tmp_path / "none")
    routine = library.get("pack-routine")
    assert routine.source.kind == "plugin"
    own = figure_for(routine, 0, None, library=figures)
    borrowed = figure_for(routine, 1, "right", library=figures)
    assert own is not None and borrowed is not None and own != borrowed
    assert figures.ref_for(routine, 1).keys == ("step-back", "sink")
    assert figure_for(routine, 2, None, library=figures) is None
    assert host.failures == []
    assert host.infos["testpack"].contributions["poses"] == ["pack-stand"]
    assert host.infos["testpack"].contributions["figures"] == ["pack-routine"]
    assert load_figures(host) is figures  # once per host


def test_a_plugins_map_never_reaches_a_built_in_or_user_routine_of_the_same_id(tmp_path: Path) -> None:
    hijack = FIGURES + 'desk-break = ["pack-stand", "pack-stand", "pack-stand", "pack-stand"]\n'
    users = tmp_path / "user"
    users.mkdir()
    module = make_pack(tmp_path / "pack", figures=hijack)
    (users / "pack-routine.toml").write_text(ROUTINE.format(id="pack-routine"), encoding="utf-8")
    _host, library, figures = load(module, users)
    assert library.get("pack-routine").source.kind == "user"
    assert figures.ref_for(library.get("pack-routine"), 0) is None
    desk_break = library.get("desk-break")
    assert desk_break.source.kind == "builtin"
    assert figures.ref_for(desk_break, 0) == builtin_figures().ref_for("desk-break", 0)
    assert figure_for(desk_break, 0, None, library=figures) == figure_for("desk-break", 0, None)


def test_a_plugin_pose_with_a_built_in_name_wins_only_in_that_plugins_map(tmp_path: Path) -> None:
    shadow = {"shadow.toml": pose_file("stand-tall", "The pack's own stand-tall")}
    figures_map = 'schema = 1\n[figures]\npack-routine = ["stand-tall", "stand-tall"]\n'
    host, library, figures = load(make_pack(tmp_path, figures=figures_map, extra=shadow), tmp_path / "none")
    assert host.failures == []
    ours = figures.library_for(library.get("pack-routine"))
    assert ours is not None and ours.get("stand-tall").title == "The pack's own stand-tall"
    assert builtin_figures().builtin.get("stand-tall").title != "The pack's own stand-tall"


def test_a_bad_pose_file_is_a_named_plugin_failure_and_the_rest_still_load(tmp_path: Path) -> None:
    bad = pose_file("broken").replace("hip = [50, 48]", "hip = [50, 480]")
    module = make_pack(tmp_path, figures=FIGURES, extra={"bad.toml": bad})
    host, library, figures = load(module, tmp_path / "none")
    (failure,) = host.failures
    bad_path = tmp_path / "poses" / "bad.toml"
    assert (failure.plugin, failure.stage) == ("testpack", "psoas_tui_poses")
    assert failure.message == f"{bad_path}:17: poses[1].keys[1].hip: must be 0-100, got 480"
    assert figure_for(library.get("pack-routine"), 0, None, library=figures) is not None


def test_a_figure_map_naming_a_missing_pose_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    figures_map = 'schema = 1\n[figures]\npack-routine = ["no-such-pose"]\n'
    host, library, figures = load(make_pack(tmp_path, figures=figures_map), tmp_path / "none")
    (failure,) = host.failures
    assert failure.stage == "psoas_tui_poses" and "figures.toml" in failure.message
    assert "no pose named 'no-such-pose'" in failure.message
    assert figure_for(library.get("pack-routine"), 0, None, library=figures) is None


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (42, "returned int, expected an iterable"),
        ([42], "returned int, expected a path to a pose folder or file"),
        (["/no/such/poses"], "/no/such/poses: no such file or folder"),
    ],
)
def test_garbage_from_the_hook_is_a_failure(tmp_path: Path, result: Any, message: str) -> None:
    host, _library, figures = load(make_pack(tmp_path, poses_result=result), tmp_path / "none")
    failures = [(f.plugin, f.stage, f.message) for f in host.failures]
    assert failures == [("testpack", "psoas_tui_poses", message)]
    assert "testpack" not in figures.plugins


def test_a_hook_that_raises_is_a_failure(tmp_path: Path) -> None:
    module = make_pack(tmp_path)

    @hookimpl
    def psoas_tui_poses() -> Any:
        raise RuntimeError("poses exploded")

    module.psoas_tui_poses = psoas_tui_poses  # type: ignore[attr-defined]
    host, _library, figures = load(module, tmp_path / "none")
    expected = "plugin testpack: psoas_tui_poses: RuntimeError: poses exploded"
    assert [str(f) for f in host.failures] == [expected]
    assert figures.plugins == {}


def test_show_and_plugins_commands_see_plugin_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = make_pack(tmp_path, figures=FIGURES, extra={"bad.toml": "schema = 1\nposes = 3\n"})
    real = plugins.build_plugin_host
    from psoas_tui.commands import plugins as plugins_command

    def host(**_kw: Any) -> Any:
        return real(entry_points=False, extra=[("testpack", module)])

    monkeypatch.setattr(plugins, "build_plugin_host", host)
    monkeypatch.setattr(plugins_command, "build_plugin_host", host)
    assert main(["show", "pack-routine", "--json"]) == 0
    captured = capsys.readouterr()
    steps = json.loads(captured.out)["steps"]
    assert all(isinstance(step["figure"], list) and len(step["figure"]) >= 8 for step in steps)
    assert captured.err.startswith("psoas-tui: plugin testpack: psoas_tui_poses: ")
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "poses: pack-stand" in out and "figures: pack-routine" in out and "FAILED psoas_tui_poses" in out
