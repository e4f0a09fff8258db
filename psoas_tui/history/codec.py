"""The history export format (``psoas-tui-history``, version 1): its fields, writer and reader.

The fields are declared once, in ``SESSION`` and ``CHECKIN`` (name -> kind, in the order they
are written); the writer, the reader's checks and the JSON form all follow them, so a new
field is one line here plus its line in docs. TOML is written with tomli-w, a batch of
sessions at a time (memory stays flat however long the history is) and read with ``tomllib``;
JSON with ``json``. There is no hand-written TOML writer or parser.

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

Absent values are left out (TOML has no null). Reading checks everything before anything is
used: a problem is one ``UserError``, ``file:line: sessions[3].checkin.note: message`` (the
line found by ``files.FieldLines``); a session that was still ``running`` comes in as
``interrupted``, and one whose end lies before its start (an older psoas-tui, the wall clock
stepped back) is repaired with a notice. Text fields hold no control characters (notes may
hold line breaks and tabs) and at most ``MAX_TEXT`` characters; times lie between
``EARLIEST`` and ``LATEST`` (UTC).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any, BinaryIO

from psoas_tui import __version__
from psoas_tui.errors import UserError
from psoas_tui.files import NESTED_TOO_DEEPLY, FieldLines, FileProblem, parse_json, parse_toml
from psoas_tui.history.bulk import collector_paused
from psoas_tui.model import CheckIn, SessionRecord, SessionStatus
from psoas_tui.text import control_character, control_message

FORMAT_NAME = "psoas-tui-history"
FORMAT_VERSION = 1
# Bounds that no real session comes near; they keep absurd numbers out of the history.
MAX_SESSION_SECONDS = 100_000_000  # above the longest timeline the routine format allows (~16M s)
MAX_SEGMENTS = 100_000
MAX_TEXT = 10_000  # characters in one text field (the app's note field takes 500)

# The fields of one [[sessions]] table, in the order they are written: name -> kind.
# Kinds: "key" (required, non-empty text), "text", "moment" (a datetime with an offset),
# "start" (a required moment), "whole" / "segments" (whole numbers), "seconds" (a float).
SESSION: dict[str, str] = {
    "id": "key",
    "routine_id": "key",
    "routine_title": "text",
    "routine_source": "text",
    "status": "key",
    "started_at": "start",
    "ended_at": "moment",
    "planned_seconds": "whole",
    "done_seconds": "seconds",
    "segments_done": "segments",
    "left_seconds": "seconds",
    "right_seconds": "seconds",
}
# The fields of [sessions.checkin]: the scores 0-10, then the note.
CHECKIN: dict[str, str] = {
    "feeling_before": "score",
    "feeling_after": "score",
    "tightness_left": "score",
    "tightness_right": "score",
    "note": "note",
}
HEADER_FIELDS = ("format", "format_version", "exported_at", "app_version")
SESSION_FIELDS = tuple(SESSION)
CHECKIN_FIELDS = tuple(CHECKIN)
_TOP = {"whole": MAX_SESSION_SECONDS, "segments": MAX_SEGMENTS}
_STATUSES = {s.value: s for s in SessionStatus}
_UUID_RE = re.compile(
    r"(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32})\Z"
)


# -- writing -------------------------------------------------------------------------------
def record_to_dict(record: SessionRecord) -> dict[str, Any]:
    """A record as plain data in ``SESSION`` order (native datetimes, ``status`` as text);
    ``None`` values left out. Whole numbers are ``int``, seconds ``float``, as import expects."""
    data: dict[str, Any] = {}
    for name, convert in _WRITE:
        value = getattr(record, name)
        if value is not None:
            data[name] = convert(value)
    if record.checkin is not None:
        data["checkin"] = {
            name: value for name in CHECKIN if (value := getattr(record.checkin, name)) is not None
        }
    return data


def _status_text(value: Any) -> str:
    return str(getattr(value, "value", value))


def _same(value: Any) -> Any:
    return value


_CONVERT: dict[str, Callable[[Any], Any]] = {"whole": int, "segments": int, "seconds": float}
_WRITE = tuple((name, _status_text if name == "status" else _CONVERT.get(kind, _same))
               for name, kind in SESSION.items())


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


# tomli-w escapes C0 controls and DEL but writes C1 controls (U+0080-U+009F) raw; in the
# document they can only stand inside basic strings, where ``\uXXXX`` is their escape.
_RAW_CONTROL = re.compile("[\x7f-\x9f]")


def _escape_c1(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04X}"


def escape_raw_controls(toml_text: str) -> str:
    """``toml_text`` (as tomli-w writes it) with every C1 control and DEL as ``\\uXXXX``;
    the text itself when it holds none (one regex search)."""
    if _RAW_CONTROL.search(toml_text) is None:
        return toml_text
    return _RAW_CONTROL.sub(_escape_c1, toml_text)


def toml_session(record: SessionRecord) -> str:
    """One ``[[sessions]]`` table, as tomli-w writes it (C1 controls escaped)."""
    import tomli_w

    return escape_raw_controls(tomli_w.dumps({"sessions": [record_to_dict(record)]}))


def toml_sessions(records: Iterable[SessionRecord]) -> Iterator[str]:
    """The ``[[sessions]]`` tables of ``records``, each after a blank line, in chunks of up to
    ``WRITE_BATCH`` sessions (C1 controls escaped): the text of ``toml_session`` for each.

    Each chunk is one ``tomli_w.dumps`` call with the chunk's sessions as one array of tables:
    about twice as fast as a call per session, because tomli-w first tries every element of an
    array of tables as an inline table and stops at the first too long for a line (a session
    always is: the names of the fields ``record_to_dict`` always writes take 120 characters,
    over tomli-w's 100). Memory stays flat: one chunk at a time.
    """
    import tomli_w

    dumps, to_dict = tomli_w.dumps, record_to_dict
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(to_dict(record))
        if len(batch) == WRITE_BATCH:
            yield escape_raw_controls("\n" + dumps({"sessions": batch}))
            batch = []
    if batch:
        yield escape_raw_controls("\n" + dumps({"sessions": batch}))


WRITE_BATCH = 256  # sessions in one tomli-w call (one escape pass, one write)


def write_toml(records: Iterable[SessionRecord], stream: BinaryIO) -> None:
    """Stream a TOML export: the header, then one ``[[sessions]]`` table per record (tomli-w,
    ``WRITE_BATCH`` sessions a call; see ``toml_sessions``)."""
    import tomli_w

    stream.write(tomli_w.dumps({"export": export_header()}).encode("utf-8"))
    for chunk in toml_sessions(records):
        stream.write(chunk.encode("utf-8"))


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


# -- reading -------------------------------------------------------------------------------
def read_records(text: str, where: str = "<export>", notices: list[str] | None = None, *,
                 json_format: bool | None = None) -> list[SessionRecord]:
    """The checked sessions of an export's text (JSON when ``json_format``, or when ``None``
    and the text starts with ``{``, which no TOML document can; else TOML)."""
    if json_format is None:
        json_format = text.lstrip()[:1] == "{"
    if json_format:
        return _json_records(text, where, notices)
    document = parse_document(text, where)
    return records_from_document(document, Lines(where, FieldLines(text).line_of), notices)


def parse_document(text: str, where: str = "<export>") -> dict[str, Any]:
    """The TOML document as data (``tomllib``; a syntax error names the line)."""
    return parse_toml(text, where)


class Lines:
    """Where an export's fields are: the file's name and a ``line_of(field)``."""

    def __init__(self, where: str, line_of: Callable[[str], int | None] | None = None) -> None:
        self.where = where
        self.line_of = line_of or (lambda _field: None)

    def at(self, field: str) -> str:
        """``file:line`` of ``field`` (``sessions[2].ended_at``), or ``file``."""
        line = self.line_of(field)
        return f"{self.where}:{line}" if line else self.where


def _json_session_lines(text: str) -> Callable[[str], int | None]:
    """The line of ``sessions[n]...`` in a JSON export (one session a line, as export writes)."""
    starts = [m.start() for m in re.finditer(r'^\s*\{\s*"id"\s*:', text, re.MULTILINE)]

    def line_of(field: str) -> int | None:
        match = re.match(r"sessions\[(\d+)\]", field)
        if match is None or int(match.group(1)) > len(starts):
            return None
        return text.count("\n", 0, starts[int(match.group(1)) - 1]) + 1

    return line_of


def _json_records(text: str, where: str, notices: list[str] | None) -> list[SessionRecord]:
    """The records of a JSON export: its times (ISO strings) made datetimes, then the same checks."""
    data = parse_json(text, where)
    if not isinstance(data, dict):
        raise FileProblem(where, 'not a history export: expected a JSON object with "export" and '
                          '"sessions"', kind="syntax")
    sessions = data.get("sessions")
    if isinstance(sessions, list):
        for item in sessions:
            if isinstance(item, dict):
                for key in ("started_at", "ended_at"):
                    item[key] = _json_moment(item.get(key))
                if item.get("ended_at") is None:
                    item.pop("ended_at", None)
                if item.get("checkin") is None:
                    item.pop("checkin", None)
    return records_from_document(data, Lines(where, _json_session_lines(text)), notices)


def _json_moment(value: Any) -> Any:
    """An ISO 8601 string as a datetime; anything else as it is (the checks will name it)."""
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return value


def is_uuid(text: str) -> bool:
    """``text`` is a UUID written as 8-4-4-4-12 hex digits, or as 32 hex digits."""
    return _UUID_RE.match(text) is not None


def show(value: Any, limit: int = 60) -> str:
    """A value as its TOML text would show it, for an error message: times in ISO 8601
    (``2026-11-20T08:00:00``, not ``datetime.datetime(...)``), ``true``/``false``/``null``,
    strings quoted; long values cut short so the message stays one readable line."""
    if value is None:  # JSON's null (TOML has none)
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (datetime, date, time)):
        text = value.isoformat()
    elif isinstance(value, int):
        text = str(value) if value.bit_length() <= 128 else "a number far too large"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fail(lines: Lines, field: str, message: str) -> UserError:
    """``file:line: field: message``; sessions are counted from 1 (``sessions[1]`` is the first)."""
    return UserError(f"{lines.at(field)}: {field}: {message}")


def records_from_document(
    data: dict[str, Any], lines: Lines | None = None, notices: list[str] | None = None
) -> list[SessionRecord]:
    """Check a parsed export and turn its sessions into records; repairs go to ``notices``."""
    from psoas_tui.history.store import EARLIEST, LATEST  # sqlite3 stays off the writer's import path

    lines = lines or Lines("<export>")
    try:
        with collector_paused():
            return _records(data, lines, notices if notices is not None else [], (EARLIEST, LATEST))
    except RecursionError:  # a value nested deeper than the checks can show
        raise FileProblem(lines.where, NESTED_TOO_DEEPLY, kind="nesting") from None


Bounds = tuple[datetime, datetime]  # the first and last moment the history keeps


def _records(data: dict[str, Any], lines: Lines, notices: list[str], bounds: Bounds) -> list[SessionRecord]:
    _check_header(data, lines)
    sessions = data.get("sessions", [])
    if not isinstance(sessions, list):
        raise _fail(lines, "sessions", "must be an array of tables ([[sessions]])")
    records: list[SessionRecord] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(sessions, 1):
        record = _session(item, f"sessions[{number}]", lines, notices, bounds)
        if record.id in seen:
            raise _fail(lines, f"sessions[{number}].id",
                        f"{show(record.id)} appears twice (also sessions[{seen[record.id]}])")
        seen[record.id] = number
        records.append(record)
    return records


def _check_header(data: dict[str, Any], lines: Lines) -> None:
    """The top level and the ``[export]`` table."""
    unknown = set(data) - {"export", "sessions"}
    if unknown:
        raise _fail(lines, sorted(unknown)[0], "unknown table or key")
    header = data.get("export")
    if not isinstance(header, dict):
        raise _fail(lines, "export", f"missing [export] table: not a {FORMAT_NAME} file")
    if header.get("format") != FORMAT_NAME:
        raise _fail(lines, "export.format", f"must be {FORMAT_NAME!r}, got {show(header.get('format'))}")
    version = header.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _fail(lines, "export.format_version", f"must be a whole number, got {show(version)}")
    if version > FORMAT_VERSION:
        raise _fail(lines, "export.format_version",
                    f"{version} is newer than this psoas-tui reads ({FORMAT_VERSION}); upgrade psoas-tui")
    extra = set(header) - set(HEADER_FIELDS)
    if extra:
        raise _fail(lines, f"export.{sorted(extra)[0]}", "unknown key")


_ALLOWED = frozenset(SESSION) | {"checkin"}
_REQUIRED = tuple(name for name, kind in SESSION.items() if kind in ("key", "start"))
_TEXT = tuple(name for name, kind in SESSION.items() if kind in ("key", "text"))
_WHOLE = tuple((name, _TOP[kind]) for name, kind in SESSION.items() if kind in _TOP)
_SECONDS = tuple(name for name, kind in SESSION.items() if kind == "seconds")
_MOMENTS = tuple(name for name, kind in SESSION.items() if kind in ("start", "moment"))
_SCORES = tuple(name for name, kind in CHECKIN.items() if kind == "score")


def _check_text(value: str, lines: Lines, field: str, *, newlines: bool = False) -> None:
    """A ``UserError`` when a text field is too long or holds a control character."""
    if len(value) > MAX_TEXT:
        raise _fail(lines, field, f"must be at most {MAX_TEXT:,} characters, got {len(value):,}")
    char = control_character(value, newlines=newlines)
    if char is not None:
        raise _fail(lines, field, control_message(char))


def _repaired_end(started: datetime, done: Any, latest: datetime) -> datetime:
    """The end of a session whose recorded end came before its start: start plus time done,
    but never after ``latest`` (the last moment the history keeps), shown at the start's offset."""
    seconds = float(done) if type(done) in (int, float) else 0.0
    return min(started + timedelta(seconds=seconds), latest.astimezone(started.tzinfo))


def _session(item: Any, at: str, lines: Lines, notices: list[str], bounds: Bounds) -> SessionRecord:
    """One ``[[sessions]]`` table checked and made a record (kept quick: 100,000 in seconds)."""
    if type(item) is not dict:
        raise _fail(lines, at, "must be a table")
    if not _ALLOWED.issuperset(item):
        raise _fail(lines, f"{at}.{sorted(set(item) - _ALLOWED)[0]}", "unknown key")
    for key in _REQUIRED:
        if key not in item:
            raise _fail(lines, f"{at}.{key}", "missing")
    get = item.get
    for key in _TEXT:
        value = get(key, "")
        if type(value) is not str or (key in _REQUIRED and not value.strip()):
            wanted = "non-empty text" if key in _REQUIRED else "text"
            raise _fail(lines, f"{at}.{key}", f"must be {wanted}, got {show(value)}")
        if len(value) > MAX_TEXT or not value.isprintable():
            _check_text(value, lines, f"{at}.{key}")
    if not is_uuid(item["id"]):
        raise _fail(lines, f"{at}.id", f"must be a UUID, got {show(item['id'])}")
    for key, top in _WHOLE:
        value = get(key, 0)
        if type(value) is not int or not 0 <= value <= top:
            raise _fail(lines, f"{at}.{key}", f"must be a whole number 0-{top}, got {show(value)}")
    for key in _SECONDS:
        value = get(key, 0.0)
        if type(value) not in (float, int) or not 0 <= value <= MAX_SESSION_SECONDS:
            raise _fail(lines, f"{at}.{key}",
                        f"must be a number of seconds 0-{MAX_SESSION_SECONDS}, got {show(value)}")
    for key in _MOMENTS:
        value = get(key)
        if value is not None and (type(value) is not datetime or value.tzinfo is None):
            raise _fail(lines, f"{at}.{key}", f"must be a date and time with a UTC offset, got {show(value)}")
        if value is not None and not bounds[0].year < value.year < bounds[1].year \
                and not bounds[0] <= value <= bounds[1]:  # the exact test only near the ends
            raise _fail(lines, f"{at}.{key}", f"must lie between {bounds[0]:%Y-%m-%d} and "
                                              f"{bounds[1]:%Y-%m-%d} (UTC), got {show(value)}")
    started, ended = item["started_at"], get("ended_at")
    if ended is not None and ended < started:
        ended = _repaired_end(started, get("done_seconds", 0.0), bounds[1])
        notices.append(f"{lines.at(f'{at}.ended_at')}: {at}.ended_at: was before started_at (the clock "
                       f"stepped back); imported as started_at plus the time done, {ended.isoformat(' ')}"
                       + (" (the last moment the history keeps)" if ended == bounds[1] else ""))
    status = _STATUSES.get(item["status"])
    if status is None:
        raise _fail(lines, f"{at}.status",
                    f"must be one of completed, stopped, interrupted; got {show(item['status'])}")
    if status is SessionStatus.RUNNING:
        status = SessionStatus.INTERRUPTED
    checkin = get("checkin")
    return SessionRecord(
        item["id"], item["routine_id"], get("routine_title", ""), get("routine_source", ""),
        started, get("planned_seconds", 0), status, ended, float(get("done_seconds", 0.0)),
        get("segments_done", 0), float(get("left_seconds", 0.0)), float(get("right_seconds", 0.0)),
        None if checkin is None else _checkin(checkin, f"{at}.checkin", lines),
    )


_CHECKIN_KEYS = frozenset(CHECKIN)


def _checkin(value: Any, at: str, lines: Lines) -> CheckIn:
    if type(value) is not dict:
        raise _fail(lines, at, "must be a table ([sessions.checkin])")
    if not _CHECKIN_KEYS.issuperset(value):
        raise _fail(lines, f"{at}.{sorted(set(value) - _CHECKIN_KEYS)[0]}", "unknown key")
    for key in _SCORES:
        score = value.get(key)
        if score is not None and (type(score) is not int or not 0 <= score <= 10):
            raise _fail(lines, f"{at}.{key}", f"must be a whole number 0-10, got {show(score)}")
    note = value.get("note", "")
    if type(note) is not str:
        raise _fail(lines, f"{at}.note", f"must be text, got {show(note)}")
    if len(note) > MAX_TEXT or not note.isprintable():
        _check_text(note, lines, f"{at}.note", newlines=True)
    return CheckIn(*map(value.get, _SCORES), note)  # type: ignore[arg-type]
