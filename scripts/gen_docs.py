"""Regenerate the parts of docs/ that are derived from code (CLI help, issue codes).

Run after changing a command or a message: python scripts/gen_docs.py
tests/test_docs.py fails when the committed files differ from this output.
"""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from xlsummary.cli import cli
from xlsummary.i18n import catalogue

MESSAGES = {
    key[len("issue.") :]: (zh, catalogue("en")[key])
    for key, zh in catalogue("zh").items()
    if key.startswith("issue.")
}

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
    "comparison_left_out": "warning",
    "date_missing": "warning",
    # last year's workbook (prior_year) and the 上年同期 column
    "prior_looks_whole_year": "warning",
    "prior_other_unit": "warning",
    "prior_has_errors": "warning",
    "prior_overridden": "warning",
    "prior_not_in_catalogue": "warning",
    "prior_no_figures": "warning",
    "prior_months_missing": "warning",
    "prior_not_found": "warning",
}


def cli_doc() -> str:
    runner = CliRunner()
    parts = [
        "# Command line\n",
        "Generated from `--help` by `scripts/gen_docs.py`.\n",
        "Exit codes: 0 fine (warnings allowed), 1 the workbook has errors, "
        "2 the command could not run (missing or unreadable file, bad option).\n",
    ]
    for args in (
        [],
        ["new"],
        ["check"],
        ["render"],
        ["fields"],
        ["addin"],
        ["serve"],
        ["profiles"],
        ["batch"],
    ):
        result = runner.invoke(cli, [*args, "--help"], prog_name="xlsummary")
        title = "xlsummary " + " ".join(args) if args else "xlsummary"
        parts.append(f"## `{title.strip()}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def validation_doc() -> str:
    lines = [
        "# Validation: every issue code\n",
        "Generated from the catalogues (`xlsummary/i18n/`, keys `issue.<code>`) by "
        "`scripts/gen_docs.py`. Codes are "
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


FIELDS = {  # every key of the report context, documented; a new key without a line fails
    "title": "Report title: the 报告标题 cell, or derived from unit, year, period and profile",
    "title_lines": "The title as printed: broken at word boundaries in a trapezoid or diamond "
    "(GB/T 9704 7.3.3) when it is longer than a line of 二号 (20 characters); one line in "
    "English",
    "draft": "True when rendered with --draft (the workbook may have errors)",
    "draft_note": (
        "The red line under the title of a draft (empty otherwise): the errors, the "
        "workbook file and the start of its SHA-256, and what the mark ※ means when a "
        "figure carries it"
    ),
    "lang": "Report language, zh or en",
    "unit": "报告单位",
    "partner": "对口单位 / 受援单位",
    "partner_label": "Its label",
    "author": "填报人",
    "phone": "联系电话",
    "year": "年度",
    "period": "报告期 as words",
    "period_span": "The months of the period",
    "date": "Date for the signature block, in Arabic numerals as GB/T 9704-2012 writes it",
    "date_cn": "The same date with Chinese numerals (二〇二三年十二月二十八日), for templates "
    "that keep the older form",
    "date_month": "Year and month only",
    "date_month_cn": "Year and month only, with Chinese numerals",
    "sections": "Narrative sections in sheet order (list; see below)",
    "key_figures": "Indicators with a figure this period or last year (list of figure rows)",
    "indicators": "Every indicator of the catalogue (list of figure rows)",
    "figures": "Figure rows by indicator code: `figures.surgery.total`",
    "month_labels": "1月 … 12月 (Jan … Dec)",
    "period_months": "The period's months as numbers (1 … 12), for the charts",
    "charts": "The charts of the indicators the catalogue marks (图表 是): `charts.yoy` (this "
    "period against the same period last year) and `charts.monthly` (by month), each with "
    "`title`, `categories` and `series` (`name`, `values` as numbers, `format`); an empty "
    "`series` when nothing is marked. A chart in the template shows one when tagged "
    "`{{ chart: yoy }}` in its alt text or title (see docs/charts.md)",
    "issues": "Validation issues (list; see below), shown in draft appendices",
    "errors": "Number of errors",
    "warnings": "Number of warnings",
    "rollup": "True for a roll-up workbook (`xlsummary consolidate`): it has a per-unit table",
    "unit_columns": "A roll-up's per-unit table columns: `code`, `name`, `unit` (list, padded "
    "with blanks to 5; empty for a unit's own workbook)",
    "units": "A roll-up's per-unit rows: `name` and `figures` (formatted, one per column), the "
    "last row the totals (list; empty for a unit's own workbook)",
    "leaders": "A roll-up's leading units: one `text` sentence per indicator of the per-unit "
    "table that adds up across units, with its `code` (list)",
}
ITEM_FIELDS = {
    "sections": "code number title heading paragraphs empty key_figures_here",
    "paragraphs": "lead text",
    "key_figures": (
        "code name unit category basis total prior yoy change_text months quarters halves ytd mark"
        " chart values"
    ),
    "issues": "severity sheet cell indicator message",
}


def fields_doc() -> str:
    import json

    from xlsummary.template_fields import example_context

    context = example_context(False, "zh")
    draft = example_context(True, "zh")
    lines = [
        "# Template fields\n",
        "Generated by `scripts/gen_docs.py` from the context of the bundled hospital example "
        "(`xlsummary new --example`); the values are real output. Every value is already "
        "formatted text (but a figure row's `values`, the numbers the charts are drawn from): templates place values, they never compute. Templates are docxtpl: "
        "`{{ field }}`, `{% ... %}`, `{%p ... %}` for whole paragraphs and `{%tr ... %}` for "
        "table rows. Rendering is sandboxed, autoescaped and strict: a misspelled field is an "
        "error naming it (`xlsummary fields --template T.docx` checks a template).\n",
        "| field | meaning | example |",
        "|---|---|---|",
    ]

    def example(value) -> str:
        text = json.dumps(value, ensure_ascii=False)
        return (text[:70] + "…" if len(text) > 70 else text).replace("|", "\\|")

    # the documented fields are the real context's, no more and no fewer
    assert set(FIELDS) == set(context), set(FIELDS) ^ set(context)
    for key in context:
        value = draft[key] if key in ("draft", "draft_note", "issues") else context[key]
        lines.append(f"| `{key}` | {FIELDS[key]} | `{example(value)}` |")
    lines += ["", "## List items", ""]
    samples = {  # one real item of each list, from the example's own context
        "sections": context["sections"][2],
        "key_figures": context["figures"]["surgery"],
        "paragraphs": next(
            (p for s in context["sections"] for p in s["paragraphs"] if p["lead"]),
            context["sections"][0]["paragraphs"][0],
        ),
        "issues": draft["issues"][0],
    }
    for key, names in ITEM_FIELDS.items():
        sample = samples[key]
        assert sorted(sample) == sorted(names.split()), key
        lines.append(
            f"`{key}` items: "
            + ", ".join(f"`{n}` (`{example(sample[n])}`)" for n in names.split())
            + "\n"
        )
    lines.append(
        "Section paragraphs are one per line staff typed. `lead` holds a 公文-style "
        "sub-heading typed at the start of the line (`（一）加强组织领导。`), which the "
        "template sets in its heading face; it is empty for other paragraphs.\n"
    )
    lines.append(
        "Figure rows (`key_figures`, `indicators`, `figures.<code>`) all have the "
        "same fields; `yoy` is signed for tables (`+17.9%`), `change_text` is for "
        "running text after 同比 (`增长17.9%`, `下降6.3%`, `持平`). In a draft, "
        "`mark` is `※` for an indicator whose cells have errors (its figures are "
        "still to be checked; the draft note says so) and empty otherwise; the same "
        "mark follows its figures in the running text. A final report has no marks.\n"
    )
    lines.append(
        "A section that is empty in a draft (not yet written) has "
        "`empty` true and one paragraph saying so (`（本部分尚未填写）`), so the "
        "heading never stands bare. A final report has no empty section: a required "
        "one is an error, an optional one is left out, and so is any section whose only "
        "words were comparisons that could not be made (see placeholders.md).\n"
    )
    lines.append(
        "In narrative cells staff write figure placeholders instead, such as "
        "`{手术例数|同比}`: see [placeholders.md](placeholders.md).\n"
    )
    return "\n".join(lines)


def error_classes() -> list[type]:
    """Every class of the one hierarchy, parents first (the server's included)."""
    import xlsummary.web.errors  # noqa: F401 - defines RequestProblem
    from xlsummary.errors import XlsummaryError

    found, todo = [], [XlsummaryError]
    while todo:
        cls = todo.pop(0)
        found.append(cls)
        todo[:0] = cls.__subclasses__()
    return found


def errors_doc() -> str:
    """One table of every stable error code: ``check --json``, the API and the Excel
    add-in all give these (``{"error": {"code", "message", "message_en"}}``)."""
    from xlsummary.web.errors import REQUEST_CODES, RequestProblem, status_of

    lines = [
        "# Errors: every code\n",
        "Generated from `xlsummary/errors.py` and `xlsummary/web/errors.py` by "
        "`scripts/gen_docs.py`. A file or request xlsummary cannot use raises one "
        "`xlsummary.XlsummaryError`; its `code` is stable and the same from "
        "`xlsummary check --json` (on stdout, exit code 2), the HTTP API (the body "
        '`{"error": {"code", "message", "message_en"}}` with the status below) and the '
        "Excel button (named in its message box). Problems *inside* a readable "
        "workbook are issues, not errors: see [validation.md](validation.md).\n",
        "| code | class | HTTP | CLI exit | what it means |",
        "|---|---|---|---|---|",
    ]
    for cls in error_classes():
        if cls is RequestProblem:
            continue
        sample = cls.__new__(cls)
        exit_code = 1 if cls.code == "validation" else 2
        doc = " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split()).replace("``", "`")
        name = f"{cls.__module__}.{cls.__qualname__}".replace("xlsummary.errors.", "")
        lines.append(f"| `{cls.code}` | `{name}` | {status_of(sample)} | {exit_code} | {doc} |")
    lines += [
        "",
        "Problems with the HTTP request itself are `xlsummary.web.errors.RequestProblem` "
        "(the API only):\n",
        "| code | HTTP |",
        "|---|---|",
    ]
    lines += [f"| `{code}` | {status} |" for code, status in REQUEST_CODES.items()]
    lines += [
        "",
        "The first release's API judged uploads with codes of its own (`not_office`, "
        "`legacy_or_encrypted`); it now gives the library's codes for the same files "
        "(`not_xlsx`, `encrypted`, `empty`, and `template` for an upload that is not a "
        "Word template).",
    ]
    return "\n".join(lines) + "\n"


OUTPUTS = {
    "errors.md": errors_doc,
    "cli.md": cli_doc,
    "validation.md": validation_doc,
    "template-fields.md": fields_doc,
}

if __name__ == "__main__":
    for name, make in OUTPUTS.items():
        (DOCS / name).write_text(make(), encoding="utf-8")
        print(DOCS / name, file=sys.stderr)
