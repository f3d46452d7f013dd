"""Validation on real workbooks: generate, fill with openpyxl as a user would, read back,
and assert the exact issues (code, sheet, cell) and the totals that survive them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import fill
from xlsummary.check import check_workbook

T, C, INFO, N = "月度统计", "指标", "基本信息", "叙述"


def found(result) -> list[tuple[str, str, str, str]]:
    return [(i.severity, i.code, i.sheet, i.cell) for i in result.issues]


def test_example_workbook_is_clean(make_workbook):
    result = check_workbook(make_workbook(example=True))
    assert result.issues == []
    assert result.ok
    assert result.model.info_text("unit") == "某某市人民医院"
    assert result.totals["surgery"].total == 33


def test_bad_inputs_are_reported_with_their_cells(make_workbook):
    path = fill(
        make_workbook(example=True),
        {
            f"{T}!E8": "约80",  # surgery, February
            f"{T}!F8": "１２",  # full-width digits: accepted
            f"{T}!G6": " 1,288 ",  # thousands separator and spaces: accepted
            f"{T}!E9": "十二",
            f"{T}!L9": "12次",
            f"{T}!H7": -3,  # inpatient, May
            f"{T}!I13": 2.5,  # case discussions, a count
            f"{T}!D23": 120,  # satisfaction, a percentage
            f"{T}!J16": None,  # teaching rounds (required), July left empty
            f"{T}!K6": 12150,  # outpatient August: an extra digit
            f"{T}!A24": "unknown_thing",
            f"{T}!D24": 5,
            f"{T}!A25": "surgery",
            f"{T}!D26": 7,  # figures without a code
            f"{C}!A24": "Bad Code",
            f"{C}!A25": "surgery",
            f"{C}!A26": "new_one",
            f"{C}!B26": "新指标",
            f"{C}!F26": "乱写",
            f"{INFO}!B3": None,  # reporting unit
            f"{INFO}!B11": "abc",  # phone
            f"{N}!C6": "开展{不存在的指标}次，手术{手术例数|明年}例",
            f"{N}!C7": None,  # 存在不足, required
        },
    )
    result = check_workbook(path)
    assert found(result) == [
        ("error", "missing_field", INFO, "B3"),
        ("warning", "invalid_phone", INFO, "B11"),
        ("error", "invalid_code", C, "A24"),
        ("error", "duplicate_indicator", C, "A25"),
        ("warning", "missing_tally_row", C, "A26"),  # new_one has no row in 月度统计
        ("error", "missing_field", C, "D26"),
        ("error", "invalid_choice", C, "F26"),
        ("warning", "number_as_text", T, "G6"),
        ("warning", "outlier_month", T, "K6"),
        ("error", "negative", T, "H7"),
        ("error", "not_a_number", T, "E8"),
        ("warning", "number_as_text", T, "F8"),
        ("error", "not_a_number", T, "E9"),
        ("error", "not_a_number", T, "L9"),
        ("error", "fraction_in_count", T, "I13"),
        ("error", "missing_month", T, "J16"),
        ("error", "percent_out_of_range", T, "D23"),
        ("error", "unknown_indicator", T, "A24"),
        ("error", "duplicate_indicator", T, "A25"),
        ("error", "row_without_code", T, "A26"),
        ("error", "unknown_placeholder", N, "C6"),
        ("error", "bad_placeholder_option", N, "C6"),
        ("error", "narrative_missing", N, "C7"),
    ]
    by_cell = {(i.sheet, i.cell, i.code): i for i in result.issues}
    assert by_cell[(T, "E8", "not_a_number")].message() == (
        "“约80”不是数字：请只填写阿拉伯数字（例如80），不要加“约”“余”、单位或中文数字。"
    )
    assert by_cell[(T, "E8", "not_a_number")].indicator == "surgery"
    assert "12150" in by_cell[(T, "K6", "outlier_month")].message()
    assert by_cell[(T, "J16", "missing_month")].message() == (
        "必填指标“教学查房”缺少报告期（全年）内7月的数据；没有发生请填0。"
    )
    assert by_cell[(N, "C6", "unknown_placeholder")].params["name"] == "不存在的指标"
    assert "{手术例数|明年}" in by_cell[(N, "C6", "bad_placeholder_option")].message()
    assert by_cell[(INFO, "B3", "missing_field")].message("en") == "Reporting unit is empty."
    assert result.errors == 18 and result.warnings == 5

    totals = result.totals
    # surgery: "约80" in February is left out, "１２" in March counts as 12
    assert totals["surgery"].total == 33 - 1 - 3 + 12
    # outpatient: " 1,288 " in April read as 1288, the outlier still counts (a warning)
    assert totals["outpatient"].total == 15058 - 1215 + 12150
    assert totals["inpatient"].total == 445 - 40 - 3
    assert result.model.tallies.loc["surgery", "m3"] == 12


def test_blank_template_lists_what_is_missing(make_workbook):
    result = check_workbook(make_workbook())
    codes = {(i.code, i.cell) for i in result.issues if i.sheet == INFO}
    assert ("missing_field", "B3") in codes  # unit
    assert ("missing_field", "B5") in codes  # year
    # the period defaults to 全年, so every required indicator misses all twelve months
    missing = [i for i in result.issues if i.code == "missing_month"]
    assert {i.indicator for i in missing} == {
        "staff_on_site",
        "outpatient",
        "inpatient",
        "surgery",
        "new_technique",
        "case_discussion",
        "surgery_demo",
        "teaching_rounds",
        "lecture",
        "training_persons",
    }
    assert {i.cell for i in missing} >= {"D6:O6", "D8:O8"}
    assert all(i.params["months"].startswith("1月、2月") for i in missing)
    assert sum(i.code == "narrative_missing" for i in result.issues) == 5


@pytest.mark.parametrize(
    ("period", "start", "end", "expected"),
    [
        ("第三季度", None, None, (7, 9)),
        ("上半年", None, None, (1, 6)),
        ("自定义月份", 2, 10, (2, 10)),
        ("1-9月", None, None, (1, 9)),
    ],
)
def test_reporting_period(make_workbook, period, start, end, expected):
    path = fill(
        make_workbook(example=True), {f"{INFO}!B6": period, f"{INFO}!B7": start, f"{INFO}!B8": end}
    )
    result = check_workbook(path)
    assert (result.model.period.start, result.model.period.end) == expected
    surgery = [2, 1, 3, 3, 4, 3, 2, 3, 3, 4, 2, 3]
    assert result.totals["surgery"].total == sum(surgery[expected[0] - 1 : expected[1]])
    # months after the period hold figures: one warning per row, spanning those months
    late = [i for i in result.issues if i.code == "outside_period"]
    if expected[1] < 12:
        assert len(late) == 20
        first_late = "DEFGHIJKLMNO"[expected[1]]
        assert late[0].cell == f"{first_late}4:O4"
    else:
        assert late == []
    assert result.errors == 0


@pytest.mark.parametrize(
    ("cells", "code", "cell"),
    [
        (
            {f"{INFO}!B6": "自定义月份", f"{INFO}!B7": 9, f"{INFO}!B8": 3},
            "invalid_month_range",
            "B7:B8",
        ),
        (
            {f"{INFO}!B6": "自定义月份", f"{INFO}!B7": None, f"{INFO}!B8": 3},
            "invalid_month_range",
            "B7:B8",
        ),
        ({f"{INFO}!B6": "第五季度"}, "invalid_period", "B6"),
        ({f"{INFO}!B5": "二〇二三"}, "invalid_year", "B5"),
        ({f"{INFO}!B5": 23}, "invalid_year", "B5"),
    ],
)
def test_bad_info_fields(make_workbook, cells, code, cell):
    result = check_workbook(fill(make_workbook(example=True), cells))
    assert [(i.code, i.cell) for i in result.issues if i.is_error] == [(code, cell)]


def test_year_typed_as_text_is_accepted_with_a_warning(make_workbook):
    result = check_workbook(fill(make_workbook(example=True), {f"{INFO}!B5": "２０２３"}))
    assert result.model.year == 2023
    assert found(result) == [("warning", "number_as_text", INFO, "B5")]


def test_formula_in_an_input_cell(make_workbook, tmp_path: Path):
    # openpyxl saves formulas without a cached result: nothing can be trusted there
    result = check_workbook(fill(make_workbook(example=True), {f"{T}!D8": "=1+1"}))
    assert ("error", "formula_without_value", T, "D8") in found(result)
    assert result.totals["surgery"].total == 33 - 2


def test_placeholders_accept_names_codes_and_full_width_marks(make_workbook):
    path = fill(
        make_workbook(example=True),
        {
            f"{N}!C6": "手术{surgery}例，{手术例数｜同比}，{ 门诊人次 ：上年 }，{Operations|q1}，"
            "{{ 不是占位符 }}，{% raw %}，原样输出。",
        },
    )
    assert check_workbook(path).issues == []


def test_staff_can_add_an_indicator(make_workbook):
    path = fill(
        make_workbook(example=True),
        {
            f"{C}!A24": "remote_consults",
            f"{C}!B24": "远程会诊",
            f"{C}!C24": "Remote consults",
            f"{C}!D24": "例",
            f"{C}!E24": "医疗服务",
            f"{C}!F24": "求和",
            f"{C}!G24": "计数",
            f"{C}!H24": "否",
            f"{T}!A24": "remote_consults",
            f"{T}!D24": 3,
            f"{T}!E24": 4,
            f"{T}!P24": 5,
            f"{N}!C6": "开展远程会诊{远程会诊}例。",
        },
    )
    result = check_workbook(path)
    assert result.issues == []
    assert result.totals["remote_consults"].total == 7
    assert str(result.totals["remote_consults"].yoy_percent) == "40.0"
    assert list(result.model.tallies.index)[-1] == "remote_consults"


def test_english_workbook_reads_the_same(make_workbook):
    zh = check_workbook(make_workbook(example=True))
    en = check_workbook(make_workbook(example=True, lang="en"))
    assert en.model.lang == "en" and en.model.sheet_names["tally"] == "Monthly"
    assert en.issues == []
    assert en.totals.to_dict() == zh.totals.to_dict()
    bad = check_workbook(fill(make_workbook(example=True, lang="en"), {"Monthly!E8": "about 80"}))
    assert [(i.code, i.sheet, i.cell) for i in bad.issues] == [("not_a_number", "Monthly", "E8")]
    assert bad.issues[0].message("en").startswith("'about 80' is not a number")


def test_blank_looking_cells_count_as_missing(make_workbook):
    result = check_workbook(fill(make_workbook(example=True), {f"{T}!J16": "   ", f"{T}!K16": ""}))
    assert found(result) == [("error", "missing_month", T, "J16:K16")]


def test_unusual_cell_contents(make_workbook):
    path = fill(
        make_workbook(example=True),
        {
            f"{T}!E9": "#N/A",  # an error value
            f"{T}!F9": 1e30,  # a typo of absurd size
            f"{T}!G9": -0.0,  # signed zero is just zero
            f"{T}!H9": True,  # a boolean
            f"{T}!I9": "2023-05-01",  # text that is not a number
            f"{T}!E8": None,
            f"{T}!N8": None,  # two gaps in a required row
            f"{T}!D23": 0.962,  # "96.2%" typed into a percent-formatted cell
            f"{T}!D8": 1234567.5,  # a long decimal, shown as typed
        },
    )
    result = check_workbook(path)
    assert found(result) == [
        ("error", "fraction_in_count", T, "D8"),
        ("warning", "outlier_month", T, "D8"),
        ("error", "missing_month", T, "E8,N8"),
        ("error", "excel_error", T, "E9"),
        ("error", "too_large", T, "F9"),
        ("error", "not_a_number", T, "H9"),
        ("error", "not_a_number", T, "I9"),
        ("warning", "percent_as_fraction", T, "D23"),
    ]
    by = {(i.code, i.cell): i for i in result.issues}
    assert by[("fraction_in_count", "D8")].message().endswith("填写的是1234567.5。")
    assert by[("missing_month", "E8,N8")].params["months"] == "2月、11月"
    assert (
        by[("excel_error", "E9")].message() == "单元格是错误值“#N/A”（公式出错），请改为实际数字。"
    )
    assert by[("not_a_number", "H9")].params["value"] == "TRUE"
    # critical care was [1, 0, 2, 1, 1, 0, ...] = 11: March (2) and May (1) unreadable now,
    # April (1) became -0.0, read as 0
    totals = result.totals["critical_care"]
    assert totals.total == 11 - 2 - 1 - 1
    assert str(totals.months[3]) == "0.0"


def test_period_typed_as_text_and_ignored_months(make_workbook):
    typed = check_workbook(fill(make_workbook(example=True), {f"{INFO}!B6": "１-９月"}))
    assert (typed.model.period.start, typed.model.period.end) == (1, 9)
    assert ("warning", "period_as_text", INFO, "B6") in found(typed)
    ignored = check_workbook(fill(make_workbook(example=True), {f"{INFO}!B8": 6}))
    assert found(ignored) == [("warning", "months_ignored", INFO, "B8")]
    assert ignored.model.period.kind == "year"
