"""Validation rules over a :class:`~xlsummary.model.Model`: pure, no I/O, fast.

Cell-level reading problems are found while the model is built (see ``model.py``);
the rules here need a whole row or the whole workbook: signs and whole numbers per
indicator kind, missing months of required indicators inside the reporting period,
figures entered after it, outlier months, percentages typed as fractions, empty info
fields and narrative sections, placeholders naming an unknown indicator, and
year-on-year placeholders whose change cannot be made (the report leaves them out). The
numeric rules are vectorized over the tally matrix, so a 1000-indicator workbook still
validates in about a millisecond.

Outlier rule (a warning): in a row with figures for at least ``OUTLIER_MIN_MONTHS``
months and a median above zero, a month at least ``OUTLIER_FACTOR`` times that median.
With five or more months one wild figure hardly moves the median, so it need not be
left out; the typical catch is a typo with an extra digit (1200 for 120).

Whole-year 上年同期 rule (a warning, once per workbook): in a report for part of the
year, with no last year's workbook to compute 上年同期 from, most summed indicators
having both figures show a 上年同期 at least sqrt(12 / months) times the period's
figure: halfway, on a log scale, between the same period last year (about 1×) and last
year's whole year (12 / months ×). One indicator may really have halved; most of them
together have not. The message names a few of them and the typical ratio.

Percent-as-fraction rule (a warning): in a percent row, a figure in (0, 1] while every
other figure of the row is above 1: "97%" typed into a percent-formatted cell is
stored by Excel as 0.97. A row of small rates (0.3, 0.5: an infection rate) is left
alone.
"""

from __future__ import annotations

import math
import re
import statistics

import numpy as np

from xlsummary import workbook_layout as layout
from xlsummary.catalogue import Indicator
from xlsummary.i18n import per_language, text
from xlsummary.issues import ERROR, WARNING, Issue
from xlsummary.model import Model, shorten
from xlsummary.periods import Period
from xlsummary.placeholders import find_placeholders
from xlsummary.running_text import missing_comparisons
from xlsummary.totals import Totals, compute_totals
from xlsummary.typed_numbers import display_number, round_half_away

OUTLIER_FACTOR = 5.0
OUTLIER_MIN_MONTHS = 5
_PHONE = re.compile(r"^[+＋]?[0-9０-９()（）\-－—\s转#]{5,30}$")


def validate(model: Model, totals: Totals | None = None) -> list[Issue]:
    """All issues of the workbook, in sheet order, then row, then column. ``totals``
    (computed here when not given) tell which comparisons the narrative asks for that
    cannot be made."""
    issues = list(model.read_issues)
    issues += _info_rules(model)
    issues += _value_rules(model)
    issues += _narrative_rules(model)
    totals = totals if totals is not None else compute_totals(model)
    issues += _comparison_rules(model, totals)
    issues += _prior_rules(model, totals)
    return sort_issues(model, issues)


def sort_issues(model: Model, issues: list[Issue]) -> list[Issue]:
    """In sheet order, then row, then column; stable: issues of one cell keep the order
    they were found in (text order)."""
    order = {model.sheet_names.get(k, ""): i for i, k in enumerate(layout.SHEET_ORDER)}
    return sorted(
        issues, key=lambda i: (order.get(i.sheet, 99), i.row if i.row >= 0 else 1 << 30, i.col)
    )


def names_of(ind: Indicator) -> dict[str, str]:
    """The indicator's name as each language calls it (its profile data has them)."""
    return per_language("name", ind.name)


def month_list(months: list[int]) -> dict[str, str]:
    """3月、4月 / months 3, 4: a list of months as each language writes it."""

    def said(lang: str) -> str:
        items = (text("workbook.month_item", lang, n=m) for m in months)
        return text(
            "workbook.month_list", lang, items=text("workbook.list_separator", lang).join(items)
        )

    return per_language("months", said)


