"""xlsummary consolidate: many units' workbooks into one roll-up, checked end to end.

The figures each test expects are computed here, in plain Python, from the figures
the unit workbooks were generated with (tests/unit_workbooks.py), never by the code
under test; the roll-up is read back through check_workbook as any workbook is.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests import unit_workbooks as uw
from xlsummary import catalogue as cat
from xlsummary.check import check_source, check_workbook
from xlsummary.consolidate import Submission, consolidate
from xlsummary.periods import Period
from xlsummary.rollup_workbook import consolidate_files, rollup_workbook

RULES = {i.code: i.rule for i in cat.load_profile("hospital").indicators}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


# --- what the roll-up must say, computed independently ------------------------------


def figures(example: dict, code: str) -> tuple[list[float | None], float | None]:
    row = example["tallies"].get(code)
    if row is None:
        return [None] * 12, None
    months = [None if v == "" or v is None else float(v) for v in row["months"]]
    months += [None] * (12 - len(months))
    return months, row.get("prior")


def expected(examples: list[dict], code: str, rule: str, weight: str | None, first=1, last=12):
    """(period figure, prior) of the roll-up for ``code``, as the rules are documented."""
    period = range(first - 1, last)
    rows = [figures(e, code) for e in examples]
    if rule == "mean":
        monthly = []
        for m in period:
            num = den = 0.0
            for e, (months, _) in zip(examples, rows, strict=True):
                w = 1.0 if weight is None else (figures(e, weight)[0][m] or 0.0)
                if months[m] is not None and w > 0:
                    num += months[m] * w
                    den += w
            if den:
                monthly.append(num / den)
        num = den = 0.0
        for e, (_, prior) in zip(examples, rows, strict=True):
            w = 1.0 if weight is None else (figures(e, weight)[1] or 0.0)
            if prior is not None and w > 0:
                num += prior * w
                den += w
        return (sum(monthly) / len(monthly) if monthly else None), (num / den if den else None)
    priors = [p for _, p in rows if p is not None]
    prior = sum(priors) if priors else None
    if rule == "sum":
        got = [v for months, _ in rows for v in (months[m] for m in period) if v is not None]
        return (sum(got) if got else None), prior
    if rule == "last":
        ends = []
        for months, _ in rows:
            seen = [months[m] for m in period if months[m] is not None]
            if seen:
                ends.append(seen[-1])
        return (sum(ends) if ends else None), prior
    # max: the peak month of all units together
    sums = []
    for m in period:
        got = [months[m] for months, _ in rows if months[m] is not None]
        if got:
            sums.append(sum(got))
    return (max(sums) if sums else None), prior


def close(got, want) -> bool:
    """Equal figures (to float noise), or both "no figure"."""
    if got is None or want is None:
        return got is None and want is None
    return got == pytest.approx(want, rel=1e-9, abs=1e-9)


def assert_rollup_totals(path: Path, examples: list[dict], skip=(), weight="outpatient"):
    result = check_workbook(path)
    assert result.errors == 0, [i.code for i in result.issues]
    period = result.model.period
    codes = [c for c in RULES if c not in skip]
    for code in codes:
        want, want_prior = expected(
            examples,
            code,
            RULES[code],
            weight if code == "satisfaction" else None,
            period.start,
            period.end,
        )
        got = result.totals[code]
        assert close(got.total, want), code
        assert close(got.prior, want_prior), code
    return result


def sheet_xml(path: Path, sheet_title: str) -> str:
    """The XML of the sheet titled ``sheet_title``."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet[^>]*name="{re.escape(sheet_title)}"[^>]*r:id="(rId\d+)"', book)
        target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
        )
        name = target.group(1).lstrip("/")
        return z.read(name if name.startswith("xl/") else f"xl/{name}").decode()


