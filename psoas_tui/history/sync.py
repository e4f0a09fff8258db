"""One history on every machine, through a folder that Syncthing, git or a cloud drive moves.

No server and no protocol: each device writes only its own files, one per month of local
days, under ``<folder>/psoas-tui/<device-id>/<YYYY-MM>.toml`` (the format is in docs/sync.md:
a ``[sync]`` header, a ``[changed_at]`` table, then a history export). A device writes every
finished session it knows, so a session survives its first device leaving. Files are written
whole to a temporary file in the same folder, flushed, then renamed; a month is rewritten only
when its content changed.

A sync reads every other device's files and merges them by session id: the copy with the later
``changed_at`` wins, a tie goes to the larger digest of the record, so every device picks the
same winner whatever the order of syncs and all converge. The merge is one transaction; a
session is never deleted, never appears twice, and one that is running is never replaced.

What sync engines leave behind is harmless: temporary and partial files are skipped, conflict
copies, unknown files, truncated or corrupt files and files of a newer format are skipped with a
one-line notice, a read-only folder stops only the writing. A small state file next to the
history remembers what was read and written, so a sync with nothing new reads and writes
nothing but the folder listing.
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from psoas_tui.errors import UserError
from psoas_tui.history.device import Device, is_device_id
from psoas_tui.history.store import HistoryStore, newer_copy, utc_text
from psoas_tui.model import SessionRecord
from psoas_tui.text import plural, safe

FORMAT_NAME = "psoas-tui-sync"
FORMAT_VERSION = 1
SUBFOLDER = "psoas-tui"
STATE_FILE = "sync-state.json"
STATE_VERSION = 1
MAX_FILE_BYTES = 256 * 1024 * 1024
TEMP_PREFIX = ".psoas-tui-"
_MONTH_FILE = re.compile(r"\A(\d{4})-(0[1-9]|1[0-2])\.toml\Z")
_TEMP_FILE = re.compile(
    r"\A(?:\.|~)|\.(?:tmp|temp|part|partial|crdownload|download|swp)\Z|~\Z", re.IGNORECASE
)
_CONFLICT_NOTICE = "a conflict copy left by the sync engine; ignored"
_CONFLICT_FILE = re.compile(r"sync-conflict|conflicted copy|\(conflict|\.orig\Z", re.IGNORECASE)
_BARE_KEY = re.compile(r"\A[A-Za-z0-9_-]+\Z")
_BODY_START = "\n[export]\n"

Version = tuple["SessionRecord", str]  # a record and its changed_at (UTC text)


class SyncFolderError(UserError):
    """The sync folder cannot be used at all (missing, not a folder)."""


@dataclass
class SyncReport:
    """What one sync did: sessions added and updated per device, months written, notices."""

    added: dict[str, int] = field(default_factory=dict)  # device label -> sessions
    updated: dict[str, int] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # months of this device's files rewritten
    devices: dict[str, str] = field(default_factory=dict)  # other device id -> name
    notices: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """Sessions added or updated."""
        return sum(self.added.values()) + sum(self.updated.values())

    def summary(self) -> str:
        """One line: what was added and from which devices (neutralised for a terminal)."""
        parts = [f"added {_per_device(self.added)}"] if self.added else []
        if self.updated:
            parts.append(f"updated {_per_device(self.updated)}")
        if not parts:
            seen = plural(len(self.devices), "other device")
            return f"Nothing new ({seen} in the sync folder)"
        text = "; ".join(parts)
        return safe(text[0].upper() + text[1:])


def _per_device(counts: dict[str, int]) -> str:
    return ", ".join(f"{plural(n, 'session')} from {label}" for label, n in sorted(counts.items()))


@dataclass
class _Copy:
    """One device's copy of a session."""

    record: SessionRecord
    changed: str
    device: str  # its label, for the report


