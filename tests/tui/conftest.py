"""Fixtures shared by every TUI test (TUI-CORE, TUI-RUN and TUI-LOG use them; keep names stable).

- ``tui_dirs``: temporary config and data folders, set in ``PSOAS_TUI_CONFIG_DIR`` /
  ``PSOAS_TUI_DATA_DIR`` so nothing touches the real home; installed plugins are not loaded.
- ``fake_clock``: a ``psoas_tui.practice.clock.FakeClock`` (call it for "now"; ``advance(seconds)``).
- ``tui_ctx``: an ``AppContext`` on those folders, safety notice acknowledged, the fake clock.
- ``make_app``: ``make_app(ctx=None, **kwargs) -> PsoasApp`` (``ctx`` defaults to ``tui_ctx``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.config import Settings
from psoas_tui.practice.clock import FakeClock
from psoas_tui.tui.context import AppContext


@dataclass(frozen=True)
class TuiDirs:
    """The temporary folders a test app uses."""

    config: Path
    data: Path

    @property
    def routines(self) -> Path:
        """The user routines folder (created)."""
        folder = self.data / "routines"
        folder.mkdir(parents=True, exist_ok=True)
        return folder


@pytest.fixture
def tui_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TuiDirs:
    """Temporary config/data folders in the environment; no installed plugins; no animation."""
    config = tmp_path / "config"
    data = tmp_path / "data"
    config.mkdir()
    data.mkdir()
    monkeypatch.setenv("PSOAS_TUI_CONFIG_DIR", str(config))
    monkeypatch.setenv("PSOAS_TUI_DATA_DIR", str(data))
    monkeypatch.setenv("PSOAS_TUI_NO_PLUGINS", "1")
    monkeypatch.delenv("PSOAS_TUI_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("PSOAS_TUI_TIME_SCALE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return TuiDirs(config, data)


@pytest.fixture
def fake_clock() -> FakeClock:
    """A clock that stands still until ``advance`` is called."""
    return FakeClock()


@pytest.fixture
def tui_ctx(tui_dirs: TuiDirs, fake_clock: FakeClock) -> Iterator[AppContext]:
    """An ``AppContext`` on temporary folders, safety acknowledged, with the fake clock."""
    ctx = AppContext(
        settings=Settings(safety_acknowledged=True),
        config_path=tui_dirs.config / "config.toml",
        history_path=tui_dirs.data / "history.sqlite3",
        clock=fake_clock,
    )
    yield ctx
    ctx.close()


@pytest.fixture
def make_app(tui_ctx: AppContext) -> Callable[..., Any]:
    """Factory: ``make_app(ctx=None, **kwargs)`` -> ``PsoasApp`` (``ctx`` defaults to ``tui_ctx``)."""
    from psoas_tui.tui.app import PsoasApp

    def factory(ctx: AppContext | None = None, **kwargs: Any) -> PsoasApp:
        return PsoasApp(ctx if ctx is not None else tui_ctx, **kwargs)

    return factory
