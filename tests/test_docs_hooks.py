"""Every hookspec is documented in docs/plugins.md with its exact signature (taken from the code),
so adding or changing a hook fails this test until the author guide says so."""

from __future__ import annotations

import inspect
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from psoas_tui import api
from psoas_tui.plugin_host import hookspecs

DOC = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"


def hook_functions() -> dict[str, object]:
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    return {
        name: func
        for name, func in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(func, marker)
    }


def signature_text(name: str, func: object) -> str:
    """``def name(arg: Type) -> Return`` with annotations exactly as written in hookspecs.py."""
    sig = inspect.signature(func)  # type: ignore[arg-type]
    params = []
    for param in sig.parameters.values():
        annotation = param.annotation
        text = param.name
        if annotation is not inspect.Parameter.empty:
            text += f": {annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)}"
        params.append(text)
    result = sig.return_annotation
    ret = "" if result is inspect.Signature.empty else f" -> {result}"
    return f"def {name}({', '.join(params)}){ret}"


def test_there_are_hooks_to_document() -> None:
    hooks = hook_functions()
    assert {"psoas_tui_routines", "psoas_tui_cue_styles", "psoas_tui_exporters"} <= set(hooks)
    assert all(name.startswith("psoas_tui_") for name in hooks)


def test_every_hookspec_has_a_docstring() -> None:
    for name, func in hook_functions().items():
        assert (inspect.getdoc(func) or "").strip(), f"{name} has no docstring"


def test_every_hookspec_is_documented_with_its_signature() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, func in hook_functions().items():
        assert re.search(rf"^### {re.escape(name)}$", text, re.M), f"no section for {name} in docs/plugins.md"
        assert signature_text(name, func) in text, f"docs/plugins.md lacks: {signature_text(name, func)}"


def test_the_signature_check_would_catch_a_changed_hook() -> None:
    def psoas_tui_routines(extra: int) -> list[str]: ...

    assert signature_text("psoas_tui_routines", psoas_tui_routines) not in DOC.read_text(encoding="utf-8")


def test_documented_hooks_all_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^### (psoas_tui_\w+)$", text, re.M))
    assert documented == set(hook_functions())


def test_the_api_names_the_guide_imports_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("from psoas_tui.api import (", 1)[1].split(")", 1)[0]
    code = "\n".join(line.split("#", 1)[0] for line in block.splitlines())
    names = re.findall(r"[A-Za-z_]\w*", code)
    assert names
    for name in names:
        assert name in api.__all__, name


# -- the tutorial and the examples only use what the guide promises ---------------------------


def code_blocks(language: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def block_after(marker: str, language: str) -> str:
    """The first ``language`` code block after the line containing ``marker``."""
    text = DOC.read_text(encoding="utf-8")
    rest = text.split(marker, 1)[1]
    match = re.search(rf"^```{language}\n(.*?)^```", rest, re.M | re.S)
    assert match, f"no {language} block after {marker!r}"
    return match.group(1)


def test_python_examples_import_only_from_the_api() -> None:
    for block in code_blocks("python"):
        for module, names in re.findall(r"^from (psoas_tui[\w.]*) import \(?([^)\n]*)", block, re.M):
            if module == "psoas_tui.api" and names.strip():
                for name in re.findall(r"[A-Za-z_]\w*", names):
                    assert name in api.__all__, name
            assert module == "psoas_tui.api", f"docs/plugins.md imports from {module}: {block[:80]}"
        assert not re.search(r"^import psoas_tui\b", block, re.M), block[:80]


def test_every_file_of_the_tutorial_layout_is_written_by_a_step() -> None:
    layout = block_after("**1. Lay out the project.**", "")
    files = re.findall(r"^\s+([\w-]+\.(?:py|toml))$", layout, re.M)
    assert "test_hipstack.py" in files and "pyproject.toml" in files
    text = DOC.read_text(encoding="utf-8")
    for name in files:
        assert re.search(rf"\*\*\d\. .*`[\w/]*{re.escape(name)}`", text) or (
            name == "pyproject.toml" and "in `pyproject.toml`" in text
        ), f"no tutorial step fills {name}"


def test_every_tool_the_tutorial_runs_is_installed_first() -> None:
    text = DOC.read_text(encoding="utf-8")  # "python -m build" may be in prose too
    shell = "\n".join(code_blocks("sh"))
    for where, command, package in (
        (text, "python -m build", "pip install build"),
        (shell, "\npytest", "pip install pytest"),
    ):
        if command in where:
            assert package in where and where.index(package) < where.index(command), command


def test_the_tutorial_plugin_and_its_test_work_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Steps 2, 3, 4 and 6, copied out of the page and run in-process."""
    package = tmp_path / "src" / "psoas_tui_hipstack"
    (package / "routines").mkdir(parents=True)
    routine = block_after("**2. Write a routine**", "toml")
    (package / "routines" / "hipstack-evening.toml").write_text(routine, encoding="utf-8")
    (package / "__init__.py").write_text(block_after("**3. Write the plugin**", "python"), encoding="utf-8")
    project = tomllib.loads(block_after("**4. Declare the entry point**", "toml"))
    assert project["project"]["entry-points"]["psoas_tui"] == {"hipstack": "psoas_tui_hipstack"}
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    monkeypatch.delitem(sys.modules, "psoas_tui_hipstack", raising=False)
    namespace: dict[str, Any] = {}
    exec(compile(block_after("**6. Test it**", "python"), "test_hipstack.py", "exec"), namespace)
    namespace["test_routines_load"](tmp_path, monkeypatch)
