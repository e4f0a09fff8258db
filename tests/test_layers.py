"""The layers hold: import-linter's contracts (pyproject.toml, [tool.importlinter]) are kept, a
broken one fails the check, and the import graph of ``psoas_tui`` has no cycles, counting
imports made only under ``TYPE_CHECKING``. See docs/architecture.md.

``tests/test_no_textual_in_core.py`` stays beside this: it imports every core module for real,
so it also sees imports that a static graph cannot (``importlib.import_module`` by name).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
TIMEOUT = 120
CONTRACT_IDS = {"core-no-front-ends", "tui-no-cli", "core-no-textual", "no-cycles", "layers"}
# the order inside the domain sub-packages
CONTRACT_IDS |= {"practice-layers", "history-layers", "plugin-host-layers"}


def lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` on the package under ``root`` with ``root``'s pyproject.toml."""
    if not LINT_IMPORTS.exists():
        pytest.fail(f"{LINT_IMPORTS} not found: install the test extra (pip install -e '.[test]')")
    path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo"]
    for contract in contracts:
        args += ["--contract", contract]
    return subprocess.run(
        [*args, str(root / "pyproject.toml")], cwd=root, env=env, capture_output=True, text=True,
        check=False, stdin=subprocess.DEVNULL, timeout=TIMEOUT,
    )


def config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["importlinter"]


def test_the_contracts_are_declared_and_count_type_checking_imports() -> None:
    settings = config()
    assert settings["root_package"] == "psoas_tui"
    assert settings["include_external_packages"] is True  # so Textual can be named
    assert settings["exclude_type_checking_imports"] is False
    assert {contract["id"] for contract in settings["contracts"]} == CONTRACT_IDS
    layers = next(c for c in settings["contracts"] if c["id"] == "layers")
    assert layers["exhaustive"] is True  # a new module must be placed in a layer
    assert layers["layers"][:4] == ["__main__", "cli", "commands", "tui"]


def test_lint_imports_keeps_every_contract() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "psoas_tui", tmp_path / "psoas_tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("text.py", "from psoas_tui.tui import app", "core-no-front-ends"),
        ("plugin_host/host.py", "from psoas_tui.commands import common", "core-no-front-ends"),
        ("model.py", "import textual.app", "core-no-textual"),
        ("commands/history.py", "from textual.widgets import Static", "core-no-textual"),
        ("tui/escape.py", "from psoas_tui.commands import show", "tui-no-cli"),
        ("practice/wording.py", "if TYPE_CHECKING:\n    from psoas_tui.practice import runner", "no-cycles"),
        ("routines.py", "if TYPE_CHECKING:\n    from psoas_tui.practice import runner", "layers"),
        ("tui/screens/session_detail.py", "from psoas_tui.tui.screens.log import LogScreen", "no-cycles"),
        ("history/store.py", "from psoas_tui import services", "layers"),
        ("practice/wording.py", "from psoas_tui.practice import delivery", "practice-layers"),
        ("history/store.py", "from psoas_tui.history import stats", "history-layers"),
        ("plugin_host/hookspecs.py", "from psoas_tui.plugin_host import host", "plugin-host-layers"),
    ],
    ids=lambda value: value.split("\n")[-1].strip() if isinstance(value, str) else value,
)
def test_a_broken_contract_fails_the_check(tmp_path: Path, module: str, line: str, contract: str) -> None:
    root = copy_of_the_package(tmp_path)
    with (root / "psoas_tui" / module).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{line}\n")
    done = lint_imports(root, contract)
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout


# -- no cycles, module by module --------------------------------------------------------------


def import_graph() -> grimp.ImportGraph:
    """Every import inside ``psoas_tui``, including those made only under ``TYPE_CHECKING``."""
    return grimp.build_graph("psoas_tui", exclude_type_checking_imports=False, cache_dir=None)


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    edges = {module: sorted(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return sorted(found)


def test_the_import_graph_has_no_cycles() -> None:
    graph = import_graph()
    assert "psoas_tui.practice.runner" in graph.modules and "psoas_tui.tui.app" in graph.modules
    assert cycles(graph) == []


def test_the_cycle_check_would_notice_one() -> None:
    graph = import_graph()
    graph.add_import(importer="psoas_tui.text", imported="psoas_tui.labels")  # labels imports text
    # the runner imports the timeline
    graph.add_import(importer="psoas_tui.practice.timeline", imported="psoas_tui.practice.runner")
    found = cycles(graph)
    assert ["psoas_tui.labels", "psoas_tui.text"] in found
    assert any({"psoas_tui.practice.runner", "psoas_tui.practice.timeline"} <= set(group) for group in found)
    assert len(found) == 2
