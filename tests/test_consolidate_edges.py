"""Adversarial review of consolidation (issue #15): each test is a problem found by
trying to break ``xlsummary consolidate`` as a bureau's office worker or an attacker
would. Expected figures are computed here in plain Python, never by the code under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

import unit_workbooks as uw
from xlsummary import catalogue as cat
from xlsummary.check import check_workbook
from xlsummary.consolidate import Submission, consolidate
from xlsummary.periods import Period
from xlsummary.rollup_workbook import consolidate_files

YEAR = Period.named("year")


SRC = Path(__file__).resolve().parents[1] / "src"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real CLI of this checkout (an absolute path: with ``cwd`` a relative
    PYTHONPATH would import whichever xlsummary the venv has installed)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def _ind(code: str, rule: str = "sum", kind: str = "count", unit: str = "次") -> cat.Indicator:
    return cat.Indicator(
        code=code, name_zh=code, name_en=code, unit=unit, category="x", rule=rule, kind=kind
    )


def _sub(unit: str, months: list[float], prior: float = 1.0, **kw) -> Submission:
    inds = kw.pop("indicators", (_ind("x", kind="amount", unit="万元"),))
    return Submission(
        file=f"{unit}.xlsx",
        unit=unit,
        year=2023,
        period=YEAR,
        indicators=inds,
        values=np.array([months], dtype=float),
        prior=np.array([prior]),
        **kw,
    )


def _replace_in_zip(source: Path, target: Path, old: bytes, new: bytes) -> Path:
    """The workbook with ``old`` replaced by ``new`` in every part (raw XML edit)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename).replace(old, new))
    return target


def _column_a(path: Path, sheet: str) -> list[str]:
    ws = load_workbook(path)[sheet]
    return [str(c.value) for c in ws["A"] if c.value is not None]


# --- the same unit spelled with full-width characters ---------------------------------


def test_same_unit_in_full_width_characters_is_the_same_unit():
    """第1医院（分院） and 第１医院(分院) are one hospital typed on two keyboards: counted
    as two, its figures are in the roll-up twice."""
    a = _sub("第1医院（分院）", [1.0] * 12)
    b = _sub("第１医院(分院)", [2.0] * 12)
    c = _sub("ＡＢＣ医院", [4.0] * 12)
    d = _sub("abc医院", [8.0] * 12)
    rollup = consolidate([a, b, c, d], unit="局")
    assert rollup.units == []
    assert all(
        x.reason is not None and x.reason.key == "consolidate.duplicate_unit"
        for x in rollup.decisions
    )


# --- the per-unit breakdown: sums as typed ---------------------------------------------


def test_per_unit_figures_are_the_typed_decimal_sums():
    """Twelve months of 0.1 are 1.2 (the unit's own check says so), not the float
    1.2000000000000002 that the 分单位 sheet then shows."""
    rollup = consolidate([_sub("甲", [0.1] * 12), _sub("乙", [0.2] * 12)], unit="局")
    assert rollup.breakdown[:, 0].tolist() == [1.2, 2.4]
    assert rollup.totals.tolist() == [3.6]


# --- text that a worksheet cannot hold --------------------------------------------------


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory):
    """A clean unit, and units whose names the unit's own check accepts: one with a
    control character (BEL, written as Excel's _x0007_ escape), one of 40,000
    characters (beyond Excel's 32,767 a cell), one with CR and tab."""
    root = tmp_path_factory.mktemp("odd")
    source = uw.write_unit(root / "src", "u.xlsx", uw.unit_example("ZZUNITZZ", 5))
    _replace_in_zip(source, root / "in" / "ctrl.xlsx", b"ZZUNITZZ", b"Bad_x0007_Unit")
    _replace_in_zip(source, root / "in" / "long.xlsx", b"ZZUNITZZ", b"L" * 40_000)
    _replace_in_zip(source, root / "in" / "crtab.xlsx", b"ZZUNITZZ", b"=1+1&#13;&#9;x")
    uw.write_unit(root / "in", "ok.xlsx", uw.unit_example("好医院", 6))
    return root