def _info_rules(model: Model) -> list[Issue]:
    out = []
    for fld in layout.INFO_FIELDS:
        value = model.info[fld.key]
        if value.value is None and (fld.required or fld.warn_if_empty):
            severity = ERROR if fld.required else WARNING
            out.append(
                Issue.at(
                    severity, "missing_field", value.ref, field=value.label, field_en=value.label_en
                )
            )
    date = model.info["date"]
    if date.value is None:  # the report is dated the day it is made: say so
        out.append(
            Issue.at(WARNING, "date_missing", date.ref, field=date.label, field_en=date.label_en)
        )
    phone = model.info["phone"]
    if phone.value is not None and not _PHONE.match(model.info_text("phone")):
        out.append(
            Issue.at(WARNING, "invalid_phone", phone.ref, value=shorten(model.info_text("phone")))
        )
    return out


def _value_rules(model: Model) -> list[Issue]:
    out: list[Issue] = []
    if not model.catalogue:
        return out
    indicators = model.indicators
    full = np.concatenate([model.values, model.prior[:, None]], axis=1)  # months + prior
    kinds = np.array([i.kind for i in indicators])
    present = ~np.isnan(full)
    is_percent = (kinds == "percent")[:, None]
    with np.errstate(invalid="ignore"):
        negative = present & (full < 0)
        fraction = present & (kinds == "count")[:, None] & (full != np.floor(full)) & ~negative
        over = present & is_percent & (full > 100)
        small = present & is_percent & (full > 0) & (full <= 1)
        large = present & is_percent & (full > 1)
    # a fraction among figures that are otherwise all percentages above 1
    as_fraction = (
        small
        & (small.sum(axis=1) + large.sum(axis=1) == present.sum(axis=1))[:, None]
        & (large.sum(axis=1) > 0)[:, None]
    )
    column_keys = [*layout.MONTH_KEYS, "prior"]
    for mask, code, severity in (
        (negative, "negative", ERROR),
        (fraction, "fraction_in_count", ERROR),
        (over, "percent_out_of_range", ERROR),
        (as_fraction, "percent_as_fraction", WARNING),
    ):
        for i, j in zip(*np.nonzero(mask), strict=True):
            ind = indicators[i]
            ref = model.tally_cell(ind.code, column_keys[j])
            if ref is not None:
                out.append(
                    Issue.at(
                        severity,
                        code,
                        ref,
                        indicator=ind.code,
                        unit=ind.unit,
                        number=display_number(full[i, j]),
                        **names_of(ind),
                    )
                )
    if model.period is not None:
        out += _period_rules(model, model.period)
    out += _outliers(model)
    return out


def _runs(months: list[int]) -> list[tuple[int, int]]:
    """[2, 3, 4, 11] -> [(2, 4), (11, 11)]"""
    runs: list[tuple[int, int]] = []
    for m in months:
        if runs and runs[-1][1] == m - 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return runs


def _period_rules(model: Model, period: Period) -> list[Issue]:
    out: list[Issue] = []
    inside = np.zeros(12, dtype=bool)
    inside[period.start - 1 : period.end] = True
    after = np.zeros(12, dtype=bool)
    after[period.end :] = True
    present = ~np.isnan(model.values)
    required = np.array([i.required for i in model.indicators])
    has_row = np.array([r is not None for r in model.tally_rows])
    # a cell holding text that is not a number is already an error of its own
    missing = ~present & ~model.unreadable & inside & (required & has_row)[:, None]
    late = present & after
    labels = {"period": period.as_message()}
    for rows, code, severity in (
        (missing, "missing_month", ERROR),
        (late, "outside_period", WARNING),
    ):
        for i in np.nonzero(rows.any(axis=1))[0]:
            ind = model.indicators[i]
            months = [int(m) + 1 for m in np.nonzero(rows[i])[0]]
            cells = []
            for first, last in _runs(months):
                a = model.tally_cell(ind.code, f"m{first}")
                b = model.tally_cell(ind.code, f"m{last}")
                cells.append(a.address if first == last else f"{a.address}:{b.address}")
            out.append(
                Issue.at(
                    severity,
                    code,
                    model.tally_cell(ind.code, f"m{months[0]}"),
                    indicator=ind.code,
                    cell=",".join(cells),
                    **names_of(ind),
                    **labels,
                    **month_list(months),
                )
            )
    return out


