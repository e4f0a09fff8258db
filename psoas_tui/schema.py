"""Declared schemas for the files people write: the field checks every format shares.

A format declares its tables as ``{key: Field}`` mappings (``routines.ROUTINE``,
``routines.STEP``, ``figures.poseformat.POSE``, ``config.Settings``' fields, the history
codec's session fields), so adding a field is one line plus its docs. ``Checker.table`` refuses
unknown keys, then checks each declared field in order; a problem is raised at once as the
format's error, ``file:line: field: message``, the line found by the document's ``line_of``
(``files.FieldLines``). Rules that tie fields together (a reps step takes ``count``, not
``seconds``) stay with their format, as code after ``table``.

The library is ours, not msgspec or pydantic: their messages (``Expected `int`, got `str` -
at `$.steps[0].seconds```) are not the ones docs/routine-format.md promises, and neither knows
TOML lines; turning their errors back into ours would be more code than the checks themselves.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psoas_tui.errors import RoutineError, UserError
from psoas_tui.model import SLUG_RE
from psoas_tui.text import control_character, control_message, safe

LineOf = Callable[[str], "int | None"]
ErrorFactory = Callable[[str, str, str, "int | None"], UserError]
SLUG_MESSAGE = "must be a slug (lowercase letters, digits, hyphens), got {!r}"


def type_name(value: Any) -> str:
    """``a number``, ``a string``, ``a table``...: what a TOML value is, for a message."""
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def show(value: Any) -> str:
    """A value as a message shows it: ``true``, ``5``, ``'text'``, else its type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return repr(value)
    return type_name(value)


def _no_line(_field: str) -> int | None:
    return None


class Checker:
    """Checks parsed data against declared fields; ``fail`` makes the format's error."""

    def __init__(self, name: str, line_of: LineOf | None = None, error: ErrorFactory = RoutineError) -> None:
        self.path = name
        self.line_of = line_of or _no_line
        self.error = error

    def fail(self, field: str, message: str) -> UserError:
        """The error for ``field`` (shown safe: an unknown key may hold control characters)."""
        return self.error(self.path, safe(field), message, self.line_of(field))

    def keys(self, data: Mapping[str, Any], allowed: Sequence[str] | set[str], at: str = "",
             message: str | None = None) -> None:
        """Refuse the first key (in sorted order) of ``data`` that ``allowed`` lacks."""
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            field = f"{at}.{unknown[0]}" if at else unknown[0]
            raise self.fail(field, message or f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def table(self, data: Mapping[str, Any], spec: Mapping[str, Field], at: str = "") -> dict[str, Any]:
        """Every field of ``spec`` checked (unknown keys refused first): ``{key: value}``."""
        self.keys(data, spec, at)
        return {key: self.field(data, key, rule, f"{at}.{key}" if at else key) for key, rule in spec.items()}

    def field(self, data: Mapping[str, Any], key: str, rule: Field, field: str) -> Any:
        """One field's value checked, or its default when it is absent and not required."""
        if key not in data:
            if rule.required:
                raise self.fail(field, rule.missing)
            return rule.default
        return rule.check(self, data[key], field)

    def no_controls(self, value: str, field: str, *, newlines: bool = False) -> None:
        """Refuse ``value`` if it holds a control character."""
        char = control_character(value, newlines=newlines)
        if char is not None:
            raise self.fail(field, control_message(char))


@dataclass(frozen=True)
class Field:
    """A declared field: ``required`` (with the ``missing`` message) or a ``default``."""

    required: bool = False
    default: Any = None
    missing: str = "is required"

    def check(self, checker: Checker, value: Any, field: str) -> Any:
        """``value`` checked (and made the value the program uses)."""
        return value


@dataclass(frozen=True)
class Text(Field):
    """A one-line string, stripped: at most ``limit`` characters, optionally a slug or one of
    ``choices``; no control characters."""

    limit: int = 80
    slug: bool = False
    choices: tuple[str, ...] = ()
    default: Any = ""

    def check(self, checker: Checker, value: Any, field: str) -> str:
        if not isinstance(value, str):
            raise checker.fail(field, f"must be a string, got {type_name(value)}")
        checker.no_controls(value, field)
        value = value.strip()
        if self.required and not value:
            raise checker.fail(field, "must not be empty")
        if len(value) > self.limit:
            raise checker.fail(field, f"must be at most {self.limit} characters, got {len(value)}")
        if self.slug and not SLUG_RE.match(value):
            raise checker.fail(field, SLUG_MESSAGE.format(value))
        if self.choices and value and value not in self.choices:
            raise checker.fail(field, f"must be one of {', '.join(self.choices)}, got {value!r}")
        return value or self.default


@dataclass(frozen=True)
class Whole(Field):
    """A whole number ``low``-``high`` (a boolean is not one)."""

    low: int = 0
    high: int = 0

    def check(self, checker: Checker, value: Any, field: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise checker.fail(field, f"must be a whole number {self.low}-{self.high}, got {show(value)}")
        if not self.low <= value <= self.high:
            raise checker.fail(field, f"must be {self.low}-{self.high}, got {value}")
        return value


@dataclass(frozen=True)
class Number(Field):
    """A finite number ``low``-``high``, as a float."""

    low: float = 0.0
    high: float = 0.0

    def check(self, checker: Checker, value: Any, field: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise checker.fail(field, f"must be a number {self.low:g}-{self.high:g}, got {show(value)}")
        if not self.low <= value <= self.high:
            raise checker.fail(field, f"must be {self.low:g}-{self.high:g}, got {value:g}")
        return float(value)


@dataclass(frozen=True)
class Strings(Field):
    """A list of at most ``entries`` non-empty strings of at most ``limit`` characters each."""

    entries: int = 50
    limit: int = 300
    slugs: bool = False
    default: Any = ()

    def check(self, checker: Checker, value: Any, field: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise checker.fail(field, f"must be a list of strings, got {type_name(value)}")
        if len(value) > self.entries:
            raise checker.fail(field, f"must have at most {self.entries} entries, got {len(value)}")
        result = []
        for index, item in enumerate(value, 1):
            at = f"{field}[{index}]"
            if not isinstance(item, str) or not item.strip():
                raise checker.fail(at, f"must be a non-empty string, got {show(item)}")
            checker.no_controls(item, at)
            if len(item) > self.limit:
                raise checker.fail(at, f"must be at most {self.limit} characters")
            if self.slugs and not SLUG_RE.match(item):
                raise checker.fail(at, f"must be a slug like 'hip-flexor', got {item!r}")
            result.append(item.strip())
        return tuple(result)


@dataclass(frozen=True)
class Version(Field):
    """The ``schema = N`` every file starts with."""

    version: int = 1

    def check(self, checker: Checker, value: Any, field: str) -> int:
        if type(value) is not int or value != self.version:
            raise checker.fail(field, f"unsupported version {show(value)}; this app reads {self.version}")
        return value


@dataclass(frozen=True)
class Rule(Field):
    """A field checked by a function ``check(value) -> value`` that raises ``ValueError`` with
    the message (``parse_breath``, say)."""

    rule: Callable[[Any], Any] = lambda value: value

    def check(self, checker: Checker, value: Any, field: str) -> Any:
        try:
            return self.rule(value)
        except (ValueError, TypeError) as exc:
            raise checker.fail(field, str(exc)) from None


def version(number: int) -> Version:
    """The required ``schema`` field of a format at ``number``."""
    return Version(required=True, missing=f"is required (schema = {number})", version=number)
