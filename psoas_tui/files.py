"""One bounded way to read the files people give us (routines, settings, history imports).

``read_bytes`` never blocks on a FIFO and never reads a device: the path is checked with
``stat`` first, then opened with ``O_NONBLOCK`` (so a FIFO swapped in meanwhile cannot hang the
open) and checked again with ``fstat`` on what was actually opened. Only regular files are
read, and only up to a size cap the caller gives; a bigger file is refused before it is read.
``decode_text`` turns the bytes into text (a UTF-8 byte-order mark is tolerated) and
``parse_toml`` / ``parse_json`` turn text into data; every problem is a ``FileProblem``, a
``UserError`` that names the file and, when known, the line. ``read_toml`` does all of it for
a TOML file and gives a ``TomlDocument`` whose ``line_of("steps[2].seconds")`` finds the line
of a field for an error message (one locator for every format). ``atomic_write`` is the one
way a file is replaced: a temporary file in the same folder, synced, renamed into place.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from psoas_tui.errors import UserError

KIB = 1024
MIB = 1024 * KIB
_TOML_POS_RE = re.compile(r"\s*\(at line (\d+), column \d+\)")
_TOML_END_RE = re.compile(r"\s*\(at end of document\)")
NESTED_TOO_DEEPLY = "nested too deeply (arrays or tables inside one another)"
TOO_MANY_DIGITS = "a number with too many digits (more than 4300)"


class FileProblem(UserError):
    """A file that cannot be read or parsed: ``path[:line]: message``.

    ``kind`` says what went wrong (``missing``, ``folder``, ``special``, ``too-large``,
    ``unreadable``, ``encoding``, ``syntax``, ``nesting``) so callers can word a case their own
    way or treat a missing file as "use the defaults".
    """

    def __init__(self, path: str, message: str, *, kind: str, line: int | None = None) -> None:
        self.path = path
        self.message = message
        self.kind = kind
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


def file_kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is: ``a FIFO (named pipe)``, ..."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "an unusual file"


def check_regular(mode: int, name: str, folder_message: str = "is a folder") -> None:
    """A ``FileProblem`` unless ``mode`` is a regular file's."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise FileProblem(name, folder_message, kind="folder")
    raise FileProblem(name, f"is {file_kind(mode)}, not a regular file; not read", kind="special")


