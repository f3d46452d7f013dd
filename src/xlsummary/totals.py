"""Period figures per indicator, each by its own aggregation rule.

Everything is computed at once over the (indicators x windows x months) array, with
one window per figure asked for: the reporting period, the four quarters, the two
halves and the year to date (months 1 to the period's last month, 累计). The total
counts the reporting period only; the quarter, half and year-to-date figures are
those windows' own figures, so a third-quarter report can still say how the first
half went. Empty months are "no figure", not zero: a ``last`` indicator
takes the last month that has one, a ``mean`` divides by the months that have one,
and a window with no figure at all gives None rather than a made-up 0.

This module is pure (numpy only) and is what the CLI, the report and the Excel
functions all call.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from xlsummary.periods import HALVES, QUARTERS, Period
from xlsummary.typed_numbers import percent_change, round_half_away

if TYPE_CHECKING:
    from xlsummary.catalogue import Indicator
    from xlsummary.model import Model

RULE_INDEX = {"sum": 0, "last": 1, "max": 2, "mean": 3}
# windows: 0 = the period, 1..4 = quarters, 5..6 = halves, 7 = year to date
_WINDOWS = ((0, 0), *QUARTERS, *HALVES, (1, -1))


@dataclass(frozen=True, slots=True)
class IndicatorTotals:
    code: str
    rule: str
    kind: str
    months: tuple[float | None, ...]  # 12 entries as entered, None = no figure
    total: float | None  # the reporting period
    quarters: tuple[float | None, ...]
    halves: tuple[float | None, ...]
    ytd: float | None  # year to date: months 1 .. the period's last month
    prior: float | None  # prior-year figure for the same period, as entered
    change: float | None  # total - prior
    yoy_percent: Decimal | None  # relative change, 1 decimal, half away from zero
    yoy_points: Decimal | None  # for percent-kind indicators: change in percentage points

    def figure(self, what: str, n: int = 0) -> float | None:
        """One figure by a placeholder selector (see placeholders.OPTIONS): total,
        prior, ytd, or month / quarter / half ``n``."""
        if what in ("month", "quarter", "half"):
            return {"month": self.months, "quarter": self.quarters, "half": self.halves}[what][
                n - 1
            ]
        return {"total": self.total, "prior": self.prior, "ytd": self.ytd}[what]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule,
            "kind": self.kind,
            "months": list(self.months),
            "total": self.total,
            "quarters": list(self.quarters),
            "halves": list(self.halves),
            "ytd": self.ytd,
            "prior": self.prior,
            "change": self.change,
            "yoy_percent": None if self.yoy_percent is None else float(self.yoy_percent),
            "yoy_points": None if self.yoy_points is None else float(self.yoy_points),
        }


@dataclass(frozen=True, slots=True)
class Totals:
    period: Period
    by_code: dict[str, IndicatorTotals]

    def __getitem__(self, code: str) -> IndicatorTotals:
        return self.by_code[code]

    def __iter__(self):
        return iter(self.by_code.values())

    def __len__(self) -> int:
        return len(self.by_code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": {
                "start": self.period.start,
                "end": self.period.end,
                "kind": self.period.kind,
                "label": self.period.label("zh"),
            },
            "indicators": {code: t.to_dict() for code, t in self.by_code.items()},
        }


#: the most decimals a typed figure is taken to have (more: its float as it is)
MOST_DECIMALS = 6


def typed_decimals(values: np.ndarray) -> np.ndarray:
    """Per row of ``values`` (NaN: no figure), the fewest decimals, up to
    MOST_DECIMALS, that write every figure of the row as typed; -1 when one needs more.

    Why: twelve amounts of about 10^6 add up in floats with an error above 10^-9, so a
    tie such as 24.45 % could come out as 24.4499… and round down. A sum (or the
    latest or largest month) of figures typed with d decimals has d decimals itself,
    so rounding the float to d decimals gives back the exact decimal."""
    finite = np.where(np.isnan(values), 0.0, values)
    out = np.full(values.shape[0], -1, dtype=np.int64)
    for digits in range(MOST_DECIMALS + 1):
        scaled = finite * 10.0**digits
        # a float of d decimals, scaled, is an integer to within a few units in the last
        # place (2^-52 each): 1e-14 relative is ample, and far from any real fraction
        exact = np.abs(scaled - np.rint(scaled)) <= 1e-14 * np.maximum(1.0, np.abs(scaled))
        found = (out < 0) & exact.all(axis=1)
        out[found] = digits
    return out


def round_rows(figures: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """Each row of ``figures`` rounded to its row's ``decimals`` (rows at -1, and
    figures too large to scale exactly, kept as they are): the nearest float to the
    decimal the figures add up to."""
    scale = 10.0 ** np.maximum(decimals, 0).astype(float)
    shape = (-1,) + (1,) * (figures.ndim - 1)
    scale = scale.reshape(shape)
    scaled = figures * scale
    keep = (decimals.reshape(shape) < 0) | ~(np.abs(scaled) < 2.0**52)
    with np.errstate(invalid="ignore"):
        return np.where(keep, figures, np.rint(scaled) / scale)


def aggregate(
    values: np.ndarray,
    rules: np.ndarray,
    masks: np.ndarray,
    decimals: np.ndarray | None = None,
) -> np.ndarray:
    """Figures for every (indicator, window): ``values`` (n, 12) with NaN for no figure,
    ``rules`` (n,) indexes into RULE_INDEX, ``masks`` (w, 12) bool. Returns (n, w), NaN
    where a window holds no figure. With ``decimals`` (n,), from :func:`typed_decimals`,
    sums are the exact decimal sums of the figures (and means divide those)."""
    cube = np.where(masks[None, :, :], values[:, None, :], np.nan)  # (n, w, 12)
    present = ~np.isnan(cube)
    count = present.sum(axis=2)
    filled = np.where(present, cube, 0.0)
    total = filled.sum(axis=2)
    if decimals is not None:
        total = round_rows(total, decimals)
    out = np.empty(count.shape)
    for rule, idx in RULE_INDEX.items():
        rows = rules == idx
        if not rows.any():
            continue
        if rule == "sum":
            out[rows] = total[rows]
        elif rule == "mean":
            with np.errstate(invalid="ignore", divide="ignore"):
                out[rows] = total[rows] / count[rows]
        elif rule == "max":
            out[rows] = np.where(present[rows], cube[rows], -np.inf).max(axis=2)
        else:  # last: the latest month that has a figure
            last = 11 - np.argmax(present[rows][:, :, ::-1], axis=2)
            out[rows] = np.take_along_axis(cube[rows], last[:, :, None], axis=2)[:, :, 0]
    out[count == 0] = np.nan
    return out


def window_masks(period: Period, windows=_WINDOWS) -> np.ndarray:
    """One row per window: which months it covers. (0, 0) is the period itself and
    (1, -1) the year to date."""
    months = np.arange(1, 13)
    masks = np.empty((len(windows), 12), dtype=bool)
    for w, (start, end) in enumerate(windows):
        if (start, end) == (0, 0):
            start, end = period.start, period.end
        elif end == -1:
            end = period.end
        masks[w] = (months >= start) & (months <= end)
    return masks


def rule_codes(indicators: list[Indicator]) -> np.ndarray:
    return np.fromiter(
        (RULE_INDEX[i.rule] for i in indicators), dtype=np.int8, count=len(indicators)
    )


def compute_totals(model: Model, period: Period | None = None) -> Totals:
    """Totals of every catalogue indicator over ``period`` (default: the workbook's own,
    or the full year when the workbook's period is missing or invalid)."""
    period = period or model.period or Period.named("year")
    return totals_from_arrays(model.indicators, model.values, model.prior, period)


def totals_from_arrays(
    indicators: list[Indicator], values: np.ndarray, prior: np.ndarray, period: Period
) -> Totals:
    """The array-level entry point the Excel functions use directly."""
    # figures typed with d decimals add up to d decimals: the floats' error (0.1 + 0.2)
    # is rounded away to those; means (and figures with more decimals) at 9 decimals
    decimals = typed_decimals(np.column_stack([values, prior]))
    rules = rule_codes(indicators)
    exact = np.where(rules == RULE_INDEX["mean"], -1, decimals)
    figures = _settled(aggregate(values, rules, window_masks(period), decimals), exact)
    prior = np.round(prior, 9)
    change = _settled(figures[:, 0] - prior, exact)
    yoy = yoy_tenths(figures[:, 0], prior)
    fig_list, month_list = figures.tolist(), values.tolist()
    prior_list, change_list, yoy_list = prior.tolist(), change.tolist(), yoy.tolist()
    by_code: dict[str, IndicatorTotals] = {}
    for i, ind in enumerate(indicators):
        row = [None if v != v else v for v in fig_list[i]]
        before = None if prior_list[i] != prior_list[i] else prior_list[i]
        delta = None if change_list[i] != change_list[i] else change_list[i]
        percent = points = None
        if delta is not None:
            if ind.kind == "percent":
                points = round_half_away(delta, 1)
            elif yoy_list[i] is not None:
                percent = Decimal(yoy_list[i]).scaleb(-1)
            else:
                percent = percent_change(row[0], before, 1)
        by_code[ind.code] = IndicatorTotals(
            code=ind.code,
            rule=ind.rule,
            kind=ind.kind,
            months=tuple(None if v != v else v for v in month_list[i]),
            total=row[0],
            quarters=tuple(row[1:5]),
            halves=tuple(row[5:7]),
            ytd=row[7],
            prior=before,
            change=delta,
            yoy_percent=percent,
            yoy_points=points,
        )
    return Totals(period, by_code)


def _settled(figures: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """Rows with known decimals rounded to them, the others at 9 decimals."""
    known = (decimals >= 0).reshape((-1,) + (1,) * (figures.ndim - 1))
    return np.where(known, round_rows(figures, decimals), np.round(figures, 9))


def yoy_tenths(current: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Year-on-year change in tenths of a percent, rounded half away from zero, as exact
    integer arithmetic where both figures are whole numbers (the usual case: counts).
    Object array: an int per such row, None elsewhere (no figure, prior 0, or decimals,
    which :func:`percent_change` then handles in Decimal)."""
    out = np.full(current.shape, None, dtype=object)
    with np.errstate(invalid="ignore"):
        whole = (
            (current == np.floor(current))
            & (prior == np.floor(prior))
            & (prior != 0)
            & (np.abs(current) < 2**40)
            & (np.abs(prior) < 2**40)
        )
    if whole.any():
        cur = current[whole].astype(np.int64)
        pri = prior[whole].astype(np.int64)
        num = (cur - pri) * 1000
        den = np.abs(pri)
        quotient, remainder = np.divmod(np.abs(num), den)
        quotient += 2 * remainder >= den
        out[whole] = (np.sign(num) * np.sign(pri) * quotient).tolist()
    return out
