"""One place to make routine and plugin text safe for Textual markup.

Text that comes from routine files and plugins is data, never markup: a routine titled
``[@click=app.quit]x`` must show those characters, not quit the app. Use ``markup()`` when the
text is placed inside a markup string, or ``plain()`` to get a ``Content`` that is never parsed.
"""

from __future__ import annotations

from textual.content import Content
from textual.markup import escape as _escape


def markup(text: object) -> str:
    """``text`` escaped so it can sit inside Textual markup and show literally."""
    return _escape(str(text))


def plain(text: object, style: str = "") -> Content:
    """``text`` as a ``Content`` that is never parsed as markup (optionally styled)."""
    return Content.styled(str(text), style) if style else Content(str(text))
