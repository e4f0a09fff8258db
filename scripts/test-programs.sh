#!/usr/bin/env bash
# Installs the programs some tests drive for real, when they are missing:
#   tmux       the end-to-end test drives the app in a real tmux pane;
#   espeak-ng  the voice cue style speaks a whole session into WAV files;
#   sox        measures those files (`sox --i -D`).
# Uses apt-get when running as root; otherwise it says which are missing (their tests skip).
# Usage: bash scripts/test-programs.sh [--require]   (--require: exit 1 if any is still missing)
set -euo pipefail
programs=(tmux espeak-ng sox)
missing() {
  local program
  for program in "${programs[@]}"; do
    command -v "$program" >/dev/null 2>&1 || printf '%s\n' "$program"
  done
}
mapfile -t absent < <(missing)
if [ "${#absent[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${absent[@]}" >/dev/null
  mapfile -t absent < <(missing)
fi
if [ "${#absent[@]}" -gt 0 ]; then
  echo "note: ${absent[*]} not installed, so the tests that need them will be skipped" >&2
  if [ "${1:-}" = "--require" ]; then
    exit 1
  fi
fi
