"""The catalogue's optional 图表 (Chart) column, on real workbooks: written by the
generator with a 是/否 drop-down, read back into ``Indicator.chart``, absent from
workbooks made before it existed, and carried through a roll-up."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from tests import unit_workbooks as uw
from tests.conftest import fill
from xlsummary import i18n
from xlsummary.catalogue import load_profile, profile_names
from xlsummary.check import check_workbook
from xlsummary.rollup_workbook import consolidate_files

# Written out on purpose (see conftest): the 指标 sheet's header row and the letters a
# user sees. 图表 is the tenth column, after 说明, so no earlier letter moved.
CAT_HEADER_ROW = 3
CHART_COLUMN = "J"
SHEET = {"zh": "指标", "en": "Indicators"}
HOSPITAL_CHARTED = {"surgery", "case_discussion", "teaching_rounds", "lecture"}


def charted(path: Path) -> set[str]:
    return {i.code for i in check_workbook(path).model.indicators if i.chart}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generated_catalogue_has_the_chart_column_with_a_drop_down(make_workbook, lang):
    wb = openpyxl.load_workbook(make_workbook("hospital", lang))
    ws = wb[SHEET[lang]]
    header = [c.value for c in ws[CAT_HEADER_ROW] if c.value is not None]
    assert header[-2:] == (["说明", "图表"] if lang == "zh" else ["Description", "Chart"])
    assert header[:8] == (
        ["代码", "名称", "英文名称", "单位", "类别", "汇总方式", "类型", "必填"]
        if lang == "zh"
        else ["Code", "Chinese name", "Name", "Unit", "Category", "Rule", "Kind", "Required"]
    )
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    column = {
        ws[f"A{r}"].value: ws[f"{CHART_COLUMN}{r}"].value
        for r in range(CAT_HEADER_ROW + 1, ws.max_row + 1)
        if ws[f"A{r}"].value
    }
    assert {code for code, v in column.items() if v == yes} == HOSPITAL_CHARTED
    assert set(column.values()) == {yes, no}
    (rule,) = [
        dv
        for dv in ws.data_validations.dataValidation
        if re.match(rf"{CHART_COLUMN}{CAT_HEADER_ROW + 1}:", str(dv.sqref))
    ]
    assert rule.type == "list" and rule.formula1 == f'"{yes},{no}"'
    assert rule.showErrorMessage and rule.showInputMessage
    assert rule.prompt == i18n.text("workbook.text.dv_chart_prompt", lang)
    assert len(rule.prompt) <= 255  # Excel's limit for an input prompt
    assert rule.promptTitle == header[-1]
    # the Excel Table takes the new column in
    assert ws.tables["tblIndicators"].ref.split(":")[1].startswith(CHART_COLUMN)


@pytest.mark.parametrize("profile", profile_names())
def test_each_profile_charts_a_few_indicators_and_they_read_back(make_workbook, profile):
    marked = {i.code for i in load_profile(profile).indicators if i.chart}
    assert 3 <= len(marked) <= 4
    assert charted(make_workbook(profile, example=True)) == marked
    assert charted(make_workbook(profile, "en")) == marked


def test_user_marks_and_unmarks_charts_in_either_language(make_workbook):
    zh = fill(make_workbook(), {"指标!J4": "是", "指标!J8": "否", "指标!J9": None})
    # row 4 staff_on_site, row 8 surgery, row 9 critical_care; an empty cell is 否
    assert charted(zh) == HOSPITAL_CHARTED - {"surgery"} | {"staff_on_site"}
    en = fill(make_workbook(lang="en"), {"Indicators!J4": " yes ", "Indicators!J8": "No"})
    assert charted(en) == HOSPITAL_CHARTED - {"surgery"} | {"staff_on_site"}


def _without_chart_column(path: Path, out: Path) -> Path:
    """The workbook as the release before the 图表 column wrote it: nine columns, the
    Table and the drop-downs ending at 说明."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.title in SHEET.values():
            break
    assert ws[f"{CHART_COLUMN}{CAT_HEADER_ROW}"].value in ("图表", "Chart")
    ws.delete_cols(10)
    table = ws.tables["tblIndicators"]
    table.ref = re.sub(r"J(\d+)$", r"I\1", table.ref)
    table.tableColumns = table.tableColumns[:9]
    table.autoFilter = None
    ws.data_validations.dataValidation = [
        dv for dv in ws.data_validations.dataValidation if not str(dv.sqref).startswith("J")
    ]
    wb.save(out)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_made_before_the_column_reads_with_no_charts(make_workbook, tmp_path, lang):
    old = _without_chart_column(make_workbook(example=True, lang=lang), tmp_path / "old.xlsx")
    row = openpyxl.load_workbook(old)[SHEET[lang]][CAT_HEADER_ROW]
    header = [c.value for c in row if c.value is not None]
    assert header[-1] in ("说明", "Description") and len(header) == 9
    result = check_workbook(old)
    assert result.issues == []
    assert len(result.model.indicators) == len(load_profile("hospital").indicators)
    assert not any(i.chart for i in result.model.indicators)
    assert result.totals["surgery"].total == 33  # the rest reads as before


