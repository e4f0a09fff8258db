"""``psoas-tui import``: read a history export (TOML or JSON) back into the store.

Everything is parsed and checked before anything is written, then all sessions go in with one
transaction: a bad file is refused with its file name and line and the history is unchanged.
Sessions are matched by ``id``, so importing the same file twice adds nothing. A session that
was still ``running`` when it was exported comes in as ``interrupted`` (nobody runs it here).
A session whose ``ended_at`` is before its ``started_at`` (written by an older psoas-tui when
the wall clock stepped back during the session) is repaired, with a notice: it ends at
``started_at`` plus the time practised.

What comes in is bounded: the file is a regular file of at most ``MAX_IMPORT_BYTES``, text
fields hold no control characters (notes may hold line breaks and tabs) and at most
``MAX_TEXT`` characters, and times lie between ``EARLIEST`` and ``LATEST`` (UTC).

JSON (what ``psoas-tui export --format json`` writes) is recognised by its content (a JSON
export starts with ``{``, which no TOML document can) or a ``.json`` suffix, and goes through
the same checks.

Parsing: the files ``psoas-tui export`` writes have a regular shape (one ``key = value`` per
line, plain values). ``_parse_canonical`` reads exactly that shape several times faster than
a general TOML parser, and gives up (returns ``None``) on the first line it does not fully
understand; ``tomllib`` then parses the file. The result is the same either way (a
differential test feeds both the same documents); escaped strings are decoded by ``tomllib``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from psoas_tui.errors import UserError
from psoas_tui.export import CHECKIN_FIELDS, FORMAT_NAME, FORMAT_VERSION, SESSION_FIELDS
from psoas_tui.files import (
    MIB,
    NESTED_TOO_DEEPLY,
    FileProblem,
    decode_text,
    parse_json,
    parse_toml,
    read_bytes,
)
from psoas_tui.history import EARLIEST, LATEST, HistoryStore
from psoas_tui.model import CheckIn, SessionRecord, SessionStatus
from psoas_tui.text import control_character, control_message

# Bounds that no real session comes near; they keep absurd numbers out of the history.
MAX_SESSION_SECONDS = 100_000_000  # above the longest timeline the routine format allows (~16M s)
MAX_SEGMENTS = 100_000
MAX_TEXT = 10_000  # characters in one text field (the app's note field takes 500)
MAX_IMPORT_BYTES = 256 * MIB  # 100,000 sessions export to about 43 MiB
_UUID_RE = re.compile(
    r"(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32})\Z"
)


def is_uuid(text: str) -> bool:
    """``text`` is a UUID written as 8-4-4-4-12 hex digits, or as 32 hex digits."""
    return _UUID_RE.match(text) is not None


def show(value: Any, limit: int = 60) -> str:
    """A value as its TOML text would show it, for an error message: times in ISO 8601
    (``2026-11-20T08:00:00``, not ``datetime.datetime(...)``), ``true``/``false``, strings
    quoted; long values cut short so the message stays one readable line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (datetime, date, time)):
        text = value.isoformat()
    elif isinstance(value, int):
        text = str(value) if value.bit_length() <= 128 else "a number far too large"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    path: Path
    added: int
    skipped: int
    notices: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        """Sessions found in the file."""
        return self.added + self.skipped


def import_history(store: HistoryStore, path: Path) -> ImportResult:
    """Read ``path`` and add its sessions to ``store`` (one transaction; known ids skipped)."""
    notices: list[str] = []
    records = load_export(path, notices)
    added, skipped = store.add_records(records)
    return ImportResult(Path(path), added, skipped, tuple(notices))


def load_export(path: Path | str, notices: list[str] | None = None) -> list[SessionRecord]:
    """Parse and check an export file (TOML or JSON); every problem is a ``UserError`` naming
    file and line. Repairs made on the way (see the module's notes) are appended to ``notices``."""
    path = Path(path)
    raw = read_bytes(path, MAX_IMPORT_BYTES, folder_message="is a folder, not an export file")
    text = decode_text(raw, str(path))
    if text.lstrip()[:1] == "{" or path.suffix.lower() == ".json":
        return _json_records(text, str(path), notices)
    records = fast_records(text)
    if records is not None:
        return records
    data = parse_document(text, str(path))
    return records_from_document(data, _Locator(str(path), text), notices)


def parse_document(text: str, where: str = "<export>") -> dict[str, Any]:
    """The TOML document as data (fast path for canonical exports, else ``tomllib``)."""
    data = _parse_canonical(text)
    if data is not None:
        return data
    return parse_toml(text, where)


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
    return records_from_document(data, _JsonLocator(where, text), notices)