def assert_text_cell(xml: str, value: str) -> None:
    """``value`` is in the sheet as a string cell (inline or shared), never a formula."""
    import xml.etree.ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    holding = [
        c
        for c in ET.fromstring(xml).iterfind(".//m:c", ns)
        if "".join(t.text or "" for t in c.iterfind(".//m:t", ns)) == value
        or (c.find("m:f", ns) is not None and "HYPERLINK" in (c.find("m:f", ns).text or ""))
    ]
    assert holding, "the text is not in the sheet"
    for c in holding:
        assert c.get("t") in ("inlineStr", "s"), ET.tostring(c)
        assert c.find("m:f", ns) is None, ET.tostring(c)


# --- the main scenario through the CLI ----------------------------------------------


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    folder = tmp_path_factory.mktemp("units")
    roles = uw.conflicting_set(folder)
    out = folder / "out" / "汇总.xlsx"
    report = folder / "out" / "汇总.docx"
    done = run(
        "consolidate",
        str(folder),
        "-o",
        str(out),
        "--report",
        str(report),
        "--unit",
        "某某县卫生健康局",
        "--year",
        "2023",
        "--period",
        "全年",
    )
    return roles, out, report, done


def test_cli_consolidates_and_lists_every_conflict(scenario):
    roles, out, _, done = scenario
    assert done.returncode == 1, done.stderr  # something was excluded
    said = done.stdout
    for role in ("other_year", "other_period", "twice_a", "twice_b", "errors", "corrupt"):
        assert f"未纳入：{roles[role]}" in said, role
    assert "重复医院" in said and "均未纳入" in said
    assert "年度为2022" in said and "报告期为上半年" in said
    assert "有2处错误" in said
    assert f"跳过：{roles['lock']}" in said and f"跳过：{roles['notes']}" in said
    assert "指标inpatient的单位或汇总方式不一致" in said  # 人次 vs 例
    assert "没有“远程会诊”" in said  # the extra indicator: which units lack it
    assert "“患者满意度”按各单位“门诊人次”加权平均" in said
    assert out.exists()


def test_rollup_passes_check_and_its_totals_are_the_units_sums(scenario):
    roles, out, _, _ = scenario
    checked = run("check", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    examples = [example for _, example in roles["clean"].values()]
    result = assert_rollup_totals(out, examples, skip=("inpatient",))
    # the refused indicator is not in the roll-up; the extra one is, from its one unit
    assert "inpatient" not in result.totals.by_code
    assert result.totals["telemedicine"].total == 24
    assert result.model.info_text("unit") == "某某县卫生健康局"


def test_submissions_sheet_says_who_is_in_and_why(scenario):
    roles, out, _, _ = scenario
    wb = load_workbook(out)
    ws = wb["报送情况"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1]}
    assert rows[str(roles["twice_a"])][6] == "否"
    assert "均未纳入" in rows[str(roles["twice_b"])][7]
    assert "2022" in rows[str(roles["other_year"])][7]
    assert rows[str(roles["errors"])][3] == 2 and rows[str(roles["errors"])][5]
    assert "损坏" in rows[str(roles["corrupt"])][7]
    clean_path, _ = roles["clean"]["某某县人民医院"]
    line = rows[str(clean_path)]
    assert line[6] == "是" and len(line[2]) == 64  # the SHA-256
    notes = [r[0] for r in ws.iter_rows(min_row=4, values_only=True) if r[0] and not r[1]]
    assert any("加权平均" in n for n in notes)
    # the by-unit sheet: one row per included unit, then the totals row
    by_unit = wb["分单位"]
    codes = [c.value for c in by_unit[4]][1:]
    units = [r[0] for r in by_unit.iter_rows(min_row=5, values_only=True)]
    assert units[-1] == "合计" and set(units[:-1]) == set(roles["clean"])
    outpatient = codes.index("outpatient") + 2
    column = [r[outpatient - 1] for r in by_unit.iter_rows(min_row=5, values_only=True)]
    assert column[-1] == sum(column[:-1])
    # a unit lacking the extra indicator has a blank there
    tele = codes.index("telemedicine") + 1
    row_of = {r[0]: r for r in by_unit.iter_rows(min_row=5, values_only=True)}
    assert row_of["某某县人民医院"][tele] is None


