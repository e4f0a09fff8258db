"""The TOML writer hands tomli-w ``WRITE_BATCH`` sessions a call: the text is the same as one
call per session, tables and all, at every batch size and across batch boundaries; and the
garbage collector pause used by bulk work puts the collector back as it was."""

from __future__ import annotations

import gc
import io
import tomllib
from datetime import UTC, datetime

import pytest
import tomli_w
from history_helpers import make_record

from psoas_tui.history import codec
from psoas_tui.history.bulk import collector_paused
from psoas_tui.model import CheckIn, SessionRecord, SessionStatus


def _one_call_per_session(records: list[SessionRecord]) -> str:
    """What the writer wrote before batching: the header, then one tomli-w call per session."""
    parts = [tomli_w.dumps({"export": codec.export_header(EXPORTED)})]
    parts += ["\n" + codec.toml_session(record) for record in records]
    return "".join(parts)


EXPORTED = datetime(2026, 11, 29, 12, tzinfo=UTC)


def _written(records: list[SessionRecord], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(codec, "export_header", lambda exported_at=None: {
        "format": codec.FORMAT_NAME, "format_version": codec.FORMAT_VERSION,
        "exported_at": EXPORTED, "app_version": "0"})
    stream = io.BytesIO()
    codec.write_toml(iter(records), stream)
    return stream.getvalue().decode("utf-8")


def _smallest() -> SessionRecord:
    """A record with the shortest values a session can have: a 32-digit id, empty texts,
    zeros, no end, no check-in (the case closest to tomli-w's inline-table line limit)."""
    return SessionRecord("0" * 32, "r", "", "", datetime(1970, 1, 1, tzinfo=UTC), 0,
                         SessionStatus.STOPPED)


@pytest.mark.parametrize("count", [0, 1, 2, codec.WRITE_BATCH, codec.WRITE_BATCH + 1,
                                   2 * codec.WRITE_BATCH + 3])
def test_batches_write_the_same_text_as_one_call_per_session(count, monkeypatch):
    records = [make_record(n, checkin=None if n % 3 else CheckIn(note=f"line\n{n}\x85"))
               for n in range(count)]
    with monkeypatch.context() as patch:
        text = _written(records, patch)
        assert text == _one_call_per_session(records)
    assert len(tomllib.loads(text).get("sessions", [])) == count


def test_the_smallest_sessions_are_still_tables_not_one_inline_array(monkeypatch):
    records = [_smallest() for _ in range(3)]
    text = _written(records, monkeypatch)
    assert text.count("[[sessions]]") == 3 and "sessions = [" not in text
    assert text == _one_call_per_session(records)
    # and the next batch can still add to the array of tables
    assert len(tomllib.loads(_written(records * codec.WRITE_BATCH, monkeypatch))["sessions"]) == \
        3 * codec.WRITE_BATCH


@pytest.mark.parametrize("was_on", [True, False])
def test_the_collector_pause_restores_the_collector(was_on):
    (gc.enable if was_on else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
            with collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is was_on
        with pytest.raises(ZeroDivisionError), collector_paused():
            1 / 0  # noqa: B018
        assert gc.isenabled() is was_on
    finally:
        gc.enable()


def test_the_chunks_are_the_tables_of_one_call_per_session():
    records = [make_record(n) for n in range(codec.WRITE_BATCH + 2)]
    chunks = list(codec.toml_sessions(records))
    assert len(chunks) == 2
    assert "".join(chunks) == "".join("\n" + codec.toml_session(record) for record in records)
