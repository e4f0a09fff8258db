#!/usr/bin/env bash
# Installs psoas-tui with its test dependencies into a virtualenv and runs the whole test suite.
# Usage: bash scripts/test.sh [pytest args...]   (PSOAS_TUI_VENV picks the virtualenv folder)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${PSOAS_TUI_VENV:-.venv}"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
if ! command -v tmux >/dev/null 2>&1; then
  # The end-to-end test drives the app in a real tmux pane.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null
  else
    echo "note: tmux is not installed, so the end-to-end test will be skipped" >&2
  fi
fi
exec "$venv/bin/python" -m pytest "$@"
