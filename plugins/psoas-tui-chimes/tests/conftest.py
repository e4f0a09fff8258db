"""Make ``src/`` importable without installing, and keep the app away from the real home."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


@pytest.fixture(autouse=True)
def _isolated_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSOAS_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PSOAS_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PSOAS_TUI_DISABLE_PLUGINS", raising=False)


@pytest.fixture(autouse=True)
def _fresh_reports() -> None:
    """Each test starts as a new process would: no player problem reported yet."""
    from psoas_tui_chimes import player

    player._REPORTED.clear()
