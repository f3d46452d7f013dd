#!/usr/bin/env bash
# The main job on the bundled example: set up, create the filled example workbook of
# the hospital profile, check it (issues, then the period totals) and write its Word
# report beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/xlsummary new --profile hospital --example --force -o "out/示例-医院对口支援-2023.xlsx"
.venv/bin/xlsummary check --totals "out/示例-医院对口支援-2023.xlsx"
.venv/bin/xlsummary render --force "out/示例-医院对口支援-2023.xlsx"