def test_invalid_chart_value_names_the_sheet_cell_column_and_choices(make_workbook):
    path = fill(make_workbook(example=True), {"指标!J8": "也许"})  # surgery
    result = check_workbook(path)
    (issue,) = [i for i in result.issues if i.code == "invalid_choice"]
    assert (issue.severity, issue.sheet, issue.cell, issue.indicator) == (
        "error",
        "指标",
        "J8",
        "surgery",
    )
    assert issue.message() == "“也许”不是有效的“图表”，可选：是、否。"
    assert issue.message("en") == "'也许' is not a valid Chart; choose one of: yes, no."
    # the indicator is read with the default, not dropped
    assert "surgery" not in charted_of(result)


def charted_of(result) -> set[str]:
    return {i.code for i in result.model.indicators if i.chart}


def test_tally_formulas_do_not_depend_on_the_chart_column(make_workbook):
    """The 月度统计 sheet looks indicators up through named catalogue columns; none of
    them, and no formula, may point at the new column J."""
    wb = openpyxl.load_workbook(make_workbook(example=True))
    cat_names = {n: d.attr_text for n, d in wb.defined_names.items() if n.startswith("XLS_CAT_")}
    assert cat_names and not any("$J" in ref for ref in cat_names.values())
    assert {ref.rsplit("!", 1)[1] for ref in cat_names.values()} <= {
        f"${c}:${c}" for c in "ABCDEFGH"
    }
    tally = wb["月度统计"]
    formulas = [
        c.value for row in tally.iter_rows() for c in row if str(c.value or "").startswith("=")
    ]
    assert formulas and not any("指标!J" in f or "指标'!J" in f for f in formulas)


def test_rollup_charts_an_indicator_any_unit_charts(tmp_path):
    units = uw.unit_set(tmp_path / "units", 2, seed=5)
    (a, _), (b, _) = units.values()
    # unit a also charts outpatient and no longer charts lecture (row 17); unit b is an
    # old workbook without the column at all
    fill(a, {"指标!J6": "是", "指标!J17": "否"})
    assert charted(a) == HOSPITAL_CHARTED - {"lecture"} | {"outpatient"}
    old_b = _without_chart_column(b, tmp_path / "b_old.xlsx")
    assert charted(old_b) == set()
    out = tmp_path / "汇总.xlsx"
    done = consolidate_files([a, old_b], out, unit="某某县卫生健康局")
    assert done.clean
    assert {i.code for i in done.rollup.indicators if i.chart} == charted(a)
    # the roll-up workbook itself says so in its 图表 column, and reads back the same
    assert charted(out) == charted(a)
    # a fresh b (lecture charted) brings lecture back: charted if any unit charts it
    again = consolidate_files([a, b], tmp_path / "汇总2.xlsx", unit="某某县卫生健康局")
    assert charted(tmp_path / "汇总2.xlsx") == charted(a) | {"lecture"}
    assert again.clean
