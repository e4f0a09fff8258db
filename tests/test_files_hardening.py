"""Issue 9 (hardening), files: bounded reading (FIFOs, devices, size caps), deep nesting, private
modes for what holds personal data, and an export that never destroys what is not a regular file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from history_helpers import make_record

import psoas_tui
from psoas_tui import paths
from psoas_tui.cli import main
from psoas_tui.config import Settings, load_settings, save_settings
from psoas_tui.errors import ConfigError
from psoas_tui.history.store import HistoryStore
from psoas_tui.routines import RoutineLibrary

ROOT = Path(psoas_tui.__file__).resolve().parents[1]  # the code under test, for child processes
FIFOS = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
POSIX_MODES = pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")
DEEP = "x = " + "[" * 600 + "]" * 600 + "\n"


def _cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The real command in a child process (a hang shows as a timeout, not a stuck test run)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "psoas_tui", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, stdin=subprocess.DEVNULL)


# -- item 4: bounded reading ----------------------------------------------------------------------
@FIFOS
@pytest.mark.parametrize("command", ["validate", "show", "run"])
def test_a_fifo_given_as_a_routine_file_is_refused_not_read(tmp_path, command):
    fifo = tmp_path / "r.toml"
    os.mkfifo(fifo)
    extra = ["--plain"] if command == "run" else []
    result = _cli(command, *extra, str(fifo))  # today: validate blocks forever
    assert result.returncode == 2
    assert f"{fifo}: is a FIFO (named pipe), not a regular file; not read" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_given_as_a_routine_file_is_refused_not_read(capsys):
    assert main(["validate", "/dev/zero"]) == 2  # today: reads until out of memory
    assert capsys.readouterr().err.endswith("/dev/zero: is a device, not a regular file; not read\n")


def test_a_routine_file_over_the_size_cap_is_refused(tmp_path, capsys, minimal_routine):
    path = tmp_path / "big.toml"
    path.write_text(minimal_routine + "# padding\n" * 120_000)  # about 1.2 MB
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.endswith(f"{path}: larger than 1 MiB; not read\n")


def test_a_tag_list_over_the_cap_is_refused(tmp_path, capsys, minimal_routine):
    tags = ", ".join(f'"t{n}"' for n in range(51))
    path = tmp_path / "tags.toml"
    path.write_text(minimal_routine.replace('summary = "One short hold."',
                                            f'summary = "One short hold."\ntags = [{tags}]'))
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.endswith(f"{path}:5: tags: must have at most 50 entries, got 51\n")


@FIFOS
def test_a_fifo_in_the_routines_folder_is_skipped_and_named(tmp_path, minimal_routine):
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "good.toml").write_text(minimal_routine)
    os.mkfifo(folder / "pipe.toml")
    library = RoutineLibrary.load_local(folder, builtin=False)
    assert [r.id for r in library] == ["tiny"]
    assert [str(n) for n in library.errors] == [
        f"{folder / 'pipe.toml'}: is a FIFO (named pipe), not a regular file; not read"]


@FIFOS
def test_a_fifo_as_the_settings_file_is_refused(tmp_path):
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError) as caught:
        load_settings(fifo)
    assert str(caught.value) == f"{fifo}: is a FIFO (named pipe), not a regular file; not read"


def test_the_reader_stops_at_its_cap_and_reads_links_to_regular_files(tmp_path):
    from psoas_tui.files import FileProblem, read_bytes

    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 100)
    link = tmp_path / "link.txt"
    link.symlink_to(path)
    assert read_bytes(link, 100) == b"x" * 100
    with pytest.raises(FileProblem) as caught:
        read_bytes(path, 99)
    assert caught.value.kind == "too-large" and str(caught.value) == f"{path}: larger than 99 bytes; not read"


# -- item 8: deep nesting -------------------------------------------------------------------------
def test_deep_nesting_in_a_routine_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "deep.toml"
    path.write_text(DEEP)
    assert main(["validate", str(path)]) == 2  # today: RecursionError traceback
    err = capsys.readouterr().err
    assert err.endswith(f"{path}: nested too deeply (arrays or tables inside one another)\n")


def test_a_deeply_nested_file_in_the_routines_folder_is_skipped(tmp_path, minimal_routine):
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "good.toml").write_text(minimal_routine)
    (folder / "deep.toml").write_text(DEEP)
    library = RoutineLibrary.load_local(folder, builtin=False)  # today: RecursionError, no app
    assert [r.id for r in library] == ["tiny"]
    assert [str(n) for n in library.errors] == [
        f"{folder / 'deep.toml'}: nested too deeply (arrays or tables inside one another)"]


def test_deep_nesting_in_the_settings_file_is_one_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(DEEP)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{path}: nested too deeply (arrays or tables inside one another)"


# -- item 3: private files ------------------------------------------------------------------------
@POSIX_MODES
def test_the_history_and_its_side_files_are_created_private():
    old = os.umask(0o022)
    try:
        with HistoryStore.open() as store:
            store.add_records([make_record(0)])
            path = store.path
            side = [Path(f"{path}-wal"), Path(f"{path}-shm")]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [path, *side] if p.exists()}
    finally:
        os.umask(old)
    assert modes[path.name] == 0o600  # today: 0644
    assert all(mode == 0o600 for mode in modes.values()), modes


@POSIX_MODES
def test_an_existing_history_keeps_its_mode():
    with HistoryStore.open() as store:
        path = store.path
    path.chmod(0o640)
    with HistoryStore.open():
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@POSIX_MODES
def test_the_settings_file_is_created_private_and_keeps_a_chosen_mode():
    old = os.umask(0o022)
    try:
        path = save_settings(Settings(weekly_goal=4))
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # already 0600 today, kept on purpose
        path.chmod(0o644)
        save_settings(Settings(weekly_goal=5))
        assert stat.S_IMODE(path.stat().st_mode) == 0o644  # today: 0600 again
    finally:
        os.umask(old)
    assert load_settings(path).weekly_goal == 5


# -- item 2: export never destroys what is not a regular file --------------------------------------
def _seed() -> None:
    with HistoryStore.open() as store:
        store.add_records([make_record(0), make_record(1)])


def test_export_writes_through_a_symlink(tmp_path, capsys):
    _seed()
    target = tmp_path / "real.toml"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    assert main(["export", "-o", str(link), "--force"]) == 0
    assert link.is_symlink() and link.resolve() == target  # today: the link becomes a file
    assert len(tomllib.loads(target.read_text())["sessions"]) == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_without_force_refuses_an_existing_link_target(tmp_path, capsys):
    _seed()
    target = tmp_path / "real.toml"
    target.write_text("keep")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    assert main(["export", "-o", str(link)]) == 2
    assert capsys.readouterr().err == f"psoas-tui: {link}: already exists (use --force to replace it)\n"
    assert target.read_text() == "keep"


@FIFOS
def test_export_refuses_a_fifo(tmp_path, capsys):
    _seed()
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert main(["export", "-o", str(fifo), "--force"]) == 2  # today: replaced by a file
    assert capsys.readouterr().err == (
        f"psoas-tui: {fifo}: is a FIFO (named pipe), not a regular file; export writes regular files "
        "only (use -o - for standard output)\n")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_export_refuses_a_device(capsys):
    _seed()
    assert main(["export", "-o", "/dev/null", "--force"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("psoas-tui: /dev/null: is a device, not a regular file") and err.count("\n") == 1
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_dev_stdout_is_standard_output(capsys):
    _seed()
    assert main(["export", "-o", "/dev/stdout"]) == 0  # today: "already exists"
    captured = capsys.readouterr()
    assert len(tomllib.loads(captured.out)["sessions"]) == 2 and captured.err == ""


def test_a_new_export_is_private(tmp_path):
    _seed()
    old = os.umask(0o022)
    try:
        assert main(["export", "-o", str(tmp_path / "x.json")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.json").stat().st_mode) == 0o600
    assert paths.history_file().exists()
