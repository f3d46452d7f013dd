"""Files that are not a readable standardized workbook: one clear error each, by type."""

from __future__ import annotations

from pathlib import Path

import docx
import msoffcrypto.format.ooxml
import openpyxl
import pytest

from tests.conftest import libreoffice_convert, rewrite_zip
from xlsummary import errors
from xlsummary.check import check_workbook


def test_missing_file(tmp_path: Path):
    with pytest.raises(errors.WorkbookNotFound, match="找不到文件"):
        check_workbook(tmp_path / "不存在.xlsx")
    with pytest.raises(errors.UnreadableFile, match="文件夹"):
        check_workbook(tmp_path)


def test_text_file_renamed(tmp_path: Path):
    path = tmp_path / "data.xlsx"
    path.write_text("代码,1月\nsurgery,3\n", encoding="utf-8")
    with pytest.raises(errors.NotAnXlsxFile, match="不是Excel工作簿"):
        check_workbook(path)


def test_word_document(tmp_path: Path):
    path = tmp_path / "report.xlsx"
    document = docx.Document()
    document.add_paragraph("工作总结")
    document.save(path)
    with pytest.raises(errors.NotAnXlsxFile, match="Word文档"):
        check_workbook(path)


def test_truncated_workbook(make_workbook, tmp_path: Path):
    data = make_workbook(example=True).read_bytes()
    path = tmp_path / "broken.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(errors.CorruptWorkbook, match="损坏"):
        check_workbook(path)


def test_corrupt_sheet_xml(make_workbook, tmp_path: Path):
    source = make_workbook(example=True)
    path = rewrite_zip(
        source,
        tmp_path / "bad-xml.xlsx",
        {"xl/worksheets/sheet4.xml": lambda xml: xml[: len(xml) // 2]},
    )
    with pytest.raises(errors.CorruptWorkbook):
        check_workbook(path)


def test_password_protected(make_workbook, tmp_path: Path):
    path = tmp_path / "locked.xlsx"
    with make_workbook(example=True).open("rb") as plain, path.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("secret", out)
    with pytest.raises(errors.EncryptedWorkbook, match="密码") as info:
        check_workbook(path)
    assert "password" in info.value.message("en")


def test_some_other_workbook(tmp_path: Path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "手术例数"
    wb.save(path)
    with pytest.raises(errors.NotStandardWorkbook, match="不是xlsummary标准统计表"):
        check_workbook(path)


def test_deleted_header(make_workbook):
    path = make_workbook(example=True)
    wb = openpyxl.load_workbook(path)
    wb["月度统计"]["D3"] = "一月份"
    wb.save(path)
    with pytest.raises(errors.NotStandardWorkbook, match="“1月”列标题"):
        check_workbook(path)


@pytest.mark.slow
def test_legacy_xls(make_workbook, tmp_path: Path):
    xls = libreoffice_convert(
        make_workbook(example=True), tmp_path / "xls", "xls", tmp_path / "lo-profile"
    )
    with pytest.raises(errors.NotAnXlsxFile, match=r"旧版\.xls"):
        check_workbook(xls)


def test_a_stray_cell_far_away(make_workbook, tmp_path: Path):
    """One cell at XFD1048576 would make a dense reader allocate hundreds of GB."""
    source = make_workbook(example=True)
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    path = rewrite_zip(
        source,
        tmp_path / "far.xlsx",
        {"xl/worksheets/sheet2.xml": lambda xml: xml.replace(b"</sheetData>", far)},
    )
    with pytest.raises(errors.WorkbookTooLarge, match="范围过大"):
        check_workbook(path)
