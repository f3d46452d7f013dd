#!/usr/bin/env bash
# Create .venv and install xlsummary into it (with extras given as $1, e.g. "test").
# Used by demo.sh and test.sh; safe to run again (it reuses what is there).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  # Debian's python3 ships venv/ensurepip in a separate package
  source scripts/apt.sh
  apt_get update -qq && apt_get install -y -qq python3-venv
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade "pip>=23.1"
if [ -n "${1:-}" ]; then
  .venv/bin/python -m pip install -q -e ".[$1]"
else
  .venv/bin/python -m pip install -q -e .
fi
