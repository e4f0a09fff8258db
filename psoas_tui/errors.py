"""Error types whose message is fit to show a person on one line."""

from __future__ import annotations


class UserError(Exception):
    """A problem with what the person gave us (a file, an argument, a setting).

    The CLI prints ``str(error)`` on one line to stderr and exits with status 2.
    """


class RoutineError(UserError):
    """A routine file that cannot be used: names the file, the line when known, and the field."""

    def __init__(self, path: str, field: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.field = field
        self.message = message
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class ConfigError(UserError):
    """A settings file that cannot be used."""


def one_line(exc: BaseException) -> str:
    """An exception as one short line: ``ValueError: bad thing``.

    A ``UserError`` carries a sentence meant for people, so it is shown without its class name.
    """
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if text and isinstance(exc, UserError):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
