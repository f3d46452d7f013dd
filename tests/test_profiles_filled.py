"""Every profile, filled with realistic figures and then with mistakes, read back."""

from __future__ import annotations

import math
import tomllib

import pytest

from tests.conftest import ROOT, fill, tally_row
from xlsummary.catalogue import load_profile, profile_names
from xlsummary.check import check_workbook

EXAMPLES = ROOT / "src" / "xlsummary" / "examples"


def expected_total(rule: str, months: list) -> float | None:
    figures = [m for m in months if m != ""]
    if not figures:
        return None
    return {
        "sum": math.fsum(figures),
        "last": figures[-1],
        "max": max(figures),
        "mean": math.fsum(figures) / len(figures),
    }[rule]


@pytest.mark.parametrize("profile", profile_names())
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filled_example_totals(make_workbook, profile, lang):
    data = tomllib.loads((EXAMPLES / f"{profile}.toml").read_text("utf-8"))
    result = check_workbook(make_workbook(profile, lang, example=True))
    assert result.issues == []
    assert result.model.info_text("unit") == data["info"]["unit"]
    for ind in load_profile(profile).indicators:
        figures = data["tallies"][ind.code]
        got = result.totals[ind.code]
        assert got.total == pytest.approx(expected_total(ind.rule, figures["months"]))
        assert got.prior == figures["prior"]
    assert [s.code for s in result.model.narrative] == list(data["narrative"])


@pytest.mark.parametrize(
    ("profile", "code", "bad", "issue"),
    [
        ("school", "demo_lessons", "三节", "not_a_number"),
        ("school", "pass_rate", 186.3, "percent_out_of_range"),
        ("general", "news_tv", 1.5, "fraction_in_count"),
        ("general", "funds", -120, "negative"),
    ],
)
def test_mistakes_in_other_profiles(make_workbook, profile, code, bad, issue):
    path = make_workbook(profile, example=True)
    row = tally_row(path, code)
    result = check_workbook(fill(path, {f"月度统计!L{row}": bad}))  # L = September
    assert [(i.code, i.cell, i.indicator) for i in result.issues] == [(issue, f"L{row}", code)]