def _outliers(model: Model) -> list[Issue]:
    out: list[Issue] = []
    values = model.values
    counts = (~np.isnan(values)).sum(axis=1)
    rows = np.nonzero(counts >= OUTLIER_MIN_MONTHS)[0]
    if not len(rows):
        return out
    medians = np.nanmedian(values[rows], axis=1)
    with np.errstate(invalid="ignore"):
        flagged = (values[rows] >= OUTLIER_FACTOR * medians[:, None]) & (medians[:, None] > 0)
    for k, j in zip(*np.nonzero(flagged), strict=True):
        ind = model.indicators[rows[k]]
        out.append(
            Issue.at(
                WARNING,
                "outlier_month",
                model.tally_cell(ind.code, f"m{j + 1}"),
                indicator=ind.code,
                month=int(j + 1),
                number=display_number(values[rows[k], j]),
                median=display_number(medians[k]),
                **names_of(ind),
            )
        )
    return out


def _narrative_rules(model: Model) -> list[Issue]:
    out = []
    for section in model.narrative:
        if section.required and not section.text.strip():
            out.append(Issue.at(ERROR, "narrative_missing", section.ref, title=section.title))
        for ph in find_placeholders(section.text):
            if model.indicator(ph.name) is None:
                out.append(
                    Issue.at(
                        ERROR,
                        "unknown_placeholder",
                        section.ref,
                        placeholder=shorten(ph.raw),
                        name=shorten(ph.name),
                    )
                )
            elif ph.selector is None:
                out.append(
                    Issue.at(
                        ERROR,
                        "bad_placeholder_option",
                        section.ref,
                        placeholder=shorten(ph.raw),
                        option=shorten(ph.option),
                    )
                )
    return out


def _comparison_rules(model: Model, totals: Totals) -> list[Issue]:
    """A ``{…|同比}`` whose change cannot be made is left out of the report's sentence
    (see ``running_text``): a warning at its narrative cell, saying why."""
    out = []
    for k, ph, reason in missing_comparisons(model, totals):
        ind = model.indicator(ph.name)
        assert ind is not None
        out.append(
            Issue.at(
                WARNING,
                "comparison_left_out",
                model.narrative[k].ref,
                indicator=ind.code,
                placeholder=shorten(ph.raw),
                **names_of(ind),
                **per_language(
                    "reason", lambda lang, r=reason: text(f"workbook.no_comparison.{r}", lang)
                ),
            )
        )
    return out


def _prior_rules(model: Model, totals: Totals) -> list[Issue]:
    """The 上年同期 column of a partial period that holds last year's whole-year figures."""
    period = model.period
    if period is None or model.prior_source or not model.catalogue:
        return []
    months = period.end - period.start + 1
    if months == 12:
        return []
    rows = []
    for ind in model.indicators:
        tot = totals[ind.code]
        ref = model.tally_cell(ind.code, "prior")
        if ind.rule == "sum" and ref is not None and tot.total and tot.prior and tot.total > 0:
            rows.append((ind, ref, tot.prior / tot.total))
    flagged = [row for row in rows if row[2] >= math.sqrt(12 / months)]
    if not flagged or 2 * len(flagged) <= len(rows) or len(flagged) < min(3, len(rows)):
        return []
    ratio = statistics.median(r for _, _, r in flagged)
    shown = [ind for ind, _, _ in flagged[:3]]
    return [
        Issue.at(
            WARNING,
            "prior_looks_whole_year",
            flagged[0][1],
            period=period.as_message(),
            n=len(flagged),
            ratio=display_number(float(round_half_away(ratio, 1))),
            **per_language(
                "names",
                lambda lang: text("workbook.list_separator", lang).join(
                    i.name(lang) for i in shown
                ),
            ),
        )
    ]
