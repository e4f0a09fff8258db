"""End to end in a real tmux pane: the installed ``psoas-tui``, first run to exported TOML.

Starts the console script next to ``sys.executable`` in a detached tmux session (its own
server socket, 100x30) with temporary config and data folders and a fast session clock,
acknowledges the safety notice (Enter through the first-run steps keeps their defaults), filters
to the two-minute desk break and runs it, fills in the check-in, exports the history as TOML
from the command palette, quits, and reads the file back with ``tomllib``. Screen states are
awaited by polling ``capture-pane`` against a deadline; nothing waits a fixed time in place of
a state.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]

WIDTH, HEIGHT = 100, 30
TIME_SCALE = "0.02"  # the 2:05 desk break lasts about 2.5 s
POLL = 0.05
EXITED = "psoas-tui exited with status"


class Pane:
    """One tmux pane on a private server socket."""

    def __init__(self, socket: str, session: str) -> None:
        self.socket = socket
        self.session = session

    def tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def screen(self) -> str:
        """The pane's text now."""
        return self.tmux("capture-pane", "-p", "-t", self.session, check=False)

    def screen_with_styles(self) -> str:
        """The pane's text with its SGR escape sequences (to see what is bold, i.e. focused)."""
        return self.tmux("capture-pane", "-e", "-p", "-t", self.session, check=False)

    def keys(self, *keys: str) -> None:
        """Send tmux key names (``Enter``, ``C-p``, ``Down``)."""
        self.tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        """Send ``text`` literally."""
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, condition: Callable[[str], object], what: str, timeout: float = 30.0) -> str:
        """Poll the screen until ``condition(screen)`` holds; fail with the last screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the pane shows:\n{screen}")
            time.sleep(POLL)

    def wait_focused(self, label: str, timeout: float = 30.0) -> None:
        """Wait until the check-in scale ``label`` is focused (its label turns bold).

        Textual routes a key to the widget focused when the key is read, so a key sent right
        after one that moves focus can reach the old widget; wait for the move to show.
        """
        pattern = re.compile(r"\x1b\[1m(?:\x1b\[[\d;]*m)*" + re.escape(label))
        deadline = time.monotonic() + timeout
        while not pattern.search(self.screen_with_styles()):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {label!r} to be focused:\n{self.screen()}")
            time.sleep(POLL)

    def wait_text(self, text: str, timeout: float = 30.0) -> str:
        return self.wait_for(lambda s: text in s, repr(text), timeout)


def installed_script() -> Path:
    script = Path(sys.executable).with_name("psoas-tui")
    if not script.exists():
        pytest.skip(f"the psoas-tui console script is not installed next to {sys.executable}")
    return script


def pane_env(tmp_path: Path) -> dict[str, str]:
    """The environment the app runs with: temporary folders, a fast clock, no installed plugins."""
    return {
        "PSOAS_TUI_CONFIG_DIR": str(tmp_path / "config"),
        "PSOAS_TUI_DATA_DIR": str(tmp_path / "data"),
        "PSOAS_TUI_TIME_SCALE": TIME_SCALE,
        "PSOAS_TUI_NO_PLUGINS": "1",
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
    }


def start_pane(tmp_path: Path, *args: str) -> Pane:
    """``psoas-tui ARGS`` in a new detached tmux session on its own server socket."""
    script = installed_script()
    env = pane_env(tmp_path)
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = (
        f"env {assignments} {shlex.join([str(script), *args])}; "
        f"echo; echo \"{EXITED} $?\"; sleep 600"
    )
    socket = f"psoas-e2e-{os.getpid()}-{tmp_path.name}"
    pane = Pane(socket, "e2e")
    pane.tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", str(WIDTH), "-y", str(HEIGHT),
              "sh", "-c", command)
    return pane


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[tuple[Pane, Path, Path]]:
    """``psoas-tui`` (no command) on a first run."""
    started = start_pane(tmp_path)
    try:
        yield started, tmp_path / "config", tmp_path / "data"
    finally:
        started.tmux("kill-server", check=False)


def test_first_run_desk_break_checkin_and_toml_export(pane: tuple[Pane, Path, Path], tmp_path: Path):
    p, config, _data = pane

    # First run: the safety notice, then how cues reach you and reminders (Enter keeps the
    # defaults); all saved once at the end.
    p.wait_text("Before you stretch")
    p.keys("Enter")
    p.wait_text("How should cues reach you?")
    p.keys("Enter")
    p.wait_text("Remind you to stretch?")
    p.keys("Enter")
    p.wait_for(lambda s: re.search(r"Routines \d+/\d+", s), "the routine list")
    saved = tomllib.loads((config / "config.toml").read_text(encoding="utf-8"))
    assert saved["safety_acknowledged"] is True

    # Filter to the desk break and start it.
    p.type("desk")
    p.wait_for(lambda s: re.search(r"Routines 1/\d+", s), "the filter to leave one routine")
    assert "Two-minute desk break" in p.screen()
    p.keys("Enter")

    # The run screen counts down on its own (fast clock); then the check-in opens.
    p.wait_text("How did that feel?", timeout=60)
    p.wait_focused("Feeling before")
    p.type("7")
    p.wait_for(lambda s: re.search(r"Feeling before .*7/10", s), "feeling before set")
    p.keys("Down")
    p.wait_focused("Feeling after")
    p.type("9")
    p.wait_for(lambda s: re.search(r"Feeling after .*9/10", s), "feeling after set")
    p.keys("Enter")
    p.wait_for(lambda s: "How did that feel?" not in s and "Routines" in s, "back on the choose screen")

    # Export from the command palette.
    p.keys("C-p")
    p.wait_for(lambda s: "Search for commands" in s or "Open log" in s, "the command palette")
    p.type("export history")
    # Wait for the search itself (the commands offered before typing include both).
    p.wait_for(lambda s: "Export history" in s and "Open log" not in s, "the export command alone")
    p.keys("Enter")
    p.wait_for(lambda s: "TOML" in s and "psoas-tui-history-" in s, "the export dialog with TOML chosen")
    # The suggested file is ~/psoas-tui-history-DATE.toml, and HOME is this test's folder.
    p.keys("C-s")
    p.wait_for(lambda s: "Exported 1 session" in s, "the export to finish")
    exported = sorted(tmp_path.glob("psoas-tui-history-*.toml"))
    assert len(exported) == 1, exported

    p.keys("C-q")
    p.wait_text(f"{EXITED} 0")

    document = tomllib.loads(exported[0].read_text(encoding="utf-8"))
    assert document["export"]["format"] == "psoas-tui-history"
    sessions = document["sessions"]
    assert len(sessions) == 1
    session = sessions[0]
    assert session["routine_id"] == "desk-break"
    assert session["status"] == "completed"
    assert session["planned_seconds"] == 125
    assert session["checkin"]["feeling_before"] == 7
    assert session["checkin"]["feeling_after"] == 9
    assert session["done_seconds"] > 0
    assert session["started_at"].tzinfo is not None  # a native TOML datetime with an offset


def test_run_id_opens_straight_on_the_run_screen(tmp_path: Path):
    """``psoas-tui run desk-break`` (no --plain) counts down at once; Esc skips the check-in."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text("safety_acknowledged = true\n", encoding="utf-8")
    p = start_pane(tmp_path, "run", "desk-break")
    try:
        p.wait_text("How did that feel?", timeout=60)
        assert "Routines" not in p.screen()  # it never stopped on the choose screen
        p.keys("Escape")
        p.wait_for(lambda s: re.search(r"Routines \d+/\d+", s), "the choose screen after the session")
        p.keys("C-q")
        p.wait_text(f"{EXITED} 0")
    finally:
        p.tmux("kill-server", check=False)
    listing = subprocess.run(
        [str(installed_script()), "history", "--json"],
        env={**os.environ, **pane_env(tmp_path)}, capture_output=True, text=True, check=True,
    )
    sessions = json.loads(listing.stdout)
    assert [(s["routine_id"], s["status"]) for s in sessions] == [("desk-break", "completed")]
