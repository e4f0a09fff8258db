"""``psoas-tui import``: read a TOML history export back into the store.

Everything is parsed and checked before anything is written, then all sessions go in with one
transaction: a bad file is refused with its file name and line and the history is unchanged.
Sessions are matched by ``id``, so importing the same file twice adds nothing. A session that
was still ``running`` when it was exported comes in as ``interrupted`` (nobody runs it here).

Parsing: the files ``psoas-tui export`` writes have a regular shape (one ``key = value`` per
line, plain values). ``_parse_canonical`` reads exactly that shape several times faster than
a general TOML parser, and gives up (returns ``None``) on the first line it does not fully
understand; ``tomllib`` then parses the file. The result is the same either way (a
differential test feeds both the same documents); escaped strings are decoded by ``tomllib``.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from psoas_tui.errors import UserError
from psoas_tui.export import CHECKIN_FIELDS, FORMAT_NAME, FORMAT_VERSION, SESSION_FIELDS
from psoas_tui.history import HistoryStore
from psoas_tui.model import CheckIn, SessionRecord, SessionStatus

_TOML_LINE_RE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    path: Path
    added: int
    skipped: int

    @property
    def total(self) -> int:
        """Sessions found in the file."""
        return self.added + self.skipped


def import_history(store: HistoryStore, path: Path) -> ImportResult:
    """Read ``path`` and add its sessions to ``store`` (one transaction; known ids skipped)."""
    records = load_export(path)
    added, skipped = store.add_records(records)
    return ImportResult(Path(path), added, skipped)


def load_export(path: Path | str) -> list[SessionRecord]:
    """Parse and check an export file; every problem is a ``UserError`` naming file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not an export file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(f"{path}:{line}: not valid UTF-8") from None
    text = text.removeprefix("\ufeff")
    data = parse_document(text, str(path))
    return records_from_document(data, _Locator(str(path), text))


def parse_document(text: str, where: str = "<export>") -> dict[str, Any]:
    """The TOML document as data (fast path for canonical exports, else ``tomllib``)."""
    data = _parse_canonical(text)
    if data is not None:
        return data
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE_RE.search(str(exc))
        place = f"{where}:{match.group(1)}" if match else where
        message = _TOML_LINE_RE.sub("", str(exc)).strip()
        raise UserError(f"{place}: TOML syntax: {message}") from None


# -- fast path -----------------------------------------------------------------------------
_KEY_VALUE = re.compile(r"([A-Za-z0-9_-]+) = (.+)\Z")
_PLAIN_STR = re.compile(r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"\Z')
_ESCAPED_STR = re.compile(
    r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\(?:[btnfr"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*"\Z'
)
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)\Z")
_DATETIME = re.compile(
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[T ]"
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])\Z"
)
_GIVE_UP = object()


