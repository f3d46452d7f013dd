"""Last year's workbook as the comparison: 上年同期 computed from last year's months.

Why: the 上年同期 column holds one figure per indicator, and staff fill it from last
year's report, which is usually the whole year. For an annual report that is right;
for a quarter it makes 门诊 fall by three quarters. With last year's workbook at hand
(``--prior`` / ``--prior-dir``, or a second upload), the comparison figure for any
period (a quarter, a half, 1–9月) is computed from last year's months of the same
period, by this year's rule of each indicator (the same code as :mod:`xlsummary.totals`,
so its rounding too). A figure typed into the 上年同期 column still wins: it is the
override for an indicator last year's workbook lacks or counted differently, and a
warning says where it differs from last year's months, so a whole-year figure left in
the column is seen.

Pure: a checked model of each year in, a model with its ``prior`` column settled and
the issues of the comparison out. Finding last year's file in a folder is
:mod:`xlsummary.prior_lookup`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from xlsummary.catalogue import Indicator
from xlsummary.errors import PriorMismatch
from xlsummary.issues import ERROR, WARNING, Issue
from xlsummary.model import Model
from xlsummary.periods import Period
from xlsummary.totals import totals_from_arrays
from xlsummary.typed_numbers import display_number
from xlsummary.validate import month_list, names_of

__all__ = ["apply_prior", "prior_figures", "refuse_other_year", "unit_key"]


def unit_key(unit: str) -> str:
    """A unit's name as staff type it: spaces and letter case do not make another unit."""
    return "".join(unit.split()).casefold()


def apply_prior(
    model: Model, prior: Model, prior_issues: list[Issue], prior_name: str = ""
) -> tuple[Model, list[Issue]]:
    """``model`` with 上年同期 taken from ``prior`` (last year's workbook, already read
    and checked: ``prior_issues``) wherever the column is empty, and the issues of the
    comparison. Raises :class:`PriorMismatch` when ``prior`` is not the year before."""
    name = prior_name or prior.source
    refuse_other_year(model.year, prior, name)
    period = model.period or Period.named("year")
    computed, aligned, found = _figures(model.indicators, period, prior)
    entered = model.prior
    settled = np.where(np.isnan(entered), computed, entered)
    issues = _comparison_issues(model, prior, prior_issues, name, period)
    issues += _row_issues(model, aligned, found, computed, name, period)
    return (
        dataclasses.replace(model, prior=settled, prior_source=name, prior_sha256=prior.sha256),
        issues,
    )


def refuse_other_year(year: int | None, prior: Model, name: str) -> None:
    """:class:`PriorMismatch` unless ``prior`` is for the year before ``year`` (no
    check when ``year`` is unknown: that workbook has an error of its own)."""
    if year is not None and prior.year != year - 1:
        raise PriorMismatch(
            "prior.wrong_year",
            file=name,
            prior_year=prior.year if prior.year is not None else "?",
            year=year,
            expected=year - 1,
        )


def prior_figures(
    indicators: list[Indicator], period: Period, prior: Model
) -> tuple[np.ndarray, np.ndarray]:
    """Last year's figure of each indicator for ``period`` from ``prior``'s months, by
    this year's rules (NaN: no figure), and which indicators ``prior`` has at all."""
    computed, _aligned, found = _figures(indicators, period, prior)
    return computed, found


def _figures(indicators: list[Indicator], period: Period, prior: Model):
    aligned = np.full((len(indicators), 12), np.nan)
    found = np.zeros(len(indicators), dtype=bool)
    for i, ind in enumerate(indicators):
        row = prior.index.get(ind.code)
        if row is not None:
            aligned[i] = prior.values[row]
            found[i] = True
    # this year's rules over last year's months of the same period
    totals = totals_from_arrays(indicators, aligned, np.full(len(indicators), np.nan), period)
    computed = np.array([np.nan if t.total is None else t.total for t in totals], dtype=float)
    return computed, aligned, found


def _comparison_issues(
    model: Model, prior: Model, prior_issues: list[Issue], name: str, period: Period
) -> list[Issue]:
    out: list[Issue] = []
    unit, prior_unit = model.info_text("unit"), prior.info_text("unit")
    if unit and prior_unit and unit_key(unit) != unit_key(prior_unit):
        out.append(
            Issue.at(
                WARNING,
                "prior_other_unit",
                model.info["unit"].ref,
                file=name,
                unit=unit,
                prior_unit=prior_unit,
            )
        )
    errors = sum(1 for i in prior_issues if i.severity == ERROR)
    if errors:
        out.append(
            Issue.at(
                WARNING,
                "prior_has_errors",
                None,
                sheet=model.sheet_names["tally"],
                file=name,
                n=errors,
            )
        )
    return out


def _row_issues(
    model: Model,
    aligned: np.ndarray,
    found: np.ndarray,
    computed: np.ndarray,
    name: str,
    period: Period,
) -> list[Issue]:
    out: list[Issue] = []
    entered = model.prior
    months = np.zeros(12, dtype=bool)
    months[period.start - 1 : period.end] = True
    gaps = np.isnan(aligned) & months
    for i, ind in enumerate(model.indicators):
        ref = model.tally_cell(ind.code, "prior")
        if ref is None:
            continue
        params = {"file": name, "period": period.as_message(), **names_of(ind)}
        typed, made = entered[i], computed[i]
        if not np.isnan(typed):
            if not np.isnan(made) and typed != made:
                out.append(
                    Issue.at(
                        WARNING,
                        "prior_overridden",
                        ref,
                        indicator=ind.code,
                        entered=display_number(typed),
                        computed=display_number(made),
                        **params,
                    )
                )
            continue
        if not found[i]:
            out.append(
                Issue.at(WARNING, "prior_not_in_catalogue", ref, indicator=ind.code, **params)
            )
        elif np.isnan(made):
            out.append(Issue.at(WARNING, "prior_no_figures", ref, indicator=ind.code, **params))
        elif ind.rule == "sum" and gaps[i].any():
            missing = [int(m) + 1 for m in np.nonzero(gaps[i])[0]]
            out.append(
                Issue.at(
                    WARNING,
                    "prior_months_missing",
                    ref,
                    indicator=ind.code,
                    **params,
                    **month_list(missing),
                )
            )
    return out
