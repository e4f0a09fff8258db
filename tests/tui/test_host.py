"""Screens reach the app's services through a typed accessor, not ``getattr`` or ``# type: ignore``."""

from __future__ import annotations

import pytest
from textual.app import App

from psoas_tui.tui.app import PsoasApp
from psoas_tui.tui.host import PsoasHost, ServicesHost, psoas_host, services
from psoas_tui.tui.screens.base import PsoasModal, PsoasScreen


def test_the_app_is_a_psoas_host(tui_ctx) -> None:
    app = PsoasApp(tui_ctx)
    assert isinstance(app, PsoasHost)
    assert psoas_host(app) is app
    assert services(app) is tui_ctx


def test_an_app_without_services_is_named() -> None:
    with pytest.raises(TypeError, match="App has no services"):
        services(App())
    with pytest.raises(TypeError, match="is not the psoas-tui app"):
        psoas_host(App())


async def test_screens_read_ctx_typed(tui_ctx) -> None:
    app = PsoasApp(tui_ctx)
    async with app.run_test() as pilot:
        screen, modal = PsoasScreen[None](), PsoasModal[None]()
        await app.push_screen(screen)
        assert screen.ctx is tui_ctx and screen.host is app
        await app.push_screen(modal)
        assert modal.ctx is tui_ctx and modal.host is app
        await pilot.pause()
    assert isinstance(app, ServicesHost)
