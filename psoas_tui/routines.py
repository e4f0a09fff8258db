"""Routine files (TOML, ``schema = 1``) into ``Routine`` values, and the routine library.

Validation is strict: unknown keys, wrong types, out-of-range numbers and missing fields are
``RoutineError``s whose message names the file, the line (when it can be found) and the field,
e.g. ``x.toml:14: steps[2].seconds: must be 1-3600, got -5``. Steps are counted from 1.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psoas_tui import files
from psoas_tui.env import disabled_plugins
from psoas_tui.errors import RoutineError, UserError
from psoas_tui.files import MIB, NESTED_TOO_DEEPLY, FileProblem, TomlDocument, check_regular, read_bytes
from psoas_tui.labels import source_phrase
from psoas_tui.model import (
    DEFAULT_BREATH,
    LEVELS,
    SIDES,
    BreathPattern,
    Routine,
    RoutineSource,
    Step,
    StepKind,
)
from psoas_tui.schema import Checker, Field, Rule, Strings, Text, Whole, show, version

if TYPE_CHECKING:
    from psoas_tui.plugin_host.host import PluginHost

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
MAX_FILE_BYTES = 1 * MIB  # the largest possible valid routine is well under 200 KiB
MAX_LIST = 50  # tags, cautions, sources

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


def _step_kind(value: Any) -> StepKind:
    try:
        return StepKind(value)
    except (ValueError, TypeError):
        kinds = ", ".join(k.value for k in StepKind)
        raise ValueError(f"must be one of {kinds}, got {show(value)}") from None


def _sides(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError('must be a non-empty list such as ["left", "right"]')
    for item in value:
        if item not in SIDES:
            raise ValueError(f"unknown side {show(item)} (use left, right)")
    if len(set(value)) != len(value):
        raise ValueError("lists a side twice")
    return tuple(value)


def _step_tables(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(s, dict) for s in value):
        raise ValueError("must be an array of [[steps]] tables")
    if not value:
        raise ValueError("must have at least one step")
    if len(value) > MAX_STEPS:
        raise ValueError(f"must have at most {MAX_STEPS} steps, got {len(value)}")
    return value


# The routine format (docs/routine-format.md), one line a field, checked in this order.
ROUTINE: dict[str, Field] = {
    "schema": version(SCHEMA_VERSION),
    "id": Text(required=True, limit=MAX_ID, slug=True),
    "title": Text(required=True, limit=MAX_TITLE),
    "summary": Text(required=True, limit=MAX_TEXT),
    "level": Text(limit=MAX_TITLE, choices=LEVELS, default=LEVELS[0]),
    "tags": Strings(entries=MAX_LIST, limit=MAX_TEXT, slugs=True),
    "cautions": Strings(entries=MAX_LIST, limit=MAX_TEXT),
    "sources": Strings(entries=MAX_LIST, limit=MAX_TEXT),
    "steps": Rule(required=True, missing="is required: add at least one [[steps]] table", rule=_step_tables),
}
STEP: dict[str, Field] = {
    "kind": Rule(required=True, rule=_step_kind),
    "title": Text(required=True, limit=MAX_TITLE),
    "cue": Text(limit=MAX_TEXT),
    "seconds": Whole(low=1, high=MAX_STEP_SECONDS),
    "count": Whole(low=1, high=MAX_COUNT),
    "reps": Whole(low=1, high=MAX_REPS, default=1),
    "rest_seconds": Whole(low=0, high=MAX_REST, default=0),
    "sides": Rule(default=(), rule=_sides),
    "breath": Rule(rule=lambda value: DEFAULT_BREATH if value == "default" else parse_breath(value)),
}
TOP_KEYS = set(ROUTINE)
STEP_KEYS = set(STEP)


class _Checker(Checker):
    """Checks one parsed routine against ``ROUTINE`` and ``STEP``, then the rules between fields."""

    def routine(self, data: dict[str, Any], source: RoutineSource) -> Routine:
        values = self.table(data, ROUTINE)
        steps = tuple(self.step(raw, index) for index, raw in enumerate(values.pop("steps"), 1))
        del values["schema"]
        return Routine(steps=steps, source=source, **values)

    def step(self, data: dict[str, Any], index: int) -> Step:
        at = f"steps[{index}]"
        values = self.table(data, STEP, at)
        kind, seconds, count = values["kind"], values["seconds"], values["count"]
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
        if values["rest_seconds"] and values["reps"] < 2:
            raise self.fail(
                f"{at}.rest_seconds",
                f"needs reps of 2 or more (the rest comes between reps), got reps = {values['reps']}",
            )
        return Step(**values, breath_default=data.get("breath") == "default")


def parse_routine(raw: bytes, path: str, source: RoutineSource | None = None) -> Routine:
    """Parse and validate routine TOML bytes; ``path`` is used in error messages."""
    doc = toml_document(raw, path)
    try:
        return _Checker(path, doc.line_of).routine(doc.data, source or RoutineSource("user", path=path))
    except RecursionError:  # checking data nested deeper than the parser allowed
        raise RoutineError(path, "", NESTED_TOO_DEEPLY) from None


def toml_document(raw: bytes, path: str) -> TomlDocument:
    """TOML bytes as a ``TomlDocument``; bad UTF-8 or TOML is a ``RoutineError`` naming the line."""
    try:
        return files.toml_document(raw, path)
    except FileProblem as exc:
        raise RoutineError(path, "", exc.message, exc.line) from None


def read_file_bytes(path: Path | str) -> bytes:
    """The bytes of one routine (or pose) file: a regular file of at most ``MAX_FILE_BYTES``."""
    return read_bytes(path, MAX_FILE_BYTES, folder_message="is a folder, expected a .toml file")


def find_routine(ref: str, library: Callable[[], RoutineLibrary]) -> Routine:
    """The routine ``ref`` names: a ``.toml`` file when it looks like a path, else an id looked up
    in ``library()`` (made only then). The one rule of ``run``, ``show`` and the app."""
    from psoas_tui.paths import looks_like_path

    if looks_like_path(ref):
        return load_routine_file(ref)
    return library().get(ref)


def load_routine_file(path: Path | str, source: RoutineSource | None = None) -> Routine:
    """Read and validate one routine file; messages start with ``path`` exactly as given."""
    name = str(path)  # not str(Path(path)): that would turn "./x.toml" into "x.toml"
    raw = read_file_bytes(name)
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
                f"routine {routine.id!r} from {source_phrase(winner.source)} is used; "
                f"the one from {source_phrase(loser.source)} is hidden",
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
            builtin = BUILTIN_ROUTINES_PLUGIN not in disabled_plugins()
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
        from psoas_tui.plugin_host.host import build_plugin_host

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


def _routines_from_folder(folder: Any, make_source: Any, report: Callable[[str], None]) -> list[Routine]:
    """Every valid ``*.toml`` routine directly inside ``folder``; the bad ones are reported."""
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except OSError as exc:
        report(f"{folder}: cannot read the folder: {exc.strerror or exc}")
        return []
    found = []
    for entry in entries:
        if not entry.name.endswith(".toml") or not _is_file(entry, report):
            continue
        routine = _routine_from_file(entry, make_source(entry), report)
        if routine is not None:
            found.append(routine)
    return found


def _is_file(entry: Any, report: Callable[[str], None]) -> bool:
    """``entry`` is a file to read; a FIFO, device or socket is reported (and never opened)."""
    if entry.is_file():
        return True
    if isinstance(entry, Path):
        try:
            check_regular(entry.stat().st_mode, str(entry))
        except FileProblem as exc:
            if exc.kind == "special":
                report(str(exc))
        except OSError:
            pass  # a dangling link: skipped silently, as before
    return False


def _routine_from_file(entry: Any, source: RoutineSource, report: Callable[[str], None]) -> Routine | None:
    """One routine from a folder entry; a bad file is reported and skipped, never raised."""
    try:
        raw = read_file_bytes(entry) if isinstance(entry, Path) else entry.read_bytes()
        return parse_routine(raw, str(entry), source)
    except UserError as exc:
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
        return _Checker(where).routine(data, source or routine.source)
    except RoutineError as exc:
        return str(exc)
