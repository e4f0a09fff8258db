"""Base screens with a typed way to the app's services: ``self.ctx`` and ``self.host``.

Every psoas-tui screen derives from ``PsoasScreen`` or ``PsoasModal`` instead of Textual's
``Screen`` / ``ModalScreen``, and reads the services as ``self.ctx`` (a
``psoas_tui.services.Services``) and the app's own duties as ``self.host`` (``PsoasHost``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import ModalScreen, Screen, ScreenResultType

from psoas_tui.tui.host import PsoasHost, psoas_host, services

if TYPE_CHECKING:
    from psoas_tui.services import Services


class PsoasScreen(Screen[ScreenResultType]):
    """A full screen of the app, with typed access to its services."""

    @property
    def ctx(self) -> Services:
        """The app's shared services."""
        return services(self.app)

    @property
    def host(self) -> PsoasHost:
        """The app itself, typed: start a routine, keep saving, report problems."""
        return psoas_host(self.app)


class PsoasModal(ModalScreen[ScreenResultType]):
    """A dialog of the app, with the same typed ``ctx`` and ``host`` as ``PsoasScreen``."""

    ctx = PsoasScreen.ctx
    host = PsoasScreen.host
