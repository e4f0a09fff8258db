"""``psoas-tui import``: read a history export (TOML or JSON) back into the store.

Everything is parsed and checked (``history.codec``) before anything is written, then all
sessions go in with one transaction: a bad file is refused with its file name and line and the
history is unchanged. Sessions are matched by ``id``, so importing the same file twice adds
nothing. What is read is bounded: a regular file of at most ``MAX_IMPORT_BYTES`` (``files``).

JSON (what ``psoas-tui export --format json`` writes) is recognised by its content (a JSON
export starts with ``{``, which no TOML document can) or a ``.json`` suffix, and goes through
the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from psoas_tui.files import MIB, decode_text, read_bytes
from psoas_tui.history.codec import (  # noqa: F401  (the reader's names, imported from here before)
    MAX_SEGMENTS,
    MAX_SESSION_SECONDS,
    MAX_TEXT,
    is_uuid,
    parse_document,
    read_records,
    records_from_document,
    show,
)
from psoas_tui.history.store import HistoryStore
from psoas_tui.model import SessionRecord

MAX_IMPORT_BYTES = 256 * MIB  # 100,000 sessions export to about 43 MiB


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
    file and line. Repairs made on the way (see ``history.codec``) are appended to ``notices``."""
    path = Path(path)
    raw = read_bytes(path, MAX_IMPORT_BYTES, folder_message="is a folder, not an export file")
    text = decode_text(raw, str(path))
    json_format = True if path.suffix.lower() == ".json" else None
    return read_records(text, str(path), notices, json_format=json_format)
