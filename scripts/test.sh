#!/usr/bin/env bash
# Set up everything the tests need (LibreOffice from Debian, Python packages in .venv)
# and run the whole suite: ruff, then pytest. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# LibreOffice (Calc for the workbook round trip, Writer for the report's PDF), a CJK
# font so Chinese renders, pdftotext to read the PDF back, and Chromium for the page
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui libreoffice-writer-nogui)
[ -d /usr/lib/libreoffice/program ] && [ ! -e /usr/lib/libreoffice/program/libswlo.so ] \
  && need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Serif CJK\|Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v chromium >/dev/null 2>&1 || need+=(chromium)  # the web page's browser test
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need+=(python3-uno)  # kept-alive LibreOffice
command -v pgrep >/dev/null 2>&1 || need+=(procps)  # the fault tests find LibreOffice's pids
if [ ${#need[@]} -gt 0 ]; then
  source scripts/apt.sh
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${need[@]}"
fi
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
