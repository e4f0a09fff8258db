"""Shared fixtures: every test runs with its own config and data folders, built-ins only.

* ``isolated_dirs`` (autouse) points ``PSOAS_TUI_CONFIG_DIR`` / ``PSOAS_TUI_DATA_DIR`` at fresh
  temporary folders (not created: nothing in the app should need them to exist up front), so
  no test ever reads or writes the real home. Subprocesses started by a test inherit them.
* It also sets ``PSOAS_TUI_NO_PLUGINS=1``: plugin distributions that happen to be installed in
  the developer's virtualenv must not change what the tests see. A test that wants installed
  entry points opts out with ``@pytest.mark.entry_point_plugins``. Tests that build their own
  host with ``build_plugin_host(entry_points=True)`` or ``extra=[...]`` are unaffected, because
  an explicit argument wins over the variable. ``PSOAS_TUI_DISABLE_PLUGINS`` is cleared.
* ``write_routine`` writes routine TOML (text or raw bytes) to a file and returns its path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CONFIG_ENV = "PSOAS_TUI_CONFIG_DIR"
DATA_ENV = "PSOAS_TUI_DATA_DIR"
NO_PLUGINS_ENV = "PSOAS_TUI_NO_PLUGINS"
DISABLE_ENV = "PSOAS_TUI_DISABLE_PLUGINS"

MINIMAL_ROUTINE = """\
schema = 1
id = "tiny"
title = "Tiny routine"
summary = "One short hold."

[[steps]]
kind = "hold"
title = "Hold"
seconds = 10
"""


def pytest_configure(config: pytest.Config) -> None:
    """Register this file's marker."""
    config.addinivalue_line(
        "markers",
        "entry_point_plugins: load installed entry-point plugins (PSOAS_TUI_NO_PLUGINS is not set)",
    )


@dataclass(frozen=True)
class AppDirs:
    """The folders a test's app instance uses (they may not exist yet)."""

    config: Path
    data: Path

    @property
    def routines(self) -> Path:
        """The user-routines folder inside the data folder."""
        return self.data / "routines"


@pytest.fixture(autouse=True)
def isolated_dirs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppDirs]:
    """Point the app at temporary config/data folders and turn off installed plugins."""
    base = tmp_path_factory.mktemp("app")
    dirs = AppDirs(config=base / "config", data=base / "data")
    monkeypatch.setenv(CONFIG_ENV, str(dirs.config))
    monkeypatch.setenv(DATA_ENV, str(dirs.data))
    monkeypatch.delenv(DISABLE_ENV, raising=False)
    if request.node.get_closest_marker("entry_point_plugins"):
        monkeypatch.delenv(NO_PLUGINS_ENV, raising=False)
    else:
        monkeypatch.setenv(NO_PLUGINS_ENV, "1")
    yield dirs


@pytest.fixture
def app_dirs(isolated_dirs: AppDirs) -> AppDirs:
    """The isolated folders of this test, by a friendlier name."""
    return isolated_dirs


@pytest.fixture
def write_routine(tmp_path: Path) -> Callable[..., Path]:
    """A function writing routine TOML to a file and returning its path.

    Call it as ``write_routine(text)`` (a file in ``tmp_path``) or ``write_routine(folder, text)``;
    ``text`` may be ``str`` (written as UTF-8) or ``bytes`` (written as is). The file is named
    ``name`` (default ``routine.toml``); missing folders are created.
    """

    def write(*args: object, name: str = "routine.toml") -> Path:
        if len(args) == 1:
            folder, text = tmp_path, args[0]
        elif len(args) == 2:
            folder, text = Path(args[0]), args[1]  # type: ignore[arg-type]
        else:
            raise TypeError("write_routine(text) or write_routine(folder, text)")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        elif isinstance(text, str):
            path.write_text(text, encoding="utf-8")
        else:
            raise TypeError(f"text must be str or bytes, got {type(text).__name__}")
        return path

    return write


@pytest.fixture
def minimal_routine() -> str:
    """A small valid routine (id ``tiny``, one 10 s hold) as TOML text."""
    return MINIMAL_ROUTINE
