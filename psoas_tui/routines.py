"""Routine files (TOML, ``schema = 1``) into ``Routine`` values, and the routine library.

Validation is strict: unknown keys, wrong types, out-of-range numbers and missing fields are
``RoutineError``s whose message names the file, the line (when it can be found) and the field,
e.g. ``x.toml:14: steps[2].seconds: must be 1-3600, got -5``. Steps are counted from 1.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psoas_tui.errors import RoutineError, UserError
from psoas_tui.model import (
    DEFAULT_BREATH,
    LEVELS,
    SIDES,
    SLUG_RE,
    BreathPattern,
    Routine,
    RoutineSource,
    Step,
    StepKind,
)

if TYPE_CHECKING:
    from psoas_tui.plugins import PluginHost

SCHEMA_VERSION = 1
MAX_STEP_SECONDS = 3600
MAX_STEPS = 100
MAX_REPS = 20
MAX_COUNT = 100
MAX_REST = 600
MAX_BREATH_PART = 30
MAX_TITLE = 80
MAX_TEXT = 300
MAX_ID = 64

TOP_KEYS = {"schema", "id", "title", "summary", "level", "tags", "cautions", "sources", "steps"}
STEP_KEYS = {"kind", "title", "cue", "seconds", "count", "sides", "reps", "rest_seconds", "breath"}
_TOML_POS_RE = re.compile(r"\s*\(at line (\d+), column \d+\)")
_BREATH_RE = re.compile(r"^(\d+)-(\d+)-(\d+)-(\d+)$")


def parse_breath(text: str) -> BreathPattern:
    """Parse ``"4-0-6-0"`` (inhale-hold-exhale-hold seconds); raise ``ValueError`` if bad."""
    match = _BREATH_RE.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f'must look like "4-0-6-0" (inhale-hold-exhale-hold), got {text!r}')
    inhale, hold_in, exhale, hold_out = (int(g) for g in match.groups())
    if inhale < 1 or exhale < 1:
        raise ValueError(f"inhale and exhale must be at least 1 s, got {text!r}")
    if max(inhale, hold_in, exhale, hold_out) > MAX_BREATH_PART:
        raise ValueError(f"each part must be at most {MAX_BREATH_PART} s, got {text!r}")
    return BreathPattern(inhale, hold_in, exhale, hold_out)


def _key_line(key: str) -> re.Pattern[str]:
    """A pattern for a line assigning ``key`` (bare, "quoted" or 'quoted', or dotted ``key.x``)."""
    k = re.escape(key)
    return re.compile(rf"""^(?:{k}|"{k}"|'{k}')\s*[=.]""")


def _sub_table(key: str) -> re.Pattern[str]:
    """A pattern for a ``[steps.key]`` / ``[[steps.key]]`` header (or a deeper ``[steps.key.x]``)."""
    k = re.escape(key)
    return re.compile(rf"""^\[\[?\s*steps\s*\.\s*(?:{k}|"{k}"|'{k}')\s*[\].]""")


class _Locator:
    """Finds the line of a field in the TOML text, so errors can point at it."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(self, field: str) -> int | None:
        match = re.match(r"steps\[(\d+)\](?:\.(\w+))?", field)
        if match:
            return self._step_line(int(match.group(1)), match.group(2))
        key = field.split(".")[0].split("[")[0]
        assign = _key_line(key)
        k = re.escape(key)
        header = re.compile(rf"""^\[\[?\s*(?:{k}|"{k}"|'{k}')\s*[\].]""")
        in_table = False
        for number, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if header.match(stripped):  # a [key] table, e.g. an unknown [meta]
                return number
            if stripped.startswith("["):
                in_table = True
            elif not in_table and assign.match(stripped):
                return number
        return None

    def _step_line(self, index: int, key: str | None) -> int | None:
        """The line of ``key`` in the ``index``-th ``[[steps]]`` (from 1), else its header line.

        A sub-table of that step (``[steps.meta]`` or ``[[steps.meta]]``) belongs to it, so
        an unknown ``meta`` is found at that header; keys below a sub-table are the sub-table's.
        """
        seen = 0
        header = None
        in_sub = False
        sub = _sub_table(key) if key else None
        for number, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if re.match(r"^\[\[\s*steps\s*\]\]", stripped):
                seen += 1
                if seen == index:
                    header = number
                    continue
                if header is not None:
                    break
            elif header is None:
                continue
            elif re.match(r"^\[\[?\s*steps\s*\.", stripped):  # [steps.x]: a table inside this step
                if sub is not None and sub.match(stripped):
                    return number
                in_sub = True
            elif stripped.startswith("["):
                break
            elif key and not in_sub and _key_line(key).match(stripped):
                return number
        return header


class _Checker:
    """Validates one parsed document, raising ``RoutineError`` at the first problem."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.locator = _Locator(text)

    def fail(self, field: str, message: str) -> RoutineError:
        return RoutineError(self.path, field, message, self.locator.line_of(field))

    def text(self, data: dict[str, Any], key: str, field: str, *, required: bool, limit: int) -> str:
        if key not in data:
            if required:
                raise self.fail(field, "is required")
            return ""
        value = data[key]
        if not isinstance(value, str):
            raise self.fail(field, f"must be a string, got {_type_name(value)}")
        value = value.strip()
        if required and not value:
            raise self.fail(field, "must not be empty")
        if len(value) > limit:
            raise self.fail(field, f"must be at most {limit} characters, got {len(value)}")
        return value

    def integer(self, data: dict[str, Any], key: str, field: str, low: int, high: int) -> int | None:
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, f"must be a whole number {low}-{high}, got {_show(value)}")
        if not low <= value <= high:
            raise self.fail(field, f"must be {low}-{high}, got {value}")
        return value

    def strings(self, data: dict[str, Any], key: str, *, slugs: bool = False) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of strings, got {_type_name(value)}")
        result = []
        for index, item in enumerate(value, 1):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{key}[{index}]", f"must be a non-empty string, got {_show(item)}")
            if len(item) > MAX_TEXT:
                raise self.fail(f"{key}[{index}]", f"must be at most {MAX_TEXT} characters")
            if slugs and not SLUG_RE.match(item):
                raise self.fail(f"{key}[{index}]", f"must be a slug like 'hip-flexor', got {item!r}")
            result.append(item.strip())
        return tuple(result)

    def routine(self, data: dict[str, Any], source: RoutineSource) -> Routine:
        unknown = sorted(set(data) - TOP_KEYS)
        if unknown:
            raise self.fail(unknown[0], f"unknown key (allowed: {', '.join(sorted(TOP_KEYS))})")
        if "schema" not in data:
            raise RoutineError(self.path, "schema", f"is required (schema = {SCHEMA_VERSION})")
        schema = data["schema"]
        if type(schema) is not int or schema != SCHEMA_VERSION:
            raise self.fail("schema", f"unsupported version {_show(schema)}; this app reads {SCHEMA_VERSION}")
        routine_id = self.text(data, "id", "id", required=True, limit=MAX_ID)
        if not SLUG_RE.match(routine_id):
            raise self.fail("id", f"must be a slug (lowercase letters, digits, hyphens), got {routine_id!r}")
        title = self.text(data, "title", "title", required=True, limit=MAX_TITLE)
        summary = self.text(data, "summary", "summary", required=True, limit=MAX_TEXT)
        level = self.text(data, "level", "level", required=False, limit=MAX_TITLE) or LEVELS[0]
        if level not in LEVELS:
            raise self.fail("level", f"must be one of {', '.join(LEVELS)}, got {level!r}")
        tags = self.strings(data, "tags", slugs=True)
        cautions = self.strings(data, "cautions")
        sources = self.strings(data, "sources")
        if "steps" not in data:
            raise RoutineError(self.path, "steps", "is required: add at least one [[steps]] table")
        raw_steps = data["steps"]
        if not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
            raise self.fail("steps", "must be an array of [[steps]] tables")
        if not raw_steps:
            raise self.fail("steps", "must have at least one step")
        if len(raw_steps) > MAX_STEPS:
            raise self.fail("steps", f"must have at most {MAX_STEPS} steps, got {len(raw_steps)}")
        steps = tuple(self.step(raw, index) for index, raw in enumerate(raw_steps, 1))
        return Routine(
            id=routine_id,
            title=title,
            summary=summary,
            steps=steps,
            level=level,
            tags=tags,
            cautions=cautions,
            sources=sources,
            source=source,
        )

    def step(self, data: dict[str, Any], index: int) -> Step:
        at = f"steps[{index}]"
        unknown = sorted(set(data) - STEP_KEYS)
        if unknown:
            raise self.fail(f"{at}.{unknown[0]}", f"unknown key (allowed: {', '.join(sorted(STEP_KEYS))})")
        if "kind" not in data:
            raise self.fail(f"{at}.kind", "is required")
        raw_kind = data["kind"]
        try:
            kind = StepKind(raw_kind)
        except (ValueError, TypeError):
            kinds = ", ".join(k.value for k in StepKind)
            raise self.fail(f"{at}.kind", f"must be one of {kinds}, got {_show(raw_kind)}") from None
        title = self.text(data, "title", f"{at}.title", required=True, limit=MAX_TITLE)
        cue = self.text(data, "cue", f"{at}.cue", required=False, limit=MAX_TEXT)
        seconds = self.integer(data, "seconds", f"{at}.seconds", 1, MAX_STEP_SECONDS)
        count = self.integer(data, "count", f"{at}.count", 1, MAX_COUNT)
        if kind is StepKind.REPS:
            if count is None:
                raise self.fail(f"{at}.count", "is required for a reps step (it is advanced by hand)")
            if seconds is not None:
                raise self.fail(f"{at}.seconds", "a reps step takes count, not seconds")
        else:
            if count is not None:
                raise self.fail(f"{at}.count", f"only reps steps take count; a {kind} step takes seconds")
            if seconds is None:
                raise self.fail(f"{at}.seconds", f"is required for a {kind} step (1-{MAX_STEP_SECONDS})")
        reps = self.integer(data, "reps", f"{at}.reps", 1, MAX_REPS) or 1
        rest = self.integer(data, "rest_seconds", f"{at}.rest_seconds", 0, MAX_REST) or 0
        if rest and reps < 2:
            raise self.fail(
                f"{at}.rest_seconds",
                f"needs reps of 2 or more (the rest comes between reps), got reps = {reps}",
            )
        sides = self.sides(data, at)
        breath, breath_default = None, False
        if data.get("breath") == "default":
            breath, breath_default = DEFAULT_BREATH, True
        elif "breath" in data:
            try:
                breath = parse_breath(data["breath"])
            except ValueError as exc:
                raise self.fail(f"{at}.breath", str(exc)) from None
        return Step(
            kind=kind,
            title=title,
            cue=cue,
            seconds=seconds,
            count=count,
            sides=sides,
            reps=reps,
            rest_seconds=rest,
            breath=breath,
            breath_default=breath_default,
        )

    def sides(self, data: dict[str, Any], at: str) -> tuple[str, ...]:
        if "sides" not in data:
            return ()
        value = data["sides"]
        if not isinstance(value, list) or not value:
            raise self.fail(f"{at}.sides", 'must be a non-empty list such as ["left", "right"]')
        for item in value:
            if item not in SIDES:
                raise self.fail(f"{at}.sides", f"unknown side {_show(item)} (use left, right)")
        if len(set(value)) != len(value):
            raise self.fail(f"{at}.sides", "lists a side twice")
        return tuple(value)


def _type_name(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    return _type_name(value)


def parse_routine(raw: bytes, path: str, source: RoutineSource | None = None) -> Routine:
    """Parse and validate routine TOML bytes; ``path`` is used in error messages."""
    try:
        text = raw.decode("utf-8-sig")  # tolerate the byte-order mark some editors write
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RoutineError(path, "", f"not valid UTF-8 (byte {exc.start})", line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS_RE.search(message)
        line = int(match.group(1)) if match else None
        raise RoutineError(path, "", f"TOML syntax: {_TOML_POS_RE.sub('', message)}", line) from None
    return _Checker(path, text).routine(data, source or RoutineSource("user", path=path))


def load_routine_file(path: Path | str, source: RoutineSource | None = None) -> Routine:
    """Read and validate one routine file; messages start with ``path`` exactly as given."""
    name = str(path)  # not str(Path(path)): that would turn "./x.toml" into "x.toml"
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a folder, expected a .toml file") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read: {exc.strerror}") from None
    source = source or RoutineSource("user", path=name)
    return parse_routine(raw, name, source)


# --------------------------------------------------------------------------- library

PRECEDENCE = {"builtin": 0, "plugin": 1, "user": 2}
BUILTIN_ROUTINES_PLUGIN = "builtin-routines"  # the plugin name of the built-in pack


@dataclass(frozen=True, slots=True)
class LibraryNotice:
    """Something worth telling about the library: a skipped file or an overridden id."""

    kind: str  # "error" or "override"
    message: str

    def __str__(self) -> str:
        return self.message


class RoutineLibrary:
    """Every routine the app can run, by id, with where each came from."""

    def __init__(self, routines: Iterable[Routine] = (), notices: Iterable[LibraryNotice] = ()) -> None:
        self._routines: dict[str, Routine] = {}
        self.notices: list[LibraryNotice] = list(notices)
        self.user_dir: Path | None = None  # the user folder that was read (None: the default)
        for routine in routines:
            self.add(routine)

    def add(self, routine: Routine) -> None:
        """Add ``routine``; on a clash the higher source wins (user > plugin > built-in)."""
        existing = self._routines.get(routine.id)
        if existing is None:
            self._routines[routine.id] = routine
            return
        new_rank = PRECEDENCE.get(routine.source.kind, 0)
        old_rank = PRECEDENCE.get(existing.source.kind, 0)
        if new_rank > old_rank:
            winner, loser = routine, existing
            self._routines[routine.id] = routine
        else:
            winner, loser = existing, routine
        self.notices.append(
            LibraryNotice(
                "override",
                f"routine {routine.id!r} from {_origin(winner)} is used; "
                f"the one from {_origin(loser)} is hidden",
            )
        )

    def __iter__(self) -> Iterator[Routine]:
        return iter(sorted(self._routines.values(), key=lambda r: (r.title.lower(), r.id)))

    def __len__(self) -> int:
        return len(self._routines)

    def __contains__(self, routine_id: object) -> bool:
        return routine_id in self._routines

    def get(self, routine_id: str) -> Routine:
        """The routine with ``routine_id``, or a ``UserError`` that suggests close ids."""
        try:
            return self._routines[routine_id]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(routine_id, list(self._routines), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else " (see: psoas-tui routines)"
            raise UserError(f"no routine with id {routine_id!r}{hint}") from None

    @property
    def errors(self) -> list[LibraryNotice]:
        """The files that were skipped."""
        return [n for n in self.notices if n.kind == "error"]

    @classmethod
    def load_local(cls, user_dir: Path | None = None, *, builtin: bool | None = None) -> RoutineLibrary:
        """The built-in pack and the user folder only, without plugin discovery.

        Nothing here imports pluggy or scans ``importlib.metadata``, so the app can list
        routines at once and discover plugins afterwards; ``with_plugins(host)`` then gives
        the full library. ``builtin=None`` leaves the pack out when
        ``PSOAS_TUI_DISABLE_PLUGINS`` names ``builtin-routines``, as the plugin host does.
        Precedence and notices are those of ``load`` (user > built-in; bad files are noted
        and skipped). The pack folder is found on disk next to the package; when it is not
        there (say, a zipped install) only the user folder is read and the pack comes with
        the plugins.
        """
        from psoas_tui import paths

        folder = user_dir if user_dir is not None else paths.user_routines_dir()
        library = cls()
        library.user_dir = folder
        if builtin is None:
            builtin = BUILTIN_ROUTINES_PLUGIN not in _disabled_plugins()
        pack = builtin_pack_folder() if builtin else None
        if pack is not None:
            builtin_source = lambda p: RoutineSource("builtin", path=str(p))  # noqa: E731
            for routine in _routines_from_folder(pack, builtin_source, library._note):
                library.add(routine)
        library._add_user_folder(folder)
        return library

    def with_plugins(self, host: PluginHost) -> RoutineLibrary:
        """The full library: this one's user folder plus every routine ``host`` offers.

        The result is exactly what ``load(host, user_dir)`` makes, with the same precedence
        (a user routine still wins over a plugin's with the same id) and the same notices
        and plugin failures; this library is left as it is.
        """
        return type(self).load(host, self.user_dir)

    def _note(self, message: str) -> None:
        self.notices.append(LibraryNotice("error", message))

    def _add_user_folder(self, folder: Path) -> None:
        if folder.is_dir():
            user_source = lambda p: RoutineSource("user", path=str(p))  # noqa: E731
            for routine in _routines_from_folder(folder, user_source, self._note):
                self.add(routine)

    @classmethod
    def load(cls, host: PluginHost | None = None, user_dir: Path | None = None) -> RoutineLibrary:
        """Gather built-in, plugin and user routines; bad files are noted and skipped.

        A bad routine offered by a plugin (a file or a ``Routine`` object) is also recorded
        as a failure of that plugin, so ``psoas-tui plugins`` shows it.
        """
        from psoas_tui import paths
        from psoas_tui.plugins import build_plugin_host

        host = host or build_plugin_host()
        library = cls()
        for plugin, result in host.call_each("psoas_tui_routines"):
            info = host.infos.get(plugin)
            builtin = bool(info and info.builtin)
            source = RoutineSource("builtin") if builtin else RoutineSource("plugin", plugin)
            items = host.items_of(plugin, "psoas_tui_routines", result)

            def report(message: str, plugin: str = plugin) -> None:
                library.notices.append(LibraryNotice("error", message))
                host.fail(plugin, "psoas_tui_routines", message)

            for item in items:
                for routine in _routines_from_item(item, source, report, host, plugin):
                    library.add(routine)
                    host.contributed(plugin, "routines", routine.id)
        folder = user_dir if user_dir is not None else paths.user_routines_dir()
        library.user_dir = folder
        library._add_user_folder(folder)
        return library


def builtin_pack_folder() -> Path | None:
    """The folder of the built-in routine pack on disk, found without ``importlib.resources``.

    ``psoas_tui/routines`` in a wheel, the top-level ``routines/`` folder in a source checkout
    (the same places ``psoas_tui.builtins.routines`` looks); ``None`` when neither exists.
    """
    for folder in (Path(__file__).parent / "routines", Path(__file__).resolve().parents[1] / "routines"):
        if folder.is_dir():
            return folder
    return None


def _disabled_plugins() -> set[str]:
    """``PSOAS_TUI_DISABLE_PLUGINS`` as a set (read here so that plugins.py is not imported)."""
    import os

    raw = os.environ.get("PSOAS_TUI_DISABLE_PLUGINS", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def _origin(routine: Routine) -> str:
    if routine.source.kind == "user":
        return f"your routines folder ({routine.source.path})"
    if routine.source.kind == "plugin":
        return f"plugin {routine.source.name}"
    return "the built-in pack"


def _routines_from_folder(folder: Any, make_source: Any, report: Callable[[str], None]) -> list[Routine]:
    """Every valid ``*.toml`` routine directly inside ``folder``; the bad ones are reported."""
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except OSError as exc:
        report(f"{folder}: cannot read the folder: {exc.strerror or exc}")
        return []
    found = []
    for entry in entries:
        if not entry.name.endswith(".toml") or not entry.is_file():
            continue
        routine = _routine_from_file(entry, make_source(entry), report)
        if routine is not None:
            found.append(routine)
    return found


def _routine_from_file(entry: Any, source: RoutineSource, report: Callable[[str], None]) -> Routine | None:
    try:
        return parse_routine(entry.read_bytes(), str(entry), source)
    except RoutineError as exc:
        report(str(exc))
    except OSError as exc:
        report(f"{entry}: cannot read: {exc.strerror or exc}")
    return None


def _routines_from_item(
    item: Any, source: RoutineSource, report: Callable[[str], None], host: PluginHost, plugin: str
) -> list[Routine]:
    if isinstance(item, Routine):
        checked = check_routine(item, f"plugin {plugin}", source)
        if isinstance(checked, str):
            report(checked)
            return []
        return [checked]
    if isinstance(item, str):
        item = Path(item)
    if not (hasattr(item, "is_dir") and hasattr(item, "read_bytes")):
        host.fail(plugin, "psoas_tui_routines", f"returned {type(item).__name__}, expected a path or Routine")
        return []
    try:
        if item.is_dir():
            return _routines_from_folder(item, lambda p: dataclasses.replace(source, path=str(p)), report)
        if item.is_file():
            routine = _routine_from_file(item, dataclasses.replace(source, path=str(item)), report)
            return [] if routine is None else [routine]
    except OSError as exc:
        host.fail(plugin, "psoas_tui_routines", f"{item}: {exc}")
        return []
    host.fail(plugin, "psoas_tui_routines", f"{item}: no such file or folder")
    return []


def routine_to_dict(routine: Routine) -> dict[str, Any]:
    """``routine`` as a TOML-ready mapping in the file format (``schema = 1``).

    Defaults are left out (no ``reps = 1``, empty ``cue`` or empty lists), so writing it with
    tomli-w gives a file as a person would write it; ``parse_routine`` reads it back.
    """
    data: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "id": routine.id,
        "title": routine.title,
        "summary": routine.summary,
        "level": routine.level,
    }
    for key in ("tags", "cautions", "sources"):
        values = getattr(routine, key)
        if values:
            data[key] = list(values)
    steps = []
    for step in routine.steps:
        kind = step.kind.value if isinstance(step.kind, StepKind) else step.kind
        entry: dict[str, Any] = {"kind": kind, "title": step.title}
        if step.cue:
            entry["cue"] = step.cue
        if step.seconds is not None:
            entry["seconds"] = step.seconds
        if step.count is not None:
            entry["count"] = step.count
        if step.sides:
            entry["sides"] = list(step.sides)
        if step.reps != 1:
            entry["reps"] = step.reps
        if step.rest_seconds:
            entry["rest_seconds"] = step.rest_seconds
        if getattr(step, "breath_default", False):
            entry["breath"] = "default"
        elif step.breath is not None:
            entry["breath"] = str(step.breath)
        steps.append(entry)
    data["steps"] = steps
    return data


def check_routine(routine: Routine, where: str, source: RoutineSource | None = None) -> Routine | str:
    """Validate a ``Routine`` built in code (e.g. by a plugin) by the same rules as a file.

    Returns the checked routine (with ``source``), or a one-line message starting with
    ``where`` that says what is wrong.
    """
    try:
        data = routine_to_dict(routine)
    except Exception as exc:  # not a well-formed Routine at all
        return f"{where}: not a valid Routine ({type(exc).__name__}: {exc})"
    try:
        return _Checker(where, "").routine(data, source or routine.source)
    except RoutineError as exc:
        return str(exc)
