"""This machine's identity in a sync folder: a stable id and a readable name.

The id is a UUID4 created once in the config folder (``device-id``, mode 0600) and never
changed; the name is ``device_name`` from config.toml, else the host name. Two machines may
share a name (two containers, two clones of one VM): the id tells them apart.
"""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from psoas_tui import paths
from psoas_tui.errors import UserError
from psoas_tui.files import make_private_dir

DEVICE_ID_FILE = "device-id"


@dataclass(frozen=True)
class Device:
    """One machine: its id (a UUID) and its readable name."""

    id: str
    name: str

    @property
    def label(self) -> str:
        """``name (first 8 characters of the id)``, for messages."""
        return f"{self.name} ({self.id[:8]})"


def is_device_id(text: str) -> bool:
    """True for a UUID written the canonical way (lower case, with hyphens)."""
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def device_id(config_dir: Path | None = None) -> str:
    """This machine's id, created on first use (atomically: two processes agree on one)."""
    path = (config_dir or paths.config_dir()) / DEVICE_ID_FILE
    existing = _read_id(path)
    if existing is not None:
        return existing
    make_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".device-id-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as stream:
            stream.write(f"{uuid.uuid4()}\n")
            stream.flush()
            os.fsync(stream.fileno())
        with suppress(FileExistsError):
            os.link(tmp, path)  # never replaces an id another process just created
    finally:
        with suppress(OSError):
            os.unlink(tmp)
    created = _read_id(path)
    assert created is not None
    return created


def _read_id(path: Path) -> str | None:
    """The id stored in ``path``; ``None`` when there is no file; a ``UserError`` when it holds
    something else (it is never silently replaced: that would make this machine a new device)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the device id: {exc}") from None
    if not is_device_id(text):
        raise UserError(f"{path}: not a device id (a UUID); delete the file to make a new one")
    return text


def device_name(configured: str = "") -> str:
    """The configured name, else the host name (``device`` when there is none)."""
    return configured.strip() or socket.gethostname().strip() or "device"


def this_device(configured_name: str = "", config_dir: Path | None = None) -> Device:
    """This machine as a ``Device``."""
    return Device(device_id(config_dir), device_name(configured_name))
