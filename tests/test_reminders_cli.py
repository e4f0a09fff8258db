"""``status``, ``snooze``, ``skip`` and ``remind`` with an injected clock (no sleeps)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from psoas_tui.commands import remind, skip, snooze, status
from psoas_tui.errors import UserError
from psoas_tui.history.store import HistoryStore
from psoas_tui.reminder_answers import lock_path, running_remind

MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # 09:00-17:30, every 50m: due since 09:50
CONFIG = (
    '[reminders]\nenabled = true\nevery = "50m"\nmax_skips_per_day = 1\n'
    'channels = ["bell", "osc", "tmux", "notify-send"]\n'
)


@pytest.fixture
def configured(app_dirs: Any) -> Any:
    app_dirs.config.mkdir(parents=True)
    (app_dirs.config / "config.toml").write_text(CONFIG, encoding="utf-8")
    return app_dirs


def clock(moment: datetime) -> Any:
    return lambda: moment


def run_status(capsys: Any, *argv: str, now: datetime = MONDAY_10) -> tuple[int, str, str]:
    code = status.main(list(argv), now=clock(now))
    out, err = capsys.readouterr()
    return code, out, err


def test_status_due_line_and_exit_zero(configured: Any, capsys: Any) -> None:
    assert run_status(capsys) == (0, "stretch due: desk-break\n", "")
    assert not configured.data.exists()  # nothing created without a history


def test_status_not_due_names_the_next_reminder_and_exits_one(configured: Any, capsys: Any) -> None:
    code, out, _ = run_status(capsys, now=MONDAY_10.replace(hour=9, minute=10))
    assert (code, out) == (1, "next stretch 09:50, streak 0\n")
    code, out, _ = run_status(capsys, now=MONDAY_10.replace(hour=18))
    assert (code, out) == (1, "next stretch Tue 09:50, streak 0\n")


def test_status_reminders_off(app_dirs: Any, capsys: Any) -> None:
    assert run_status(capsys) == (1, "reminders off, streak 0\n", "")


def test_status_format_fields(configured: Any, capsys: Any) -> None:
    code, out, _ = run_status(capsys, "--format", "[{due}] {routine} next={next_due} in {next_in} s={streak}")
    assert (code, out) == (0, "[desk-break] desk-break next=Tue 09:50 in 23h50m s=0\n")
    code, out, _ = run_status(capsys, "--format={due}", now=MONDAY_10.replace(hour=9))
    assert (code, out) == (1, "\n")


def test_status_format_errors_are_one_line(configured: Any, capsys: Any) -> None:
    code, out, err = run_status(capsys, "--format", "{nope}")
    assert code == 2 and out == ""
    assert err.startswith("psoas-tui: status --format: unknown field {nope} (known: status, due")
    code, _out, err = run_status(capsys, "--bogus")
    assert code == 2 and "unrecognized argument '--bogus'" in err


def test_status_json(configured: Any, capsys: Any) -> None:
    code, out, _ = run_status(capsys, "--json")
    data = json.loads(out)
    assert code == 0
    assert data["due"] is True and data["routine"] == "desk-break"
    assert data["next_due"] == "2026-03-03T09:50:00+00:00"
    assert (data["streak"], data["today_seconds"], data["snoozed_until"]) == (0, 0, None)
    assert type(data["today_seconds"]) is int  # whole seconds, never 0.0


def test_a_skip_ends_a_running_snooze_in_the_line_and_the_json(configured: Any, capsys: Any) -> None:
    snooze.run(argparse.Namespace(duration="60m"), now=clock(MONDAY_10))
    later = MONDAY_10 + timedelta(minutes=5)
    skip.run(argparse.Namespace(), now=clock(later))
    capsys.readouterr()
    code, out, _ = run_status(capsys, now=later + timedelta(minutes=1))
    assert (code, out) == (1, "next stretch 10:55, streak 0\n")
    data = json.loads(run_status(capsys, "--json", now=later + timedelta(minutes=1))[1])
    assert (data["next_due"], data["snoozed_until"]) == ("2026-03-02T10:55:00+00:00", None)


def test_status_reports_a_bad_config_with_its_line(app_dirs: Any, capsys: Any) -> None:
    app_dirs.config.mkdir(parents=True)
    (app_dirs.config / "config.toml").write_text('[reminders]\nevery = "5x"\n', encoding="utf-8")
    code, out, err = run_status(capsys)
    assert (code, out) == (2, "")
    path = app_dirs.config / "config.toml"
    assert err.startswith(f"psoas-tui: {path}:2: reminders.every: must be a duration")


def test_snooze_hides_the_reminder_until_it_ends(configured: Any, capsys: Any) -> None:
    assert snooze.run(argparse.Namespace(duration="10m"), now=clock(MONDAY_10)) == 0
    assert capsys.readouterr().out == "snoozed desk-break until 10:10\n"
    code, out, _ = run_status(capsys, now=MONDAY_10 + timedelta(minutes=5))
    assert (code, out) == (1, "snoozed until 10:10, streak 0\n")
    code, out, _ = run_status(capsys, now=MONDAY_10 + timedelta(minutes=10))
    assert (code, out) == (0, "stretch due: desk-break\n")


def test_snooze_uses_the_setting_and_rejects_a_bad_duration(configured: Any, capsys: Any) -> None:
    snooze.run(argparse.Namespace(duration=None), now=clock(MONDAY_10))
    assert capsys.readouterr().out == "snoozed desk-break until 10:15\n"
    with pytest.raises(UserError, match='snooze: DURATION must be a duration like "50m"'):
        snooze.run(argparse.Namespace(duration="soon"), now=clock(MONDAY_10))


def test_skip_restarts_the_interval_and_keeps_the_daily_limit(configured: Any, capsys: Any) -> None:
    assert skip.run(argparse.Namespace(), now=clock(MONDAY_10)) == 0
    assert capsys.readouterr().out == "skipped desk-break; next stretch 10:50 (0 skips left today)\n"
    assert run_status(capsys, now=MONDAY_10 + timedelta(minutes=49))[0] == 1
    with pytest.raises(UserError, match=r"no skips left today \(max_skips_per_day = 1\)"):
        skip.run(argparse.Namespace(), now=clock(MONDAY_10 + timedelta(minutes=51)))
    assert skip.run(argparse.Namespace(), now=clock(MONDAY_10 + timedelta(days=1))) == 0  # a new day


class FakePrograms:
    def __init__(self) -> None:
        self.argv: list[list[str]] = []

    def __call__(self, argv: list[str]) -> None:
        self.argv.append(argv)
        if argv[0] == "notify-send":
            raise OSError("notify-send exited with status 1")


def notifier(written: list[bytes], programs: FakePrograms, reports: list[str]) -> remind.Notifier:
    env = {"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "screen", "DISPLAY": ":0"}
    return remind.Notifier(("bell", "osc", "tmux", "notify-send"), env, terminal=True,
                           write=written.append, run_program=programs, report=reports.append,
                           has_program=lambda name: True)


def test_remind_once_notifies_every_channel_records_shown_and_reports_a_failure_once(
    configured: Any, capsys: Any
) -> None:
    written: list[bytes] = []
    programs = FakePrograms()
    reports: list[str] = []
    note = notifier(written, programs, reports)
    for minutes in (0, 1):  # the second look finds it already shown: no second notification
        assert remind.remind(once=True, now=clock(MONDAY_10 + timedelta(minutes=minutes)), notifier=note) == 0
    assert written[0] == b"\x07" and written[1].startswith(b"\x1bPtmux;\x1b\x1b]9;")
    assert len(written) == 2
    assert programs.argv[0][:2] == ["tmux", "display-message"]
    assert [argv[0] for argv in programs.argv] == ["tmux", "notify-send"]
    assert reports == ["psoas-tui: remind: the notify-send channel failed: notify-send exited with status 1"]
    assert capsys.readouterr().out == "10:00 Stretch due: desk-break (psoas-tui snooze / skip)\n"
    with HistoryStore.open() as store:
        assert store.query("SELECT kind, due_at FROM reminder_events") == [
            ("shown", "2026-03-02T09:50:00.000000+00:00")]
    note.notify("desk-break")
    assert len(reports) == 1  # reported once


def test_remind_sleeps_until_the_next_due_moment(configured: Any, capsys: Any) -> None:
    slept: list[float] = []
    written: list[bytes] = []
    moment = [MONDAY_10.replace(hour=9, minute=49, second=30)]

    def sleep(seconds: float) -> None:  # the injected clock moves on by what was slept
        slept.append(seconds)
        moment[0] += timedelta(seconds=seconds)

    remind.remind(now=lambda: moment[0], sleep=sleep, notifier=notifier(written, FakePrograms(), []),
                  max_checks=2)
    assert slept == [30.0, 60.0] and written[0] == b"\x07"
    assert capsys.readouterr().out == (
        "09:49 next stretch 09:50\n09:50 Stretch due: desk-break (psoas-tui snooze / skip)\n")


def test_a_second_remind_refuses_and_a_crashed_one_leaves_nothing_stuck(configured: Any) -> None:
    data = configured.data
    held = remind.RemindLock(data)
    assert held.acquire()
    try:
        with pytest.raises(UserError, match=rf"remind is already running for {data} \(pid {os.getpid()}\)"):
            remind.remind(now=clock(MONDAY_10))
        assert remind.remind(once=True, now=clock(MONDAY_10)) == 0  # cron: the running one does it
    finally:
        held.release()
    child = subprocess.Popen([sys.executable, "-c", (  # a remind that dies holding the lock
        "import os, sys; from pathlib import Path; from psoas_tui.commands.remind import RemindLock;"
        "assert RemindLock(Path(sys.argv[1])).acquire(); os._exit(9)"), str(data)],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert child.wait() == 9
    assert lock_path(data).read_text().strip().isdigit()
    assert running_remind(data) is None  # its stale pid is not trusted
    again = remind.RemindLock(data)
    assert again.acquire()
    again.release()


def test_install_writes_a_user_unit_and_uninstall_removes_it(tmp_path: Path, app_dirs: Any) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "PSOAS_TUI_DATA_DIR": str(app_dirs.data)}
    line = remind.install(env, has_systemd=True)
    unit = tmp_path / "xdg" / "systemd" / "user" / "psoas-tui-remind.service"
    assert line.startswith(f"wrote {unit}; start it with:")
    text = unit.read_text()
    assert f"ExecStart={sys.executable} -m psoas_tui remind\n" in text
    assert f'Environment="PSOAS_TUI_DATA_DIR={app_dirs.data}"' in text
    assert "WantedBy=default.target" in text
    assert remind.uninstall(env).startswith(f"removed {unit}")
    assert not unit.exists()
    assert remind.uninstall(env).startswith("no unit at")


def test_install_without_systemd_prints_the_crontab_line(tmp_path: Path) -> None:
    text = remind.install({"XDG_CONFIG_HOME": str(tmp_path)}, has_systemd=False)
    assert f"*/5 * * * * {sys.executable} -m psoas_tui remind --once" in text
    assert list(tmp_path.iterdir()) == []


def test_status_through_the_installed_entry_point(configured: Any) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    code = ("import sys; sys.argv = ['psoas-tui', 'status', '--format', '{routine}'];"
            " from psoas_tui.cli import entry; entry()")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert (result.stdout, result.returncode) in (("desk-break\n", 0), ("desk-break\n", 1))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the string paths follow XDG on Linux")
@pytest.mark.parametrize("xdg", [None, "/tmp/xdg-elsewhere"])
def test_status_finds_the_same_files_as_paths_without_platformdirs(monkeypatch: Any, xdg: str | None) -> None:
    from psoas_tui import paths
    from psoas_tui import reminder_runtime as runtime

    for name in ("PSOAS_TUI_CONFIG_DIR", "PSOAS_TUI_DATA_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    if xdg:
        monkeypatch.setenv("XDG_CONFIG_HOME", f"{xdg}/config")
        monkeypatch.setenv("XDG_DATA_HOME", f"{xdg}/data")
    assert runtime.config_file() == str(paths.config_file())
    assert runtime.history_file() == str(paths.history_file())


def test_remind_survives_a_config_broken_while_it_waits(configured: Any, capsys: Any) -> None:
    moment = [MONDAY_10.replace(hour=9, minute=49)]
    config = configured.config / "config.toml"

    def sleep(seconds: float) -> None:  # the person breaks config.toml, then mends it
        moment[0] += timedelta(seconds=seconds)
        config.write_text(CONFIG.replace('"50m"', '"5x"') if seconds == 60 and "5x" not in config.read_text()
                          else CONFIG, encoding="utf-8")

    written: list[bytes] = []
    remind.remind(now=lambda: moment[0], sleep=sleep, notifier=notifier(written, FakePrograms(), []),
                  max_checks=3)
    out, err = capsys.readouterr()
    assert err.count("reminders.every: must be a duration") == 1
    assert "Stretch due: desk-break" in out and written  # mended, it reminds again


def test_a_waiting_remind_stays_small(app_dirs: Any) -> None:
    """``remind`` on an up-to-date history: no history store, pathlib, subprocess or platformdirs.

    The reminder is set for a day two days from now, so it is never due while the test runs
    (it failed once at 00:10 on a Monday, when "00:00 on Mondays" was due and was sent)."""
    app_dirs.config.mkdir(parents=True)
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[(datetime.now() + timedelta(days=2)).weekday()]
    (app_dirs.config / "config.toml").write_text(
        f'[reminders]\nenabled = true\nat = ["00:00"]\ndays = ["{day}"]\nchannels = ["bell"]\n',
        encoding="utf-8")
    with HistoryStore.open():
        pass
    heavy = ("psoas_tui.history.store", "psoas_tui.config", "pathlib", "subprocess", "platformdirs")
    code = ("import sys; from psoas_tui.cli import main; status = main(['remind', '--once']);"
            f"print(status, [name for name in {heavy!r} if name in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert result.stdout.splitlines()[-1] == "0 []"
