"""Pose files and figure maps (TOML, ``schema = 1``) into ``Pose`` values, strictly checked.

Errors read like routine errors, ``file:line: field: message``, e.g.
``x.toml:31: poses[2].keys[1].knee_near: must be 0-100, got 120``; unknown keys are refused.
The TOML reading, file errors and line lookup are the routine reader's (``files``), the field
checks are ``schema``'s; the fields are declared in ``POSE``, ``PROP`` and ``REF``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psoas_tui.errors import RoutineError
from psoas_tui.figures.poses import JOINTS, PROP_KINDS, SPACE, KeyPose, Point, Pose, Prop
from psoas_tui.files import TomlDocument
from psoas_tui.model import SLUG_RE
from psoas_tui.routines import read_file_bytes, toml_document
from psoas_tui.schema import Checker, Field, Number, Rule, Text, show, version

SCHEMA_VERSION = 1
MAX_POSES = 200
MAX_KEYS = 8
MAX_PROPS = 8
MAX_TITLE = 80
MAX_NAME = 64
HEAD_RADIUS = (2.0, 15.0)

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


# --------------------------------------------------------------------------- checking


def _prop_kind(value: Any) -> str:
    if value not in PROP_KINDS:
        raise ValueError(f"must be one of {', '.join(PROP_KINDS)}, got {show(value)}")
    return value


def _back(value: Any) -> str:
    if value not in ("", "left", "right"):
        raise ValueError(f"must be left or right, got {show(value)}")
    return value


# The pose format (docs/routine-format.md, "Pose files"), one line a field.
POSE: dict[str, Field] = {
    "name": Text(required=True, limit=MAX_NAME, slug=True),
    "title": Text(required=True, limit=MAX_TITLE),
    "head_radius": Number(default=6.0, low=HEAD_RADIUS[0], high=HEAD_RADIUS[1]),
    "props": Field(default=[]),  # checked by _Checker.tables / prop
    "keys": Field(required=True),
}
COORDINATE = Number(low=0, high=SPACE)
PROP: dict[str, Field] = {
    "kind": Rule(rule=_prop_kind),
    **{key: COORDINATE for key in ("x", "y", "width", "height")},
    "back": Rule(default="", rule=_back),
}
REF: dict[str, Field] = {
    "pose": Field(),
    "keys": Field(default=[]),
    "loop_seconds": Number(default=DEFAULT_LOOP_SECONDS, low=LOOP_SECONDS[0], high=LOOP_SECONDS[1]),
}
FILE_KEYS = {"schema", "poses"}
POSE_KEYS = set(POSE)
KEY_KEYS = {"name", *JOINTS}
MAP_KEYS = {"schema", "figures"}
REF_KEYS = set(REF)
SCHEMA = version(SCHEMA_VERSION)


def _pose_error(path: str, field: str, message: str, line: int | None) -> PoseError:
    return PoseError(path, field, message, line)


class _Checker(Checker):
    """Checks one parsed pose file or figure map, raising ``PoseError`` at the first problem."""

    def __init__(self, doc: TomlDocument) -> None:
        super().__init__(doc.name, doc.line_of, _pose_error)

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

    def point(self, value: Any, field: str) -> Point:
        if not isinstance(value, list) or len(value) != 2:
            raise self.fail(field, f"must be a point [x, y] (each 0-{SPACE:g}), got {show(value)}")
        return (COORDINATE.check(self, value[0], field), COORDINATE.check(self, value[1], field))

    def pose(self, data: dict[str, Any], at: str) -> Pose:
        values = self.table(data, POSE, at)
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
        return Pose(name=values["name"], title=values["title"], keys=tuple(keys), props=props,
                    head_radius=values["head_radius"])

    def key_pose(self, data: dict[str, Any], at: str, before: KeyPose | None) -> KeyPose:
        """A key pose; joints it leaves out are those of the key pose ``before`` it."""
        self.keys(data, KEY_KEYS, at)
        name = self.field(data, "name", POSE["name"], f"{at}.name")
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
        kind = PROP["kind"].check(self, data.get("kind"), f"{at}.kind")
        self.keys(data, PROP_KEYS[kind], at)
        for key in ("x", "width", "height"):
            if key in REQUIRED_PROP_KEYS[kind] and key not in data:
                raise self.fail(f"{at}.{key}", f"is required for a {kind}")
        values = self.table(data, {k: v for k, v in PROP.items() if k in PROP_KEYS[kind] | {"back"}}, at)
        if (values.get("x") or 0) + (values.get("width") or 0) > SPACE:
            reach = values["x"] + values["width"]
            raise self.fail(f"{at}.width", f"reaches past x = {SPACE:g} (x + width = {reach:g})")
        numbers = {k: v for k, v in values.items() if k not in ("kind", "back") and v is not None}
        return Prop(kind=kind, back=values["back"], **numbers)

    def poses(self, data: dict[str, Any]) -> tuple[Pose, ...]:
        self.keys(data, FILE_KEYS)
        self.field(data, "schema", SCHEMA, "schema")
        poses: list[Pose] = []
        for n, raw in enumerate(self.tables(data, "poses", "", 1, MAX_POSES), 1):
            pose = self.pose(raw, f"poses[{n}]")
            if pose.name in {p.name for p in poses}:
                raise self.fail(f"poses[{n}].name", f"{pose.name!r} is used by an earlier pose")
            poses.append(pose)
        return tuple(poses)

    def figure_map(self, data: dict[str, Any], poses: dict[str, Pose]) -> dict[str, tuple[FigureRef, ...]]:
        self.keys(data, MAP_KEYS)
        self.field(data, "schema", SCHEMA, "schema")
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
            raise self.fail(at, f'must be a pose name or {{ pose = "...", keys = [...] }}, got {show(item)}')
        self.keys(item, REF_KEYS, at)
        name = item.get("pose")
        if name not in poses:
            raise self.fail(at, f"no pose named {show(name)}")
        keys = item.get("keys", [])
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise self.fail(at, "keys must be a list of key pose names")
        for key in keys:
            if key not in poses[name].key_names():
                known = ", ".join(poses[name].key_names())
                raise self.fail(at, f"pose {name!r} has no key pose {key!r} (has {known})")
        loop = self.field(item, "loop_seconds", REF["loop_seconds"], f"{at}.loop_seconds")
        return FigureRef(name, tuple(keys), loop)


def parse_poses(raw: bytes, path: str) -> tuple[Pose, ...]:
    """Parse and check pose TOML bytes; ``path`` is used in error messages."""
    doc = toml_document(raw, path)
    return _Checker(doc).poses(doc.data)


def load_pose_file(path: Path | str) -> tuple[Pose, ...]:
    """Read and check one pose file; messages start with ``path`` as given."""
    return parse_poses(read_file_bytes(path), str(path))


def parse_figure_map(raw: bytes, path: str, poses: dict[str, Pose]) -> dict[str, tuple[FigureRef, ...]]:
    """Parse a figure map (routine id -> one figure per step) against the known ``poses``."""
    doc = toml_document(raw, path)
    return _Checker(doc).figure_map(doc.data, poses)
