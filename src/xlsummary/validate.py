"""Validation rules over a :class:`~xlsummary.model.Model`: pure, no I/O, fast.

Cell-level reading problems are found while the model is built (see ``model.py``);
the rules here need a whole row or the whole workbook: signs and whole numbers per
indicator kind, missing months of required indicators inside the reporting period,
figures entered after it, outlier months, empty info fields and narrative sections,
and placeholders naming an unknown indicator. The numeric rules are vectorized over
the tally matrix, so a 1000-indicator workbook still validates in about a millisecond.

Outlier rule (a warning): in a row with figures for at least ``OUTLIER_MIN_MONTHS``
months and a median above zero, a month at least ``OUTLIER_FACTOR`` times that median.
With five or more months one wild figure hardly moves the median, so it need not be
left out; the typical catch is a typo with an extra digit (1200 for 120).
"""

from __future__ import annotations

import re

import numpy as np

from xlsummary import workbook_layout as layout
from xlsummary.issues import ERROR, WARNING, Issue
from xlsummary.model import CellRef, Model
from xlsummary.placeholders import find_placeholders

OUTLIER_FACTOR = 5.0
OUTLIER_MIN_MONTHS = 5
_PHONE = re.compile(r"^[+＋]?[0-9０-９()（）\-－—\s转#]{5,30}$")


def validate(model: Model) -> list[Issue]:
    """All issues of the workbook, in sheet order, then row, then column."""
    issues = list(model.read_issues)
    issues += _info_rules(model)
    issues += _value_rules(model)
    issues += _narrative_rules(model)
    order = {
        name: i for i, name in enumerate(model.sheet_names.get(k, "") for k in layout.SHEET_ORDER)
    }
    # stable: issues of one cell keep the order they were found in (text order)
    issues.sort(key=lambda i: (order.get(i.sheet, 99), i.row if i.row >= 0 else 1 << 30, i.col))
    return issues


def _issue(
    severity: str,
    issue_code: str,
    ref: CellRef,
    indicator: str = "",
    cell: str = "",
    **params: object,
) -> Issue:
    return Issue(
        severity,
        issue_code,
        ref.sheet,
        cell or ref.address,
        indicator,
        params,
        row=ref.row,
        col=ref.col,
    )


def _info_rules(model: Model) -> list[Issue]:
    out = []
    for fld in layout.INFO_FIELDS:
        value = model.info[fld.key]
        if value.value is None and (fld.required or fld.warn_if_empty):
            out.append(
                _issue(
                    ERROR if fld.required else WARNING,
                    "missing_field",
                    value.ref,
                    field=value.label,
                    field_en=value.label_en,
                )
            )
    phone = model.info["phone"].value
    if phone is not None and not _PHONE.match(model.info_text("phone")):
        out.append(_issue(WARNING, "invalid_phone", model.info["phone"].ref, value=phone))
    return out


def _names(ind) -> dict[str, str]:
    return {"name": ind.name_zh, "name_en": ind.name_en or ind.name_zh}


def _months_params(months: list[int]) -> dict[str, str]:
    return {
        "months": "、".join(f"{m}月" for m in months),
        "months_en": "months " + ", ".join(str(m) for m in months),
    }


def _row_range(model: Model, code: str, months: list[int]) -> tuple[CellRef, str]:
    first = model.tally_cell(code, f"m{months[0]}")
    last = model.tally_cell(code, f"m{months[-1]}")
    assert first is not None and last is not None
    cell = first.address if first == last else f"{first.address}:{last.address}"
    return first, cell


def _value_rules(model: Model) -> list[Issue]:
    out: list[Issue] = []
    if not model.catalogue:
        return out
    values = model.values  # (n, 12)
    full = np.concatenate([values, model.prior[:, None]], axis=1)  # month cols + prior
    kinds = np.array([i.kind for i in model.indicators])
    present = ~np.isnan(full)
    with np.errstate(invalid="ignore"):
        negative = present & (full < 0)
        fraction = present & (kinds[:, None] == "count") & (full != np.floor(full)) & ~negative
        over = present & (kinds[:, None] == "percent") & (full > 100)
    column_keys = [*layout.MONTH_KEYS, "prior"]
    for mask, code in (
        (negative, "negative"),
        (fraction, "fraction_in_count"),
        (over, "percent_out_of_range"),
    ):
        for i, j in zip(*np.nonzero(mask), strict=True):
            ind = model.indicators[i]
            ref = model.tally_cell(ind.code, column_keys[j])
            if ref is not None:
                out.append(
                    _issue(
                        ERROR,
                        code,
                        ref,
                        ind.code,
                        unit=ind.unit,
                        number=_fmt(full[i, j]),
                        **_names(ind),
                    )
                )
    period = model.period
    if period is not None:
        out += _period_rules(model, period)
    out += _outliers(model)
    return out


def _period_rules(model: Model, period) -> list[Issue]:
    out: list[Issue] = []
    inside = np.zeros(12, dtype=bool)
    inside[period.start - 1 : period.end] = True
    present = ~np.isnan(model.values)
    required = np.array([i.required for i in model.indicators])
    has_row = np.array([r is not None for r in model.tally_rows])
    # a cell holding text that is not a number is already an error of its own
    missing = ~present & ~model.unreadable & inside[None, :] & required[:, None] & has_row[:, None]
    after = np.zeros(12, dtype=bool)
    after[period.end :] = True
    late = present & after[None, :]
    labels = {"period": period.label("zh"), "period_en": period.label("en")}
    for rows, code, severity in (
        (missing, "missing_month", ERROR),
        (late, "outside_period", WARNING),
    ):
        for i in np.nonzero(rows.any(axis=1))[0]:
            ind = model.indicators[i]
            months = [m + 1 for m in np.nonzero(rows[i])[0]]
            ref, cell = _row_range(model, ind.code, months)
            out.append(
                _issue(
                    severity,
                    code,
                    ref,
                    ind.code,
                    cell=cell,
                    **_names(ind),
                    **_months_params(months),
                    **labels,
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
        i = rows[k]
        ind = model.indicators[i]
        ref = model.tally_cell(ind.code, f"m{j + 1}")
        if ref is not None:
            out.append(
                _issue(
                    WARNING,
                    "outlier_month",
                    ref,
                    ind.code,
                    name=ind.name_zh,
                    month=int(j + 1),
                    number=_fmt(values[i, j]),
                    median=_fmt(medians[k]),
                    name_en=ind.name_en or ind.name_zh,
                )
            )
    return out


def _narrative_rules(model: Model) -> list[Issue]:
    out = []
    for section in model.narrative:
        if section.required and not section.text.strip():
            out.append(_issue(ERROR, "narrative_missing", section.ref, title=section.title))
        for ph in find_placeholders(section.text):
            if model.indicator(ph.name) is None:
                out.append(
                    _issue(
                        ERROR, "unknown_placeholder", section.ref, placeholder=ph.raw, name=ph.name
                    )
                )
            elif ph.selector is None:
                out.append(
                    _issue(
                        ERROR,
                        "bad_placeholder_option",
                        section.ref,
                        placeholder=ph.raw,
                        option=ph.option,
                    )
                )
    return out


def _fmt(number: float) -> str:
    number = float(number)
    return str(int(number)) if number.is_integer() else f"{number:g}"
