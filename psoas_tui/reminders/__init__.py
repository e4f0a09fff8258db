"""Reminders: the ``[reminders]`` settings, the schedule and the notification channels.

The package is core (no Textual, no argparse, no plugins) and light to import, because
``psoas-tui status`` runs every few seconds in a status bar. Import the sub-module you need:

- ``durations``: ``"50m"``, ``"1h30m"``, ``"10:30"``, ``"09:00-17:30"``, day names.
- ``settings``: the ``[reminders]`` table read into a frozen ``ReminderSettings``.
- ``schedule``: what is due now and when the next reminder falls due, as pure functions of
  the settings, an aware ``now`` and a few facts from the history.
- ``channels``: the bytes and argv that deliver a reminder (bell, OSC 9/777/99, tmux,
  notify-send); running them is left to the caller.

See docs/reminders.md for the rules.
"""