def test_unit_name_with_a_control_character_does_not_stop_the_run(odd_names):
    """openpyxl refuses the character (IllegalCharacterError): the whole consolidation
    died with a traceback over one unit's name."""
    out = odd_names / "o_ctrl.xlsx"
    done = run("consolidate", str(odd_names / "in"), "-o", str(out), "--unit", "某某县卫生健康局")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    names = _column_a(out, "分单位")
    assert "BadUnit" in names
    assert "好医院" in names
    assert check_workbook(out).errors == 0


def test_unit_name_longer_than_a_cell_is_cut_to_the_cell_limit(odd_names):
    out = odd_names / "o_long.xlsx"
    consolidate_files([odd_names / "in"], out, unit="某某县卫生健康局")
    for sheet in ("分单位", "报送情况"):
        longest = max(len(v) for v in _column_a(out, sheet))
        assert longest <= 32_767, sheet
    # the report of the roll-up still renders
    report = odd_names / "o_long.docx"
    done = run("render", str(out), "-o", str(report))
    assert done.returncode == 0, done.stderr
    assert report.stat().st_size > 0


def test_consolidating_unit_with_a_control_character_is_written(odd_names):
    """--unit pasted with a control character: the roll-up's 基本信息 cell made
    openpyxl raise, a traceback after every workbook had been read."""
    out = odd_names / "o_unit.xlsx"
    ok = odd_names / "in" / "ok.xlsx"
    done = run("consolidate", str(ok), "-o", str(out), "--unit", "某某县\x07卫生健康局")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert check_workbook(out).model.info_text("unit") == "某某县卫生健康局"


# --- a workbook in English among Chinese ones ------------------------------------------


def test_english_workbook_among_chinese_ones_keeps_every_indicator(tmp_path):
    """An English workbook names its units of measure in English (persons, visits): one
    such unit among Chinese ones made every indicator but the rate "another unit of
    measure" and left it out of the roll-up, for all units."""
    examples = {}
    for k, name in enumerate(("某某县人民医院", "某某县中医院")):
        examples[name] = uw.unit_example(name, 30 + k)
        uw.write_unit(tmp_path / "in", f"zh{k}.xlsx", examples[name])
    examples["English Hospital"] = uw.unit_example("English Hospital", 40)
    uw.write_unit(tmp_path / "in", "en.xlsx", examples["English Hospital"], lang="en")
    out = tmp_path / "o.xlsx"
    done = consolidate_files([tmp_path / "in"], out, unit="某某县卫生健康局")
    assert done.rollup.conflicts == []
    hospital = cat.load_profile("hospital")
    assert [i.code for i in done.rollup.indicators] == [i.code for i in hospital.indicators]
    result = check_workbook(out)
    assert result.errors == 0
    want = sum(float(v) for e in examples.values() for v in e["tallies"]["outpatient"]["months"])
    assert result.totals["outpatient"].total == pytest.approx(want)
    # the roll-up is in the units' language, with its words
    staff = next(i for i in result.model.indicators if i.code == "staff_on_site")
    assert staff.unit == "名"


def test_a_real_other_unit_of_measure_is_still_refused():
    """The fix above must not hide a real difference (万元 against 元)."""
    a = _sub("甲", [1.0] * 12, indicators=(_ind("equipment_value", unit="万元"),))
    b = _sub("乙", [1.0] * 12, indicators=(_ind("equipment_value", unit="元"),))
    rollup = consolidate([a, b], unit="局")
    assert [m.key for m in rollup.conflicts] == ["consolidate.indicator_differs"]


# --- a roll-up and one of its own units given together: double counting --------------


def test_rollup_and_one_of_its_units_are_not_both_counted():
    """A roll-up of 甲 and 乙 given with 甲's own workbook: 甲's figures were in the
    result twice and the run said everything was fine (exit 0)."""
    unit = _sub("甲", [1.0] * 12)
    rollup = _sub("县局", [3.0] * 12, weights={}, members=("甲", "乙"))
    other = _sub("丙", [5.0] * 12)
    result = consolidate([rollup, unit, other], unit="市局")
    assert result.units == ["丙"]
    assert not result.clean
    reasons = [d.reason.key for d in result.excluded]
    assert reasons == ["consolidate.duplicate_unit"] * 2


