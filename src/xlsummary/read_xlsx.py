"""Read an .xlsx file into :class:`~xlsummary.grids.WorkbookGrids`, without Excel.

Values come from python-calamine (Rust, MIT): it parses a workbook several times
faster than openpyxl and maps shared strings, inline strings, booleans and
date-formatted numbers to Python values the same way for files saved by Excel,
LibreOffice or WPS. Three things calamine does not give are read here from the zip
directly: the defined names (``xl/workbook.xml``); which tally cells hold formulas,
because an input cell holding a formula must be reported, not silently read as its
cached value or as empty; and error values such as ``#DIV/0!``, which calamine 0.9
returns as empty strings and which must instead be reported as "not a number".

Everything that makes a file unreadable becomes one specific
:class:`~xlsummary.errors.WorkbookError` with a sentence staff can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from xlsummary.errors import (
    CorruptWorkbook,
    EncryptedWorkbook,
    NotAnXlsxFile,
    NotStandardWorkbook,
    WorkbookNotFound,
    WorkbookTooLarge,
)
from xlsummary.grids import Grid, NameTarget, WorkbookGrids, column_index, parse_reference
from xlsummary.workbook_layout import (
    NAME_SCHEMA,
    NAME_TALLY,
    TALLY_COLUMNS,
    column_letter,
    header_lookup,
    normalize_header,
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Excel, LibreOffice, WPS and openpyxl write `<c r="D5" ...><f>`; the literal start keeps
# the scan at a few ms per MB. Producers that prefix the namespace (`<x:c>`) get the
# general pattern.
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*><f[ >/]')
_FORMULA_CELL_ANY = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]{1,3})([0-9]+)"[^>]*?(?<!/)>\s*<(?:\w+:)?f\b'
)
_PREFIXED = re.compile(rb"<\w+:c ")
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]{1,3})([0-9]+)"[^>]*?\bt="e"[^>]*>(.*?)</(?:\w+:)?c>', re.S
)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def read_grids(path: str | Path) -> WorkbookGrids:
    """Read the sheets our defined names point at as grids."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise WorkbookNotFound(
            str(path), f"找不到文件：{path}", f"File not found: {path}"
        ) from None
    except IsADirectoryError:
        raise WorkbookNotFound(
            str(path), f"这是一个文件夹，不是工作簿：{path}", f"This is a folder: {path}"
        ) from None
    except PermissionError:
        raise WorkbookNotFound(
            str(path), f"没有权限读取文件：{path}", f"No permission to read: {path}"
        ) from None
    return read_grids_from_bytes(data, str(path))


def read_grids_from_bytes(data: bytes, source: str = "") -> WorkbookGrids:
    _sniff(data, source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names, sheet_parts = _workbook_parts(archive, source)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, EOFError, OSError):
        raise CorruptWorkbook(
            source,
            f"文件已损坏，无法打开：{source}。请用 Excel 打开后另存为 .xlsx 再试。",
            f"The file is damaged and cannot be opened: {source}.",
        ) from None
    if NAME_SCHEMA not in names:
        raise NotStandardWorkbook(
            source,
            f"这不是 xlsummary 标准统计表：{source}。请用 “xlsummary new” 生成的模板填写。",
            f"This is not an xlsummary workbook: {source}. Start from a template made by "
            "'xlsummary new'.",
        )
    wanted = tuple(dict.fromkeys(t.sheet for t in names.values()))
    tally = names.get(NAME_TALLY)
    grids: dict[str, Grid] = {}
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        for sheet in wanted:
            if sheet not in sheet_parts:
                continue
            xml = archive.read(sheet_parts[sheet])
            _check_extent(xml, sheet, source)
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            _restore_errors(rows, xml)
            formulas: frozenset[tuple[int, int]] = frozenset()
            if tally is not None and sheet == tally.sheet:
                formulas = _formula_cells(xml, _input_letters(rows, tally))
            grids[sheet] = Grid(sheet, rows, formulas)
    except (python_calamine.CalamineError, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise CorruptWorkbook(
            source,
            f"文件已损坏，无法读取工作表内容：{source}。",
            f"The file is damaged; its sheets cannot be read: {source}.",
        ) from None
    return WorkbookGrids(grids, names, source)


#: The largest sheet a standardized workbook can sensibly have. calamine holds a sheet
#: as a dense rectangle up to its farthest cell, so one stray cell at XFD1048576 in a
#: 25 KB file would ask for hundreds of GB: the farthest cell is found first.
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# only rows numbered 10000 and beyond, and cells in columns AA and beyond, can matter,
# and both are rare in our sheets: patterns with a literal start that seldom match keep
# this a cheap scan even of a large tally (rows may come in any order in a hostile file)
_BIG_ROW = re.compile(rb'<row r="([0-9]{5,})"')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})[0-9]')
_BIG_ROW_ANY = re.compile(rb'<(?:\w+:)?row r="([0-9]{5,})"')
_WIDE_CELL_ANY = re.compile(rb'<(?:\w+:)?c r="([A-Z]{2,3})[0-9]')