def test_formula_like_unit_name_stays_text(scenario):
    _, out, _, _ = scenario
    for sheet in ("分单位", "报送情况"):
        assert_text_cell(sheet_xml(out, sheet), uw.HYPERLINK_UNIT)
    ws = load_workbook(out)["分单位"]
    assert uw.HYPERLINK_UNIT in [c.value for c in ws["A"]]


@pytest.mark.slow
def test_formula_like_unit_name_is_text_in_calc(scenario, tmp_path):
    """Opened and recalculated in LibreOffice Calc, the unit named like a formula reads
    back as its own text (a formula would read as its result, 点我)."""
    from tests.calc import Calc

    _, out, _, _ = scenario
    calc = Calc(tmp_path)
    try:
        for sheet, cells in (("分单位", "A5:A12"), ("报送情况", "A4:A16")):
            (values,) = calc.recalc(out, [{}], sheet, cells)
            names = [row[0] for row in values]
            assert uw.HYPERLINK_UNIT in names, (sheet, names)
            assert "点我" not in names
    finally:
        calc.close()


def test_formula_like_consolidating_unit_stays_text(tmp_path):
    units = uw.unit_set(tmp_path / "in", 2, seed=3)
    out = tmp_path / "r.xlsx"
    consolidate_files([tmp_path / "in"], out, unit=uw.HYPERLINK_UNIT)
    assert_text_cell(sheet_xml(out, "基本信息"), uw.HYPERLINK_UNIT)
    assert check_workbook(out).model.info_text("unit") == uw.HYPERLINK_UNIT
    assert len(units) == 2


def test_report_has_the_rollup_figures(scenario):
    from docx import Document

    roles, out, report, _ = scenario
    assert report.exists()
    doc = Document(str(report))
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "某某县卫生健康局" in body
    total = check_workbook(out).totals["outpatient"].total
    assert f"{int(total):,}" in cells
    # the per-unit table: every included unit, its figures, then the totals row
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "单位")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert "门诊人次（人次）" in rows[0]
    assert {r[0] for r in rows[1:-1]} == set(roles["clean"]) and rows[-1][0] == "合计"
    k = rows[0].index("门诊人次（人次）")
    assert rows[-1][k] == f"{int(total):,}"
    assert sum(int(r[k].replace(",", "")) for r in rows[1:-1]) == int(total)
    # and the leading units by outpatient visits, the largest first
    best = max(rows[1:-1], key=lambda r: int(r[k].replace(",", "")))
    leaders = next(p for p in body.splitlines() if p.startswith("门诊人次居前的单位："))
    assert leaders.startswith(f"门诊人次居前的单位：{best[0]}（{best[k]}人次）")


def test_unit_report_has_no_per_unit_table(tmp_path):
    """A unit's own workbook renders as before: no roll-up table, no leaders."""
    from docx import Document

    path, _ = next(iter(uw.unit_set(tmp_path, 1).values()))
    done = run("render", str(path), "-o", str(tmp_path / "r.docx"))
    assert done.returncode == 0, done.stderr
    doc = Document(str(tmp_path / "r.docx"))
    assert not any(t.rows[0].cells[0].text == "单位" for t in doc.tables)
    assert not any("居前的单位" in p.text for p in doc.paragraphs)


# --- refusals -------------------------------------------------------------------------


def test_different_years_refuse_and_write_nothing(tmp_path):
    uw.write_unit(tmp_path, "a.xlsx", uw.unit_example("甲医院", 1, year=2023))
    uw.write_unit(tmp_path, "b.xlsx", uw.unit_example("乙医院", 2, year=2024))
    out = tmp_path / "out.xlsx"
    done = run("consolidate", str(tmp_path), "-o", str(out), "--unit", "局")
    assert done.returncode == 1
    assert "年度不同" in done.stderr and "a.xlsx" in done.stderr and "2024" in done.stderr
    assert not out.exists()


