"""The ``psoas-tui`` command, run as a real subprocess: output, JSON fields and exit codes.

The autouse fixture in conftest.py points the config and data folders at temporary ones; the
child process inherits them through the environment.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.cli import COMMANDS
from psoas_tui.practice.timeline import build_timeline
from psoas_tui.routines import load_routine_file
from psoas_tui.text import format_seconds

REPO_ROUTINES = Path(__file__).resolve().parents[1] / "routines"
BUILTIN_IDS = sorted(p.stem for p in REPO_ROUTINES.glob("*.toml"))

GOOD = """\
schema = 1
id = "cli-test"
title = "CLI test"
summary = "For the command-line tests."

[[steps]]
kind = "hold"
title = "Hold it"
seconds = 30
sides = ["left", "right"]
reps = 2
rest_seconds = 10

[[steps]]
kind = "reps"
title = "Pelvic tilts"
count = 10
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "psoas_tui", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=cwd,
        timeout=60,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


# --------------------------------------------------------------------------- routines


def test_routines_table_lists_every_builtin() -> None:
    result = run("routines")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "TIME", "LEVEL", "SOURCE"]
    for routine_id in BUILTIN_IDS:
        row = next(line for line in lines if line.startswith(routine_id + " "))
        assert row.rstrip().endswith("builtin")


def test_routines_json_fields() -> None:
    result = run("routines", "--json")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert sorted(e["id"] for e in entries) == BUILTIN_IDS
    for entry in entries:
        assert {"id", "title", "total_seconds", "level", "source"} <= set(entry)
        assert isinstance(entry["total_seconds"], int) and entry["total_seconds"] > 0
        assert entry["source"] == "builtin"
        routine = load_routine_file(REPO_ROUTINES / f"{entry['id']}.toml")
        assert entry["title"] == routine.title
        assert entry["level"] == routine.level
        assert entry["total_seconds"] == build_timeline(routine).total_seconds


def test_routines_includes_user_routines_and_reports_bad_files(
    app_dirs: Any, write_routine: Callable
) -> None:
    write_routine(app_dirs.routines, GOOD, name="good.toml")
    bad = write_routine(app_dirs.routines, GOOD.replace("seconds = 30", "seconds = 0"), name="bad.toml")
    result = run("routines", "--json")
    assert result.returncode == 0
    entries = {e["id"]: e for e in json.loads(result.stdout)}
    assert entries["cli-test"]["source"] == "user"
    # 5 get-ready + 2 reps x (30 + 5 switch + 30) + one 10 s rest; the reps step is manual
    assert entries["cli-test"]["total_seconds"] == 5 + 2 * 65 + 10
    assert result.stderr.splitlines() == [f"psoas-tui: {bad}:9: steps[1].seconds: must be 1-3600, got 0"]


def test_routines_follow_the_settings(app_dirs: Any) -> None:
    app_dirs.config.mkdir(parents=True)
    (app_dirs.config / "config.toml").write_text(
        "get_ready_seconds = 0\nswitch_seconds = 0\n", encoding="utf-8"
    )
    entries = {e["id"]: e for e in json.loads(run("routines", "--json").stdout)}
    routine = load_routine_file(REPO_ROUTINES / "desk-break.toml")
    assert entries["desk-break"]["total_seconds"] == sum(
        s.seconds * len(s.sides or [1]) for s in routine.steps
    )


# --------------------------------------------------------------------------- show


def test_show_prints_the_expanded_timeline_and_total() -> None:
    result = run("show", "seated-psoas")
    assert result.returncode == 0, result.stderr
    routine = load_routine_file(REPO_ROUTINES / "seated-psoas.toml")
    timeline = build_timeline(routine)
    out = result.stdout
    assert out.splitlines()[0].startswith(routine.title)
    segment_lines = [line for line in out.splitlines() if line.startswith("   ") and ":" in line[:8]]
    assert len(segment_lines) == len(timeline.segments)
    for line, segment in zip(segment_lines, timeline.segments, strict=True):
        assert line.split()[0] == format_seconds(segment.start)
        assert segment.title in line
    assert "[LEFT]" in out and "[RIGHT]" in out and "Switch sides  [to right]" in out
    assert "round 2/2" in out and "breath 4-0-6-0" in out  # "round" since issue 9 item 24
    assert f"Total: {format_seconds(timeline.total_seconds)} ({timeline.total_seconds} s)" in out
    assert "Cautions:" in out and "Sources:" in out


