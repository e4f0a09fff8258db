"""Exporters: the registry, the TOML and JSON formats, streaming and the atomic file write."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
import tomli_w
from history_helpers import make_record, open_store, records
from hypothesis import HealthCheck, given, settings

from psoas_tui.errors import UserError
from psoas_tui.history.codec import escape_raw_controls
from psoas_tui.history.export import (
    FORMAT_NAME,
    available_exporters,
    choose_exporter,
    export_history,
    record_to_dict,
    toml_session,
)
from psoas_tui.model import CheckIn, Exporter
from psoas_tui.plugin_host.hookspecs import hookimpl
from psoas_tui.plugin_host.host import build_plugin_host


def _host(*extra):
    return build_plugin_host(entry_points=False, extra=list(extra))


def _toml():
    return available_exporters(_host())["toml"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_each_session_table_is_exactly_what_tomli_w_writes(record):
    # C1 controls, which tomli-w writes raw, are escaped (issue 9: no raw controls in exports)
    assert toml_session(record) == escape_raw_controls(tomli_w.dumps({"sessions": [record_to_dict(record)]}))


def test_toml_export_has_a_header_native_datetimes_and_no_nulls(tmp_path):
    with open_store(tmp_path) as store:
        store.add_records([make_record(0), make_record(1, ended_at=None, checkin=CheckIn(feeling_after=9))])
        target = tmp_path / "out.toml"
        assert export_history(store, _toml(), target) == 2
    text = target.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    header = data["export"]
    assert header["format"] == FORMAT_NAME and header["format_version"] == 1
    assert isinstance(header["exported_at"], datetime) and header["exported_at"].tzinfo is not None
    assert header["app_version"]
    first, second = data["sessions"]
    assert first["started_at"] == make_record(0).started_at and isinstance(first["started_at"], datetime)
    assert "ended_at" not in second
    assert second["checkin"] == {"feeling_after": 9, "note": ""}
    assert "null" not in text and "None" not in text


def test_an_existing_file_is_kept_unless_forced(tmp_path):
    target = tmp_path / "out.toml"
    target.write_text("precious")
    with open_store(tmp_path) as store:
        store.add_records([make_record(0)])
        with pytest.raises(UserError, match="already exists"):
            export_history(store, _toml(), target)
        assert target.read_text() == "precious"
        assert export_history(store, _toml(), target, force=True) == 1
    assert tomllib.loads(target.read_text())["sessions"][0]["id"] == make_record(0).id
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["out.toml"]


def test_a_failing_exporter_leaves_no_file_behind(tmp_path):
    def broken(records, stream):
        for _record in records:
            stream.write(b"partial")
            raise ValueError("boom")

    with open_store(tmp_path) as store:
        store.add_records([make_record(0)])
        with pytest.raises(UserError, match="boom"):
            export_history(store, Exporter("broken", ".x", "Broken", broken), tmp_path / "out.x")
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []


def test_a_missing_folder_is_a_user_error(tmp_path):
    with open_store(tmp_path) as store, pytest.raises(UserError, match="no such folder"):
        export_history(store, _toml(), tmp_path / "nope" / "out.toml")


def test_records_reach_the_writer_lazily(tmp_path):
    seen = []

    def write(records, stream):
        assert not isinstance(records, (list, tuple))
        iterator = iter(records)
        seen.append(next(iterator).id)
        seen.append(sum(1 for _ in iterator))

    with open_store(tmp_path) as store:
        store.add_records(make_record(n) for n in range(1200))
        assert export_history(store, Exporter("peek", ".p", "Peek", write), tmp_path / "x.p") == 1200
    assert seen == [make_record(0).id, 1199]


def test_json_export_and_date_range(tmp_path, capfdbinary):
    with open_store(tmp_path) as store:
        store.add_records(make_record(n * 24) for n in range(5))
        exporter = available_exporters(_host())["json"]
        start = make_record(24).started_at.date()
        assert export_history(store, exporter, None, since=start, until=start) == 1
    data = json.loads(capfdbinary.readouterr().out)
    assert data["export"]["format"] == FORMAT_NAME
    assert [s["id"] for s in data["sessions"]] == [make_record(24).id]
    assert data["sessions"][0]["started_at"] == make_record(24).started_at.isoformat()


def test_plugins_add_exporters_and_choose_by_name_or_suffix():
    class CsvPlugin:
        @hookimpl
        def psoas_tui_exporters(self):
            return [Exporter("csv", ".csv", "CSV", lambda records, stream: None)]

    host = _host(("psoas-tui-csv", CsvPlugin()))
    assert set(available_exporters(host)) == {"toml", "json", "csv"}
    assert choose_exporter(host, None, Path("log.csv")).name == "csv"
    assert choose_exporter(host, None, Path("log.json")).name == "json"
    assert choose_exporter(host, None, None).name == "toml"
    with pytest.raises(UserError, match="available: csv, json, toml"):
        choose_exporter(host, "yaml", None)


def test_a_plugin_stealing_a_built_in_name_is_reported_not_used():
    class Thief:
        @hookimpl
        def psoas_tui_exporters(self):
            return [Exporter("toml", ".toml", "Fake", lambda records, stream: None)]

    host = _host(("thief", Thief()))
    assert available_exporters(host)["toml"].title == "TOML"
    assert any(f.plugin == "thief" and "already taken" in f.message for f in host.failures)


def test_the_cursor_is_closed_before_the_store_when_the_writer_fails(tmp_path):
    def broken_pipe(records, stream):
        next(iter(records))
        raise BrokenPipeError

    store = open_store(tmp_path)
    store.add_records([make_record(n) for n in range(3)])
    source = store.iter_sessions()
    store.iter_sessions = lambda since, until: source  # type: ignore[method-assign]
    with pytest.raises(BrokenPipeError):
        export_history(store, Exporter("broken", ".x", "Broken", broken_pipe), tmp_path / "a.x")
    assert source.gi_frame is None  # closed by export_history, not left to the garbage collector
    store.close()


def test_a_session_iterator_closed_after_its_store_is_harmless(tmp_path):
    store = open_store(tmp_path)
    store.add_records([make_record(n) for n in range(3)])
    sessions = store.iter_sessions()
    assert next(sessions).id == make_record(0).id
    store.close()
    sessions.close()  # raised sqlite3.ProgrammingError: Cannot operate on a closed database