def _check_extent(xml: bytes, sheet: str, source: str) -> None:
    prefixed = _PREFIXED.search(xml, 0, 4096) is not None
    big_rows = (_BIG_ROW_ANY if prefixed else _BIG_ROW).findall(xml)
    wide = (_WIDE_CELL_ANY if prefixed else _WIDE_CELL).findall(xml)
    rows = max((int(n) for n in big_rows), default=0)
    cols = max((column_index(c.decode()) + 1 for c in wide), default=0)
    if rows > MAX_ROWS or cols > MAX_COLUMNS:
        raise WorkbookTooLarge(
            source,
            f"工作表“{sheet}”的范围过大（到第 {rows} 行、第 {cols} 列），请删除远处多余的内容后再试。",
            f"Sheet {sheet!r} extends too far (row {rows}, column {cols}): delete stray "
            "content far from the tables.",
        )


def _sniff(data: bytes, source: str) -> None:
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedWorkbook(
                source,
                f"工作簿设置了打开密码，无法读取：{source}。请在 Excel 中取消密码（文件→信息→保护工作簿）后再试。",
                f"The workbook is password-protected: {source}. Remove the password and retry.",
            )
        raise NotAnXlsxFile(
            source,
            f"这是旧版 .xls 文件：{source}。请在 Excel 中“另存为” .xlsx 格式后再试。",
            f"This is a legacy .xls file: {source}. Save it as .xlsx and retry.",
        )
    if not data.startswith(_ZIP_MAGIC):
        raise NotAnXlsxFile(
            source,
            f"这不是 Excel 工作簿（.xlsx）文件：{source}。",
            f"This is not an Excel workbook (.xlsx): {source}.",
        )


def _workbook_parts(
    archive: zipfile.ZipFile, source: str
) -> tuple[dict[str, NameTarget], dict[str, str]]:
    """Defined names (workbook-global, range-valued) and sheet name -> part path."""
    members = set(archive.namelist())
    if "xl/workbook.xml" not in members:
        kind_zh, kind_en = (
            ("Word 文档", "a Word document")
            if "word/document.xml" in members
            else ("压缩包", "a zip archive")
        )
        raise NotAnXlsxFile(
            source,
            f"这是{kind_zh}，不是 Excel 工作簿：{source}。",
            f"This is {kind_en}, not an Excel workbook: {source}.",
        )
    root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    names: dict[str, NameTarget] = {}
    for node in root.iter(f"{_NS_MAIN}definedName"):
        if node.get("localSheetId") is not None or not node.text:
            continue
        target = parse_reference(node.text)
        if target is not None:
            names[node.get("name", "")] = target
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    parts: dict[str, str] = {}
    for sheet in root.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        if target:
            part = (
                target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            )
            parts[sheet.get("name", "")] = part
    return names, parts


def _input_letters(rows: list[list[object]], header: NameTarget) -> set[bytes]:
    """Column letters of the tally's input columns (code, months, prior), found by
    header text like the model does. Only these matter: a formula there stands where
    staff should have typed a figure; the computed columns are formulas by design."""
    inputs = {c.key for c in TALLY_COLUMNS if c.is_input}
    lookup = header_lookup(TALLY_COLUMNS)
    line = rows[header.row] if header.row < len(rows) else []
    return {
        column_letter(c).encode()
        for c, text in enumerate(line)
        if lookup.get(normalize_header(text)) in inputs
    }


def _formula_cells(xml: bytes, letters: set[bytes]) -> frozenset[tuple[int, int]]:
    """(row, col) of the formula cells in the given columns of a sheet."""
    pattern = _FORMULA_CELL_ANY if _PREFIXED.search(xml, 0, 4096) else _FORMULA_CELL
    return frozenset(
        (int(row) - 1, column_index(col.decode()))
        for col, row in pattern.findall(xml)
        if col in letters
    )


def _restore_errors(rows: list[list[object]], xml: bytes) -> None:
    """Put error values (``#DIV/0!``, ``#N/A``...) back where calamine left ""."""
    if b't="e"' not in xml:
        return
    for col, row, body in _ERROR_CELL.findall(xml):
        value = _VALUE.search(body)
        r, c = int(row) - 1, column_index(col.decode())
        while len(rows) <= r:
            rows.append([])
        line = rows[r]
        if len(line) <= c:
            line.extend([""] * (c + 1 - len(line)))
        line[c] = value.group(1).decode() if value else "#VALUE!"
