#!/usr/bin/env bash
# Installs psoas-tui with its test dependencies into a virtualenv and runs the whole test suite.
# Usage: bash scripts/test.sh [pytest args...]   (PSOAS_TUI_VENV picks the virtualenv folder)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${PSOAS_TUI_VENV:-.venv}"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
bash scripts/test-programs.sh  # tmux, espeak-ng and sox, with apt when missing and root
exec "$venv/bin/python" -m pytest "$@"
