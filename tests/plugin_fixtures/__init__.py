"""Broken (and good) plugins that prove the host's isolation.

``inprocess.py`` holds small plugin objects registered with ``build_plugin_host(extra=...)``;
``psoas_fixture_*.py`` are modules imported through fake entry points; ``psoas-tui-broken/``
is a tiny installable distribution used by the install test.
"""