@dataclass
class _State:
    """What the last syncs read and wrote (``sync-state.json`` next to the history)."""

    folder: str
    device: str
    history: list[int]
    count: int = 0
    seen: dict[str, list[Any]] = field(default_factory=dict)  # rel path -> [size, mtime_ns, ino, sha]
    own: dict[str, dict[str, Any]] = field(default_factory=dict)  # month -> {fp, sha, stat}
    told: list[str] = field(default_factory=list)  # shared-name notices given: "name: id8, id8"


class _Skip(Exception):
    """A file that is skipped, with the notice saying why."""


# -- the folder ----------------------------------------------------------------------------
def check_folder(folder: Path) -> Path:
    """``folder`` made absolute, or a ``SyncFolderError`` when it is missing or not a folder."""
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise SyncFolderError(f"{folder}: no such sync folder")
    if not folder.is_dir():
        raise SyncFolderError(f"{folder}: not a folder")
    return folder.resolve()


def file_kind(name: str) -> str:
    """``month``, ``temp`` (a sync engine's or our own work in progress), ``conflict`` (a
    conflict copy) or ``other``."""
    if _TEMP_FILE.search(name):
        return "temp"
    if _CONFLICT_FILE.search(name):
        return "conflict"
    if _MONTH_FILE.match(name):
        return "month"
    return "other"


# -- the sync ------------------------------------------------------------------------------
def sync(store: HistoryStore, folder: Path, device: Device, *, state_path: Path | None = None) -> SyncReport:
    """Merge every other device's files into ``store``, then write this device's changed months.

    A ``SyncFolderError`` when ``folder`` is unusable; every other problem is a notice in the
    report, and the local history is only ever added to.
    """
    folder = check_folder(folder)
    report = SyncReport()
    state_path = state_path or store.path.with_name(STATE_FILE)
    with _exclusive(state_path.with_name(state_path.name + ".lock")) as locked:
        if not locked:
            report.notices.append("another sync of this history is running; this one was skipped")
            return report
        state = _load_state(state_path, folder, device, store)
        root = folder / SUBFOLDER
        _note_top_conflicts(folder, report)
        copies, read = _read_folder(root, device, state, report)
        dirty = _merge(store, copies, report)
        state.seen = {rel: seen for rel, seen in {**state.seen, **read}.items() if (root / rel).exists()}
        _write_own(store, root / device.id, device, state, dirty, report)
        state.count = store.count()
        _save_state(state_path, state, report)
    return report


def _merge(store: HistoryStore, copies: dict[str, _Copy], report: SyncReport) -> set[str]:
    """Write the winning copies; returns the months whose sessions were updated."""
    added, updated = store.merge_newer((c.record, c.changed) for c in copies.values())
    for ids, counts in ((added, report.added), (updated, report.updated)):
        for sid in ids:
            label = copies[sid].device
            counts[label] = counts.get(label, 0) + 1
    return {_month(copies[sid].record) for sid in updated}


def _month(record: SessionRecord) -> str:
    return record.started_at.date().isoformat()[:7]  # the month where the session happened


def _better(new: _Copy, old: _Copy) -> bool:
    """The sync's order: later ``changed_at``, then the larger digest (the same everywhere)."""
    return newer_copy(new.record, new.changed, old.record, old.changed)


# -- reading -------------------------------------------------------------------------------
def _read_folder(
    root: Path, device: Device, state: _State, report: SyncReport
) -> tuple[dict[str, _Copy], dict[str, list[Any]]]:
    """The best copy of each session in the files that changed since the last sync, and the
    stat and hash of each file read (recorded once the merge is done)."""
    copies: dict[str, _Copy] = {}
    read: dict[str, list[Any]] = {}
    names: dict[str, str] = {}
    for folder in _device_folders(root, report):
        for path in _month_files(folder, own=folder.name == device.id, report=report):
            _read_file(path, root, device, state, report, copies, read, names)
    report.devices = {k: v for k, v in names.items() if k != device.id}
    _note_shared_names(names, device, report, state.told)
    return copies, read