def test_unit_is_required_and_outputs_never_overwritten(tmp_path):
    uw.write_unit(tmp_path, "a.xlsx", uw.unit_example("甲医院", 1))
    out = tmp_path / "out.xlsx"
    done = run("consolidate", str(tmp_path / "a.xlsx"), "-o", str(out))
    assert done.returncode == 2 and "--unit" in done.stderr
    out.write_bytes(b"mine")
    done = run("consolidate", str(tmp_path / "a.xlsx"), "-o", str(out), "--unit", "局")
    assert done.returncode == 2 and out.read_bytes() == b"mine"


def test_include_drafts_takes_a_workbook_with_errors_and_says_so(tmp_path):
    ok = uw.unit_example("甲医院", 1)
    draft = uw.broken(uw.unit_example("乙医院", 2))
    uw.write_unit(tmp_path / "in", "a.xlsx", ok)
    uw.write_unit(tmp_path / "in", "b.xlsx", draft)
    out = tmp_path / "r.xlsx"
    done = run(
        "consolidate", str(tmp_path / "in"), "-o", str(out), "--unit", "局", "--include-drafts"
    )
    assert done.returncode == 1  # included, but not cleanly
    assert "按草稿纳入" in done.stdout and "已汇总2个单位，0份未纳入" in done.stdout
    got = load_workbook(out)["报送情况"]
    row = next(r for r in got.iter_rows(min_row=4, values_only=True) if r[0] == "乙医院")
    assert row[6] == "是" and "草稿" in row[7]
    # the draft's figures count: a negative month and an empty one, as entered
    want, _ = expected([ok, draft], "outpatient", "sum", None)
    assert check_workbook(out).totals["outpatient"].total == want


# --- consolidating roll-ups again -----------------------------------------------------


def test_rollup_of_rollups_equals_rollup_of_all(tmp_path):
    units = uw.unit_set(tmp_path / "all", 5, seed=21)
    paths = [p for p, _ in units.values()]
    first = consolidate_files(paths[:2], tmp_path / "r1.xlsx", unit="一片区")
    second = consolidate_files(paths[2:], tmp_path / "r2.xlsx", unit="二片区")
    assert first.clean and second.clean
    again = consolidate_files(
        [tmp_path / "r1.xlsx", tmp_path / "r2.xlsx"], tmp_path / "rr.xlsx", unit="市"
    )
    at_once = consolidate_files(paths, tmp_path / "all.xlsx", unit="市")
    a, b = check_workbook(tmp_path / "rr.xlsx"), check_workbook(tmp_path / "all.xlsx")
    for code, t in b.totals.by_code.items():
        assert close(a.totals[code].total, t.total), code
        assert close(a.totals[code].prior, t.prior), code
        for m in range(12):
            assert close(a.totals[code].months[m], t.months[m]), code
    assert again.rollup.units == ["一片区", "二片区"] and len(at_once.rollup.units) == 5
    # and both equal the plain sums of the five units
    assert_rollup_totals(tmp_path / "rr.xlsx", [e for _, e in units.values()])


# --- the property: any set of units, any rules ------------------------------------------

_month = st.one_of(st.none(), st.integers(0, 500))
_unit = st.tuples(
    st.lists(_month, min_size=12, max_size=12), st.one_of(st.none(), st.integers(0, 5000))
)


