"""The core never imports Textual: every module outside ``psoas_tui.tui`` imports without it,
each in a fresh interpreter, and the plain commands run without loading it."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import psoas_tui

# Imports the modules one by one in a fresh interpreter and names the first that pulls in Textual.
CHECK = """
import importlib, json, sys
for name in {modules!r}:
    importlib.import_module(name)
    if "textual" in sys.modules:
        print(json.dumps(name))
        break
else:
    print(json.dumps(None))
"""
RUN_COMMAND = (
    "import json, sys; from psoas_tui.cli import main; rc = main({argv!r}); "
    "sys.stdout.flush(); "
    "print('\\n@@' + json.dumps([rc, 'textual' in sys.modules]))"
)


TIMEOUT = 120  # a hung import fails the test instead of hanging the suite


def core_modules() -> list[str]:
    names = ["psoas_tui"]
    for info in pkgutil.walk_packages(psoas_tui.__path__, "psoas_tui."):
        if info.name == "psoas_tui.tui" or info.name.startswith("psoas_tui.tui."):
            continue
        if info.name == "psoas_tui.__main__":  # importing it runs the app
            continue
        names.append(info.name)
    return sorted(names)


def test_the_core_module_list_is_not_empty() -> None:
    modules = core_modules()
    for expected in ("psoas_tui.plugin_host.host", "psoas_tui.api", "psoas_tui.routines", "psoas_tui.cli"):
        assert expected in modules
    assert not any(m.startswith("psoas_tui.tui") for m in modules)


def test_no_core_module_imports_textual() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(modules=core_modules())],
        capture_output=True, text=True, check=False,
        stdin=subprocess.DEVNULL, timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) is None, "this module imports Textual"


def test_the_check_would_notice_textual() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(modules=["psoas_tui.plugin_host.host", "textual.app"])],
        capture_output=True, text=True, check=False,
        stdin=subprocess.DEVNULL, timeout=TIMEOUT,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == "textual.app"


@pytest.mark.parametrize(
    "argv",
    [["plugins"], ["plugins", "--json"], ["routines"], ["routines", "--json"], ["--no-plugins", "plugins"]],
    ids=" ".join,
)
def test_plain_commands_run_without_textual(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_COMMAND.format(argv=argv)], capture_output=True, text=True, check=False,
        stdin=subprocess.DEVNULL, timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    status, textual_loaded = json.loads(done.stdout.rsplit("@@", 1)[1])
    assert status == 0
    assert textual_loaded is False
