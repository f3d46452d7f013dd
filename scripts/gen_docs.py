"""Regenerate the parts of docs/ that are derived from code (CLI help, issue codes).

Run after changing a command or a message: python scripts/gen_docs.py
tests/test_docs.py fails when the committed files differ from this output.
"""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from xlsummary.cli import cli
from xlsummary.issues import MESSAGES

DOCS = Path(__file__).resolve().parents[1] / "docs"

SEVERITY = {  # documented severity of each code; "error/warning" where it depends
    "not_a_number": "error",
    "number_as_text": "warning",
    "formula_in_input": "warning",
    "formula_without_value": "error",
    "negative": "error",
    "fraction_in_count": "error",
    "percent_out_of_range": "error",
    "missing_month": "error",
    "outside_period": "warning",
    "outlier_month": "warning",
    "duplicate_indicator": "error",
    "unknown_indicator": "error",
    "missing_tally_row": "error (required) / warning",
    "row_without_code": "error",
    "invalid_code": "error",
    "missing_field": "error (required) / warning",
    "invalid_choice": "error",
    "no_indicators": "error",
    "invalid_year": "error",
    "invalid_period": "error",
    "invalid_month_range": "error",
    "invalid_date": "warning",
    "invalid_phone": "warning",
    "narrative_missing": "error",
    "unknown_placeholder": "error",
    "bad_placeholder_option": "error",
    "excel_error": "error",
    "too_large": "error",
    "percent_as_fraction": "warning",
    "period_as_text": "warning",
    "months_ignored": "warning",
}


def cli_doc() -> str:
    runner = CliRunner()
    parts = [
        "# Command line\n",
        "Generated from `--help` by `scripts/gen_docs.py`.\n",
        "Exit codes: 0 fine (warnings allowed), 1 the workbook has errors, "
        "2 the command could not run (missing or unreadable file, bad option).\n",
    ]
    for args in ([], ["new"], ["check"], ["profiles"]):
        result = runner.invoke(cli, [*args, "--help"], prog_name="xlsummary")
        title = "xlsummary " + " ".join(args) if args else "xlsummary"
        parts.append(f"## `{title.strip()}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def validation_doc() -> str:
    lines = [
        "# Validation: every issue code\n",
        "Generated from `xlsummary/issues.py` by `scripts/gen_docs.py`. Codes are "
        "stable: tools may match on them. Each issue also names its sheet, cell "
        "(or range) and indicator; `xlsummary check --json` gives all of it.\n",
        "| code | severity | message (zh) | message (en) |",
        "|---|---|---|---|",
    ]
    for code, (zh, en) in MESSAGES.items():

        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("{", "`{").replace("}", "}`")

        lines.append(f"| `{code}` | {SEVERITY[code]} | {cell(zh)} | {cell(en)} |")
    return "\n".join(lines) + "\n"


OUTPUTS = {"cli.md": cli_doc, "validation.md": validation_doc}

if __name__ == "__main__":
    for name, make in OUTPUTS.items():
        (DOCS / name).write_text(make(), encoding="utf-8")
        print(DOCS / name, file=sys.stderr)
