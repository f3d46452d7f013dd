"""The report context: the one plain dict a Word template is rendered from.

:func:`build_context` is pure (no file, no Excel, no clock): the Excel button, the
CLI and the server hand it the same checked workbook and get the same dict, so they
produce the same document. Every value is a ``str``, ``bool``, ``list`` or ``dict``
of those, already formatted the way a Chinese report writes it; templates only place
values, they never compute. The fields are documented, with example values, in
``docs/template-fields.md``, and a test keeps that page and this function in step.

Narrative text written by staff is only ever *data* here: its figure placeholders are
replaced by :func:`~xlsummary.running_text.fill_placeholders` (our own grammar, see
``placeholders.py``), it is split into paragraphs and stripped of characters XML
cannot hold, and the template engine escapes it. It is never evaluated as a template.

A draft says what it is: the figures of indicators whose cells have errors carry a
mark (※) in their table rows and in the running text, the draft note explains the
mark and names the workbook the draft came from (with the start of its SHA-256, so a
reader can tell which copy of the file it was), and a section left empty
shows a placeholder paragraph rather than a bare heading.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from xlsummary.charts import default_charts
from xlsummary.i18n import in_language, text, word_list, words
from xlsummary.i18n import pattern as i18n_pattern
from xlsummary.page_layout import title_lines
from xlsummary.periods import parse_date
from xlsummary.report_format import (
    change_words,
    figure_decimals,
    format_change,
    format_figure,
    report_date,
)
from xlsummary.rollup_context import rollup_fields
from xlsummary.running_text import MARK, fill_placeholders
from xlsummary.xml_safety import xml_text

if TYPE_CHECKING:
    from xlsummary.catalogue import Indicator, Profile
    from xlsummary.issues import Issue
    from xlsummary.model import Model
    from xlsummary.totals import IndicatorTotals, Totals

_NUMERALS = "一二三四五六七八九十"
_LINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
#: After which narrative section the key-figures table is printed (else after the last).
KEY_FIGURES_AFTER = "results"


def clean_text(text: str) -> str:
    """Text that XML can hold: no control characters, tabs as spaces."""
    return xml_text(text).replace("\t", " ")


def clean_line(text: str) -> str:
    """A one-line value (a title, a unit's name): line breaks become spaces."""
    return " ".join(clean_text(text).split())


def paragraphs(text: str) -> list[str]:
    """Staff text -> the paragraphs of the report (one per non-empty line)."""
    return [line.strip() for line in _LINES.split(clean_text(text)) if line.strip()]


# A second-level heading as 公文 write it, typed by staff at the start of a line:
# "（一）加强组织领导" alone, or "（一）投入防疫工作。到达后……" with the text after it.
_SUBHEADING = re.compile(
    r"^(（[一二三四五六七八九十]{1,3}）[^。！？；（]{0,40}?(?:[。：:]|$))(.*)$"
)


def split_lead(paragraph: str) -> dict[str, str]:
    """A paragraph as ``{"lead": ..., "text": ...}``: the lead is a （一）-style
    sub-heading that the template sets in its heading face (楷体), the text the rest."""
    match = _SUBHEADING.match(paragraph)
    if match is None:
        return {"lead": "", "text": paragraph}
    return {"lead": match.group(1), "text": match.group(2).lstrip()}


def _heading_number(k: int) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一 (more than twenty sections is not a report)."""
    if k <= 10:
        return _NUMERALS[k - 1]
    return "十" + _NUMERALS[k - 11] if k < 20 else "二十"


def _title(model: Model, profile: Profile | None, lang: str) -> str:
    typed = model.info_text("title")
    if typed:
        return clean_line(typed)
    unit, year = model.info_text("unit"), model.year or ""
    period = model.period
    period_text = "" if period is None or period.kind == "year" else period.label(lang)
    if profile is None:
        pattern = i18n_pattern("report.title", lang)
    else:  # the profile's own pattern in this language (its data holds zh and en)
        pattern = in_language(profile, lang, "title")
    if not year:  # a draft of a workbook without a year: no dangling 年
        pattern = pattern.replace("{year}年", "")
    title = pattern.format(unit=unit, year=year, period=period_text)
    return clean_line(title.replace(" ,", ","))


def figure_row(ind: Indicator, tot: IndicatorTotals, lang: str, mark: str = "") -> dict[str, Any]:
    kind = ind.kind
    # one indicator's figures share their decimals in the tables (70.0 beside 64.8)
    digits = figure_decimals(
        (tot.total, tot.prior, *tot.months, *tot.quarters, *tot.halves, tot.ytd), kind
    )
    return {
        "code": ind.code,
        "name": clean_line(ind.name(lang)),
        "unit": clean_line(ind.unit),
        "category": clean_line(ind.category),
        "basis": _basis_words(ind.rule, lang),
        "total": format_figure(tot.total, kind, decimals=digits),
        "prior": format_figure(tot.prior, kind, decimals=digits),
        "yoy": format_change(tot.yoy_percent, tot.yoy_points, lang),
        "change_text": change_words(tot.yoy_percent, tot.yoy_points, lang),
        "months": _months(tot.months, kind, digits),
        "quarters": [format_figure(v, kind, decimals=digits) for v in tot.quarters],
        "halves": [format_figure(v, kind, decimals=digits) for v in tot.halves],
        "ytd": format_figure(tot.ytd, kind, decimals=digits),
        "mark": mark,
        "chart": ind.chart,
        # the figures as numbers, for the charts (xlsummary.charts): a chart's cells
        # and its embedded workbook hold numbers, not the tables' text
        "values": {
            "total": tot.total,
            "prior": tot.prior,
            "months": list(tot.months),
            "decimals": digits,
        },
    }


@cache
def _basis_words(rule: str, lang: str) -> str:
    """What a period's figure is when it is not a sum: 期末数, 最高, 平均 (the table
    heads say 本期数, and 派驻人员 6 is the year-end count, not a total)."""
    return "" if rule == "sum" else text(f"report.basis.{rule}", lang)


def _months(values: tuple[float | None, ...], kind: str, digits: int) -> list[str]:
    """Twelve cells of the monthly table: whole numbers inline (most of them, and the
    appendix of a large catalogue formats tens of thousands), the rest as figures."""
    if kind == "percent" or digits:
        return [format_figure(v, kind, empty="", decimals=digits) for v in values]
    return [
        "" if v is None else f"{int(v):,}" if v == int(v) else format_figure(v, kind)
        for v in values
    ]


def issue_row(issue: Issue, lang: str) -> dict[str, str]:
    return {
        "severity": text(f"label.{issue.severity}", lang),
        "sheet": clean_line(issue.sheet),
        "cell": issue.cell,
        "indicator": issue.indicator,
        "message": clean_text(issue.message(lang)),
    }


def _draft_note(lang: str, errors: int, marks: bool, name: str, sha256: str) -> str:
    """草稿：本报告所依据的统计表“x.xlsx”（SHA-256：1a2b3c4d5e6f…）尚有1个错误……"""
    source = (
        text("report.source_named", lang, name=clean_line(name))
        if name
        else text("report.source_unnamed", lang)
    )
    digest = text("report.source_digest", lang, sha=sha256[:12]) if sha256 else ""
    mark_note = text("report.mark_note", lang, mark=MARK) if marks else ""
    key = "report.draft_note" if errors else "report.draft_note_clean"  # not "0个错误"
    return text(key, lang, source=source, digest=digest, errors=errors, marks=mark_note)


def build_context(
    model: Model,
    totals: Totals,
    issues: list[Issue],
    *,
    profile: Profile | None = None,
    lang: str | None = None,
    draft: bool = False,
    today: _dt.date,
    source_name: str = "",
    source_sha256: str = "",
) -> dict[str, Any]:
    """The template context of a checked workbook (see docs/template-fields.md).

    ``today`` stands in for the report date when the workbook has none (``check``
    warns); it is a parameter so that the same input always gives the same document.
    ``source_name`` and ``source_sha256`` name the workbook file in a draft's note
    ("" when it came without a name, or from the open Excel without its bytes).
    """
    lang = lang or model.lang
    errors = sum(1 for i in issues if i.is_error)
    date = parse_date(model.info["date"].value) or today
    # only a draft has errors to mark: a report with errors is refused otherwise
    marked = (
        frozenset(i.indicator for i in issues if i.is_error and i.indicator)
        & frozenset(model.index)
        if draft
        else frozenset()
    )
    figures = {
        ind.code: figure_row(ind, totals[ind.code], lang, MARK if ind.code in marked else "")
        for ind in model.indicators
    }
    key_figures = [
        figures[ind.code]
        for ind in model.indicators
        if totals[ind.code].total is not None or totals[ind.code].prior is not None
    ]
    sections = []
    for section in model.narrative:
        filled_text = fill_placeholders(section.text, model, totals, lang, marked)
        lines = [split_lead(p) for p in paragraphs(filled_text)]
        if not lines and not draft:  # a final report leaves an empty section out
            continue
        k = len(sections) + 1
        number = text("report.section_number", lang, n=k, chinese=_heading_number(k))
        title = clean_line(section.title)
        sections.append(
            {
                "code": section.code,
                "number": number,
                "title": title,
                "heading": text("report.heading", lang, number=number, title=title),
                "paragraphs": lines or [{"lead": "", "text": text("report.empty_section", lang)}],
                "empty": not lines,
                "key_figures_here": False,
            }
        )
    if sections:
        target = next((s for s in sections if s["code"] == KEY_FIGURES_AFTER), sections[-1])
        target["key_figures_here"] = True
    period = model.period
    year = model.year
    months = list(words("report.month", lang).values())
    span = ""
    if period and year:
        first, last = period.start, period.end
        span = text(
            "report.span",
            lang,
            year=year,
            start=first,
            end=last,
            start_name=months[first - 1],
            end_name=months[last - 1],
        )
    draft_note = (
        _draft_note(lang, errors, bool(marked), source_name, source_sha256) if draft else ""
    )
    title = _title(model, profile, lang)
    unit = clean_line(model.info_text("unit"))
    date_text = report_date(date, lang)
    context = {
        "lang": lang,
        "draft": draft,
        "draft_note": draft_note,
        "title": title,
        "title_lines": title_lines(title, word_list("report.title_break_before", lang)),
        "unit": unit,
        "partner": clean_line(model.info_text("partner")),
        "partner_label": clean_line(model.info["partner"].label),
        "author": clean_line(model.info_text("author")),
        "phone": clean_line(model.info_text("phone")),
        "year": str(year or ""),
        "period": period.label(lang) if period else "",
        "period_span": span,
        "date": date_text,
        "date_cn": report_date(date, lang, numerals=True),
        "date_month": report_date(date, lang, day=False),
        "date_month_cn": report_date(date, lang, day=False, numerals=True),
        "sections": sections,
        "key_figures": key_figures,
        "figures": figures,
        "indicators": list(figures.values()),
        "month_labels": months,
        "period_months": list(range(period.start, period.end + 1)) if period else [],
        "issues": [issue_row(i, lang) for i in issues],
        "errors": errors,
        "warnings": len(issues) - errors,
        **rollup_fields(model, totals, lang, clean_line),
    }
    context["charts"] = default_charts(context)
    return context
