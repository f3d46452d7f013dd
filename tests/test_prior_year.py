"""Last year's workbook as the comparison (``--prior``, ``--prior-dir``), and the warning
when a partial period's 上年同期 holds last year's whole year. Real workbooks, the real
CLI; the expected figures are computed here from the generated months, not by the code
under test."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from tests.test_cli import run
from xlsummary import catalogue as cat
from xlsummary.generate import generate_workbook, load_example
from xlsummary.report import make_report

EXAMPLE = load_example("hospital")


def workbook(
    folder: Path,
    name: str,
    *,
    year: int,
    period: str = "year",
    unit: str = "某某市人民医院",
    keep_prior: bool = True,
    scale: float = 1.0,
    profile: cat.Profile | str = "hospital",
    drop_months: dict[str, list[int]] | None = None,
) -> tuple[Path, dict]:
    """An example workbook of ``year``: the bundled figures times ``scale`` (so the two
    years differ), the 上年同期 column kept or emptied, some months left empty."""
    data = copy.deepcopy(EXAMPLE)
    data["info"].update(year=year, period=period, unit=unit)
    for code, row in data["tallies"].items():
        months = [
            round(v * scale, 1) if code in ("satisfaction", "fee_reduction") else round(v * scale)
            for v in row["months"]
        ]
        if code in ("satisfaction",):
            months = [min(v, 99.9) for v in months]
        for m in (drop_months or {}).get(code, []):
            months[m - 1] = ""
        row["months"] = months
        if not keep_prior:
            row.pop("prior")
    path = folder / name
    path.write_bytes(generate_workbook(profile, year, "zh", data))
    return path, data


def check_json(*args: str) -> tuple[int, dict]:
    done = run("check", "--json", *args)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def codes(result: dict) -> list[str]:
    return [i["code"] for i in result["issues"]]


def yoy(current: float, prior: float) -> float:
    """四舍五入 to one decimal, done here by hand."""
    value = (Decimal(repr(current)) - Decimal(repr(prior))) / Decimal(repr(prior)) * 100
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_a_quarter_with_last_years_whole_year_is_warned(tmp_path: Path):
    """Today: switching the example to 第三季度 gives 门诊 -73.5 % with no warning."""
    path, _ = workbook(tmp_path, "q3.xlsx", year=2023, period="q3")
    _, result = check_json(str(path))
    assert result["totals"]["indicators"]["outpatient"]["yoy_percent"] == -73.5
    found = [i for i in result["issues"] if i["code"] == "prior_looks_whole_year"]
    assert len(found) == 1, codes(result)
    assert found[0]["severity"] == "warning" and found[0]["cell"] == "P5"
    assert "第三季度" in found[0]["message"] and "上年全年" in found[0]["message"]
    assert "Q3" in found[0]["message_en"] and "whole year" in found[0]["message_en"]
    # the whole year's report compares with the whole year: nothing to say
    assert result["prior_workbook"] is None
    annual, _ = workbook(tmp_path, "year.xlsx", year=2023)
    assert "prior_looks_whole_year" not in codes(check_json(str(annual))[1])


def test_prior_workbook_gives_last_years_same_quarter(tmp_path: Path):
    last, last_data = workbook(tmp_path, "2022.xlsx", year=2022, scale=0.9)
    this, this_data = workbook(tmp_path, "2023.xlsx", year=2023, period="q3", keep_prior=False)
    code, result = check_json(str(this), "--prior", str(last))
    assert code == 0, codes(result)
    assert "prior_looks_whole_year" not in codes(result)
    assert result["prior_workbook"] == {
        "file": "2022.xlsx",
        "sha256": hashlib.sha256(last.read_bytes()).hexdigest(),
    }
    figures = result["totals"]["indicators"]
    for key, rule in (("outpatient", "sum"), ("staff_on_site", "last"), ("surgery", "sum")):
        months = last_data["tallies"][key]["months"][6:9]
        expected = sum(months) if rule == "sum" else months[-1]
        assert figures[key]["prior"] == expected, key
        current = this_data["tallies"][key]["months"][6:9]
        now = sum(current) if rule == "sum" else current[-1]
        assert figures[key]["yoy_percent"] == yoy(now, expected), key
    rate = last_data["tallies"]["satisfaction"]["months"][6:9]
    assert figures["satisfaction"]["prior"] == pytest.approx(sum(rate) / 3, abs=1e-9)
    # the same through the library, and from bytes (an upload)
    report = make_report(this.read_bytes(), name=this.name, prior=last.read_bytes())
    assert report.check.totals["outpatient"].prior == figures["outpatient"]["prior"]


@pytest.mark.parametrize(("period", "months"), [("h1", (1, 6)), ("q1", (1, 3))])
def test_prior_workbook_for_halves_and_quarters(tmp_path: Path, period: str, months):
    last, last_data = workbook(tmp_path, "last.xlsx", year=2022, scale=1.2)
    this, _ = workbook(tmp_path, "this.xlsx", year=2023, period=period, keep_prior=False)
    _, result = check_json(str(this), "--prior", str(last))
    start, end = months
    got = result["totals"]["indicators"]["inpatient"]["prior"]
    assert got == sum(last_data["tallies"]["inpatient"]["months"][start - 1 : end])


def test_an_entered_prior_wins_and_a_difference_is_said(tmp_path: Path):
    last, last_data = workbook(tmp_path, "2022.xlsx", year=2022, scale=0.9)
    # the 上年同期 column still holds last year's whole year (the bundled example's)
    this, this_data = workbook(tmp_path, "2023.xlsx", year=2023, period="q3")
    _, result = check_json(str(this), "--prior", str(last))
    figures = result["totals"]["indicators"]
    assert figures["outpatient"]["prior"] == this_data["tallies"]["outpatient"]["prior"]
    overridden = [i for i in result["issues"] if i["code"] == "prior_overridden"]
    row = next(i for i in overridden if i["indicator"] == "outpatient")
    assert row["cell"] == "P6" and row["severity"] == "warning"
    computed = sum(last_data["tallies"]["outpatient"]["months"][6:9])
    assert f"为{computed}；" in row["message"] and "填写为14120" in row["message"]
    assert "2022.xlsx" in row["message"] and "请清空此格" in row["message"]
    # with a prior workbook there is no guess about whole years
    assert "prior_looks_whole_year" not in codes(result)


def test_gaps_in_last_years_workbook_are_said(tmp_path: Path):
    profile = cat.load_profile("hospital")
    fewer = dataclasses.replace(
        profile, indicators=tuple(i for i in profile.indicators if i.code != "surgery")
    )
    last, _ = workbook(
        tmp_path,
        "2022.xlsx",
        year=2022,
        profile=fewer,
        drop_months={"lecture": [7, 8], "case_discussion": [7, 8, 9]},
    )
    this, _ = workbook(tmp_path, "2023.xlsx", year=2023, period="q3", keep_prior=False)
    _, result = check_json(str(this), "--prior", str(last))
    by = {(i["code"], i["indicator"]): i for i in result["issues"]}
    assert ("prior_not_in_catalogue", "surgery") in by
    assert by[("prior_months_missing", "lecture")]["message"].count("7月、8月") == 1
    assert ("prior_no_figures", "case_discussion") in by
    figures = result["totals"]["indicators"]
    assert figures["surgery"]["prior"] is None and figures["surgery"]["yoy_percent"] is None
    assert figures["case_discussion"]["prior"] is None


def test_a_prior_of_the_wrong_year_or_unit(tmp_path: Path):
    same_year, _ = workbook(tmp_path, "same.xlsx", year=2023)
    this, _ = workbook(tmp_path, "2023.xlsx", year=2023, period="q3", keep_prior=False)
    done = run("check", str(this), "--prior", str(same_year))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "是2023年的" in done.stderr and "请提供2022年的统计表" in done.stderr
    missing = run("render", str(this), "--prior", str(tmp_path / "无.xlsx"))
    assert missing.returncode == 2 and "上年统计表：" in missing.stderr, missing.stderr
    other, _ = workbook(tmp_path, "other.xlsx", year=2022, unit="另一家医院")
    _, result = check_json(str(this), "--prior", str(other))
    unit = next(i for i in result["issues"] if i["code"] == "prior_other_unit")
    assert unit["sheet"] == "基本信息" and "另一家医院" in unit["message"]
    both = run("check", str(this), "--prior", str(other), "--prior-dir", str(tmp_path))
    assert both.returncode == 2 and "只能用一个" in both.stderr


def test_prior_dir_finds_the_same_unit_of_the_year_before(tmp_path: Path):
    folder = tmp_path / "历年"
    (folder / "2022").mkdir(parents=True)
    _last, last_data = workbook(folder / "2022", "本院.xlsx", year=2022, scale=0.8)
    workbook(folder / "2022", "别家.xlsx", year=2022, unit="某某县中医院", scale=3)
    workbook(folder, "本院2021.xlsx", year=2021, scale=5)
    (folder / "~$本院.xlsx").write_bytes(b"lock")
    (folder / "坏的.xlsx").write_bytes(b"not a workbook")
    this, _ = workbook(tmp_path, "2023.xlsx", year=2023, period="h2", keep_prior=False)
    _, result = check_json(str(this), "--prior-dir", str(folder))
    expected = sum(last_data["tallies"]["outpatient"]["months"][6:12])
    assert result["totals"]["indicators"]["outpatient"]["prior"] == expected
    # no such unit there: a warning, and the entered figures stand
    lonely, _ = workbook(tmp_path, "lonely.xlsx", year=2023, unit="新建医院")
    code, result = check_json(str(lonely), "--prior-dir", str(folder))
    assert code == 0 and "prior_not_found" in codes(result)
    assert result["totals"]["indicators"]["outpatient"]["prior"] == 14120
    # two of them: which one is meant cannot be guessed
    workbook(folder, "本院副本.xlsx", year=2022, scale=0.8)
    done = run("check", str(this), "--prior-dir", str(folder))
    assert done.returncode == 2 and "多份" in done.stderr and "本院副本.xlsx" in done.stderr


def test_render_with_prior_prints_the_computed_comparison(tmp_path: Path):
    from docx import Document

    last, last_data = workbook(tmp_path, "2022.xlsx", year=2022, scale=0.9)
    this, this_data = workbook(tmp_path, "2023.xlsx", year=2023, period="q3", keep_prior=False)
    out = tmp_path / "out.docx"
    done = run("render", str(this), "--prior", str(last), "-o", str(out))
    assert done.returncode == 0, done.stderr
    prior = sum(last_data["tallies"]["outpatient"]["months"][6:9])
    now = sum(this_data["tallies"]["outpatient"]["months"][6:9])
    rows = [
        [c.text for c in row.cells] for table in Document(str(out)).tables for row in table.rows
    ]
    row = next(r for r in rows if r and r[0] == "门诊人次")
    assert f"{prior:,}" in row and f"{now:,}" in row
    assert f"{yoy(now, prior):+.1f}%" in row
    # the report records which workbook last year's figures came from
    from xlsummary.audit import custom_properties

    with zipfile.ZipFile(out) as docx:
        props = custom_properties(docx.read("docProps/custom.xml"))
    assert props["xlsummary.prior_file"] == "2022.xlsx"
    assert props["xlsummary.prior_sha256"] == hashlib.sha256(last.read_bytes()).hexdigest()
    # never written over last year's workbook
    over = run("render", str(this), "--prior", str(last), "-o", str(last), "--force")
    assert over.returncode == 2 and last.read_bytes()[:2] == b"PK"


def test_batch_finds_each_units_last_year(tmp_path: Path):
    from docx import Document

    inbox, history, out = tmp_path / "收件箱", tmp_path / "历年", tmp_path / "报告"
    inbox.mkdir()
    history.mkdir()
    expected = {}
    for k, unit in enumerate(("某某市人民医院", "某某县中医院")):
        _, last = workbook(history, f"{k}.xlsx", year=2022, unit=unit, scale=0.5 + k)
        workbook(inbox, f"{k}.xlsx", year=2023, period="q3", unit=unit, keep_prior=False)
        expected[unit] = sum(last["tallies"]["outpatient"]["months"][6:9])
    done = run("batch", str(inbox), "-o", str(out), "--prior-dir", str(history), "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    reports = sorted(out.glob("*.docx"))
    assert len(reports) == 2
    for report in reports:
        unit = next(u for u in expected if report.name.startswith(u))
        rows = [[c.text for c in r.cells] for t in Document(str(report)).tables for r in t.rows]
        row = next(r for r in rows if r and r[0] == "门诊人次")
        assert f"{expected[unit]:,}" in row, (unit, row)
    both = run("batch", str(inbox), "-o", str(out), "--prior", "x.xlsx", "--prior-dir", "y")
    assert both.returncode == 2 and "只能用一个" in both.stderr


def test_consolidate_with_each_units_last_year_or_last_years_rollup(tmp_path: Path):
    from xlsummary.check import check_workbook

    inbox, history = tmp_path / "收件箱", tmp_path / "历年"
    inbox.mkdir()
    history.mkdir()
    units = ("某某市人民医院", "某某县中医院", "某某镇卫生院")
    expected = 0
    for k, unit in enumerate(units):
        _, last = workbook(history, f"{k}.xlsx", year=2022, unit=unit, scale=0.5 + k)
        workbook(inbox, f"{k}.xlsx", year=2023, period="q3", unit=unit, keep_prior=False)
        expected += sum(last["tallies"]["outpatient"]["months"][6:9])
    bureau = ("--unit", "某某县卫生健康局")
    out = tmp_path / "汇总.xlsx"
    done = run("consolidate", str(inbox), "-o", str(out), *bureau, "--prior-dir", str(history))
    assert "Traceback" not in done.stderr, done.stderr
    assert out.exists(), done.stdout + done.stderr
    assert check_workbook(out).totals["outpatient"].prior == expected
    # last year's roll-up instead: the roll-up's 上年同期 from its months
    last_rollup = tmp_path / "2022汇总.xlsx"
    made = run("consolidate", str(history), "-o", str(last_rollup), *bureau)
    assert last_rollup.exists(), made.stdout + made.stderr
    again = tmp_path / "汇总2.xlsx"
    done = run("consolidate", str(inbox), "-o", str(again), *bureau, "--prior", str(last_rollup))
    assert again.exists(), done.stdout + done.stderr
    assert check_workbook(again).totals["outpatient"].prior == expected
    # a roll-up of the same year is not last year's
    wrong = run(
        "consolidate", str(inbox), "-o", str(tmp_path / "x.xlsx"), *bureau, "--prior", str(again)
    )
    assert wrong.returncode == 2 and "请提供2022年的统计表" in wrong.stderr
    assert not (tmp_path / "x.xlsx").exists()
