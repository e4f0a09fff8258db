"""Every hookspec is documented in docs/plugins.md with its exact signature (taken from the code),
so adding or changing a hook fails this test until the author guide says so."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from psoas_tui import api, hookspecs

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