def _json_moment(value: Any) -> Any:
    """An ISO 8601 string as a datetime; anything else as it is (the checks will name it)."""
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return value


# -- fast path -----------------------------------------------------------------------------
# The exporter writes every [[sessions]] table with the same keys in the same order, one plain
# value per line. _SESSION matches one such table whole; a file where any table differs (hand
# edited, comments, other spacing, another writer) goes to tomllib instead.
_PLAIN = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'  # (tab is allowed in a basic string)
_STR = rf'"{_PLAIN}(?:\\(?:[btnfr"\\]|u[0-9A-Fa-f]{{4}}|U[0-9A-Fa-f]{{8}}){_PLAIN})*"'
_INT = r"-?(?:0|[1-9][0-9]{0,17})"  # longer numbers go to tomllib, which names the problem
_FLOAT = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)"
_DT = (
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[T ]"
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_SESSION = re.compile(
    rf"\[\[sessions\]\]\nid = ({_STR})\nroutine_id = ({_STR})\nroutine_title = ({_STR})\n"
    rf"routine_source = ({_STR})\nstatus = ({_STR})\nstarted_at = ({_DT})\n"
    rf"(?:ended_at = ({_DT})\n)?planned_seconds = ({_INT})\ndone_seconds = ({_FLOAT})\n"
    rf"segments_done = ({_INT})\nleft_seconds = ({_FLOAT})\nright_seconds = ({_FLOAT})\n"
    rf"(?:\n(\[sessions\.checkin\]\n)(?:feeling_before = ({_INT})\n)?(?:feeling_after = ({_INT})\n)?"
    rf"(?:tightness_left = ({_INT})\n)?(?:tightness_right = ({_INT})\n)?(?:note = ({_STR})\n)?)?"
    r"\n*"
)
_HEADER_LINE = re.compile(rf"([A-Za-z0-9_-]+) = (?:({_STR})|({_DT})|({_FLOAT})|({_INT}))\Z")
_ESCAPE = re.compile(r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _NotCanonical(Exception):
    """The fast path gives up; tomllib will parse the file."""


def _escape(match: re.Match[str]) -> str:
    simple, short, long = match.groups()
    if simple:
        return _SIMPLE_ESCAPES[simple]
    code = int(short or long, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:  # not a Unicode scalar value
        raise _NotCanonical
    return chr(code)


def _string(raw: str) -> str:
    body = raw[1:-1]
    return _ESCAPE.sub(_escape, body) if "\\" in body else body


def _moment(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw)
    except ValueError:  # e.g. 30 February: tomllib will say so, with the line
        raise _NotCanonical from None


_SCORES = ("feeling_before", "feeling_after", "tightness_left", "tightness_right")


def _parse_canonical(text: str) -> dict[str, Any] | None:
    """Parse exactly what ``psoas-tui export`` writes; ``None`` when the file is anything else."""
    if "\r" in text:
        return None
    first = 0 if text.startswith("[[sessions]]\n") else text.find("\n[[sessions]]\n") + 1
    head = text[:first] if first else text
    try:
        doc = _parse_head(head)
        if not first:
            return doc
        sessions: list[dict[str, Any]] = []
        pos, end, match_at = first, len(text), _SESSION.match
        while pos < end:
            m = match_at(text, pos)
            if m is None:
                return None
            (sid, rid, title, source, status, started, ended, planned, done, segments, left, right,
             has_checkin, before, after, t_left, t_right, note) = m.groups()
            session: dict[str, Any] = {
                "id": _string(sid), "routine_id": _string(rid), "routine_title": _string(title),
                "routine_source": _string(source), "status": _string(status),
                "started_at": _moment(started),
            }
            if ended is not None:
                session["ended_at"] = _moment(ended)
            session["planned_seconds"] = int(planned)
            session["done_seconds"] = float(done)
            session["segments_done"] = int(segments)
            session["left_seconds"] = float(left)
            session["right_seconds"] = float(right)
            if has_checkin:
                checkin: dict[str, Any] = {}
                for name, value in zip(_SCORES, (before, after, t_left, t_right), strict=True):
                    if value is not None:
                        checkin[name] = int(value)
                if note is not None:
                    checkin["note"] = _string(note)
                session["checkin"] = checkin
            sessions.append(session)
            pos = m.end()
    except _NotCanonical:
        return None
    doc["sessions"] = sessions
    return doc


def _parse_head(head: str) -> dict[str, Any]:
    """The ``[export]`` table (and nothing else) before the first session."""
    doc: dict[str, Any] = {}
    table: dict[str, Any] | None = None
    for line in head.split("\n"):
        if not line:
            continue
        if line == "[export]" and table is None:
            table = doc["export"] = {}
            continue
        m = _HEADER_LINE.match(line)
        if m is None or table is None or m.group(1) in table:
            raise _NotCanonical
        key, string, moment, real, whole = m.groups()
        if string is not None:
            table[key] = _string(string)
        elif moment is not None:
            table[key] = _moment(moment)
        elif real is not None:
            table[key] = float(real)
        else:
            table[key] = int(whole)
    return doc


def fast_records(text: str) -> list[SessionRecord] | None:
    """Records straight from a canonical export whose every value is valid; ``None`` otherwise.

    Only the happy path lives here: the regular expressions already fix every key and type, so
    what is left are range checks. Anything doubtful returns ``None`` and the general path
    (``parse_document`` + ``records_from_document``) reads the file again and names the
    problem with its line. A differential test checks both paths give the same records.
    """
    if "\r" in text:
        return None
    first = 0 if text.startswith("[[sessions]]\n") else text.find("\n[[sessions]]\n") + 1
    try:
        head = _parse_head(text[:first] if first else text)
        _check_header(head, _Locator("<export>", ""))
    except (_NotCanonical, UserError):
        return None
    records: list[SessionRecord] = []
    if not first:
        return records
    seen: set[str] = set()
    statuses, string, moment = _STATUSES, _string, _moment
    pos, end, match_at = first, len(text), _SESSION.match
    try:
        while pos < end:
            m = match_at(text, pos)
            if m is None:
                return None
            (sid, rid, title, source, status_text, started, ended, planned, done, segments, left, right,
             has_checkin, before, after, t_left, t_right, note) = m.groups()
            sid, rid, status = string(sid), string(rid), statuses.get(string(status_text))
            start = moment(started)
            finish = moment(ended) if ended is not None else None
            numbers = (int(planned), float(done), int(segments), float(left), float(right))
            title, source = string(title), string(source)
            if status is None or not is_uuid(sid) or not rid.strip() or sid in seen or min(numbers) < 0 \
                    or max(numbers[0], numbers[1], numbers[3], numbers[4]) > MAX_SESSION_SECONDS \
                    or numbers[2] > MAX_SEGMENTS or (finish is not None and finish < start) \
                    or not _fit(rid) or not _fit(title) or not _fit(source) \
                    or not _year_inside(started, start) \
                    or (finish is not None and not _year_inside(ended, finish)):
                return None
            checkin = None
            if has_checkin:
                scores = [None if v is None else int(v) for v in (before, after, t_left, t_right)]
                text_note = string(note) if note is not None else ""
                if any(v is not None and not 0 <= v <= 10 for v in scores) \
                        or not _fit(text_note, newlines=True):
                    return None
                checkin = CheckIn(*scores, text_note)
            seen.add(sid)
            records.append(SessionRecord(
                sid, rid, title, source, start, numbers[0],
                SessionStatus.INTERRUPTED if status is SessionStatus.RUNNING else status, finish,
                numbers[1], numbers[2], numbers[3], numbers[4], checkin,
            ))
            pos = m.end()
    except _NotCanonical:
        return None
    return records


def _fit(text: str, *, newlines: bool = False) -> bool:
    """``text`` is short enough and free of control characters (the fast path's quick check:
    ``isprintable`` answers for almost every string; the others are searched)."""
    if len(text) > MAX_TEXT:
        return False
    return text.isprintable() or control_character(text, newlines=newlines) is None


def _year_inside(raw: str, moment: datetime) -> bool:
    """``moment`` (written ``raw``) lies within the dates the history keeps; the year alone
    answers unless it is an edge year, where the offset may move it across."""
    return _EARLIEST_YEAR < raw[:4] < _LATEST_YEAR or _in_range(moment)


_EARLIEST_YEAR, _LATEST_YEAR = f"{EARLIEST.year:04d}", f"{LATEST.year:04d}"


def _in_range(moment: datetime) -> bool:
    """``moment`` lies within the dates the history keeps."""
    return EARLIEST <= moment <= LATEST


# -- checking ------------------------------------------------------------------------------
class _Locator:
    """Finds the line of the n-th ``[[sessions]]`` table (and a key in it) for error messages."""

    _HEADER = re.compile(r"^\s*\[\[\s*sessions\s*\]\]", re.MULTILINE)

    def __init__(self, where: str, text: str) -> None:
        self.where = where
        self.text = text
        self._starts: list[int] | None = None

    def line(self, index: int | None, key: str | None = None, in_checkin: bool = False) -> str:
        """``file:line`` of session ``index`` (of its ``key`` when found), or ``file``."""
        if index is None:
            return self.where
        if self._starts is None:
            self._starts = [m.start() for m in self._HEADER.finditer(self.text)]
        if index >= len(self._starts):
            return self.where  # sessions written as an inline array
        start = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self.text)
        block = self.text[start:end]
        offset = 0
        if in_checkin:
            found = re.search(r"^\s*\[\s*sessions\s*\.\s*checkin\s*\]", block, re.MULTILINE)
            offset = found.start() if found else 0
        if key:
            found = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=', re.MULTILINE).search(block, offset)
            if found:
                offset = found.start()
        return f"{self.where}:{self.text.count(chr(10), 0, start + offset) + 1}"


class _JsonLocator(_Locator):
    """The line of the n-th session of a JSON export (one session per line, as export writes)."""

    _HEADER = re.compile(r'^\s*\{\s*"id"\s*:', re.MULTILINE)


def _fail(loc: _Locator, index: int | None, field: str, message: str, *, checkin: bool = False) -> UserError:
    """The error for session ``index`` (counted from 0 here; shown counted from 1, as routine
    steps are: ``sessions[1]`` is the first ``[[sessions]]`` table)."""
    key = field.rsplit(".", 1)[-1]
    place = loc.line(index, key if field else None, checkin)
    if index is None:
        label = field
    else:
        label = f"sessions[{index + 1}].{field}" if field else f"sessions[{index + 1}]"
    return UserError(f"{place}: {label}: {message}")


def records_from_document(
    data: dict[str, Any], loc: _Locator | None = None, notices: list[str] | None = None
) -> list[SessionRecord]:
    """Check a parsed export and turn its sessions into records; repairs go to ``notices``."""
    loc = loc or _Locator("<export>", "")
    try:
        return _records(data, loc, notices if notices is not None else [])
    except RecursionError:  # a value nested deeper than the checks can show
        raise FileProblem(loc.where, NESTED_TOO_DEEPLY, kind="nesting") from None


def _records(data: dict[str, Any], loc: _Locator, notices: list[str]) -> list[SessionRecord]:
    _check_header(data, loc)
    sessions = data.get("sessions", [])
    if not isinstance(sessions, list):
        raise _fail(loc, None, "sessions", "must be an array of tables ([[sessions]])")
    records: list[SessionRecord] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(sessions):
        record = _session(item, index, loc, notices)
        if record.id in seen:
            first = seen[record.id] + 1
            raise _fail(loc, index, "id", f"{show(record.id)} appears twice (also sessions[{first}])")
        seen[record.id] = index
        records.append(record)
    return records


def _check_header(data: dict[str, Any], loc: _Locator) -> None:
    """The top level and the ``[export]`` table."""
    unknown = set(data) - {"export", "sessions"}
    if unknown:
        raise _fail(loc, None, sorted(unknown)[0], "unknown table or key")
    header = data.get("export")
    if not isinstance(header, dict):
        raise _fail(loc, None, "export", f"missing [export] table: not a {FORMAT_NAME} file")
    if header.get("format") != FORMAT_NAME:
        raise _fail(loc, None, "export.format", f"must be {FORMAT_NAME!r}, got {show(header.get('format'))}")
    version = header.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _fail(loc, None, "export.format_version", f"must be a whole number, got {show(version)}")
    if version > FORMAT_VERSION:
        raise _fail(loc, None, "export.format_version",
                    f"{version} is newer than this psoas-tui reads ({FORMAT_VERSION}); upgrade psoas-tui")
    extra = set(header) - {"format", "format_version", "exported_at", "app_version"}
    if extra:
        raise _fail(loc, None, f"export.{sorted(extra)[0]}", "unknown key")


_ALLOWED = frozenset(SESSION_FIELDS) | {"checkin"}
_REQUIRED = ("id", "routine_id", "status", "started_at")
_TEXT = ("id", "routine_id", "routine_title", "routine_source", "status")
_WHOLE = (("planned_seconds", MAX_SESSION_SECONDS), ("segments_done", MAX_SEGMENTS))
_SECONDS = ("done_seconds", "left_seconds", "right_seconds")
_STATUSES = {s.value: s for s in SessionStatus}
_CHECKIN_KEYS = frozenset(CHECKIN_FIELDS)


def _check_text(value: str, index: int, loc: _Locator, key: str, *, newlines: bool = False) -> None:
    """A ``UserError`` when a text field is too long or holds a control character."""
    checkin = key.startswith("checkin.")
    if len(value) > MAX_TEXT:
        raise _fail(loc, index, key, f"must be at most {MAX_TEXT:,} characters, got {len(value):,}",
                    checkin=checkin)
    char = control_character(value, newlines=newlines)
    if char is not None:
        raise _fail(loc, index, key, control_message(char), checkin=checkin)


def _repaired_end(started: datetime, done: Any) -> datetime:
    """The end of a session whose recorded end came before its start: start plus time done."""
    seconds = float(done) if type(done) in (int, float) else 0.0
    return started + timedelta(seconds=seconds)


def _session(item: Any, index: int, loc: _Locator, notices: list[str]) -> SessionRecord:
    """One ``[[sessions]]`` table checked and made a record (kept quick: 100,000 in seconds)."""
    if type(item) is not dict:
        raise _fail(loc, index, "", "must be a table")
    if not _ALLOWED.issuperset(item):
        raise _fail(loc, index, sorted(set(item) - _ALLOWED)[0], "unknown key")
    for key in _REQUIRED:
        if key not in item:
            raise _fail(loc, index, key, "missing")
    get = item.get
    for key in _TEXT:
        value = get(key, "")
        if type(value) is not str or (key in _REQUIRED and not value.strip()):
            wanted = "non-empty text" if key in _REQUIRED else "text"
            raise _fail(loc, index, key, f"must be {wanted}, got {show(value)}")
        _check_text(value, index, loc, key)
    if not is_uuid(item["id"]):
        raise _fail(loc, index, "id", f"must be a UUID, got {show(item['id'])}")
    for key, top in _WHOLE:
        value = get(key, 0)
        if type(value) is not int or not 0 <= value <= top:
            raise _fail(loc, index, key, f"must be a whole number 0-{top}, got {show(value)}")
    for key in _SECONDS:
        value = get(key, 0.0)
        if type(value) not in (float, int) or not 0 <= value <= MAX_SESSION_SECONDS:
            raise _fail(loc, index, key,
                        f"must be a number of seconds 0-{MAX_SESSION_SECONDS}, got {show(value)}")
    started = item["started_at"]
    ended = get("ended_at")
    for key, value in (("started_at", started), ("ended_at", ended)):
        if value is not None and (type(value) is not datetime or value.tzinfo is None):
            raise _fail(loc, index, key, f"must be a date and time with a UTC offset, got {show(value)}")
        if value is not None and not _in_range(value):
            raise _fail(loc, index, key, f"must lie between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d} "
                                         f"(UTC), got {show(value)}")
    if ended is not None and ended < started:
        ended = _repaired_end(started, get("done_seconds", 0.0))
        place = loc.line(index, "ended_at")
        notices.append(f"{place}: sessions[{index + 1}].ended_at: was before started_at (the clock "
                       f"stepped back); imported as started_at plus the time done, {ended.isoformat(' ')}")
    status = _STATUSES.get(item["status"])
    if status is None:
        raise _fail(loc, index, "status",
                    f"must be one of completed, stopped, interrupted; got {show(item['status'])}")
    if status is SessionStatus.RUNNING:
        status = SessionStatus.INTERRUPTED
    checkin = get("checkin")
    return SessionRecord(
        item["id"], item["routine_id"], get("routine_title", ""), get("routine_source", ""),
        started, get("planned_seconds", 0), status, ended, float(get("done_seconds", 0.0)),
        get("segments_done", 0), float(get("left_seconds", 0.0)), float(get("right_seconds", 0.0)),
        None if checkin is None else _checkin(checkin, index, loc),
    )


def _checkin(value: Any, index: int, loc: _Locator) -> CheckIn:
    if type(value) is not dict:
        raise _fail(loc, index, "checkin", "must be a table ([sessions.checkin])")
    if not _CHECKIN_KEYS.issuperset(value):
        key = sorted(set(value) - _CHECKIN_KEYS)[0]
        raise _fail(loc, index, f"checkin.{key}", "unknown key", checkin=True)
    scores: dict[str, int | None] = {}
    for key in CHECKIN_FIELDS[:-1]:
        score = value.get(key)
        if score is not None and (type(score) is not int or not 0 <= score <= 10):
            raise _fail(loc, index, f"checkin.{key}", f"must be a whole number 0-10, got {show(score)}",
                        checkin=True)
        scores[key] = score
    note = value.get("note", "")
    if type(note) is not str:
        raise _fail(loc, index, "checkin.note", f"must be text, got {show(note)}", checkin=True)
    _check_text(note, index, loc, "checkin.note", newlines=True)
    return CheckIn(note=note, **scores)
