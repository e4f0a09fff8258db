"""Export the history: the exporter registry, the built-in TOML and JSON writers, and a
streaming, atomic ``export_history``.

Exporters come from the ``psoas_tui_exporters`` hook (the built-in ones too). A writer gets an
iterator of ``SessionRecord`` read lazily from a database cursor and a binary stream, so memory
stays flat however long the history is. A file export goes to a temporary file in the target
folder and is renamed into place only when complete; an existing file is never replaced
without ``force``. A new file is private (0600: the history holds health notes); a file it
replaces keeps its mode. Only regular files are written: a symbolic link is written through
(its target is replaced, the link stays), and a device, FIFO or socket is refused.

The TOML document::

    [export]
    format = "psoas-tui-history"
    format_version = 1
    exported_at = 2026-11-23 19:41:11.123456+01:00
    app_version = "0.1.0"

    [[sessions]]
    id = "…"
    started_at = 2026-11-20 08:00:00+01:00     # native TOML datetimes, with the local offset
    …
    [sessions.checkin]
    feeling_before = 4
    note = "…"

Absent values are left out (TOML has no null). Each ``[[sessions]]`` table is produced exactly
as ``tomli_w.dumps({"sessions": [one_session]})`` would write it (a test checks this byte for
byte); strings that need escaping go through tomli-w itself, the rest take a fast path so
100,000 sessions export in about a second.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from psoas_tui import __version__
from psoas_tui.errors import UserError
from psoas_tui.files import file_kind, keep_mode
from psoas_tui.model import Exporter, SessionRecord

if TYPE_CHECKING:
    from psoas_tui.history import HistoryStore
    from psoas_tui.plugins import PluginHost

FORMAT_NAME = "psoas-tui-history"
FORMAT_VERSION = 1
DEFAULT_FORMAT = "toml"
SESSION_FIELDS = (
    "id", "routine_id", "routine_title", "routine_source", "status", "started_at", "ended_at",
    "planned_seconds", "done_seconds", "segments_done", "left_seconds", "right_seconds",
)
CHECKIN_FIELDS = ("feeling_before", "feeling_after", "tightness_left", "tightness_right", "note")


def record_to_dict(record: SessionRecord) -> dict[str, Any]:
    """A record as plain data (native datetimes, ``status`` as text); ``None`` values left out.

    Numbers are normalised to the types the import expects (whole numbers stay ``int``,
    seconds are ``float``).
    """
    data: dict[str, Any] = {
        "id": record.id,
        "routine_id": record.routine_id,
        "routine_title": record.routine_title,
        "routine_source": record.routine_source,
        "status": str(getattr(record.status, "value", record.status)),
        "started_at": record.started_at,
    }
    if record.ended_at is not None:
        data["ended_at"] = record.ended_at
    data["planned_seconds"] = int(record.planned_seconds)
    data["done_seconds"] = float(record.done_seconds)
    data["segments_done"] = int(record.segments_done)
    data["left_seconds"] = float(record.left_seconds)
    data["right_seconds"] = float(record.right_seconds)
    if record.checkin is not None:
        data["checkin"] = {
            name: value
            for name in CHECKIN_FIELDS
            if (value := getattr(record.checkin, name)) is not None
        }
    return data


def jsonable(data: Any) -> Any:
    """``data`` with datetimes and dates as ISO strings, ready for ``json.dumps``."""
    if isinstance(data, dict):
        return {k: jsonable(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [jsonable(v) for v in data]
    if isinstance(data, (datetime, date)):
        return data.isoformat()
    return data


def export_header(exported_at: datetime | None = None) -> dict[str, Any]:
    """The ``[export]`` table."""
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at or datetime.now().astimezone(),
        "app_version": __version__,
    }


# -- TOML ----------------------------------------------------------------------------------
_NEEDS_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')


# tomli-w's escapes: the short forms where TOML has them, else \uXXXX (lower-case hex).
_ESCAPES = {chr(c): f"\\u{c:04x}" for c in (*range(0x20), 0x7F) if c != 0x09}
_ESCAPES.update({"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"})


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


def _toml_str(value: str) -> str:
    """A TOML basic string, written as tomli-w writes it."""
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    return f'"{_NEEDS_ESCAPE.sub(_escape, value)}"'


class _Strings(dict[str, str]):
    """TOML strings for values that repeat from session to session (routine ids, titles)."""

    def __missing__(self, value: str) -> str:
        if len(self) > 512:
            self.clear()
        text = self[value] = _toml_str(value)
        return text


def toml_session(record: SessionRecord, strings: dict[str, str] | None = None) -> str:
    """One ``[[sessions]]`` table (same text as ``tomli_w.dumps({"sessions": [data]})``)."""
    repeat = strings if strings is not None else _Strings()
    status = str(getattr(record.status, "value", record.status))
    ended = f"ended_at = {record.ended_at.isoformat(' ')}\n" if record.ended_at is not None else ""
    text = (
        f"[[sessions]]\nid = {_toml_str(record.id)}\nroutine_id = {repeat[record.routine_id]}\n"
        f"routine_title = {repeat[record.routine_title]}\n"
        f"routine_source = {repeat[record.routine_source]}\nstatus = {repeat[status]}\n"
        f"started_at = {record.started_at.isoformat(' ')}\n{ended}"
        f"planned_seconds = {int(record.planned_seconds)}\n"
        f"done_seconds = {float(record.done_seconds)}\n"
        f"segments_done = {int(record.segments_done)}\n"
        f"left_seconds = {float(record.left_seconds)}\n"
        f"right_seconds = {float(record.right_seconds)}\n"
    )
    checkin = record.checkin
    if checkin is None:
        return text
    lines = [text, "\n[sessions.checkin]\n"]
    for name, value in (("feeling_before", checkin.feeling_before), ("feeling_after", checkin.feeling_after),
                        ("tightness_left", checkin.tightness_left),
                        ("tightness_right", checkin.tightness_right)):
        if value is not None:
            lines.append(f"{name} = {int(value)}\n")
    if checkin.note is not None:
        lines.append(f"note = {_toml_str(checkin.note)}\n")
    return "".join(lines)


def write_toml(records: Iterable[SessionRecord], stream: BinaryIO) -> None:
    """Stream a TOML export: the header, then one ``[[sessions]]`` table per record."""
    import tomli_w

    stream.write(tomli_w.dumps({"export": export_header()}).encode("utf-8"))
    strings = _Strings()
    for record in records:
        stream.write(b"\n" + toml_session(record, strings).encode("utf-8"))


# -- JSON ----------------------------------------------------------------------------------
def write_json(records: Iterable[SessionRecord], stream: BinaryIO) -> None:
    """Stream a JSON export: ``{"export": {...}, "sessions": [...]}``, one session per line."""
    header = json.dumps(jsonable(export_header()), ensure_ascii=False)
    stream.write(f'{{"export": {header}, "sessions": ['.encode())
    first = True
    for record in records:
        item = json.dumps(jsonable(record_to_dict(record)), ensure_ascii=False)
        stream.write(("\n" if first else ",\n").encode() + item.encode("utf-8"))
        first = False
    stream.write(b"\n]}\n")


# -- registry and export -------------------------------------------------------------------
def available_exporters(host: PluginHost) -> dict[str, Exporter]:
    """Every exporter offered by the built-in and installed plugins, by name."""
    return {exporter.name: exporter for _plugin, exporter in
            host.collect("psoas_tui_exporters", Exporter, "exporters")}


def choose_exporter(host: PluginHost, name: str | None, destination: Path | None) -> Exporter:
    """The exporter for ``--format NAME`` / ``-o FILE``.

    A ``name`` always wins. Without one, the file's suffix picks the exporter that writes it
    (``x.json`` -> ``json``, case ignored, the longest matching suffix first); a file whose
    suffix no exporter writes (``x.csv`` with no CSV plugin) is a ``UserError`` rather than TOML
    under a misleading name. No file, or a file without a suffix, gets TOML.
    """
    exporters = available_exporters(host)
    if name is None:
        if destination is None or not destination.suffix:
            name = DEFAULT_FORMAT
        else:
            found = exporter_for_suffix(exporters, destination.name)
            if found is None:
                raise UserError(
                    f"-o {destination}: no export format writes {destination.suffix!r} files "
                    f"(available: {_known(exporters, suffixes=True)}); choose one with --format NAME"
                )
            return found
    if name not in exporters:
        raise UserError(f"--format: unknown export format {name!r} (available: {_known(exporters)})")
    return exporters[name]


def exporter_for_suffix(exporters: dict[str, Exporter], file_name: str) -> Exporter | None:
    """The exporter whose suffix ends ``file_name`` (longest suffix, then toml, then by name)."""
    name = format_for_suffix({n: e.suffix for n, e in exporters.items()}, file_name)
    return None if name is None else exporters[name]


def format_for_suffix(suffixes: dict[str, str], file_name: str) -> str | None:
    """The name of the format (of ``{name: suffix}``) that writes ``file_name``: the longest
    matching suffix, case ignored, then toml, then by name; ``None`` when none matches."""
    lowered = file_name.lower()
    matching = [name for name, suffix in suffixes.items() if suffix and lowered.endswith(suffix.lower())]
    if not matching:
        return None
    return min(matching, key=lambda n: (-len(suffixes[n]), n != DEFAULT_FORMAT, n))


def _known(exporters: dict[str, Exporter], *, suffixes: bool = False) -> str:
    if not exporters:
        return "none"
    if suffixes:
        return ", ".join(f"{n} ({e.suffix})" if e.suffix else n for n, e in sorted(exporters.items()))
    return ", ".join(sorted(exporters))


class _Counter:
    """Passes records through, counting them."""

    def __init__(self, records: Iterable[SessionRecord]) -> None:
        self._records = records
        self.count = 0

    def __iter__(self) -> Iterator[SessionRecord]:
        for record in self._records:
            self.count += 1
            yield record


def _run_exporter(exporter: Exporter, records: _Counter, stream: BinaryIO) -> None:
    """Run ``exporter.write``; whatever a plugin's writer does wrong is one ``UserError``.

    A plugin's writer gets the stream behind a ``PluginStream``, so closing it (directly, or
    through a ``TextIOWrapper`` it drops) leaves our file or stdout open. ``SystemExit`` and
    exceptions whose message cannot be printed are failures like any other; only Ctrl-C, our
    own ``UserError`` and I/O errors (a full disk, a closed pipe) pass through.
    """
    from psoas_tui.plugins import PluginStream, error_line, plugin_of

    plugin, builtin = plugin_of(exporter.write)
    target: BinaryIO = stream if plugin is None or builtin else PluginStream(stream)  # type: ignore[assignment]
    try:
        exporter.write(records, target)
    except (UserError, OSError, MemoryError, KeyboardInterrupt):
        raise
    except BaseException as exc:
        owner = f" (plugin {plugin})" if plugin and not builtin else ""
        reason = "called sys.exit()" if isinstance(exc, SystemExit) else error_line(exc)
        raise UserError(f"export format {exporter.name!r}{owner} failed: {reason}") from None


def export_history(
    store: HistoryStore,
    exporter: Exporter,
    destination: Path | None,
    *,
    since: date | None = None,
    until: date | None = None,
    force: bool = False,
) -> int:
    """Write the sessions of [since, until] with ``exporter``; returns how many were written.

    ``destination=None`` writes to stdout. A file is written to a temporary sibling and renamed
    into place; an existing file is a ``UserError`` unless ``force``.
    """
    source = store.iter_sessions(since, until)
    try:
        return _export(source, exporter, destination, force)
    finally:
        # Close the cursor now, while the store is open: left to the garbage collector (after
        # a BrokenPipeError, say) it would run after the store has closed.
        source.close()


def _export(source: Iterator[SessionRecord], exporter: Exporter, destination: Path | None,
            force: bool) -> int:
    records = _Counter(source)
    if destination is None:
        out = sys.stdout.buffer
        _run_exporter(exporter, records, out)
        out.flush()
        return records.count
    destination = Path(destination)
    target = export_target(destination)
    if target.exists() and not force:
        raise UserError(f"{destination}: already exists (use --force to replace it)")
    folder = target.parent
    if not folder.is_dir():
        raise UserError(f"{destination.parent}: no such folder")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)  # 0600
    except OSError as exc:
        raise UserError(f"{destination}: cannot write: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        if force:
            keep_mode(fd, target)
        with os.fdopen(fd, "wb", buffering=1 << 16) as stream:
            _run_exporter(exporter, records, stream)
            stream.flush()
            os.fsync(stream.fileno())
        _move_into_place(tmp, target, force, shown=destination)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return records.count


def export_target(destination: Path) -> Path:
    """The regular file an export to ``destination`` writes: a symbolic link's target (so the
    link stays a link), the path itself otherwise. A ``UserError`` for a folder, a device, a
    FIFO or a socket: export never replaces what is not a regular file."""
    target = Path(os.path.realpath(destination)) if destination.is_symlink() else destination
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise UserError(f"{destination}: cannot write: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise UserError(f"{destination}: is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise UserError(f"{destination}: is {file_kind(mode)}, not a regular file; export writes "
                        "regular files only (use -o - for standard output)")
    return target


def _move_into_place(tmp: Path, destination: Path, force: bool, *, shown: Path | None = None) -> None:
    """Rename ``tmp`` to ``destination``; without ``force`` a file that appeared meanwhile wins.
    Messages name ``shown`` (what the person typed) when given."""
    exists = UserError(f"{shown or destination}: already exists (use --force to replace it)")
    if force:
        os.replace(tmp, destination)
        return
    try:
        os.link(tmp, destination)  # atomic "create only if absent"
    except FileExistsError:
        raise exists from None
    except OSError:  # no hard links on this file system
        if destination.exists():
            raise exists from None
        os.replace(tmp, destination)
        return
    with contextlib.suppress(OSError):
        tmp.unlink()
