"""The gate ``psoas_fixture_hang`` waits on at import; tests set it only in their teardown."""

import threading

RELEASE = threading.Event()
