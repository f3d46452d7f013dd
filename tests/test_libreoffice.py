"""A workbook opened and saved by LibreOffice Calc reads exactly as the original."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import fill, libreoffice_convert
from xlsummary.check import check_workbook

pytestmark = pytest.mark.slow


def _same(a, b) -> None:
    assert a.model.info == b.model.info
    assert a.model.catalogue == b.model.catalogue
    assert a.model.narrative == b.model.narrative
    assert np.array_equal(a.model.values, b.model.values, equal_nan=True)
    assert np.array_equal(a.model.prior, b.model.prior, equal_nan=True)
    assert [(i.code, i.sheet, i.cell, i.message()) for i in a.issues] == [
        (i.code, i.sheet, i.cell, i.message()) for i in b.issues
    ]
    assert a.totals.to_dict() == b.totals.to_dict()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip_of_a_filled_workbook(make_workbook, tmp_path: Path, lang):
    source = make_workbook(example=True, lang=lang)
    saved = libreoffice_convert(source, tmp_path / "saved", "xlsx", tmp_path / "lo-profile")
    _same(check_workbook(source), check_workbook(saved))


def test_round_trip_keeps_user_mistakes(make_workbook, tmp_path: Path):
    source = fill(
        make_workbook(example=True),
        {
            "月度统计!E8": "约80",
            "月度统计!F8": "１２",
            "月度统计!G6": " 1,288 ",
            "月度统计!H7": -3,
            "月度统计!A24": "unknown_thing",
            "月度统计!D24": 5,
            "基本信息!B6": "第三季度",
            "基本信息!B12": "2023年12月28日",
            "叙述!C6": "手术{手术例数}例，{{ 原样 }} A&B <测试>",
        },
    )
    original = check_workbook(source)
    assert {i.code for i in original.issues} >= {
        "not_a_number",
        "number_as_text",
        "negative",
        "unknown_indicator",
        "outside_period",
    }
    saved = libreoffice_convert(source, tmp_path / "saved", "xlsx", tmp_path / "lo-profile")
    _same(original, check_workbook(saved))
    assert (
        check_workbook(saved).model.narrative[2].text == "手术{手术例数}例，{{ 原样 }} A&B <测试>"
    )


def test_libreoffice_computes_the_plain_formulas(make_workbook, tmp_path: Path):
    """The no-add-in formulas agree with the core on the example (LibreOffice caches them)."""
    import python_calamine

    saved = libreoffice_convert(
        make_workbook(example=True), tmp_path / "saved", "xlsx", tmp_path / "lo-profile"
    )
    result = check_workbook(saved)
    rows = (
        python_calamine.CalamineWorkbook.from_path(str(saved))
        .get_sheet_by_name("月度统计")
        .to_python(skip_empty_area=False)
    )
    for k, ind in enumerate(result.model.indicators):
        row = rows[3 + k]
        assert row[0] == ind.code
        assert row[1] == ind.name_zh
        assert row[16] == pytest.approx(result.totals[ind.code].total)  # 本期合计
        tot = result.totals[ind.code]
        if tot.yoy_percent is not None:
            assert round(row[17] * 100, 1) == float(tot.yoy_percent)  # 同比 as 0.0%
        assert row[18] == "✓ 完整"


def test_formula_errors_saved_by_libreoffice(make_workbook, tmp_path: Path):
    """A broken formula typed into an input cell: openpyxl saves no result, LibreOffice
    saves the error value; calamine reads both as "", xlsummary tells them apart."""
    source = fill(make_workbook(example=True), {"月度统计!D9": "=1/0", "月度统计!E9": "=1+1"})
    before = check_workbook(source)
    assert [(i.code, i.cell) for i in before.issues] == [
        ("formula_without_value", "D9"),
        ("formula_without_value", "E9"),
    ]
    saved = libreoffice_convert(source, tmp_path / "saved", "xlsx", tmp_path / "lo-profile")
    after = check_workbook(saved)
    assert [(i.code, i.cell) for i in after.issues] == [
        ("excel_error", "D9"),
        ("formula_in_input", "E9"),
    ]
    assert after.issues[0].params["value"] == "#DIV/0!"
    assert after.model.tallies.loc["critical_care", "m2"] == 2  # the saved result counts
