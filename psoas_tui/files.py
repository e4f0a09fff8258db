"""One bounded way to read the files people give us (routines, settings, history imports).

``read_bytes`` never blocks on a FIFO and never reads a device: the path is checked with
``stat`` first, then opened with ``O_NONBLOCK`` (so a FIFO swapped in meanwhile cannot hang the
open) and checked again with ``fstat`` on what was actually opened. Only regular files are
read, and only up to a size cap the caller gives; a bigger file is refused before it is read.
``decode_text`` turns the bytes into text (a UTF-8 byte-order mark is tolerated) and
``parse_toml`` / ``parse_json`` turn text into data; every problem is a ``FileProblem``, a
``UserError`` that names the file and, when known, the line.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from psoas_tui.errors import UserError

KIB = 1024
MIB = 1024 * KIB
_TOML_POS_RE = re.compile(r"\s*\(at line (\d+), column \d+\)")
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
        message = _TOML_POS_RE.sub("", str(exc)).strip()
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
