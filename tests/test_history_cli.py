"""``psoas-tui history``, ``stats``, ``export`` and ``import`` end to end, in-process."""

from __future__ import annotations

import json
import tomllib

import pytest
from history_helpers import make_record

from psoas_tui.cli import main
from psoas_tui.history.store import HistoryStore
from psoas_tui.model import CheckIn


def _seed(records):
    with HistoryStore.open() as store:
        store.add_records(records)


def test_history_table_and_json(capsys):
    assert main(["history"]) == 0
    assert "No sessions logged yet" in capsys.readouterr().out
    _seed([make_record(0), make_record(30, checkin=CheckIn(note="two\nlines\x1b[31m"))])
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "STARTED" in out and "Tiny routine" in out and "completed" in out and "4->7" in out
    assert "two lines?[31m" in out and "\x1b" not in out
    assert "2 sessions" in out
    assert main(["history", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # issue 9 item 16: newest first (was oldest first)
    assert [d["id"] for d in data] == [make_record(30).id, make_record(0).id]
    for key in ("id", "routine_id", "status", "started_at", "planned_seconds", "done_seconds"):
        assert key in data[1]
    assert data[1]["started_at"] == make_record(0).started_at.isoformat()
    assert main(["history", "--json", "--since", "2026-11-21"]) == 0
    assert [d["id"] for d in json.loads(capsys.readouterr().out)] == [make_record(30).id]
    assert main(["history", "--json", "--limit", "1"]) == 0
    assert [d["id"] for d in json.loads(capsys.readouterr().out)] == [make_record(30).id]


def test_history_argument_errors(capsys):
    assert main(["history", "--since", "2026-12-01", "--until", "2026-11-01"]) == 2
    assert "after --until" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["history", "--since", "last tuesday"])
    assert caught.value.code == 2 and "not a date" in capsys.readouterr().err


def test_stats_text_and_json(capsys):
    _seed([make_record(0)])
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Streak:" in out and "This week:" in out and "Last 12 weeks" in out
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_sessions"] == 1 and data["weekly_goal"] == 3 and len(data["calendar"]) == 12


def test_export_then_import_into_an_empty_data_dir(tmp_path, capsys, monkeypatch):
    _seed([make_record(n) for n in range(4)])
    target = tmp_path / "out.toml"
    assert main(["export", "-o", str(target)]) == 0
    assert "Exported 4 sessions" in capsys.readouterr().err
    assert main(["export", "-o", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["export", "-o", str(target), "--force", "--since", "2026-11-20"]) == 0
    assert len(tomllib.loads(target.read_text())["sessions"]) == 4
    assert main(["export", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["sessions"]) == 4
    assert main(["export", "--format", "yaml"]) == 2
    assert main(["export", "--list-formats"]) == 0
    assert "toml" in capsys.readouterr().out

    monkeypatch.setenv("PSOAS_TUI_DATA_DIR", str(tmp_path / "elsewhere"))
    assert main(["import", str(target)]) == 0
    assert "Imported 4 sessions" in capsys.readouterr().out
    assert main(["import", str(target)]) == 0
    assert "Imported 0 sessions" in capsys.readouterr().out
    again = tmp_path / "again.toml"
    assert main(["export", "-o", str(again)]) == 0
    assert tomllib.loads(again.read_text())["sessions"] == tomllib.loads(target.read_text())["sessions"]