def _indicator(code: str, rule: str, weight: str = "") -> cat.Indicator:
    return cat.Indicator(code, code, code, "个", "c", rule=rule, weight=weight)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rules=st.lists(st.sampled_from(cat.RULES), min_size=3, max_size=3),
    units=st.lists(st.lists(_unit, min_size=4, max_size=4), min_size=1, max_size=4),
    bounds=st.sampled_from([(1, 12), (1, 6), (7, 9), (4, 4), (2, 11)]),
    weighted=st.booleans(),
)
def test_property_rollup_totals_are_the_documented_aggregates(rules, units, bounds, weighted):
    """Random units (figures incl. empty months), random rules and periods: the roll-up
    workbook, read back, has the independently computed period figures."""
    codes = ["a", "b", "c"]
    inds = [_indicator(c, r) for c, r in zip(codes, rules, strict=True)]
    # the fourth column is the weight of any rate: a flow
    inds.append(_indicator("w", "sum"))
    period = Period.months(*bounds)
    subs, examples = [], []
    for k, rows in enumerate(units):
        values = np.array([[np.nan if v is None else v for v in months] for months, _ in rows])
        prior = np.array([np.nan if p is None else p for _, p in rows])
        subs.append(
            Submission(
                file=f"u{k}.xlsx",
                unit=f"单位{k}",
                profile="general",
                year=2023,
                period=period,
                indicators=tuple(inds),
                values=values,
                prior=prior,
            )
        )
        examples.append(
            {
                "tallies": {
                    c: {"months": ["" if v is None else v for v in months], "prior": p}
                    for c, (months, p) in zip([*codes, "w"], rows, strict=True)
                }
            }
        )
    weights = {c: "w" for c, r in zip(codes, rules, strict=True) if r == "mean" and weighted}
    rollup = consolidate(subs, unit="汇总", weights=weights)
    import datetime

    result = check_source(rollup_workbook(rollup, "zh", datetime.date(2024, 1, 5)), name="r.xlsx")
    for code, rule in zip(codes, rules, strict=True):
        want, want_prior = expected(examples, code, rule, "w" if code in weights else None, *bounds)
        got = result.totals[code]
        assert close(got.total, want), (code, rule)
        assert close(got.prior, want_prior), (code, rule)
    # the by-unit totals row is the consolidated figure
    assert np.allclose(
        rollup.totals[:3],
        [np.nan if result.totals[c].total is None else result.totals[c].total for c in codes],
        equal_nan=True,
    )


def test_clean_set_exits_0_in_the_units_language(tmp_path):
    """English units' workbooks give an English roll-up; a README beside them is listed
    as skipped and does not make the run fail."""
    for k, unit in enumerate(("North Hospital", "South Hospital")):
        uw.write_unit(tmp_path / "in", f"{k}.xlsx", uw.unit_example(unit, k), lang="en")
    (tmp_path / "in" / "README.txt").write_text("forms from the units")
    out = tmp_path / "rollup.xlsx"
    done = run("consolidate", str(tmp_path / "in"), "-o", str(out), "--unit", "County Bureau")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "README.txt" in done.stdout
    wb = load_workbook(out)
    assert {"By unit", "Submissions", "Weights", "Monthly"} <= set(wb.sheetnames)
    assert check_workbook(out).model.lang == "en"


def test_on_a_dask_cluster_the_rollup_is_the_same(tmp_path):
    """The same reading function on a Dask cluster (``--executor dask://…``) as on the
    local pool: the same roll-up, figure for figure."""
    distributed = pytest.importorskip("distributed")
    examples = [uw.unit_example(f"第{k}卫生院", k) for k in range(20)]
    for k, example in enumerate(examples):
        uw.write_unit(tmp_path / "in", f"{k}.xlsx", example)
    local, on_dask = tmp_path / "local.xlsx", tmp_path / "dask.xlsx"
    unit = ("--unit", "某某县卫生健康局")
    done = run("consolidate", str(tmp_path / "in"), "-o", str(local), *unit, "--workers", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        args = ("consolidate", str(tmp_path / "in"), "-o", str(on_dask), *unit)
        done = run(*args, "--executor", address)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_rollup_totals(on_dask, examples)
    a, b = check_workbook(local), check_workbook(on_dask)
    assert a.totals.to_dict() == b.totals.to_dict()
    assert np.array_equal(a.model.values, b.model.values, equal_nan=True)
