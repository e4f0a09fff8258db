"""Start the full-screen app: ``psoas-tui`` (choose screen) or ``psoas-tui run ID`` (run screen)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from psoas_tui.model import Routine
    from psoas_tui.tui.context import AppContext


def launch(
    routine_id: str | None = None,
    *,
    routine: Routine | None = None,
    ctx: AppContext | None = None,
    cue_styles: Sequence[str] | None = None,
) -> int:
    """Run the app until it exits; returns the exit status.

    ``routine_id`` (an id or a ``.toml`` path), or an already loaded ``routine``, opens straight
    on the run screen. An unknown id is a ``UserError`` raised before the screen is taken
    over, so the CLI prints it on one line and exits with status 2. ``cue_styles`` (from
    ``run --cue``) replaces the configured styles for this run only; nothing is saved.
    """
    from psoas_tui.tui.app import PsoasApp
    from psoas_tui.tui.context import AppContext

    ctx = ctx if ctx is not None else AppContext.from_environment()
    if cue_styles:
        ctx.settings = ctx.settings.replace(cue_styles=list(cue_styles))
    if routine is None and routine_id is not None:
        routine = _find_routine(ctx, routine_id)
    app = PsoasApp(ctx, routine=routine)
    try:
        result = app.run()
    finally:
        ctx.close()
    if app.return_code:
        return app.return_code
    return int(result or 0)


def _find_routine(ctx: AppContext, ref: str) -> Routine:
    """A routine by id, or from a ``.toml`` file path (the same rule as ``show`` and ``run``)."""
    from psoas_tui.routines import find_routine

    return find_routine(ref, lambda: ctx.library)
