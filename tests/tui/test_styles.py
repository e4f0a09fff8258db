"""Screens keep their styles in ``.tcss`` files beside them (``CSS_PATH``), which ship in the
package; reusable widgets keep ``DEFAULT_CSS`` (Textual's convention for components)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from textual.screen import Screen

# Every module under psoas_tui/tui/screens/ that defines a screen but choose (its layout is app CSS).
MODULES = (
    "run", "checkin", "export", "plugins", "session_detail", "log", "help", "settings", "safety",
)


def screens(module_name: str) -> list[type[Screen]]:
    module = importlib.import_module(f"psoas_tui.tui.screens.{module_name}")
    return [
        value for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, Screen) and value.__module__ == module.__name__
    ]


@pytest.mark.parametrize("module_name", MODULES)
def test_each_screen_has_its_tcss_beside_it_and_no_default_css(module_name: str) -> None:
    found = screens(module_name)
    assert found
    for screen in found:
        assert f"{module_name}.tcss" == screen.CSS_PATH, screen
        path = Path(inspect.getfile(screen)).with_name(screen.CSS_PATH)
        assert path.is_file(), path
        assert screen.__name__ in path.read_text(encoding="utf-8")
        assert "DEFAULT_CSS" not in vars(screen), screen