def size_text(size: int) -> str:
    """``1 MiB``, ``256 MiB``, ``64 KiB``, ``512 bytes``."""
    for unit, name in ((MIB, "MiB"), (KIB, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


def _too_large(name: str, limit: int) -> FileProblem:
    return FileProblem(name, f"larger than {size_text(limit)}; not read", kind="too-large")


def read_bytes(path: Path | str, limit: int, *, folder_message: str = "is a folder") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Messages start with ``path`` exactly as given. Symbolic links are followed (a link to a
    regular file is read); FIFOs, devices and sockets are refused without being opened.
    """
    name = str(path)
    try:
        check_regular(os.stat(path).st_mode, name, folder_message)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileProblem(name, "no such file", kind="missing") from None
    except IsADirectoryError:
        raise FileProblem(name, folder_message, kind="folder") from None
    except OSError as exc:
        raise FileProblem(name, f"cannot read: {exc.strerror or exc}", kind="unreadable") from None
    try:
        info = os.fstat(fd)
        check_regular(info.st_mode, name, folder_message)  # what was opened, not what was looked at
        if info.st_size > limit:
            raise _too_large(name, limit)
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while it was read
                raise _too_large(name, limit)
    except OSError as exc:
        raise FileProblem(name, f"cannot read: {exc.strerror or exc}", kind="unreadable") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 text (a leading byte-order mark dropped), or a ``FileProblem`` with line and byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileProblem(name, f"not valid UTF-8 (byte {exc.start})", kind="encoding", line=line) from None


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """A TOML document as data; syntax errors name the line, deep nesting is one clear line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POS_RE.search(str(exc))
        line = int(match.group(1)) if match else None
        if line is None and _TOML_END_RE.search(str(exc)):
            line = text.count("\n") + 1  # "at end of document": the last line
        message = _TOML_END_RE.sub("", _TOML_POS_RE.sub("", str(exc))).strip()
        raise FileProblem(name, f"TOML syntax: {message}", kind="syntax", line=line) from None
    except RecursionError:
        raise FileProblem(name, NESTED_TOO_DEEPLY, kind="nesting") from None
    except ValueError:  # an integer of thousands of digits (Python's int() limit)
        raise FileProblem(name, f"TOML syntax: {TOO_MANY_DIGITS}", kind="syntax") from None


def parse_json(text: str, name: str) -> Any:
    """A JSON document as data; syntax errors name the line, deep nesting is one clear line."""
    import json  # only imports need it; kept off the start-up path

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileProblem(name, f"JSON syntax: {exc.msg}", kind="syntax", line=exc.lineno) from None
    except RecursionError:
        raise FileProblem(name, NESTED_TOO_DEEPLY, kind="nesting") from None
    except ValueError:  # an integer of thousands of digits (Python's int() limit)
        raise FileProblem(name, f"JSON syntax: {TOO_MANY_DIGITS}", kind="syntax") from None


PRIVATE_MODE = 0o600
"""The mode of every file psoas-tui creates that holds personal data (history, settings, exports)."""


PRIVATE_FOLDER_MODE = 0o700
"""The mode of the folders psoas-tui creates for itself (config, history, locks)."""


def make_private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents with mode 0700 whatever the umask (as the XDG
    base directory spec asks); folders that exist keep their mode. Returns ``path``."""
    missing: list[Path] = []
    folder = path
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_FOLDER_MODE)  # the umask can only take bits away from 0700
        except FileExistsError:
            if not folder.is_dir():
                raise
    return path


def keep_mode(fd: int, replacing: Path | str) -> None:
    """Give the open file ``fd`` the mode of the existing file ``replacing``, if there is one.

    Used when a temporary file (``mkstemp`` makes it 0600) is about to be renamed over
    ``replacing``: a new file stays private, a replaced one keeps the mode its owner chose.
    """
    if not hasattr(os, "fchmod"):  # Windows: no POSIX modes
        return
    try:
        mode = stat.S_IMODE(os.stat(replacing).st_mode)
        os.fchmod(fd, mode)
    except OSError:
        return


class CannotCreate(OSError):
    """``atomic_write`` could not create its temporary file (the folder is not writable, ...)."""


def atomic_write(path: Path | str, write: Callable[[IO[bytes]], None], *, keep: bool = True,
                 install: Callable[[Path, Path], None] | None = None) -> None:
    """Write ``path`` through ``write(stream)`` into a temporary file in the same folder, sync
    it and rename it into place, so a reader sees the old file or the whole new one.

    A new file is private (``PRIVATE_MODE``); with ``keep`` a file being replaced keeps its
    mode. A temporary file that cannot be made is a ``CannotCreate`` (an ``OSError``).
    ``install(tmp, path)`` replaces the final ``os.replace`` (export uses it to refuse
    a file that appeared meanwhile). Whatever goes wrong, the temporary file is removed.
    """
    import tempfile

    target = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)  # 0600
    except OSError as exc:
        raise CannotCreate(exc.errno, exc.strerror, exc.filename) from None
    tmp = Path(tmp_name)
    try:
        if keep:
            keep_mode(fd, target)
        with os.fdopen(fd, "wb", buffering=1 << 16) as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        (install or _replace)(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _replace(tmp: Path, target: Path) -> None:
    os.replace(tmp, target)


# --------------------------------------------------------------------------- TOML documents

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY_RE = re.compile(rf"\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_HEADER_RE = re.compile(rf"\s*(\[\[?)\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]")
_PART_RE = re.compile(_KEY_PART)
_FIELD_PART_RE = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


def _key_parts(dotted: str) -> list[str]:
    """``a."b c".'d'`` as ``["a", "b c", "d"]``."""
    return [p[1:-1] if p[:1] in "\"'" else p for p in _PART_RE.findall(dotted)]


def _brackets(text: str) -> int:
    """How many more ``[`` than ``]`` ``text`` has outside its strings (roughly: enough to
    follow an array written over several lines)."""
    depth, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth


class FieldLines:
    """The line of every field of a TOML text, by path: ``steps[2].seconds``, ``keys.open_log``,
    ``reminders.every``, ``sessions[3].checkin.note``, ``poses[1].keys[2].hip``.

    Counting is from 1, as error messages count: ``steps[2]`` is the second ``[[steps]]``
    table (or the second item of an array written one item a line). One pass over the text,
    done when the first line is asked for.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[str, int] | None = None

    def line_of(self, field: str) -> int | None:
        """The line of ``field``, else of the nearest enclosing field found, else ``None``."""
        lines = self._lines if self._lines is not None else self._scan()
        path = field
        while path:
            if path in lines:
                return lines[path]
            path = _parent(path)
        return None

    def _scan(self) -> dict[str, int]:
        found: dict[str, int] = {}
        self._lines = found
        for path, number in _field_lines(self.text):
            found.setdefault(path, number)
        return found


def _parent(path: str) -> str:
    """``a[2].b`` -> ``a[2]`` -> ``a`` -> ``""``."""
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rpartition(".")[0]


def _field_lines(text: str) -> Iterator[tuple[str, int]]:
    """(path, line) for every header, key and one-a-line array item of ``text``."""
    table = ""  # the resolved path of the current table: "" at the top
    arrays: dict[str, str] = {}  # "poses.keys" -> "poses[2].keys[3]" (the latest of each array)
    counts: dict[str, int] = {}  # resolved array path -> tables seen
    array_key, items, depth, in_string = "", 0, 0, ""
    for number, line in enumerate(text.splitlines(), 1):
        if in_string:  # inside a multi-line string: nothing here is a key
            if line.count(in_string) % 2:
                in_string = ""
            continue
        if depth > 0:  # inside an array written over several lines
            if line.lstrip()[:1] in ("{", '"', "'", "[") or line.lstrip()[:1].isalnum():
                items += 1
                yield f"{array_key}[{items}]", number
            depth += _brackets(line)
            continue
        header = _HEADER_RE.match(line)
        if header:
            opened = _resolve(_key_parts(header.group(2)), header.group(1) == "[[", arrays, counts)
            for path in opened:
                yield path, number
            table = opened[-1]
            continue
        key = _KEY_RE.match(line)
        if key is None:
            continue
        path = ".".join(p for p in (table, *_key_parts(key.group(1))) if p)
        yield path, number
        value = line[key.end():]
        for inline in re.finditer(rf"[{{,]\s*({_KEY_PART})\s*=", value):
            yield f"{path}.{_key_parts(inline.group(1))[0]}", number
        for quote in ('"""', "'''"):
            if value.count(quote) % 2:
                in_string = quote
        if value.lstrip().startswith("["):
            depth = _brackets(value)
            array_key, items = path, 0


def _resolve(parts: list[str], is_array: bool, arrays: dict[str, str], counts: dict[str, int]) -> list[str]:
    """The paths a ``[a.b]`` / ``[[a.b]]`` header opens, outermost first (``steps[2]``,
    ``steps[2].meta``, ``steps[2].meta[1]``), with the index of each array of tables."""
    resolved, paths = "", []
    for n, part in enumerate(parts):
        raw = ".".join(parts[: n + 1])
        resolved = f"{resolved}.{part}" if resolved else part
        if n == len(parts) - 1 and is_array:
            paths.append(resolved)
            counts[resolved] = counts.get(resolved, 0) + 1
            arrays[raw] = resolved = f"{resolved}[{counts[resolved]}]"
        elif raw in arrays:
            resolved = arrays[raw]
        paths.append(resolved)
    return paths


@dataclass
class TomlDocument:
    """A TOML file read and parsed: its name, text and data, and where each field is."""

    name: str
    text: str
    data: dict[str, Any]
    lines: FieldLines = field(init=False)

    def __post_init__(self) -> None:
        self.lines = FieldLines(self.text)

    def line_of(self, field_path: str) -> int | None:
        """The line of ``field_path`` (see ``FieldLines``)."""
        return self.lines.line_of(field_path)


def toml_document(raw: bytes, name: str) -> TomlDocument:
    """TOML bytes as a ``TomlDocument``; bad UTF-8 or TOML is a ``FileProblem`` with the line."""
    text = decode_text(raw, name)
    return TomlDocument(name, text, parse_toml(text, name))


def read_toml(path: Path | str, limit: int, *, folder_message: str = "is a folder") -> TomlDocument:
    """The TOML file ``path`` read with ``read_bytes`` (size cap, regular files only) and parsed."""
    return toml_document(read_bytes(path, limit, folder_message=folder_message), str(path))