def _value(text: str) -> Any:
    """A plain TOML value, or ``_GIVE_UP`` when it is anything fancier."""
    first = text[0]
    if first == '"':
        match = _PLAIN_STR.match(text)
        if match:
            return match.group(1)
        if _ESCAPED_STR.match(text):
            return tomllib.loads(f"v = {text}")["v"]
        return _GIVE_UP
    if _DATETIME.match(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:  # e.g. 30 February: let tomllib say so, with the line
            return _GIVE_UP
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return _GIVE_UP


def _parse_canonical(text: str) -> dict[str, Any] | None:
    """Parse the shape ``psoas-tui export`` writes; ``None`` at the first surprise."""
    doc: dict[str, Any] = {}
    sessions: list[dict[str, Any]] = []
    table: dict[str, Any] | None = None
    session: dict[str, Any] | None = None
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if not line:
            continue
        if line[0] == "[":
            if line == "[[sessions]]":
                session = table = {}
                sessions.append(session)
            elif line == "[sessions.checkin]":
                if session is None or "checkin" in session:
                    return None
                table = session["checkin"] = {}
            elif line == "[export]":
                if "export" in doc:
                    return None
                table = doc["export"] = {}
                session = None
            else:
                return None
            continue
        match = _KEY_VALUE.match(line)
        if match is None or table is None:
            return None
        key, raw = match.groups()
        if key in table:
            return None
        value = _value(raw)
        if value is _GIVE_UP:
            return None
        table[key] = value
    if sessions:
        doc["sessions"] = sessions
    return doc


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


def _fail(loc: _Locator, index: int | None, field: str, message: str, *, checkin: bool = False) -> UserError:
    key = field.rsplit(".", 1)[-1]
    place = loc.line(index, key if field else None, checkin)
    label = f"sessions[{index}].{field}" if index is not None else field
    return UserError(f"{place}: {label}: {message}")


def records_from_document(data: dict[str, Any], loc: _Locator | None = None) -> list[SessionRecord]:
    """Check a parsed export and turn its sessions into records."""
    loc = loc or _Locator("<export>", "")
    unknown = set(data) - {"export", "sessions"}
    if unknown:
        raise _fail(loc, None, sorted(unknown)[0], "unknown table or key")
    header = data.get("export")
    if not isinstance(header, dict):
        raise _fail(loc, None, "export", f"missing [export] table: not a {FORMAT_NAME} file")
    if header.get("format") != FORMAT_NAME:
        raise _fail(loc, None, "export.format", f"must be {FORMAT_NAME!r}, got {header.get('format')!r}")
    version = header.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _fail(loc, None, "export.format_version", f"must be a whole number, got {version!r}")
    if version > FORMAT_VERSION:
        raise _fail(loc, None, "export.format_version",
                    f"{version} is newer than this psoas-tui reads ({FORMAT_VERSION}); upgrade psoas-tui")
    extra = set(header) - {"format", "format_version", "exported_at", "app_version"}
    if extra:
        raise _fail(loc, None, f"export.{sorted(extra)[0]}", "unknown key")
    sessions = data.get("sessions", [])
    if not isinstance(sessions, list):
        raise _fail(loc, None, "sessions", "must be an array of tables ([[sessions]])")
    records: list[SessionRecord] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(sessions):
        record = _session(item, index, loc)
        if record.id in seen:
            raise _fail(loc, index, "id", f"{record.id!r} appears twice (also sessions[{seen[record.id]}])")
        seen[record.id] = index
        records.append(record)
    return records


_ALLOWED = frozenset(SESSION_FIELDS) | {"checkin"}
_REQUIRED = ("id", "routine_id", "status", "started_at")
_STATUSES = {s.value for s in SessionStatus}


def _session(item: Any, index: int, loc: _Locator) -> SessionRecord:
    if not isinstance(item, dict):
        raise _fail(loc, index, "", "must be a table")
    for key in item:
        if key not in _ALLOWED:
            raise _fail(loc, index, key, "unknown key")
    for key in _REQUIRED:
        if key not in item:
            raise _fail(loc, index, key, "missing")

    def text(key: str, default: str | None = None, *, nonempty: bool = False) -> str:
        value = item.get(key, default)
        if not isinstance(value, str) or (nonempty and not value.strip()):
            raise _fail(loc, index, key, f"must be {'non-empty ' if nonempty else ''}text, got {value!r}")
        return value

    def whole(key: str) -> int:
        value = item.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail(loc, index, key, f"must be a whole number >= 0, got {value!r}")
        return value

    def seconds(key: str) -> float:
        value = item.get(key, 0.0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value) or value < 0:
            raise _fail(loc, index, key, f"must be a number of seconds >= 0, got {value!r}")
        return float(value)

    def moment(key: str) -> datetime | None:
        value = item.get(key)
        if value is None and key != "started_at":
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise _fail(loc, index, key, f"must be a date and time with a UTC offset, got {value!r}")
        return value

    status = text("status")
    if status not in _STATUSES:
        raise _fail(loc, index, "status", f"must be one of completed, stopped, interrupted; got {status!r}")
    if status == SessionStatus.RUNNING.value:
        status = SessionStatus.INTERRUPTED.value
    started = moment("started_at")
    assert started is not None
    ended = moment("ended_at")
    if ended is not None and ended < started:
        raise _fail(loc, index, "ended_at", "is before started_at")
    return SessionRecord(
        id=text("id", nonempty=True),
        routine_id=text("routine_id", nonempty=True),
        routine_title=text("routine_title", ""),
        routine_source=text("routine_source", ""),
        started_at=started,
        planned_seconds=whole("planned_seconds"),
        status=SessionStatus(status),
        ended_at=ended,
        done_seconds=seconds("done_seconds"),
        segments_done=whole("segments_done"),
        left_seconds=seconds("left_seconds"),
        right_seconds=seconds("right_seconds"),
        checkin=_checkin(item.get("checkin"), index, loc),
    )


def _checkin(value: Any, index: int, loc: _Locator) -> CheckIn | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _fail(loc, index, "checkin", "must be a table ([sessions.checkin])")
    for key in value:
        if key not in CHECKIN_FIELDS:
            raise _fail(loc, index, f"checkin.{key}", "unknown key", checkin=True)
    scores: dict[str, int | None] = {}
    for key in CHECKIN_FIELDS[:-1]:
        score = value.get(key)
        if score is not None and (isinstance(score, bool) or not isinstance(score, int)
                                  or not 0 <= score <= 10):
            raise _fail(loc, index, f"checkin.{key}", f"must be a whole number 0-10, got {score!r}",
                        checkin=True)
        scores[key] = score
    note = value.get("note", "")
    if not isinstance(note, str):
        raise _fail(loc, index, "checkin.note", f"must be text, got {note!r}", checkin=True)
    return CheckIn(note=note, **scores)
