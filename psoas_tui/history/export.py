"""Export the history: the exporter registry, the built-in TOML and JSON writers, and a
streaming, atomic ``export_history``.

Exporters come from the ``psoas_tui_exporters`` hook (the built-in ones too). A writer gets an
iterator of ``SessionRecord`` read lazily from a database cursor and a binary stream, so memory
stays flat however long the history is. A file export goes to a temporary file in the target
folder and is renamed into place only when complete; an existing file is never replaced
without ``force``. A new file is private (0600: the history holds health notes); a file it
replaces keeps its mode. Only regular files are written: a symbolic link is written through
(its target is replaced, the link stays), and a device, FIFO or socket is refused.

The format itself (fields, TOML and JSON writers, reader) is ``history.codec``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from psoas_tui.errors import UserError
from psoas_tui.files import CannotCreate, atomic_write, file_kind
from psoas_tui.history.codec import (  # noqa: F401  (the format's names, imported from here before)
    CHECKIN_FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    SESSION_FIELDS,
    export_header,
    jsonable,
    record_to_dict,
    toml_session,
    write_json,
    write_toml,
)
from psoas_tui.model import Exporter, SessionRecord

if TYPE_CHECKING:
    from psoas_tui.history.store import HistoryStore
    from psoas_tui.plugin_host.host import PluginHost

DEFAULT_FORMAT = "toml"


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
    from psoas_tui.plugin_host.host import PluginStream, error_line, plugin_of

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
        atomic_write(target, lambda stream: _run_exporter(exporter, records, stream), keep=force,
                     install=lambda tmp, final: _move_into_place(tmp, final, force, shown=destination))
    except CannotCreate as exc:
        raise UserError(f"{destination}: cannot write: {exc.strerror}") from None
    return records.count


STDOUT_ADVICE = " (use -o - for standard output)"
"""What the command line adds when a destination is not a regular file."""


def export_target(destination: Path, *, advice: str = STDOUT_ADVICE) -> Path:
    """The regular file an export to ``destination`` writes: a symbolic link's target (so the
    link stays a link), the path itself otherwise. A ``UserError`` for a folder, a device, a
    FIFO or a socket: export never replaces what is not a regular file (``advice`` ends that
    line: the command line's by default)."""
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
                        f"regular files only{advice}")
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
