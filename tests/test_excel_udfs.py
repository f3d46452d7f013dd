"""The Excel functions, called with what Excel would pass them, agree with
``xlsummary check --json`` on the same workbook."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import fill
from xlsummary.excel.udfs import XLS_FIGURE, XLS_ISSUES, XLS_STATUS, XLS_TOTALS, XLS_YOY


def excel_values(path: Path, sheet: str, ref: str) -> list[list[object]]:
    """A range's values as Excel hands them to a function: numbers as floats."""
    rows = openpyxl.load_workbook(path)[sheet][ref]
    return [[float(c.value) if type(c.value) is int else c.value for c in row] for row in rows]


def ranges(path: Path) -> dict[str, list[list[object]]]:
    return {
        "tally": excel_values(path, "月度统计", "A3:P33"),
        "catalogue": excel_values(path, "指标", "A3:I60"),
        "info": excel_values(path, "基本信息", "B3:B12"),
        "narrative": excel_values(path, "叙述", "A3:D11"),
    }


def check_json(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", "check", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(out.stdout)


@pytest.fixture
def bad_workbook(make_workbook) -> Path:
    return fill(
        make_workbook(example=True),
        {
            "月度统计!E8": "约80",
            "月度统计!F8": "１２",
            "月度统计!H7": -3,
            "月度统计!J16": None,
            "月度统计!A24": "unknown_thing",
            "月度统计!D24": 5,
            "基本信息!B11": "abc",
            "叙述!C6": "开展{不存在的指标}次",
        },
    )


def test_totals_and_yoy_match_check(bad_workbook):
    r = ranges(bad_workbook)
    expected = check_json(bad_workbook)["totals"]["indicators"]
    totals = XLS_TOTALS(r["tally"], r["catalogue"], 1.0, 12.0, 3.0, 3.0)
    yoy = XLS_YOY(r["tally"], r["catalogue"], 1.0, 12.0, 3.0, 3.0)
    codes = [row[0] for row in r["tally"][1:]]
    assert len(totals) == len(codes) == 30
    for code, (total,), (change,) in zip(codes, totals, yoy, strict=True):
        if code in expected:
            assert total == (expected[code]["total"] if expected[code]["total"] is not None else "")
            if expected[code]["yoy_percent"] is not None:
                assert change == pytest.approx(expected[code]["yoy_percent"] / 100)
        else:  # reserved rows and the unknown code
            assert total == ""
    assert totals[4] == [33 - 1 - 3 + 12]  # surgery: "约80" out, "１２" in


def test_issues_match_check(bad_workbook):
    r = ranges(bad_workbook)
    table = XLS_ISSUES(
        r["tally"], r["catalogue"], 1.0, 12.0, 3.0, 3.0, r["info"], r["narrative"], 3.0
    )
    expected = [
        ["错误" if i["severity"] == "error" else "警告", i["sheet"], i["cell"], i["message"]]
        for i in check_json(bad_workbook)["issues"]
    ]
    assert table[0] == ["级别", "工作表", "单元格", "问题"]
    assert table[1:] == expected
    assert [
        "错误",
        "月度统计",
        "E8",
        "“约80”不是数字：请只填写阿拉伯数字（例如80），不要加“约”“余”、单位或中文数字。",
    ] in table


def test_status_per_row(bad_workbook):
    r = ranges(bad_workbook)
    status = [row[0] for row in XLS_STATUS(r["tally"], r["catalogue"], 1.0, 12.0, 3.0, 3.0)]
    assert status[0] == "✓ 完整"
    assert status[3].startswith("错误 H7：")  # inpatient: negative
    assert status[4].startswith("错误 E8：“约80”")  # surgery: the error before the warning
    assert status[12].startswith("错误 J16：")  # teaching rounds: July missing
    assert status[20].startswith("错误 A24：代码“unknown_thing”")
    assert status[21:] == [""] * 9


def test_rows_inserted_above_keep_the_cells_right(make_workbook):
    path = fill(make_workbook(example=True), {"月度统计!E8": "约80"})
    r = ranges(path)
    # as if two rows had been inserted above the table: the header is now on row 5
    table = XLS_ISSUES(r["tally"], r["catalogue"], 1.0, 12.0, 5.0, 3.0)
    assert table[1][:3] == ["错误", "月度统计", "E10"]


def test_whatever_excel_passes(make_workbook):
    r = ranges(make_workbook(example=True))
    tally = [row[:] for row in r["tally"]]
    tally[5][4] = True  # a boolean
    tally[5][5] = dt.datetime(2023, 3, 1)  # a number Excel turned into a date
    tally[5][6] = "#N/A"  # an error value (err_to_str=True)
    tally[5][7] = "1,234"  # text that is a number
    table = XLS_ISSUES(tally, r["catalogue"], 1.0, 12.0, 3.0, 3.0)
    assert [row[:3] for row in table[1:5]] == [
        ["错误", "月度统计", "E8"],
        ["错误", "月度统计", "F8"],
        ["错误", "月度统计", "G8"],
        ["警告", "月度统计", "H8"],
    ]
    # a single cell instead of a table, an empty catalogue: a message, never a traceback
    assert XLS_TOTALS(5.0, None)[0][0].startswith("#xlsummary: ")
    assert XLS_ISSUES(r["tally"], None) == [
        ["#xlsummary: 工作表“指标”第3行缺少“代码”列标题，请不要修改或删除表头。"]
    ]
    only_header = r["catalogue"][:1]
    assert XLS_ISSUES(r["tally"], only_header)[1][3] == "指标表中没有任何指标。"
    # a period month that is not one is said, not silently taken as the full year
    assert XLS_TOTALS(r["tally"], r["catalogue"], "x", None) == [
        ["#xlsummary: 报告期起始月应为1到12的整数，收到的是“x”。"]
    ]
    # a header row that is no row number falls back to the layout's; huge ones too
    assert XLS_TOTALS(r["tally"], r["catalogue"], 1.0, 12.0, 1e12, True)[4] == [33]


def test_one_figure(make_workbook):
    r = ranges(make_workbook(example=True))
    args = (r["tally"], r["catalogue"], 1.0, 12.0)
    assert XLS_FIGURE("手术例数", "", *args) == 33
    assert XLS_FIGURE("surgery", "第一季度", *args) == 6
    assert XLS_FIGURE("Operations", "3月", *args) == 3
    assert XLS_FIGURE("手术例数", "同比", *args) == "增长17.9%"
    assert XLS_FIGURE("手术例数", "上年", *args) == 28
    assert XLS_FIGURE("不存在", "", *args).startswith("#xlsummary: 没有名为")


def test_runs_without_any_licensed_xlwings_part(tmp_path: Path):
    """Only xlwings' BSD part: no PRO import in our code, and no licence key needed."""
    source = (Path(__file__).resolve().parents[1] / "src" / "xlsummary").rglob("*.py")
    assert not [
        p for p in source if "xlwings.pro" in p.read_text() or "import pro" in p.read_text()
    ]
    env = {k: v for k, v in __import__("os").environ.items() if "XLWINGS" not in k}
    code = (
        "from xlsummary.excel.udfs import XLS_TOTALS; "
        "print(XLS_TOTALS([['代码','指标名称','单位']+[f'{m}月' for m in range(1,13)]"
        "+['上年同期'],['x','','',1.0]], [['代码','名称','英文名称','单位','类别','汇总方式',"
        "'类型','必填','说明'],['x','X','X','次','','求和','计数','否','']]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[[1.0]]"


def test_issue_table_fits_its_array_formula(bad_workbook):
    r = ranges(bad_workbook)
    full = XLS_ISSUES(r["tally"], r["catalogue"], 1.0, 12.0, 3.0, 3.0)
    padded = XLS_ISSUES(r["tally"], r["catalogue"], 1.0, 12.0, 3.0, 3.0, None, None, 3.0, 30.0)
    assert len(padded) == 30 and padded[: len(full)] == full
    assert padded[-1] == ["", "", "", ""]  # blanks, never #N/A
    cut = XLS_ISSUES(r["tally"], r["catalogue"], 1.0, 12.0, 3.0, 3.0, None, None, 3.0, 3.0)
    assert len(cut) == 3 and cut[-1][3] == f"……另有{len(full) - 2}个问题，请运行“xlsummary check”"


def test_english_workbook_gets_english_results(make_workbook):
    path = fill(make_workbook(example=True, lang="en"), {"Monthly!E8": "about 80"})
    tally = excel_values(path, "Monthly", "A3:P33")
    catalogue = excel_values(path, "Indicators", "A3:I60")
    table = XLS_ISSUES(tally, catalogue, 1.0, 12.0)
    assert table[0] == ["Level", "Sheet", "Cell", "Problem"]
    assert table[1][:3] == ["error", "Monthly", "E8"]
    assert table[1][3].startswith("'about 80' is not a number")
    assert XLS_STATUS(tally, catalogue, 1.0, 12.0)[0] == ["✓ complete"]