def _note_top_conflicts(folder: Path, report: SyncReport) -> None:
    """A conflict copy beside the ``psoas-tui`` subfolder gets the same one-line notice as one
    inside it; the folder's other contents are the person's own and are left unmentioned."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError:
        return  # the subfolder's reading reports what is wrong
    for name in names:
        if not name.startswith(".") and _CONFLICT_FILE.search(name):
            report.notices.append(f"{folder / name}: {_CONFLICT_NOTICE}")


def _device_folders(root: Path, report: SyncReport) -> Iterator[Path]:
    """Each ``<device-id>`` folder; anything else is noted (hidden names are the engines')."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except FileNotFoundError:
        return
    except OSError as exc:
        report.notices.append(f"{root}: cannot read: {exc.strerror}; nothing merged")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if is_device_id(entry.name) and entry.is_dir(follow_symlinks=False):
            yield Path(entry.path)
        elif _CONFLICT_FILE.search(entry.name):
            report.notices.append(f"{entry.path}: {_CONFLICT_NOTICE}")
        else:
            report.notices.append(f"{entry.path}: not a device folder; ignored")


def _month_files(folder: Path, *, own: bool, report: SyncReport) -> Iterator[Path]:
    """The month files of one device folder, noting conflict copies and unknown files; our own
    leftover temporary files (a sync killed mid-way) are removed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        report.notices.append(f"{folder}: cannot read: {exc.strerror}; skipped")
        return
    for entry in entries:
        kind = file_kind(entry.name)
        if kind == "month" and entry.is_file(follow_symlinks=False):
            yield Path(entry.path)
        elif kind == "temp":
            if own and entry.name.startswith(TEMP_PREFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
        elif kind == "conflict":
            report.notices.append(f"{entry.path}: {_CONFLICT_NOTICE} "
                                  "(its device rewrites its own file; you may delete this one)")
        else:
            report.notices.append(f"{entry.path}: not a psoas-tui sync file; ignored")


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _read_file(
    path: Path, root: Path, device: Device, state: _State, report: SyncReport,
    copies: dict[str, _Copy], read: dict[str, list[Any]], names: dict[str, str],
) -> None:
    """Add the sessions of one month file to ``copies`` unless it is unchanged since last read."""
    rel = path.relative_to(root).as_posix()
    device_id = path.parent.name
    stat = _stat(path)
    known = state.seen.get(rel)
    if stat is None or (known is not None and known[:3] == stat):
        if known is not None and len(known) > 4:
            names.setdefault(device_id, known[4])
        return
    try:
        data = _read_bytes(path)
    except _Skip as exc:
        report.notices.append(str(exc))
        return
    sha = hashlib.sha256(data).hexdigest()
    own = device_id == device.id
    if own and state.own.get(path.stem, {}).get("sha") == sha:
        read[rel] = [*stat, sha, device.name]
        return  # the file this device wrote
    if known is not None and known[3] == sha:
        read[rel] = [*stat, *known[3:]]
        names.setdefault(device_id, known[4] if len(known) > 4 else "")
        return
    try:
        name, versions, notices = parse_month(data, path)
    except _Skip as exc:
        report.notices.append(str(exc))
        return
    report.notices.extend(notices)
    if own and path.stem in state.own:
        report.notices.append(
            f"{path}: written by another machine with this device's id (a copied config folder?); "
            f"merged; delete {_ID_HINT} on one of them"
        )
    names[device_id] = name
    label = f"{name} ({device_id[:8]})"
    for record, changed in versions:
        new = _Copy(record, changed, label)
        old = copies.get(record.id)
        if old is None or _better(new, old):
            copies[record.id] = new
    read[rel] = [*stat, sha, name]


_ID_HINT = "device-id in its config folder"


def _read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _Skip(f"{path}: cannot read: {exc.strerror}; skipped") from None
    if len(data) > MAX_FILE_BYTES:
        raise _Skip(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; skipped")
    return data


def parse_month(data: bytes, path: Path) -> tuple[str, list[Version], list[str]]:
    """``(device name, [(record, changed_at)], notices)`` of one month file, or ``_Skip`` with a
    one-line notice when it is not whole, not valid, or from a newer format version."""
    from psoas_tui.history.codec import read_records

    try:
        text = data.decode("utf-8")
        cut = text.index(_BODY_START)
        head = tomllib.loads(text[:cut])
    except (UnicodeDecodeError, ValueError):  # TOMLDecodeError is a ValueError
        raise _Skip(f"{path}: truncated or corrupt (still being copied?); skipped") from None
    name, count, stamps = _check_head(head, path)
    body = text[cut + 1:]
    notices: list[str] = []
    try:
        records = read_records(body, str(path), notices, json_format=False)
    except (UserError, ValueError, RecursionError) as exc:
        raise _Skip(f"{path}: corrupt ({exc}); skipped") from None
    if len(records) != count or {r.id for r in records} != stamps.keys():
        raise _Skip(f"{path}: truncated (holds {len(records)} of {count} sessions); skipped")
    return name, [(r, stamps[r.id]) for r in records], notices


def _check_head(head: dict[str, Any], path: Path) -> tuple[str, int, dict[str, str]]:
    """The ``[sync]`` header and ``[changed_at]`` table: ``(name, sessions, {id: changed_at})``."""
    sync = head.get("sync")
    if not isinstance(sync, dict) or sync.get("format") != FORMAT_NAME:
        raise _Skip(f"{path}: not a {FORMAT_NAME} file; skipped")
    version = sync.get("format_version")
    if type(version) is not int or version < 1:
        raise _Skip(f"{path}: sync.format_version: not a whole number; skipped")
    if version > FORMAT_VERSION:
        raise _Skip(f"{path}: format version {version} is newer than this psoas-tui reads "
                    f"({FORMAT_VERSION}); skipped (upgrade psoas-tui on this machine)")
    name, count, device_id = sync.get("device_name"), sync.get("sessions"), sync.get("device_id")
    if device_id != path.parent.name:
        raise _Skip(f"{path}: sync.device_id does not match its folder; skipped")
    if type(name) is not str or type(count) is not int or count < 0:
        raise _Skip(f"{path}: sync.device_name or sync.sessions missing; skipped")
    stamps = head.get("changed_at", {})
    if not isinstance(stamps, dict) or not all(
            type(v) is datetime and v.tzinfo is not None for v in stamps.values()):
        raise _Skip(f"{path}: changed_at: must map session ids to times with an offset; skipped")
    return name, count, {k: utc_text(v) for k, v in stamps.items()}


def _note_shared_names(names: dict[str, str], device: Device, report: SyncReport, told: list[str]) -> None:
    """One notice per name that more than one device id uses (both are merged), given once:
    ``told`` (kept in the sync state) remembers it until another device takes the name too."""
    by_name: dict[str, list[str]] = {}
    for device_id, name in {**names, device.id: device.name}.items():
        by_name.setdefault(name, []).append(device_id)
    for name, ids in sorted(by_name.items()):
        shown = ", ".join(sorted(i[:8] for i in ids))
        if len(ids) > 1 and f"{name}: {shown}" not in told:
            told.append(f"{name}: {shown}")
            report.notices.append(f"{len(ids)} devices are named {name!r} (ids {shown}); all merged, "
                                  "told apart by their ids (set device_name in config.toml to rename)")


# -- writing -------------------------------------------------------------------------------
def _write_own(
    store: HistoryStore, folder: Path, device: Device, state: _State, dirty: set[str],
    report: SyncReport,
) -> None:
    """Rewrite each month of this device whose content changed; a read-only folder is a notice."""
    for month, fingerprint in month_fingerprints(store).items():
        path = folder / f"{month}.toml"
        entry = state.own.get(month, {})
        if entry.get("fp") == fingerprint and month not in dirty and entry.get("stat") == _stat(path):
            continue
        data = render_month(device, month, _month_versions(store, month))
        sha = hashlib.sha256(data).hexdigest()
        if sha != _file_sha(path):
            try:
                write_atomic(path, data)
            except OSError as exc:
                report.notices.append(f"{folder}: cannot write ({exc.strerror}); this device's "
                                      "sessions are not shared until it can")
                return
            report.written.append(month)
        state.own[month] = {"fp": fingerprint, "sha": sha, "stat": _stat(path)}
        state.seen[f"{device.id}/{month}.toml"] = [*(_stat(path) or [0, 0, 0]), sha, device.name]


def _file_sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def month_fingerprints(store: HistoryStore) -> dict[str, str]:
    """A hash per month of the ids and ``changed_at`` of its finished sessions."""
    result = {}
    for month, rows in groupby(store.change_marks(), key=lambda row: row[0]):
        digest = hashlib.sha256()
        for _, sid, changed in rows:
            digest.update(f"{sid} {changed}\n".encode())
        result[month] = digest.hexdigest()
    return result


def _month_versions(store: HistoryStore, month: str) -> list[Version]:
    year, number = int(month[:4]), int(month[5:7])
    last = calendar.monthrange(year, number)[1]
    return list(store.sync_versions(date(year, number, 1), date(year, number, last)))


def render_month(device: Device, month: str, versions: Iterable[Version]) -> bytes:
    """One month file: the ``[sync]`` header, ``[changed_at]``, then a history export."""
    import tomli_w

    from psoas_tui.history.codec import export_header, toml_sessions

    versions = [(r, c or utc_text(r.ended_at or r.started_at)) for r, c in versions]
    header = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "device_id": device.id,
              "device_name": device.name, "month": month, "sessions": len(versions)}
    parts = [tomli_w.dumps({"sync": header}), "\n[changed_at]\n"]
    parts.extend(f"{_key(r.id)} = {c}\n" for r, c in versions)
    latest = max((c for _, c in versions), default=f"{month}-01T00:00:00+00:00")
    parts.append(_BODY_START + tomli_w.dumps({"export": export_header(datetime.fromisoformat(latest))})
                 [len("[export]\n"):])
    parts.extend(toml_sessions(r for r, _ in versions))
    return "".join(parts).encode("utf-8")


def _key(text: str) -> str:
    return text if _BARE_KEY.match(text) else json.dumps(text)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` (mode 0600), flush it to disk, then
    rename it over ``path``: a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- the state file ------------------------------------------------------------------------
def _history_identity(store: HistoryStore) -> list[int]:
    try:
        st = store.path.stat()
    except OSError:
        return [0, 0]
    return [st.st_dev, st.st_ino]


def _load_state(path: Path, folder: Path, device: Device, store: HistoryStore) -> _State:
    """The remembered state, or a fresh one when it belongs to another folder, device or
    history file, or the history has fewer sessions than last time (a restored backup)."""
    fresh = _State(str(folder), device.id, _history_identity(store))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = _State(**{k: v for k, v in data.items() if k != "version"})
    except (OSError, ValueError, TypeError):
        return fresh
    if data.get("version") != STATE_VERSION or (state.folder, state.device, state.history) != \
            (fresh.folder, fresh.device, fresh.history) or state.count > store.count():
        return fresh
    return state


def _save_state(path: Path, state: _State, report: SyncReport) -> None:
    data = {"version": STATE_VERSION, **state.__dict__}
    try:
        write_atomic(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    except OSError as exc:
        report.notices.append(f"{path}: cannot save the sync state ({exc.strerror}); the next "
                              "sync reads everything again")


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` (True), or yield False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock; the merge is one transaction anyway
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


# -- for the command and the app -----------------------------------------------------------
def sync_configured(folder: Path | None = None) -> SyncReport | None:
    """Sync the history with ``folder`` (default: ``sync_folder`` from config.toml); ``None``
    when no folder is set."""
    from psoas_tui.config import load_settings
    from psoas_tui.history.device import this_device

    settings = load_settings()
    target = folder or (Path(settings.sync_folder).expanduser() if settings.sync_folder else None)
    if target is None:
        return None
    target = check_folder(target)
    device = this_device(settings.device_name)
    with HistoryStore.open() as store:
        return sync(store, target, device)
