#!/usr/bin/env bash
# Set up everything the tests need (LibreOffice from Debian, Python packages in .venv)
# and run the whole suite: ruff, then pytest. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# LibreOffice Calc for the workbook round trip, pdftotext/pdffonts to read the PDF
# back, and Chromium for the page; then what the PDF needs (Writer, UNO, the report's
# fonts: scripts/pdf_setup.sh, the same a user runs)
need=()
[ -e /usr/lib/libreoffice/program/libsclo.so ] || need+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)  # the web page's browser test
command -v pgrep >/dev/null 2>&1 || need+=(procps)  # the fault tests find LibreOffice's pids
if [ ${#need[@]} -gt 0 ]; then
  source scripts/apt.sh
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${need[@]}"
fi
source scripts/pdf_setup.sh
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
