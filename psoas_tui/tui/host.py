"""What screens and widgets may ask of the app, typed: the services, and the app's own duties.

Screens reach the app through these two protocols instead of ``self.app.ctx  # type: ignore`` or
``getattr(app, ...)``. ``PsoasApp`` satisfies both; a test harness app that only owns a ``ctx``
satisfies ``ServicesHost``. The protocols live here, not in ``app.py``, so a screen never imports
the app (which imports the screens): no cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from textual.app import App

    from psoas_tui.model import Routine
    from psoas_tui.practice.recorder import SessionRecorder
    from psoas_tui.practice.runner import SessionRunner
    from psoas_tui.routines import RoutineLibrary
    from psoas_tui.services import Services


@runtime_checkable
class ServicesHost(Protocol):
    """An app that owns the shared services (``psoas_tui.services.Services``)."""

    ctx: Services


@runtime_checkable
class PsoasHost(ServicesHost, Protocol):
    """The full app: its services plus what only the app can do (start, keep saving, report)."""

    def load_library(self) -> RoutineLibrary:
        """The full routine library, loaded once."""

    def start(self, routine: Routine) -> None:
        """Push the run screen for ``routine``."""

    def keep_saving(self, recorder: SessionRecorder) -> None:
        """Retry ``recorder``'s writes after the run screen is gone."""

    def report_problems(self) -> None:
        """One notice per new plugin failure or skipped routine file."""

    def action_start_routine(self, routine_id: str) -> None:
        """Start the routine with ``routine_id`` (a notice if there is none)."""


@runtime_checkable
class SessionScreen(Protocol):
    """A screen that holds a practice session (the run screen), recognised without importing it:
    ``run.py`` is imported only when a routine starts, to keep the first paint fast."""

    runner: SessionRunner | None

    def action_stop(self, then_quit: bool = False) -> None:
        """Ask before stopping the session; with ``then_quit`` the app quits after it."""


def services_host(app: App[object]) -> ServicesHost:
    """``app`` as the owner of the services; a ``TypeError`` naming it when it owns none."""
    if not isinstance(app, ServicesHost):
        raise TypeError(f"{type(app).__name__} has no services (ctx): psoas-tui screens need one")
    return app


def psoas_host(app: App[object]) -> PsoasHost:
    """``app`` as the psoas-tui app; a ``TypeError`` naming it when it is some other app."""
    if not isinstance(app, PsoasHost):
        raise TypeError(f"{type(app).__name__} is not the psoas-tui app")
    return app


def services(app: App[object]) -> Services:
    """The app's shared services."""
    return services_host(app).ctx
