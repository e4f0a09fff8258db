"""Practice: one session from a routine and the services.

``psoas_tui.practice.settings``: the settings a session needs, typed, and its timeline (light).
``psoas_tui.practice.engine``: ``PracticeEngine``, which the run screen and plain mode drive.
Nothing here imports Textual.
"""
