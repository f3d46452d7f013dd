"""Arithmetic rules: what counts as a number, rounding, periods and totals.

Property tests (hypothesis) compare the vectorized totals with a plain restatement of
each rule in Python, over random tallies and random periods.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlsummary.catalogue import Indicator
from xlsummary.periods import Period, parse_month_range, parse_period_label
from xlsummary.placeholders import find_placeholders
from xlsummary.report_format import format_change, format_figure
from xlsummary.totals import totals_from_arrays
from xlsummary.typed_numbers import (
    Parsed,
    display_number,
    parse_number,
    percent_change,
    round_half_away,
)


@pytest.mark.parametrize(
    ("value", "status", "number"),
    [
        (12.0, Parsed.NUMBER, 12.0),
        (7, Parsed.NUMBER, 7.0),
        ("１２", Parsed.TEXT_NUMBER, 12.0),
        (" 1,234 ", Parsed.TEXT_NUMBER, 1234.0),
        ("1,234.5", Parsed.TEXT_NUMBER, 1234.5),
        ("\u3000８０\u3000", Parsed.TEXT_NUMBER, 80.0),
        ("'15", Parsed.TEXT_NUMBER, 15.0),
        ("", Parsed.EMPTY, None),
        ("   ", Parsed.EMPTY, None),
        (None, Parsed.EMPTY, None),
        ("约80", Parsed.NOT_A_NUMBER, None),
        ("十二", Parsed.NOT_A_NUMBER, None),
        ("12次", Parsed.NOT_A_NUMBER, None),
        ("80余", Parsed.NOT_A_NUMBER, None),
        ("1,23", Parsed.NOT_A_NUMBER, None),
        ("#DIV/0!", Parsed.NOT_A_NUMBER, None),
        (True, Parsed.NOT_A_NUMBER, None),
        (float("nan"), Parsed.NOT_A_NUMBER, None),
    ],
)
def test_parse_number(value, status, number):
    assert parse_number(value) == (status, number)


def test_rounding_is_half_away_from_zero():
    assert round_half_away(-6.25) == Decimal("-6.3")
    assert round_half_away(6.25) == Decimal("6.3")
    assert round_half_away(2.675, 2) == Decimal("2.68")  # binary 2.67499.. would give 2.67
    assert round_half_away(0.05) == Decimal("0.1")
    assert percent_change(75, 80) == Decimal("-6.3")  # exactly -6.25 %
    assert percent_change(33, 28) == Decimal("17.9")
    assert percent_change(5, 0) is None
    assert format_change(percent_change(75, 80), None) == "-6.3%"
    assert format_change(None, Decimal("1.6")) == "+1.6个百分点"
    assert format_change(percent_change(100.5, 100.51), None) == "0.0%"  # not -0.0%
    assert format_change(percent_change(80, 80), None) == "0.0%"
    assert str(round_half_away(-0.04)) == "0.0"
    assert display_number(1234567.5) == "1234567.5" and display_number(-0.0) == "0"
    assert format_figure(15058, "count") == "15,058"
    assert format_figure(64.80, "amount") == "64.8"
    assert format_figure(0.125, "amount") == "0.13"
    assert format_figure(96.96666, "percent") == "97.0"
    assert format_figure(None) == "—"


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_percent_change_matches_exact_arithmetic(current, prior):
    exact = (Decimal(current) - prior) / prior * 100
    expected = exact.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
    assert percent_change(current, prior) == expected


def test_periods():
    assert parse_period_label("第三季度") == "q3"
    assert parse_period_label(" Full year ") == "year"
    assert parse_month_range("1-9月") == (1, 9)
    assert parse_month_range("一至九月") == (1, 9)
    assert parse_month_range("3月—5月") == (3, 5)
    assert parse_month_range("9-3月") is None
    assert Period.months(1, 6).kind == "h1"
    assert Period.months(2, 10).label() == "2—10月"
    assert parse_period_label("第3季度") == "q3" and parse_period_label("３季度") == "q3"
    assert parse_month_range("１-９月") == (1, 9)
    with pytest.raises(ValueError):
        Period(0, 12)


def _ind(code: str, rule: str, kind: str = "count") -> Indicator:
    return Indicator(code, code, code, "次", "x", rule, kind)


def _plain(rule: str, months: list[float | None]) -> float | None:
    """Each rule restated without numpy."""
    present = [v for v in months if v is not None]
    if not present:
        return None
    if rule == "sum":
        return math.fsum(present)
    if rule == "max":
        return max(present)
    if rule == "mean":
        return math.fsum(present) / len(present)
    return present[-1]


month_value = st.one_of(
    st.none(), st.integers(0, 5000).map(float), st.decimals(0, 999, places=2).map(float)
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["sum", "last", "max", "mean"]),
            st.lists(month_value, min_size=12, max_size=12),
            st.one_of(st.none(), st.integers(0, 5000).map(float)),
        ),
        min_size=1,
        max_size=8,
    ),
    bounds=st.tuples(st.integers(1, 12), st.integers(1, 12)).map(sorted),
)
def test_totals_follow_each_rule(rows, bounds):
    period = Period.months(*bounds)
    indicators = [_ind(f"i{k}", rule) for k, (rule, _, _) in enumerate(rows)]
    values = np.array([[np.nan if v is None else v for v in months] for _, months, _ in rows])
    prior = np.array([np.nan if p is None else p for _, _, p in rows])
    totals = totals_from_arrays(indicators, values, prior, period)
    for k, (rule, months, before) in enumerate(rows):
        got = totals[f"i{k}"]
        window = months[period.start - 1 : period.end]
        expected = _plain(rule, window)
        assert (got.total is None) == (expected is None)
        if expected is not None:
            assert got.total == pytest.approx(expected, rel=1e-9, abs=1e-9)
        for q, (qs, qe) in enumerate([(1, 3), (4, 6), (7, 9), (10, 12)]):
            exp_q = _plain(rule, months[qs - 1 : qe])
            assert (got.quarters[q] is None) == (exp_q is None)
            if exp_q is not None:
                assert got.quarters[q] == pytest.approx(exp_q, rel=1e-9, abs=1e-9)
        exp_ytd = _plain(rule, months[: period.end])
        assert (got.ytd is None) == (exp_ytd is None)
        if rule == "sum" and got.total is not None:
            halves = [h for h in got.halves if h is not None]
            if period.kind == "year":
                assert got.total == pytest.approx(math.fsum(halves), abs=1e-6)
        if before and got.total is not None:
            assert got.yoy_percent == percent_change(got.total, before)
        else:
            assert got.yoy_percent is None


def test_totals_of_a_stock_and_a_rate():
    indicators = [_ind("staff", "last"), _ind("rate", "mean", "percent")]
    values = np.array(
        [
            [5, 5, 6, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 7, np.nan, 6],
            [90.5, 91.5, np.nan, 93, *[np.nan] * 8],
        ]
    )
    totals = totals_from_arrays(indicators, values, np.array([5.0, 90.0]), Period.named("h1"))
    assert totals["staff"].total == 6  # the last month with a figure, not 0 for June
    assert totals["staff"].quarters == (6, None, None, 6)
    assert totals["rate"].total == pytest.approx(91.666666667)
    assert totals["rate"].yoy_points == Decimal("1.7") and totals["rate"].yoy_percent is None


def test_placeholder_grammar():
    found = find_placeholders(
        "手术{手术例数}例，{ 门诊人次 ｜ 同比 }，｛surgery：3月｝，{x|第二季度}"
    )
    assert [(p.name, p.option, p.selector) for p in found] == [
        ("手术例数", "", ("total", 0)),
        ("门诊人次", "同比", ("yoy", 0)),
        ("surgery", "3月", ("month", 3)),
        ("x", "第二季度", ("quarter", 2)),
    ]
    assert find_placeholders("{{ 7*7 }} {% for x in y %} {#c#} {} {\n}") == []
    assert find_placeholders("{手术例数|明年}")[0].selector is None


def test_large_sums_keep_their_typed_decimals():
    """Twelve amounts of about 10^6 add up in floats with an error above 10^-9: the
    total is the decimal sum of what was typed, so 同比 is 四舍五入 of the true value
    (found by a review: 24.4 % and -33.6 % where the exact change is 24.5 % and -33.7 %)."""
    rows = [
        (
            [
                898003.42,
                170252.6,
                452479.92,
                379111.74,
                531702.49,
                643334.06,
                101867.77,
                803249.68,
                169301.22,
                207075.77,
                67151.47,
                332724.85,
            ],
            3821820.0,
            "24.5",
        ),
        (
            [
                157758.74,
                340683.39,
                686748.62,
                576699.46,
                612266.4,
                391880.81,
                46611.27,
                589.09,
                607263.14,
                68284.87,
                724163.48,
                202258.4,
            ],
            6654420.0,
            "-33.7",
        ),
    ]
    indicators = [_ind(f"i{k}", "sum") for k in range(len(rows))]
    values = np.array([months for months, _, _ in rows])
    prior = np.array([before for _, before, _ in rows])
    totals = totals_from_arrays(indicators, values, prior, Period.named("year"))
    for k, (months, _, expected) in enumerate(rows):
        exact = sum(Decimal(repr(m)) for m in months)
        assert Decimal(repr(totals[f"i{k}"].total)) == exact
        assert totals[f"i{k}"].yoy_percent == Decimal(expected)


@settings(max_examples=300, deadline=None)
@given(
    months=st.lists(st.decimals(0, 2_000_000, places=2), min_size=12, max_size=12),
    prior=st.decimals(1, 20_000_000, places=2),
    rule=st.sampled_from(["sum", "mean"]),
)
def test_yoy_is_exact_on_typed_decimals(months, prior, rule):
    """同比 against exact decimal arithmetic on the figures as typed, for sums and means
    of amounts with two decimals."""
    values = np.array([[float(m) for m in months]])
    totals = totals_from_arrays(
        [_ind("a", rule)], values, np.array([float(prior)]), Period.named("year")
    )
    total = sum(months) if rule == "sum" else sum(months) / 12
    expected = round_half_away((total - prior) / prior * 100, 1)
    assert totals["a"].yoy_percent == expected
