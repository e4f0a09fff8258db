"""Settings: a small TOML file in the config folder, read strictly and written with tomli-w.

A missing file means defaults. A bad file is a ``ConfigError`` naming the file, the line of the
bad setting (or of the TOML syntax error) and the field; a failed load never overwrites it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psoas_tui import paths
from psoas_tui.errors import ConfigError
from psoas_tui.files import MIB, FieldLines, FileProblem, atomic_write, make_private_dir, read_toml
from psoas_tui.reminders.settings import (
    ReminderFieldError,
    ReminderSettings,
    reminders_from_dict,
    reminders_to_dict,
)
from psoas_tui.schema import Checker, Field, Rule

BREATH_RE = re.compile(r"^\d{1,2}-\d{1,2}-\d{1,2}-\d{1,2}$")


def _whole(low: int, high: int) -> Rule:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number {low}-{high}, got {value!r}")
        return value

    return Rule(rule=check)


def _cue_styles(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of style names")
    return tuple(dict.fromkeys(value))


def _breath(value: Any) -> str:
    if not isinstance(value, str) or not BREATH_RE.match(value):
        raise ValueError(f"must look like \"4-0-6-0\", got {value!r}")
    parts = [int(p) for p in value.split("-")]
    if parts[0] < 1 or parts[2] < 1 or max(parts) > 30:
        raise ValueError("inhale and exhale 1-30 s, holds 0-30 s")
    return value


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("must be a non-empty string")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _one_line(value: Any) -> str:
    if not isinstance(value, str) or "\0" in value or "\n" in value:
        raise ValueError(f"must be a string on one line, got {value!r}")
    return value


class _Bindings(Field):
    """The ``[keys]`` table: binding id = "keys"; a bad entry is named ``keys.<id>``."""

    def check(self, checker: Checker, value: Any, field: str) -> dict[str, str]:
        if not isinstance(value, dict):
            raise checker.fail(field, 'must be a table of binding id = "keys"')
        for binding, keys in value.items():
            if not isinstance(keys, str):
                message = f'must be a string of keys like "p,space", got {keys!r}'
                raise checker.fail(f"{field}.{binding}", message)
        return dict(value)


class _Reminders(Field):
    """The ``[reminders]`` table (``psoas_tui.reminders.settings``); a bad entry is
    ``reminders.<key>`` at its own line."""

    def check(self, checker: Checker, value: Any, field: str) -> ReminderSettings:
        if isinstance(value, ReminderSettings):
            return value
        try:
            return reminders_from_dict(value)
        except ReminderFieldError as exc:
            raise checker.fail(exc.field, exc.message) from None


def _check(rule: Field) -> dict[str, Field]:
    """The metadata of a ``Settings`` field: the check its value must pass."""
    return {"check": rule}


@dataclass(frozen=True, slots=True)
class Settings:
    """Every user setting with its default and its check (docs: README, "Settings")."""

    cue_styles: tuple[str, ...] = field(default=("text", "title"), metadata=_check(Rule(rule=_cue_styles)))
    breath: str = field(default="4-0-6-0", metadata=_check(Rule(rule=_breath)))
    get_ready_seconds: int = field(default=5, metadata=_check(_whole(0, 60)))
    switch_seconds: int = field(default=5, metadata=_check(_whole(0, 60)))
    weekly_goal: int = field(default=3, metadata=_check(_whole(1, 7)))
    theme: str = field(default="textual-dark", metadata=_check(Rule(rule=_name)))
    safety_acknowledged: bool = field(default=False, metadata=_check(Rule(rule=_flag)))
    keys: dict[str, str] = field(default_factory=dict, metadata=_check(_Bindings()))
    reminders: ReminderSettings = field(default_factory=ReminderSettings, metadata=_check(_Reminders()))
    sync_folder: str = field(default="", metadata=_check(Rule(rule=_one_line)))  # "" = no sync
    device_name: str = field(default="", metadata=_check(Rule(rule=_one_line)))  # "" = the host name

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied and validated."""
        data = settings_to_dict(self)
        data.update(changes)
        return settings_from_dict(data, "<settings>")


SETTINGS: dict[str, Field] = {f.name: f.metadata["check"] for f in dataclasses.fields(Settings)}


def _config_error(where: str, field_name: str, message: str, line: int | None) -> ConfigError:
    at = f"{where}:{line}" if line else where
    return ConfigError(f"{at}: {field_name}: {message}")


def settings_from_dict(data: dict[str, Any], where: str, *, text: str | None = None) -> Settings:
    """Validate a plain mapping into ``Settings``.

    Errors name ``where``, the line when ``text`` (the TOML it was read from) shows it, and
    the field: ``config.toml:3: weekly_goal: must be a whole number 1-7, got 9``.
    """
    line_of = FieldLines(text).line_of if text is not None else None
    checker = Checker(where, line_of, _config_error)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in SETTINGS:
            raise checker.fail(key, "unknown setting")
        values[key] = SETTINGS[key].check(checker, value, key)
    return Settings(**values)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """A TOML-ready mapping of ``settings``."""
    data = dataclasses.asdict(settings)
    data["cue_styles"] = list(settings.cue_styles)
    data["reminders"] = reminders_to_dict(settings.reminders)
    return data


MAX_CONFIG_BYTES = 1 * MIB  # a full config.toml is under 2 KiB


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; defaults when it does not exist."""
    path = path or paths.config_file()
    try:
        doc = read_toml(path, MAX_CONFIG_BYTES)
    except FileProblem as exc:
        if exc.kind == "missing":
            return Settings()
        if exc.kind == "encoding":
            raise ConfigError(f"{path}: not valid UTF-8") from None
        raise ConfigError(str(exc)) from None
    return settings_from_dict(doc.data, str(path), text=doc.text)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically (``files.atomic_write``).

    A new file is private (0600: the settings say when you practise); a file that exists keeps
    its mode.
    """
    import tomli_w

    path = path or paths.config_file()
    make_private_dir(path.parent)
    data = settings_to_dict(settings)
    atomic_write(path, lambda stream: tomli_w.dump(data, stream))
    return path