def test_two_rollups_sharing_a_unit_are_not_both_counted():
    a = _sub("甲县局", [3.0] * 12, weights={}, members=("甲", "乙"))
    b = _sub("乙县局", [3.0] * 12, weights={}, members=("乙 ", "丙"))
    result = consolidate([a, b], unit="市局")
    assert result.units == []


def test_a_rollup_whose_unit_has_its_own_name_is_not_its_own_duplicate():
    """A hospital group's roll-up may list the head hospital under the group's name."""
    a = _sub("某某医院", [3.0] * 12, weights={}, members=("某某医院", "分院"))
    b = _sub("其他医院", [1.0] * 12)
    assert consolidate([a, b], unit="市局").units == ["某某医院", "其他医院"]


def test_cli_rollup_given_with_one_of_its_units_is_refused(tmp_path):
    units = uw.unit_set(tmp_path / "units", 2, seed=4)
    (first, _), (second, _) = units.values()
    county = tmp_path / "county.xlsx"
    consolidate_files([first, second], county, unit="某某县卫生健康局")
    out = tmp_path / "city.xlsx"
    done = run("consolidate", str(county), str(first), "-o", str(out), "--unit", "某某市卫生健康委")
    assert done.returncode == 1, done.stdout


# --- the same file given twice ---------------------------------------------------------


def test_same_file_given_by_folder_and_by_path_counts_once(tmp_path):
    uw.unit_set(tmp_path / "in", 2, seed=5)
    out = tmp_path / "o.xlsx"
    done = run(
        "consolidate",
        "in",
        str(tmp_path / "in" / "unit00.xlsx"),
        "-o",
        str(out),
        "--unit",
        "某某县卫生健康局",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout
    assert len(check_workbook(out).model.units.units) == 2


# --- the leading units when figures tie ------------------------------------------------


def test_leading_units_do_not_pick_among_tied_figures(tmp_path):
    """Units tied at the cut (10, 8, 8, 8, 1): naming two of the three 8s "leading", in
    file order, says something the figures do not; all equal, no unit leads."""
    base = uw.unit_example("x", 1)
    outpatient = {"甲": 10, "乙": 8, "丙": 8, "丁": 8, "戊": 1}
    for k, (name, figure) in enumerate(outpatient.items()):
        e = uw.unit_example(name, 1)
        e["tallies"]["outpatient"]["months"] = [figure] * 12
        e["tallies"]["surgery"] = base["tallies"]["surgery"]  # the same for every unit
        uw.write_unit(tmp_path / "in", f"u{k}.xlsx", e)
    report = tmp_path / "o.docx"
    consolidate_files([tmp_path / "in"], tmp_path / "o.xlsx", unit="局", report=report)
    from docx import Document

    lines = [p.text for p in Document(report).paragraphs if "居前" in p.text]
    visits = [t for t in lines if t.startswith("门诊人次")]
    assert visits == ["门诊人次居前的单位：甲（120人次）。"]
    assert not [t for t in lines if t.startswith("手术例数")]


# --- nothing included: say why ---------------------------------------------------------


def test_nothing_included_says_why_each_file_was_not(tmp_path):
    uw.unit_set(tmp_path / "in", 2, seed=6)  # full-year workbooks
    out = tmp_path / "o.xlsx"
    done = run(
        "consolidate", str(tmp_path / "in"), "-o", str(out), "--unit", "局", "--period", "q3"
    )
    assert done.returncode == 1
    assert not out.exists()
    said = done.stdout + done.stderr
    assert "unit00.xlsx" in said and "unit01.xlsx" in said


def test_a_forged_weights_sheet_cannot_outweigh_the_other_units():
    """A workbook that carries a weights sheet (as a roll-up does) claiming its rate
    stands for 1,000 units, while it lists one unit, counts as that one unit."""
    rate = (_ind("rate", rule="mean", kind="percent", unit="%"),)
    weights = np.array([1000.0] * 13)
    forged = _sub(
        "甲", [90.0] * 12, 90.0, indicators=rate, weights={"rate": ("", weights)}, members=("甲",)
    )
    honest = _sub("乙", [50.0] * 12, 50.0, indicators=rate)
    rollup = consolidate([forged, honest], unit="局")
    assert rollup.totals[0] == pytest.approx(70.0)  # (90 + 50) / 2, not (90·1000 + 50) / 1001