def test_show_a_file_with_a_manual_reps_step(write_routine: Callable) -> None:
    path = write_routine(GOOD, name="mine.toml")
    result = run("show", str(path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "x10  Pelvic tilts  [at your pace, press done]" in out
    assert "Total: 2:25 (145 s) plus 1 set at your own pace" in out
    assert out.count("Hold it  [LEFT") == 2 and out.count("Hold it  [RIGHT") == 2
    assert "Rest" in out


def test_show_unknown_id_is_one_line_and_exit_2() -> None:
    line = assert_one_line_error(run("show", "seated-psaos"))
    assert line == "psoas-tui: no routine with id 'seated-psaos' (did you mean seated-psoas?)"


def test_show_missing_file_names_the_file(tmp_path: Path) -> None:
    line = assert_one_line_error(run("show", str(tmp_path / "nope.toml")))
    assert line == f"psoas-tui: {tmp_path / 'nope.toml'}: no such file"


def test_show_a_bad_file_names_file_line_and_field(write_routine: Callable) -> None:
    path = write_routine(GOOD.replace("count = 10", "count = 0"), name="bad.toml")
    line = assert_one_line_error(run("show", str(path)))
    assert line == f"psoas-tui: {path}:17: steps[2].count: must be 1-100, got 0"


# --------------------------------------------------------------------------- validate


def test_validate_good_files_exit_0(write_routine: Callable) -> None:
    mine = write_routine(GOOD, name="mine.toml")
    result = run("validate", str(mine), str(REPO_ROUTINES / "desk-break.toml"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"{mine}: ok (cli-test, 2 steps)",
        f"{REPO_ROUTINES / 'desk-break.toml'}: ok (desk-break, 4 steps)",
    ]


def test_validate_reports_one_line_per_bad_file(tmp_path: Path, write_routine: Callable) -> None:
    write_routine(GOOD, name="good.toml")
    write_routine(GOOD.replace("seconds = 30", "seconds = -5"), name="negative.toml")
    write_routine(GOOD.replace('title = "Hold it"', 'title = "Hold it"\ncolour = "red"'), name="typo.toml")
    write_routine(GOOD.replace("schema = 1", "schema = 2"), name="future.toml")
    write_routine(b'schema = 1\nid = "x\xff"\n', name="binary.toml")
    write_routine(GOOD.replace('id = "cli-test"', 'id = "cli-test'), name="syntax.toml")
    (tmp_path / "folder.toml").mkdir()
    names = [
        "./good.toml",
        "./negative.toml",
        "./typo.toml",
        "./future.toml",
        "./binary.toml",
        "./syntax.toml",
        "./missing.toml",
        "./folder.toml",
    ]
    result = run("validate", *names, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == ["./good.toml: ok (cli-test, 2 steps)"]
    lines = result.stderr.splitlines()
    assert len(lines) == len(names) - 1
    for name, line in zip(names[1:], lines, strict=True):
        assert line.startswith(name + ":"), line
    assert lines[:3] == [
        "./negative.toml:9: steps[1].seconds: must be 1-3600, got -5",
        "./typo.toml:9: steps[1].colour: unknown key "
        "(allowed: breath, count, cue, kind, reps, rest_seconds, seconds, sides, title)",
        "./future.toml:1: schema: unsupported version 2; this app reads 1",
    ]
    assert lines[3] == "./binary.toml:2: not valid UTF-8 (byte 18)"
    assert lines[4].startswith("./syntax.toml:2: TOML syntax: ")
    assert lines[5] == "./missing.toml: no such file"
    assert lines[6] == "./folder.toml: is a folder, expected a .toml file"


def test_validate_needs_a_file() -> None:
    line = assert_one_line_error(run("validate"))
    assert line.startswith("psoas-tui validate: ")


# --------------------------------------------------------------------------- paths, plugins


def test_paths_honours_the_environment(app_dirs: Any) -> None:
    result = run("paths")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"config:   {app_dirs.config}",
        f"data:     {app_dirs.data}",
        f"routines: {app_dirs.data / 'routines'}",
        f"history:  {app_dirs.data / 'history.sqlite3'}",
    ]
    assert not app_dirs.config.exists() and not app_dirs.data.exists()  # nothing created


def test_plugins_json() -> None:
    result = run("plugins", "--json")
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    routines = plugins["builtin-routines"]
    assert {"name", "version", "hooks"} <= set(routines)
    assert routines["builtin"] is True
    assert "psoas_tui_routines" in routines["hooks"]
    assert sorted(routines["contributions"]["routines"]) == BUILTIN_IDS
    assert routines["failures"] == []


def test_plugins_text_lists_name_version_and_hooks() -> None:
    result = run("plugins")
    assert result.returncode == 0, result.stderr
    assert any(line.startswith("builtin-routines ") for line in result.stdout.splitlines())
    assert "hooks: psoas_tui_routines" in result.stdout


# --------------------------------------------------------------------------- user errors


@pytest.mark.parametrize("command", [("routines",), ("show", "desk-break")])
def test_bad_config_is_one_line_and_exit_2(app_dirs: Any, command: tuple[str, ...]) -> None:
    app_dirs.config.mkdir(parents=True)
    config = app_dirs.config / "config.toml"
    config.write_text("# mine\nweekly_goal = 12\n", encoding="utf-8")
    line = assert_one_line_error(run(*command))
    assert line == f"psoas-tui: {config}:2: weekly_goal: must be a whole number 1-7, got 12"


def test_config_syntax_error_is_one_line_and_exit_2(app_dirs: Any) -> None:
    app_dirs.config.mkdir(parents=True)
    config = app_dirs.config / "config.toml"
    config.write_text("theme = [\n", encoding="utf-8")
    line = assert_one_line_error(run("routines"))
    assert line.startswith(f"psoas-tui: {config}:")
    assert ": TOML syntax: " in line


def test_unknown_subcommand_is_one_line_and_exit_2() -> None:
    line = assert_one_line_error(run("stretchify"))
    assert line.startswith("psoas-tui: ")
    assert line.endswith("(see --help)")


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("psoas-tui ")


# --------------------------------------------------------------------- one parser, lazy commands


def test_help_still_lists_every_subcommand() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for name, _module in COMMANDS:
        assert f"    {name} " in result.stdout or f"    {name}\n" in result.stdout, name


class _Terminal:
    """A stand-in stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {"routine_id": None, "cue_styles": None}),
        (["--no-plugins"], {"routine_id": None, "cue_styles": None}),
        (["run", "desk-break"], {"routine_id": "desk-break", "cue_styles": None}),
        (["--no-plugins", "run", "--cue", "bell", "desk-break", "--cue=title", "--no-checkin"],
         {"routine_id": "desk-break", "cue_styles": ["bell", "title"]}),
    ],
)
def test_opening_the_app(argv: list[str], expected: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from psoas_tui import cli
    from psoas_tui.tui import launch as launch_module

    calls: list[dict[str, Any]] = []

    def fake_launch(**kwargs: Any) -> int:
        calls.append(kwargs)
        return 0

    monkeypatch.delenv("PSOAS_TUI_NO_PLUGINS", raising=False)
    monkeypatch.setattr(launch_module, "launch", fake_launch)
    monkeypatch.setattr(sys, "stdout", _Terminal())
    monkeypatch.setattr(sys, "stdin", _Terminal())  # the app needs both (issue 9, item 5)
    assert cli.main(argv) == 0
    assert calls == [expected]
    assert (os.environ.get("PSOAS_TUI_NO_PLUGINS") == "1") == ("--no-plugins" in argv)


def command_modules_after(argv: list[str]) -> list[str]:
    """The subcommand modules imported by ``psoas-tui ARGV`` (the app and ``main``'s exit faked)."""
    code = (
        "import sys\n"
        "import psoas_tui.tui.launch as launch\n"
        "launch.launch = lambda **kwargs: 0\n"
        "from psoas_tui import cli\n"
        "cli.has_terminal = lambda: True\n"
        f"try:\n    cli.main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('psoas_tui.commands.')), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return ast.literal_eval(result.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("argv", "imported"),
    [
        (["--version"], set()),
        (["--bogus"], set()),
        (["routines", "--bogus"], {"routines"}),
        (["run", "-h"], {"run", "common"}),
        (["paths", "--json"], {"paths"}),
    ],
)
def test_one_parser_imports_only_the_chosen_command(argv: list[str], imported: set[str]) -> None:
    modules = {name.removeprefix("psoas_tui.commands.") for name in command_modules_after(argv)}
    others = {module for _name, module in COMMANDS} - imported
    assert imported <= modules and not modules & others, modules


def test_only_help_imports_every_command() -> None:
    every = {f"psoas_tui.commands.{module}" for _name, module in COMMANDS}
    assert every <= set(command_modules_after(["--help"]))
    assert command_modules_after(["nosuchcommand"]) == []  # the choices are names alone


def test_opening_the_app_user_error_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from psoas_tui import cli
    from psoas_tui.errors import UserError
    from psoas_tui.tui import launch as launch_module

    def unknown(**kwargs: Any) -> int:
        raise UserError(f"no routine with id {kwargs['routine_id']!r} (see: psoas-tui routines)")

    monkeypatch.setattr(launch_module, "launch", unknown)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setattr(sys, "stdin", terminal)  # the app needs both (issue 9, item 5)
    assert cli.main(["run", "nope"]) == 2
    assert capsys.readouterr().err == "psoas-tui: no routine with id 'nope' (see: psoas-tui routines)\n"


def test_opening_the_app_imports_no_command_module() -> None:
    code = (
        "import sys\n"
        "import psoas_tui.tui.launch as launch\n"
        "launch.launch = lambda **kwargs: 0\n"
        "from psoas_tui import cli\n"
        "cli.has_terminal = lambda: True\n"  # no pty here; the app needs one (issue 9, item 5)
        "assert cli.main(['--no-plugins']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('psoas_tui.commands') or m == 'pluggy'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_no_plugins_env_name_matches_the_plugin_host() -> None:
    from psoas_tui import cli
    from psoas_tui.plugin_host import host as plugins

    assert cli.NO_PLUGINS_ENV == plugins.NO_PLUGINS_ENV


# -- plugin failures are named on stderr, once each -------------------------------------------

BROKEN_SRC = Path(__file__).resolve().parent / "plugin_fixtures" / "psoas-tui-broken"


@pytest.fixture
def broken_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The broken fixture distribution "installed" (metadata + source on PYTHONPATH)."""
    site = tmp_path / "site"
    info = site / "psoas_tui_broken-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: psoas-tui-broken\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(
        "[psoas_tui]\nbroken-import = psoas_tui_broken.import_error\nbroken-hooks = psoas_tui_broken.hooks\n"
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), str(BROKEN_SRC)]))
    monkeypatch.delenv("PSOAS_TUI_NO_PLUGINS", raising=False)
    return site


EXPECTED_ROUTINE_FAILURES = [
    "psoas-tui: plugin broken-hooks: psoas_tui_routines: RuntimeError: broken routines hook",
    "psoas-tui: plugin broken-import: import: "
    "ModuleNotFoundError: No module named 'psoas_tui_broken_missing_dependency'",
]


@pytest.mark.parametrize("args", [("routines",), ("routines", "--json"), ("show", "desk-break")])
def test_commands_that_load_the_library_name_each_broken_plugin_once(
    broken_plugins: Path, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert sorted(result.stderr.splitlines()) == EXPECTED_ROUTINE_FAILURES
    assert "desk-break" in result.stdout


def test_run_plain_names_a_broken_plugin_once_although_it_loads_plugins_twice(broken_plugins: Path) -> None:
    env = {**os.environ, "PSOAS_TUI_TIME_SCALE": "0.002"}
    result = subprocess.run(
        [sys.executable, "-m", "psoas_tui", "run", "desk-break", "--plain", "--no-checkin"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    failures = [line for line in result.stderr.splitlines() if line.startswith("psoas-tui: plugin ")]
    assert sorted(failures) == sorted(
        [
            *EXPECTED_ROUTINE_FAILURES,
            "psoas-tui: plugin broken-hooks: psoas_tui_cue_styles: "
            "cue style 'text' is already taken by builtin-cue-styles",
        ]
    )
