"""The ribbon add-in: built from xlwings' own, its VBA checked with oletools, and its
``main()`` run against a real xlwings Book.

``main()`` is exercised on xlwings' remote-interpreter Book built from a real filled
workbook (tests/excel_books.py).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
import python_calamine
import xlwings as xw
from oletools.olevba import VBA_Parser

from tests.conftest import fill, libreoffice_convert
from tests.excel_books import plain_book, remote_book
from xlsummary.excel.build_addin import (
    ADDIN_NAME,
    build_addin,
    shipped_addin,
    xlwings_version_of,
)

CUSTOM_UI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"


def vba_modules(data: bytes) -> dict[str, str]:
    parser = VBA_Parser(ADDIN_NAME, data=data)
    return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}


def test_committed_addin_is_the_build_output():
    assert shipped_addin().read_bytes() == build_addin(), "run python scripts/build_addin.py"


def test_ribbon_and_vba():
    data = shipped_addin().read_bytes()
    modules = vba_modules(data)
    assert {"RibbonMyAddin", "xlwings", "Dictionary", "ThisWorkbook"} <= set(modules)
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in modules["RibbonMyAddin"]
    assert f'XLWINGS_VERSION As String = "{xw.__version__}"' in modules["xlwings"]
    ui = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("customUI/customUI.xml"))
    tab = ui.find(f".//{CUSTOM_UI_NS}tab")
    button = ui.find(f".//{CUSTOM_UI_NS}button")
    assert tab.get("label") == "工作总结" and button.get("label") == "生成报告"
    assert button.get("size") == "large" and "Word工作总结" in button.get("screentip")
    for element in ui.iter():
        action = element.get("onAction")
        if action:
            module, _, sub = action.partition(".")
            assert f"Sub {sub}(" in modules[module], action
    # the file name is the module RunMain imports: `import xlsummary; xlsummary.main()`
    import xlsummary

    assert ADDIN_NAME == "xlsummary.xlam" and callable(xlsummary.main)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    # the settings every unit shares; no workbook folder on sys.path (OneDrive URLs
    # fail there, and a stray .py beside a workbook would shadow our modules)
    assert book.get_sheet_by_name("myaddin.conf").to_python() == [
        ["UDF MODULES", "xlsummary.excel.udfs"],
        ["ADD_WORKBOOK_TO_PYTHONPATH", "False"],
    ]


def test_xlwings_is_pinned_to_the_version_the_add_in_carries():
    """The VBA names xlwings64-<version>.dll and xlwings-<version>.applescript: any other
    xlwings breaks every install, so the dependency is that version exactly, and the
    add-in says which one it is in a property install and status read."""
    import tomllib

    modules = vba_modules(shipped_addin().read_bytes())
    version = xlwings_version_of(shipped_addin().read_bytes())
    assert f'XLWINGS_VERSION As String = "{version}"' in modules["xlwings"]
    assert f'"xlwings64-{version}.dll"' in modules["xlwings"]
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert f"xlwings=={version}" in pyproject["project"]["dependencies"]


def actions(book) -> list[dict]:
    return book.json()["actions"]


def test_main_writes_the_report_for_a_clean_workbook(make_workbook, remote):
    from xlsummary.excel.addin import main

    book = remote_book(make_workbook(example=True))
    path = main(book)
    assert path == remote / "某某市人民医院2023年对口支援工作总结.docx"
    assert docx.Document(path).paragraphs[0].text == "某某市人民医院2023年对口支援工作总结"
    done = actions(book)
    assert done[-1]["func"] == "alert" and str(path) in done[-1]["args"][0]
    written = [a for a in done if a["func"] == "setValues"]
    assert ["", "", "", "未发现问题。"] in written[0]["values"]
    # a second click never overwrites the first report
    assert main(remote_book(make_workbook(example=True))).name.endswith(" (2).docx")


def test_main_lists_errors_marks_cells_and_offers_a_draft(make_workbook, remote):
    from xlsummary.excel.addin import MARK, main

    path = fill(make_workbook(example=True), {"月度统计!E8": "约80", "月度统计!H7": -3})
    book = remote_book(path)
    assert main(book) is None  # the message box was not answered "yes": no report
    done = actions(book)
    alert = [a for a in done if a["func"] == "alert"][-1]
    assert "统计表有2个错误" in alert["args"][0] and "月度统计!E8" in alert["args"][0]
    assert alert["args"][2] == "yes_no"
    table = next(a for a in done if a["func"] == "setValues")["values"]
    assert table[0] == ["级别", "工作表", "单元格", "问题"]
    assert [row[:3] for row in table[1:]] == [
        ["错误", "月度统计", "H7"],
        ["错误", "月度统计", "E8"],
    ]
    links = [a["values"][0][0] for a in done if a["func"] == "setFormula"]
    assert links == ['=HYPERLINK("#\'月度统计\'!H7","H7")', '=HYPERLINK("#\'月度统计\'!E8","E8")']
    colours = [a for a in done if a["func"] == "setRangeColor"]
    assert len(colours) == 2 and all(
        a["args"][0] == "#{:02x}{:02x}{:02x}".format(*MARK) for a in colours
    )
    assert list(remote.iterdir()) == []
    draft = main(remote_book(path), draft=True)
    assert draft.name == "某某市人民医院2023年对口支援工作总结（草稿）.docx"
    assert docx.Document(draft).sections[0].header.paragraphs[0].text == "草 稿"


def test_main_leaves_other_workbooks_alone(tmp_path, remote):
    import openpyxl

    from xlsummary.excel.addin import main

    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "手术例数"
    wb.save(other)
    book = plain_book("other.xlsx", [["手术例数"]])
    assert main(book) is None
    done = actions(book)
    assert [a["func"] for a in done] == ["alert"]
    assert done[0]["args"][0].startswith("这不是xlsummary标准统计表，未做任何修改。")


def test_onedrive_workbook_reports_into_the_synced_folder(
    make_workbook, remote, tmp_path, monkeypatch
):
    from xlsummary.excel.addin import main

    synced = tmp_path / "OneDrive - 某某医院"
    (synced / "文档" / "统计").mkdir(parents=True)
    monkeypatch.setenv("ONEDRIVE", str(synced))
    url = "https://d.docs.live.net/4a1b/%E6%96%87%E6%A1%A3/%E7%BB%9F%E8%AE%A1/统计表.xlsx"
    path = main(remote_book(make_workbook(example=True), name=url))
    assert path.parent == synced / "文档" / "统计"


def test_vba_wrappers_match_the_functions():
    from xlsummary.excel.vba_wrappers import _COM_MODULES, generate_bas, shipped_bas

    decorators = (xw.func, xw.arg, xw.ret)
    modules = {name: sys.modules.get(name) for name in (*_COM_MODULES, "xlwings.udfs")}
    text = generate_bas()
    assert shipped_bas().read_bytes() == text.encode("utf-8"), "run python scripts/build_addin.py"
    for name in ("XLS_TOTALS", "XLS_YOY", "XLS_STATUS", "XLS_ISSUES", "XLS_FIGURE"):
        assert f"Function {name}(tally, catalogue" in text or f"Function {name}(indicator" in text
        assert f'XLPy.CallUDF("xlsummary.excel.udfs", "{name}"' in text
    # the generator borrowed xlwings' real decorators and stand-ins for the COM
    # modules: all put back as they were
    assert (xw.func, xw.arg, xw.ret) == decorators
    assert {name: sys.modules.get(name) for name in modules} == modules


def test_fixed_cells_lose_their_mark_on_the_next_click(make_workbook, remote):
    from xlsummary.excel.addin import INPUT, MARK, main

    book = remote_book(fill(make_workbook(example=True), {"月度统计!E8": "约80"}))
    assert main(book) is None
    first = actions(book)
    marker = [a["values"] for a in first if a["func"] == "setValues"][-1]
    assert marker == [["月度统计!E8"]]  # remembered in 校验结果!F1 with the workbook
    assert [a["args"][0] for a in first if a["func"] == "setRangeColor"] == [
        "#{:02x}{:02x}{:02x}".format(*MARK)
    ]
    # E8 fixed; the workbook (as saved from Excel) still holds the marker
    fixed = fill(make_workbook(example=True), {"校验结果!F1": marker[0][0]})
    book = remote_book(fixed)
    assert main(book) is not None  # no errors left: the report is written
    assert [a["args"][0] for a in actions(book) if a["func"] == "setRangeColor"] == [
        "#{:02x}{:02x}{:02x}".format(*INPUT)
    ]


@pytest.mark.slow
def test_a_formula_in_an_input_cell_is_reported_as_check_reports_it(make_workbook, remote):
    """The button reads the formulas of the tally too: a formula typed where a figure
    belongs is the same warning (with its result counted) as from the file. The file is
    calculated by LibreOffice, so that it holds the result Excel would show."""
    from xlsummary.check import check_workbook
    from xlsummary.excel.addin import grids_from_book
    from xlsummary.report import check_source

    path = fill(make_workbook(example=True), {"月度统计!E9": "=1+1"})
    saved = libreoffice_convert(path, path.parent / "calc", "xlsx", path.parent / "lo")
    from_file = check_workbook(saved)
    from_excel = check_source(grids_from_book(remote_book(saved)))
    found = [(i.code, i.cell) for i in from_excel.issues]
    assert found == [(i.code, i.cell) for i in from_file.issues]
    assert ("formula_in_input", "E9") in found
    assert from_excel.totals.to_dict() == from_file.totals.to_dict()
