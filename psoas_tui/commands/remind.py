"""``psoas-tui remind``: sleep until a stretch is due, then notify through the configured channels.

Runs in the foreground (a tmux window, a systemd user service) or, with ``--once``, checks once
and exits (cron). It sleeps until the next due moment (``wake_delay``: at most a minute, because
a suspend or a clock jump moves the wall clock), so it costs nothing in between. ``snooze`` and
``skip`` wake it with ``SIGUSR1``. One ``remind`` per data folder: the second refuses (an
``flock`` on ``remind.lock``, dropped by the kernel when the process dies, however it dies).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from psoas_tui.errors import UserError
from psoas_tui.reminder_answers import WAKE_SIGNAL, lock_file, running_remind
from psoas_tui.reminders.channels import (
    TERMINAL_CHANNELS,
    TITLE,
    notify_send_argv,
    reminder_message,
    terminal_bytes,
    tmux_argv,
    usable_channels,
)
from psoas_tui.reminders.schedule import ReminderState, should_notify, wake_delay

if TYPE_CHECKING:  # a waiting remind imports neither (nor subprocess and shutil until it needs them)
    import argparse
    from pathlib import Path

UNIT_NAME = "psoas-tui-remind.service"
CRON_EVERY_MINUTES = 5
PROGRAM_TIMEOUT = 10.0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = sub.add_parser("remind", help="notify when a stretch is due (foreground; --once for cron)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--once", action="store_true", help="check once, notify if due, and exit (for cron)")
    group.add_argument("--install", action="store_true",
                       help="write a systemd user unit (or print the crontab line without systemd)")
    group.add_argument("--uninstall", action="store_true", help="remove the systemd user unit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Dispatch ``--install``/``--uninstall``, else remind."""
    if args.install:
        print(install(os.environ, has_systemd=has_systemd()))
        return 0
    if args.uninstall:
        print(uninstall(os.environ))
        return 0
    return remind(once=args.once)


# -- the lock ------------------------------------------------------------------------------
class RemindLock:
    """An exclusive ``flock`` on ``remind.lock`` in the data folder, holding this pid."""

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.path = lock_file(data_dir)
        self.fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock (False when another live ``remind`` holds it)."""
        import fcntl

        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        return True

    def release(self) -> None:
        """Drop the lock (the file stays; its lock, not its existence, is what counts)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _refusal(data_dir: str | os.PathLike[str]) -> str:
    pid = running_remind(data_dir)
    who = f" (pid {pid})" if pid else ""
    return f"remind is already running for {data_dir}{who}; stop it first or use that one"


# -- delivering ----------------------------------------------------------------------------
class Notifier:
    """Delivers a reminder on every usable channel; a failing channel is reported once."""

    def __init__(
        self,
        channels: tuple[str, ...],
        env: Mapping[str, str],
        *,
        terminal: bool,
        write: Callable[[bytes], None],
        run_program: Callable[[list[str]], None],
        report: Callable[[str], None],
        has_program: Callable[[str], bool] | None = None,
    ) -> None:
        self.channels = usable_channels(channels, env, terminal=terminal,
                                        has_program=has_program or _has_program)
        self.env = env
        self.write = write
        self.run_program = run_program
        self.report = report
        self.failed: set[str] = set()

    def notify(self, routine: str) -> list[str]:
        """Send the reminder for ``routine``; returns the channels that delivered it."""
        import subprocess

        message = reminder_message(routine)
        delivered = []
        for channel in self.channels:
            try:
                self._send(channel, message)
            except (OSError, subprocess.SubprocessError) as exc:
                if channel not in self.failed:
                    self.failed.add(channel)
                    self.report(f"psoas-tui: remind: the {channel} channel failed: {exc}")
                continue
            delivered.append(channel)
        return delivered

    def _send(self, channel: str, message: str) -> None:
        if channel in TERMINAL_CHANNELS:
            self.write(terminal_bytes(channel, TITLE, message, self.env))
        elif channel == "tmux":
            self.run_program(tmux_argv(message))
        else:
            self.run_program(notify_send_argv(TITLE, message))


