"""The deskpack routines load through the plugin hook, validate, and carry cautions and sources."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import psoas_tui_deskpack

from psoas_tui.api import build_plugin_host
from psoas_tui.routines import RoutineLibrary, load_routine_file

ROUTINES = Path(psoas_tui_deskpack.__file__).parent / "routines"
# Words that would turn a stretching routine into a medical claim.
CLAIMS = re.compile(
    r"\b(cure[sd]?|heal[s]?|treat[s]?|therap(y|eutic)|fix(es)?|prevent[s]?|relie(f|ves?))\b", re.I
)


def _library() -> tuple[RoutineLibrary, object]:
    host = build_plugin_host(entry_points=False, extra=[("deskpack", psoas_tui_deskpack)])
    return RoutineLibrary.load(host, user_dir=ROUTINES / "no-such-folder"), host


def test_pack_offers_at_least_four_routines_from_the_plugin() -> None:
    library, host = _library()
    ours = [r for r in library if r.source.kind == "plugin" and r.source.name == "deskpack"]
    assert len(ours) >= 4
    assert {r.id for r in ours} == {p.stem for p in ROUTINES.glob("*.toml")}
    assert host.failures == []
    assert library.errors == []
    assert sorted(host.infos["deskpack"].contributions["routines"]) == sorted(r.id for r in ours)


def test_pack_does_not_hide_a_builtin_routine() -> None:
    library, _host = _library()
    assert not [n for n in library.notices if n.kind == "override"]
    assert "desk-break" in library  # the built-in one is still there


def test_every_routine_has_cautions_sources_and_no_medical_claims() -> None:
    files = sorted(ROUTINES.glob("*.toml"))
    assert files
    for path in files:
        routine = load_routine_file(path)
        assert routine.id == path.stem
        assert "desk" in routine.tags
        assert len(routine.cautions) >= 3, path.name
        assert routine.sources, path.name
        texts = [routine.title, routine.summary, *routine.cautions] + [
            f"{s.title} {s.cue}" for s in routine.steps
        ]
        for text in texts:
            assert not CLAIMS.search(text), f"{path.name}: {text!r}"


def test_routines_are_valid_under_the_cli_validator() -> None:
    files = [str(p) for p in sorted(ROUTINES.glob("*.toml"))]
    done = subprocess.run(
        [sys.executable, "-m", "psoas_tui", "validate", *files], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(": ok") == len(files)


# -- figures ---------------------------------------------------------------------------------

POSES = Path(psoas_tui_deskpack.__file__).parent / "poses"


def test_every_step_of_every_routine_has_a_figure_on_each_side() -> None:
    from psoas_tui.api import figure_for, load_figures

    library, host = _library()
    figures = load_figures(host)
    ours = [r for r in library if r.source.kind == "plugin" and r.source.name == "deskpack"]
    assert len(ours) == len(list(ROUTINES.glob("*.toml")))
    for routine in ours:
        assert len(figures.plugins["deskpack"].figures[routine.id]) == len(routine.steps), routine.id
        for index, step in enumerate(routine.steps):
            assert figures.ref_for(routine, index) is not None, (routine.id, step.title)
            for side in step.sides or (None,):
                for t in (0.0, 0.5, 1.0):
                    lines = figure_for(routine, index, side, t, columns=40, rows=16, library=figures)
                    assert lines is not None and len(lines) == 16
                    assert sum(ch != " " for line in lines for ch in line) > 40, (routine.id, index)
    assert host.failures == []
    contributions = host.infos["deskpack"].contributions
    assert sorted(contributions["figures"]) == sorted(r.id for r in ours)
    assert "march" in contributions["poses"]


def test_the_figure_map_names_only_this_packs_routines() -> None:
    from psoas_tui.api import load_figures

    _unused, host = _library()
    assert set(load_figures(host).plugins["deskpack"].figures) == {p.stem for p in ROUTINES.glob("*.toml")}


def test_the_pack_pose_file_draws_under_the_pose_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "psoas_tui", "pose", str(POSES / "desk.toml"), "--small"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "left side" in done.stdout and "right side" in done.stdout
    assert done.stdout.count("march:") == 1 and done.stdout.count("side-reach:") == 1
