"""What people read is written in one place (issue 10, item 6): durations, plurals, labels,
environment-variable names, broken-pipe handling. The source scans fail when a copy comes back."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from psoas_tui import env
from psoas_tui.labels import (
    contribution_label,
    short_source_label,
    source_label,
    source_phrase,
    stored_source_text,
)
from psoas_tui.model import RoutineSource
from psoas_tui.text import format_seconds, plural, plural_noun, split_seconds

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "psoas_tui"


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        yield name, ast.parse(path.read_text(encoding="utf-8"), filename=name)


def where(name: str, node: ast.AST) -> str:
    return f"{name}:{getattr(node, 'lineno', '?')}"


def string_constants(tree: ast.Module) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


# -- durations ------------------------------------------------------------------------------------


def test_durations_are_split_in_one_place() -> None:
    found = [
        where(name, node)
        for name, tree in modules() if name != "text.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "divmod"
        and len(node.args) == 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value == 3600
    ]
    assert found == [], "use psoas_tui.text.split_seconds / format_seconds"


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (75.4, "1:15"), (3725, "1:02:05"), (-3, "0:00")])
def test_format_seconds(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


def test_split_seconds() -> None:
    assert split_seconds(3725) == (1, 2, 5)
    assert split_seconds(59.6) == (0, 1, 0)
    assert split_seconds(-1) == (0, 0, 0)


# -- plurals --------------------------------------------------------------------------------------


def _is_hand_plural(node: ast.IfExp) -> bool:
    """``"day" if n == 1 else "days"`` or ``"s" if n != 1 else ""``."""
    values = [part.value for part in (node.body, node.orelse)
              if isinstance(part, ast.Constant) and isinstance(part.value, str)]
    if len(values) != 2:
        return False
    short, long = sorted(values, key=len)
    return long == short + "s" or (long.endswith("s") and long[:-1] == short)


def test_every_count_meets_its_noun_through_plural() -> None:
    found = [
        where(name, node)
        for name, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.IfExp) and _is_hand_plural(node)
    ]
    assert found == [], "use psoas_tui.text.plural (or plural_noun)"


def test_the_plural_scan_would_notice_a_hand_made_one() -> None:
    tree = ast.parse('a = f"{n} day{\'s\' if n != 1 else \'\'}"\nb = "day" if n == 1 else "days"')
    assert sum(isinstance(node, ast.IfExp) and _is_hand_plural(node) for node in ast.walk(tree)) == 2


def test_plural_and_plural_noun() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(1200, "session") == "1,200 sessions"
    assert plural(2, "entry", "entries") == "2 entries"
    assert plural_noun(1, "minute") == "minute" and plural_noun(0, "minute") == "minutes"


# -- labels ---------------------------------------------------------------------------------------

LABEL_WORDS = {"built-in", "your routines", "the built-in pack", "cue styles", "cue style"}


def test_source_and_contribution_labels_are_spelled_only_in_labels_py() -> None:
    found = [
        f"{where(name, node)} {node.value!r}"
        for name, tree in modules() if name != "labels.py"
        for node in string_constants(tree)
        if node.value in LABEL_WORDS
    ]
    assert found == [], "use psoas_tui.labels"


def test_source_labels() -> None:
    builtin, user = RoutineSource("builtin"), RoutineSource("user", path="/r/mine.toml")
    plugin = RoutineSource("plugin", name="yoga\x1b")
    labels = [source_label(s) for s in (builtin, user, plugin)]
    assert labels == ["built-in", "your routines", "plugin yoga\\x1b"]
    assert short_source_label(plugin) == "yoga\\x1b"
    assert short_source_label(RoutineSource("plugin")) == "plugin"
    assert source_phrase(builtin) == "the built-in pack"
    assert source_phrase(user) == "your routines folder (/r/mine.toml)"
    assert source_phrase(RoutineSource("plugin", name="yoga")) == "plugin yoga"
    assert stored_source_text(str(plugin)) == "the yoga\\x1b plugin"
    assert stored_source_text("plugin") == "a plugin" and stored_source_text("") == "-"


def test_contribution_labels() -> None:
    assert contribution_label("cue_styles") == "cue styles"
    assert contribution_label("cue_styles", 1) == "cue style"
    assert contribution_label("exporters", 1) == "exporter"
    assert contribution_label("poses") == "poses" and contribution_label("poses", 1) == "pose"


# -- environment variables -------------------------------------------------------------------------


def test_environment_variable_names_are_spelled_only_in_env_py() -> None:
    found = [
        f"{where(name, node)} {node.value!r}"
        for name, tree in modules() if name != "env.py"
        for node in string_constants(tree)
        if node.value.startswith("PSOAS_TUI_") and node.value.rstrip("=").isupper()
        and " " not in node.value
    ]
    assert found == [], "import the name from psoas_tui.env"


def test_env_lists_every_name_it_defines() -> None:
    defined = {value for key, value in vars(env).items() if key.isupper() and isinstance(value, str)}
    assert defined == set(env.ALL)
    assert all(name.startswith("PSOAS_TUI_") for name in env.ALL)


def test_disabled_plugins_reads_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(env.DISABLE_PLUGINS, " a , b,,c ")
    assert env.disabled_plugins() == {"a", "b", "c"}
    monkeypatch.delenv(env.DISABLE_PLUGINS)
    assert env.disabled_plugins() == set()


# -- broken pipes ---------------------------------------------------------------------------------


def test_broken_pipes_are_handled_only_by_the_cli_guard() -> None:
    found = [
        where(name, handler)
        for name, tree in modules() if name not in ("cli.py",)
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler) and handler.type is not None
        and "BrokenPipeError" in ast.unparse(handler.type)
    ]
    assert found == [], "let BrokenPipeError reach psoas_tui.cli (see psoas_tui.output)"


CLOSED_STDOUT = (
    "import os, sys\n"
    "read, write = os.pipe(); os.close(read); os.dup2(write, 1)\n"
    "sys.argv = ['psoas-tui', *sys.argv[1:]]\n"
    "from psoas_tui.cli import entry\n"
    "entry()\n"
)


@pytest.mark.parametrize("argv", [["routines"], ["routines", "--json"], ["plugins"]], ids=" ".join)
def test_a_closed_stdout_ends_every_command_quietly(argv: list[str]) -> None:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), env.NO_PLUGINS: "1"}
    environ.pop("PYTHONUNBUFFERED", None)  # block-buffered, as a real pipe is: the error comes at the end
    done = subprocess.run(
        [sys.executable, "-c", CLOSED_STDOUT, *argv], capture_output=True, text=True, check=False,
        stdin=subprocess.DEVNULL, env=environ, timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
