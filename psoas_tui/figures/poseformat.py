"""Pose files and figure maps (TOML, ``schema = 1``) into ``Pose`` values, strictly checked.

Errors read like routine errors, ``file:line: field: message``, e.g.
``x.toml:31: poses[2].keys[1].knee_near: must be 0-100, got 120``; unknown keys are refused.
The TOML reading, file errors and key-line patterns are the routine reader's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psoas_tui import routines
from psoas_tui.errors import RoutineError
from psoas_tui.figures.poses import JOINTS, PROP_KINDS, SPACE, KeyPose, Point, Pose, Prop
from psoas_tui.model import SLUG_RE
from psoas_tui.routines import _key_line, _show, read_file_bytes, toml_document
from psoas_tui.text import control_character, control_message

SCHEMA_VERSION = 1
MAX_POSES = 200
MAX_KEYS = 8
MAX_PROPS = 8
MAX_TITLE = 80
MAX_NAME = 64
HEAD_RADIUS = (2.0, 15.0)

FILE_KEYS = {"schema", "poses"}
POSE_KEYS = {"name", "title", "head_radius", "props", "keys"}
KEY_KEYS = {"name", *JOINTS}
# Which fields each prop kind takes; the ones in REQUIRED_PROP_KEYS must be given.
PROP_KEYS: dict[str, set[str]] = {
    "floor": {"kind", "y"},
    "wall": {"kind", "x", "height"},
    "cushion": {"kind", "x", "y", "width", "height"},
    "chair": {"kind", "x", "y", "width", "height", "back"},
    "bed": {"kind", "x", "y", "width", "height"},
    "desk": {"kind", "x", "y", "width", "height"},
}
REQUIRED_PROP_KEYS: dict[str, set[str]] = {
    "floor": set(),
    "wall": {"x"},
    "cushion": {"x", "width", "height"},
    "chair": {"x", "width", "height"},
    "bed": {"x", "width", "height"},
    "desk": {"x", "width", "height"},
}
MAP_KEYS = {"schema", "figures"}
REF_KEYS = {"pose", "keys", "loop_seconds"}
LOOP_SECONDS = (2.0, 120.0)
DEFAULT_LOOP_SECONDS = 8.0


class PoseError(RoutineError):
    """A pose file or figure map that cannot be used (same shape as a routine error)."""


@dataclass(frozen=True, slots=True)
class FigureRef:
    """What a routine step shows: a pose, the key poses it moves between (all when empty) and,
    for a step without a breath pattern, how many seconds one slow loop through them takes."""

    pose: str
    keys: tuple[str, ...] = ()
    loop_seconds: float = DEFAULT_LOOP_SECONDS


# --------------------------------------------------------------------------- line lookup

_PART_RE = re.compile(r"([A-Za-z0-9_-]+)(?:\[(\d+)\])?")


def _is_header(line: str) -> bool:
    return line.startswith("[")


def _header_name(line: str) -> str:
    return line.strip("[] \t").replace(" ", "").replace('"', "").replace("'", "")


def line_of(lines: list[str], field: str) -> int | None:
    """The line (from 1) of ``field`` such as ``poses[2].keys[1].hip`` in the TOML ``lines``.

    ``name[n]`` follows the n-th ``[[name]]`` table (nested ones within their parent), or the
    n-th item of an inline array written one item a line; a plain name is a key of the table
    reached so far. The nearest line found is returned when the exact one is not there.
    """
    stripped = [line.strip() for line in lines]
    start, end, prefix, found = 0, len(lines), "", None
    for name, index in _PART_RE.findall(field):
        table = f"{prefix}.{name}" if prefix else name
        headers = [n for n in range(start, end) if stripped[n].startswith("[[")
                   and _header_name(stripped[n]) == table]
        if index and headers:
            pick = int(index) - 1
            if pick >= len(headers):
                return found
            start = headers[pick] + 1
            found = start
            end = next(
                (n for n in range(start, end) if _is_header(stripped[n])
                 and not _header_name(stripped[n]).startswith(table + ".")),
                end,
            )
            prefix = table
            continue
        tables = [n for n in range(start, end) if stripped[n].startswith("[")
                  and not stripped[n].startswith("[[") and _header_name(stripped[n]) == table]
        if tables and not index:
            start = found = tables[0] + 1
            end = next((n for n in range(start, end) if _is_header(stripped[n])), end)
            prefix = table
            continue
        assign = _key_line(name)
        own_end = next((n for n in range(start, end) if _is_header(stripped[n])), end)
        line = next((n for n in range(start, own_end) if assign.match(stripped[n])), None)
        if line is None:
            return found
        found = line + 1
        if index:
            items = [n for n in range(line + 1, own_end) if stripped[n].startswith(("{", '"', "'"))]
            pick = int(index) - 1
            return items[pick] + 1 if pick < len(items) else found
        return found
    return found


# --------------------------------------------------------------------------- checking


class _Checker(routines._Checker):
    """Checks one parsed document, raising ``PoseError`` at the first problem.

    The routine checker's string rules are reused; fields are found by ``line_of``.
    """

    def __init__(self, path: str, text: str) -> None:
        super().__init__(path, text)
        self.lines = text.splitlines()

    def fail(self, field: str, message: str) -> PoseError:
        return PoseError(self.path, field, message, line_of(self.lines, field))

    def keys(self, data: dict[str, Any], allowed: set[str], at: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            field = f"{at}.{unknown[0]}" if at else unknown[0]
            raise self.fail(field, f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def schema(self, data: dict[str, Any]) -> None:
        if "schema" not in data:
            raise PoseError(self.path, "schema", f"is required (schema = {SCHEMA_VERSION})")
        value = data["schema"]
        if type(value) is not int or value != SCHEMA_VERSION:
            raise self.fail("schema", f"unsupported version {_show(value)}; this app reads {SCHEMA_VERSION}")

    def tables(self, data: dict[str, Any], key: str, at: str, low: int, high: int) -> list[dict[str, Any]]:
        field = f"{at}.{key}" if at else key
        if key not in data:
            if low:
                raise self.fail(field, f"is required: add at least one [[{field.split('[')[0]}]] table")
            return []
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(field, "must be a list of tables")
        if not low <= len(value) <= high:
            raise self.fail(field, f"must have {low}-{high} entries, got {len(value)}")
        return value

    def text(  # type: ignore[override]
        self, data: dict[str, Any], key: str, field: str, limit: int, *, slug: bool = False
    ) -> str:
        """A required one-line string: the routine reader's checks, then no controls (a slug)."""
        value = super().text(data, key, field, required=True, limit=limit)
        char = control_character(value)
        if char is not None:
            raise self.fail(field, control_message(char))
        if slug and not SLUG_RE.match(value):
            raise self.fail(field, f"must be a slug (lowercase letters, digits, hyphens), got {value!r}")
        return value

    def number(self, value: Any, field: str, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(field, f"must be a number {low:g}-{high:g}, got {_show(value)}")
        if not low <= value <= high:
            raise self.fail(field, f"must be {low:g}-{high:g}, got {value:g}")
        return float(value)

    def point(self, value: Any, field: str) -> Point:
        if not isinstance(value, list) or len(value) != 2:
            raise self.fail(field, f"must be a point [x, y] (each 0-{SPACE:g}), got {_show(value)}")
        return (self.number(value[0], field, 0, SPACE), self.number(value[1], field, 0, SPACE))

    def pose(self, data: dict[str, Any], at: str) -> Pose:
        self.keys(data, POSE_KEYS, at)
        name = self.text(data, "name", f"{at}.name", MAX_NAME, slug=True)
        title = self.text(data, "title", f"{at}.title", MAX_TITLE)
        radius = 6.0
        if "head_radius" in data:
            radius = self.number(data["head_radius"], f"{at}.head_radius", *HEAD_RADIUS)
        props = tuple(
            self.prop(raw, f"{at}.props[{n}]")
            for n, raw in enumerate(self.tables(data, "props", at, 0, MAX_PROPS), 1)
        )
        keys: list[KeyPose] = []
        for n, raw in enumerate(self.tables(data, "keys", at, 1, MAX_KEYS), 1):
            key = self.key_pose(raw, f"{at}.keys[{n}]", keys[-1] if keys else None)
            if key.name in {k.name for k in keys}:
                raise self.fail(f"{at}.keys[{n}].name", f"{key.name!r} is used by an earlier key pose")
            keys.append(key)
        return Pose(name=name, title=title, keys=tuple(keys), props=props, head_radius=radius)

    def key_pose(self, data: dict[str, Any], at: str, before: KeyPose | None) -> KeyPose:
        """A key pose; joints it leaves out are those of the key pose ``before`` it."""
        self.keys(data, KEY_KEYS, at)
        name = self.text(data, "name", f"{at}.name", MAX_NAME, slug=True)
        points = []
        for joint in JOINTS:
            if joint in data:
                points.append(self.point(data[joint], f"{at}.{joint}"))
            elif before is not None:
                points.append(before.joint(joint))
            else:
                raise self.fail(f"{at}.{joint}", "is required in the first key pose (later ones may omit it)")
        return KeyPose(name, tuple(points))

    def prop(self, data: dict[str, Any], at: str) -> Prop:
        kind = data.get("kind")
        if kind not in PROP_KINDS:
            raise self.fail(f"{at}.kind", f"must be one of {', '.join(PROP_KINDS)}, got {_show(kind)}")
        self.keys(data, PROP_KEYS[kind], at)
        for key in ("x", "width", "height"):
            if key in REQUIRED_PROP_KEYS[kind] and key not in data:
                raise self.fail(f"{at}.{key}", f"is required for a {kind}")
        values = {
            key: self.number(data[key], f"{at}.{key}", 0, SPACE)
            for key in ("x", "y", "width", "height") if key in data
        }
        if values.get("x", 0) + values.get("width", 0) > SPACE:
            reach = values["x"] + values["width"]
            raise self.fail(f"{at}.width", f"reaches past x = {SPACE:g} (x + width = {reach:g})")
        back = data.get("back", "")
        if back not in ("", "left", "right"):
            raise self.fail(f"{at}.back", f"must be left or right, got {_show(back)}")
        return Prop(kind=kind, back=back, **values)

    def poses(self, data: dict[str, Any]) -> tuple[Pose, ...]:
        self.keys(data, FILE_KEYS, "")
        self.schema(data)
        poses: list[Pose] = []
        for n, raw in enumerate(self.tables(data, "poses", "", 1, MAX_POSES), 1):
            pose = self.pose(raw, f"poses[{n}]")
            if pose.name in {p.name for p in poses}:
                raise self.fail(f"poses[{n}].name", f"{pose.name!r} is used by an earlier pose")
            poses.append(pose)
        return tuple(poses)

    def figure_map(self, data: dict[str, Any], poses: dict[str, Pose]) -> dict[str, tuple[FigureRef, ...]]:
        self.keys(data, MAP_KEYS, "")
        self.schema(data)
        table = data.get("figures")
        if not isinstance(table, dict):
            raise self.fail("figures", "is required: a [figures] table of routine id = [pose per step]")
        result = {}
        for routine_id, steps in table.items():
            at = f"figures.{routine_id}"
            if not SLUG_RE.match(routine_id):
                raise self.fail(at, "must be a routine id (a slug)")
            if not isinstance(steps, list) or not 1 <= len(steps) <= 100:
                raise self.fail(at, "must be a list with one pose per step (1-100)")
            result[routine_id] = tuple(self.ref(item, f"{at}[{n}]", poses) for n, item in enumerate(steps, 1))
        return result

    def ref(self, item: Any, at: str, poses: dict[str, Pose]) -> FigureRef:
        """A step's figure: ``"pose"`` or ``{ pose = "pose", keys = ["a", "b"], loop_seconds = 8 }``."""
        if isinstance(item, str):
            item = {"pose": item}
        if not isinstance(item, dict):
            raise self.fail(at, f'must be a pose name or {{ pose = "...", keys = [...] }}, got {_show(item)}')
        self.keys(item, REF_KEYS, at)
        name = item.get("pose")
        if name not in poses:
            raise self.fail(at, f"no pose named {_show(name)}")
        keys = item.get("keys", [])
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise self.fail(at, "keys must be a list of key pose names")
        for key in keys:
            if key not in poses[name].key_names():
                known = ", ".join(poses[name].key_names())
                raise self.fail(at, f"pose {name!r} has no key pose {key!r} (has {known})")
        loop = DEFAULT_LOOP_SECONDS
        if "loop_seconds" in item:
            loop = self.number(item["loop_seconds"], f"{at}.loop_seconds", *LOOP_SECONDS)
        return FigureRef(name, tuple(keys), loop)


def parse_poses(raw: bytes, path: str) -> tuple[Pose, ...]:
    """Parse and check pose TOML bytes; ``path`` is used in error messages."""
    text, data = toml_document(raw, path)
    return _Checker(path, text).poses(data)


def load_pose_file(path: Path | str) -> tuple[Pose, ...]:
    """Read and check one pose file; messages start with ``path`` as given."""
    return parse_poses(read_file_bytes(path), str(path))


def parse_figure_map(raw: bytes, path: str, poses: dict[str, Pose]) -> dict[str, tuple[FigureRef, ...]]:
    """Parse a figure map (routine id -> one figure per step) against the known ``poses``."""
    text, data = toml_document(raw, path)
    return _Checker(path, text).figure_map(data, poses)
