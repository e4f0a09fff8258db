"""The app's services (``app.ctx``): ``psoas_tui.services.Services``, under its old name."""

from __future__ import annotations

from psoas_tui.services import Services

AppContext = Services

__all__ = ["AppContext", "Services"]
