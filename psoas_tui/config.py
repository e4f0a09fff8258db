"""Settings: a small TOML file in the config folder, read strictly and written with tomli-w.

A missing file means defaults. A bad file is a ``ConfigError`` naming the file, the line of the
bad setting (or of the TOML syntax error) and the field; a failed load never overwrites it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psoas_tui import paths
from psoas_tui.errors import ConfigError
from psoas_tui.files import MIB, FileProblem, decode_text, keep_mode, parse_toml, read_bytes

BREATH_RE = re.compile(r"^\d{1,2}-\d{1,2}-\d{1,2}-\d{1,2}$")


@dataclass(frozen=True, slots=True)
class Settings:
    """Every user setting with its default."""

    cue_styles: tuple[str, ...] = ("text", "title")
    breath: str = "4-0-6-0"
    get_ready_seconds: int = 5
    switch_seconds: int = 5
    weekly_goal: int = 3
    theme: str = "textual-dark"
    safety_acknowledged: bool = False
    keys: dict[str, str] = field(default_factory=dict)
    sync_folder: str = ""  # a folder Syncthing, git or a cloud drive moves ("" = no sync)
    device_name: str = ""  # this machine's name in the sync folder ("" = the host name)

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied and validated."""
        data = settings_to_dict(self)
        data.update(changes)
        return settings_from_dict(data, "<settings>")


_INT_RANGES: dict[str, tuple[int, int]] = {
    "get_ready_seconds": (0, 60),
    "switch_seconds": (0, 60),
    "weekly_goal": (1, 7),
}


def _line_of(text: str, key: str) -> int | None:
    """The line of ``text`` that sets the top-level ``key`` (``key = …`` or a ``[key]`` table)."""
    k = re.escape(key)
    assign = re.compile(rf"""^\s*(?:{k}|"{k}"|'{k}')\s*[=.]""")
    table = re.compile(rf"""^\s*\[\s*(?:{k}|"{k}"|'{k}')\s*[\].]""")
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        if table.match(line):
            return number
        if line.lstrip().startswith("["):
            in_table = True
        elif not in_table and assign.match(line):
            return number
    return None


def _entry_line(text: str, table: str, entry: str) -> int | None:
    """The line that sets ``entry`` inside the top-level ``table``; else the table's own line.

    Finds ``"entry" = …`` below a ``[table]`` header (until the next header), a
    ``[table."entry"]`` header, a dotted ``table."entry" = …`` outside any table, or the
    entry inside an inline ``table = {…}``.
    """
    t, e = re.escape(table), re.escape(entry)
    name = rf"""(?:{e}|"{e}"|'{e}')"""
    header = re.compile(rf"""^\s*\[\s*(?:{t}|"{t}"|'{t}')\s*\]""")
    inside = re.compile(rf"^\s*{name}\s*=")
    dotted = re.compile(rf"""^\s*(?:{t}|"{t}"|'{t}')\s*\.\s*{name}\s*=""")
    inline = re.compile(rf"""[{{,]\s*{name}\s*=""")
    sub_header = re.compile(rf"""^\s*\[\s*(?:{t}|"{t}"|'{t}')\s*\.\s*{name}\s*[\].]""")
    in_table = current = False
    for number, line in enumerate(text.splitlines(), 1):
        if sub_header.match(line):
            return number
        if line.lstrip().startswith("["):
            in_table = True
            current = bool(header.match(line))
            continue
        top_level = not in_table and (dotted.match(line) or inline.search(line))
        if (current and inside.match(line)) or top_level:
            return number
    return _line_of(text, table)


def settings_from_dict(data: dict[str, Any], where: str, *, text: str | None = None) -> Settings:
    """Validate a plain mapping into ``Settings``.

    Errors name ``where``, the line when ``text`` (the TOML it was read from) shows it, and
    the field: ``config.toml:3: weekly_goal: must be a whole number 1-7, got 9``.
    """
    try:
        return _settings_from_dict(data)
    except _FieldError as exc:
        line = None
        if text is not None:
            line = _entry_line(text, exc.key, exc.entry) if exc.entry else _line_of(text, exc.key)
        at = f"{where}:{line}" if line else where
        field_name = f"{exc.key}.{exc.entry}" if exc.entry else exc.key
        raise ConfigError(f"{at}: {field_name}: {exc.message}") from None


class _FieldError(Exception):
    def __init__(self, key: str, message: str, entry: str = "") -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.entry = entry  # the entry of a table setting (a binding id in [keys]), if any


def _settings_from_dict(data: dict[str, Any]) -> Settings:
    known = {f.name for f in dataclasses.fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise _FieldError(key, "unknown setting")
        if key in _INT_RANGES:
            low, high = _INT_RANGES[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise _FieldError(key, f"must be a whole number {low}-{high}, got {value!r}")
        elif key == "cue_styles":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise _FieldError("cue_styles", "must be a list of style names")
            value = tuple(dict.fromkeys(value))
        elif key == "breath":
            if not isinstance(value, str) or not BREATH_RE.match(value):
                raise _FieldError("breath", f"must look like \"4-0-6-0\", got {value!r}")
            parts = [int(p) for p in value.split("-")]
            if parts[0] < 1 or parts[2] < 1 or max(parts) > 30:
                raise _FieldError("breath", "inhale and exhale 1-30 s, holds 0-30 s")
        elif key in ("theme",):
            if not isinstance(value, str) or not value:
                raise _FieldError(key, "must be a non-empty string")
        elif key in ("sync_folder", "device_name"):
            if not isinstance(value, str) or "\0" in value or "\n" in value:
                raise _FieldError(key, f"must be a string on one line, got {value!r}")
        elif key == "safety_acknowledged":
            if not isinstance(value, bool):
                raise _FieldError("safety_acknowledged", "must be true or false")
        elif key == "keys":
            if not isinstance(value, dict):
                raise _FieldError("keys", "must be a table of binding id = \"keys\"")
            for binding, keys in value.items():
                if not isinstance(keys, str):
                    raise _FieldError(
                        "keys", f'must be a string of keys like "p,space", got {keys!r}', binding
                    )
            value = dict(value)
        values[key] = value
    return Settings(**values)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """A TOML-ready mapping of ``settings``."""
    data = dataclasses.asdict(settings)
    data["cue_styles"] = list(settings.cue_styles)
    return data


MAX_CONFIG_BYTES = 1 * MIB  # a full config.toml is under 2 KiB


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; defaults when it does not exist."""
    path = path or paths.config_file()
    try:
        text = decode_text(read_bytes(path, MAX_CONFIG_BYTES), str(path))
        data = parse_toml(text, str(path))
    except FileProblem as exc:
        if exc.kind == "missing":
            return Settings()
        if exc.kind == "encoding":
            raise ConfigError(f"{path}: not valid UTF-8") from None
        raise ConfigError(str(exc)) from None
    return settings_from_dict(data, str(path), text=text)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically (temporary file renamed into place).

    A new file is private (0600: the settings say when you practise); a file that exists keeps
    its mode.
    """
    import tomli_w

    path = path or paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = settings_to_dict(settings)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)  # mode 0600
    try:
        keep_mode(fd, path)
        with os.fdopen(fd, "wb") as stream:
            tomli_w.dump(data, stream)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