def _has_program(name: str) -> bool:
    import shutil

    return shutil.which(name) is not None


def run_program(argv: list[str]) -> None:
    """Run a notifier program; a non-zero exit or a hang is an ``OSError``/``SubprocessError``."""
    import subprocess

    result = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, timeout=PROGRAM_TIMEOUT, check=False)
    if result.returncode != 0:
        from psoas_tui.text import safe

        detail = safe(result.stderr.decode("utf-8", "replace").strip())[:200]
        raise OSError(f"{argv[0]} exited with status {result.returncode}" + (f": {detail}" if detail else ""))


def _write_terminal(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


# -- the loop ------------------------------------------------------------------------------
class _Wake(Exception):
    """Raised by the ``SIGUSR1`` handler to cut a sleep short."""


def scaled_clock(now: Callable[[], datetime], scale: float) -> Callable[[], datetime]:
    """A wall clock that runs ``1 / scale`` times as fast from now on (``PSOAS_TUI_TIME_SCALE``,
    for demos and end-to-end tests); ``now`` itself when the scale is 1."""
    if scale == 1.0:
        return now
    start, origin = now(), time.monotonic()
    return lambda: start + timedelta(seconds=(time.monotonic() - origin) / scale)


def check(store: object, now: datetime, notifier: Notifier, say: Callable[[str], None]) -> ReminderState:
    """One look: notify (and record ``shown``) when a reminder is due and not yet shown."""
    from psoas_tui.reminder_runtime import current_state, load_reminder_settings

    settings = load_reminder_settings()
    snapshot = store.reminder_snapshot(now)  # type: ignore[attr-defined]
    state = current_state(settings, now, snapshot)
    if should_notify(state, snapshot.last_shown):
        assert state.due is not None
        store.record_reminder_event("shown", at=now, due_at=state.due.due_at,  # type: ignore[attr-defined]
                                    until=state.due.until)
        notifier.notify(state.due.routine)
        say(f"{now:%H:%M} {reminder_message(state.due.routine)}")
    return state


def describe(state: ReminderState, now: datetime) -> str:
    """What ``remind`` prints when the state changes (``next stretch 14:50`` ...)."""
    if state.due is not None:
        return f"stretch due: {state.due.routine}"
    if state.snoozed_until is not None:
        return f"snoozed until {state.snoozed_until:%H:%M}"
    if state.next_due is not None:
        pattern = "%H:%M" if state.next_due.date() == now.date() else "%a %H:%M"
        return f"next stretch {state.next_due.strftime(pattern)}"
    return "reminders are off (config.toml [reminders] enabled = false); waiting"


def remind(
    *,
    once: bool = False,
    now: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    notifier: Notifier | None = None,
    max_checks: int | None = None,
) -> int:
    """Check, notify, sleep until the next due moment, repeat (once with ``once``)."""
    from psoas_tui.practice.clock import time_scale_from_env
    from psoas_tui.reminder_runtime import data_folder, load_reminder_settings, open_event_log, system_now

    data_dir = data_folder()
    lock = RemindLock(data_dir)
    if not lock.acquire():
        if once:
            return 0  # the running remind does the job
        raise UserError(_refusal(data_dir))
    scale = time_scale_from_env()
    clock = scaled_clock(now or system_now, scale)
    say = _say
    try:
        settings = load_reminder_settings()
        notifier = notifier or Notifier(
            settings.channels, os.environ, terminal=_is_terminal(), write=_write_terminal,
            run_program=run_program, report=lambda line: print(line, file=sys.stderr, flush=True),
        )
        with open_event_log(clock) as store:
            return _loop(store, clock, notifier, say, once=once, sleep=sleep, scale=scale,
                         max_checks=max_checks)
    finally:
        lock.release()


def _loop(store: object, clock: Callable[[], datetime], notifier: Notifier, say: Callable[[str], None],
          *, once: bool, sleep: Callable[[float], None], scale: float, max_checks: int | None) -> int:
    last = ""
    checks = 0
    previous = _catch_wake()
    try:
        while True:
            moment = clock()
            try:
                state = check(store, moment, notifier, say)
            except UserError as exc:  # config.toml edited into a bad state: say so, keep waiting
                if once:
                    raise
                state = ReminderState()
                if str(exc) != last:
                    print(f"psoas-tui: {exc}", file=sys.stderr, flush=True)
                last = str(exc)
            checks += 1
            if once:
                return 0
            line = describe(state, moment)
            if line != last and state.due is None:
                say(f"{moment:%H:%M} {line}")
            last = line
            with contextlib.suppress(_Wake):
                sleep(wake_delay(state, moment) * scale)
            if max_checks is not None and checks >= max_checks:
                return 0
    finally:
        signal.signal(WAKE_SIGNAL, previous)


def _catch_wake() -> object:
    def handler(signum: int, frame: object) -> None:
        raise _Wake

    return signal.signal(WAKE_SIGNAL, handler)


def _say(line: str) -> None:
    from psoas_tui.text import safe

    print(safe(line), flush=True)


def _is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


# -- installing ----------------------------------------------------------------------------
def has_systemd() -> bool:
    """True when a systemd user manager can run the unit (systemd is PID 1 and systemctl exists)."""
    return os.path.isdir("/run/systemd/system") and _has_program("systemctl")


def unit_path(env: Mapping[str, str]) -> Path:
    """Where the user unit goes: ``$XDG_CONFIG_HOME/systemd/user`` (default ~/.config)."""
    from pathlib import Path

    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user" / UNIT_NAME


def _command() -> str:
    """How to run this psoas-tui from a unit or crontab (this interpreter, ``-m psoas_tui``)."""
    import shlex

    return f"{shlex.quote(sys.executable)} -m psoas_tui"


def _folder_env(env: Mapping[str, str]) -> list[tuple[str, str]]:
    from psoas_tui.paths import CONFIG_ENV, DATA_ENV

    return [(name, env[name]) for name in (CONFIG_ENV, DATA_ENV) if env.get(name)]


def unit_text(env: Mapping[str, str]) -> str:
    """The systemd user unit that runs ``remind`` (with notify-send, having no terminal)."""
    lines = [
        "[Unit]",
        "Description=psoas-tui stretch reminders",
        "",
        "[Service]",
        f"ExecStart={_command()} remind",
        *(f'Environment="{name}={value}"' for name, value in _folder_env(env)),
        "Restart=on-failure",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
    ]
    return "\n".join(lines)


def cron_line(env: Mapping[str, str]) -> str:
    """The crontab line that runs ``remind --once`` every few minutes."""
    import shlex

    prefix = "".join(f"{name}={shlex.quote(value)} " for name, value in _folder_env(env))
    return f"*/{CRON_EVERY_MINUTES} * * * * {prefix}{_command()} remind --once"


def install(env: Mapping[str, str], *, has_systemd: bool) -> str:
    """Write the unit (with systemd) and say how to start it; else the crontab line."""
    if not has_systemd:
        return (f"no systemd user session here; add this line with `crontab -e`:\n{cron_line(env)}\n"
                "(set channels = [\"notify-send\"] in [reminders]: cron has no terminal)")
    path = unit_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unit_text(env), encoding="utf-8")
    return (f"wrote {path}; start it with:\n"
            f"systemctl --user daemon-reload && systemctl --user enable --now {UNIT_NAME}\n"
            "(a service has no terminal: add \"notify-send\" to channels in [reminders])")


def uninstall(env: Mapping[str, str]) -> str:
    """Remove the unit; says how to stop a running one first."""
    path = unit_path(env)
    if not path.exists():
        return f"no unit at {path}; nothing to remove"
    path.unlink()
    return (f"removed {path}; then run: systemctl --user daemon-reload "
            f"(and systemctl --user stop {UNIT_NAME} if it is still running)")
