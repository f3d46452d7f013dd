"""Read an .xlsx file into :class:`~xlsummary.grids.WorkbookGrids`, without Excel.

Values come from python-calamine (Rust, MIT): it parses a workbook several times
faster than openpyxl and maps shared strings, inline strings, booleans and
date-formatted numbers to Python values the same way for files saved by Excel,
LibreOffice or WPS. It is also trusting: it allocates a sheet as a dense rectangle up
to its farthest cell, and reserves room for as many shared strings as the file
declares, and a Rust allocation failure aborts the process. So calamine never sees a
file as it arrives:

1. the file is read as a regular file, within its size limit (``input_files``);
2. its zip is inflated member by member, counting the real bytes (``office_zip``);
3. the sheets calamine will read are scanned for their extent and cell count, and the
   shared-string table for its declared size (``sheet_scan``);
4. calamine reads a new, uncompressed zip holding only the measured parts it needs.

The scan also gives what calamine does not: which input cells hold formulas (a
formula where staff should type a figure must be reported, not silently read as its
cached value) and error values such as ``#DIV/0!``, which calamine returns as "". The
defined names are read from ``xl/workbook.xml`` here too.

Everything that makes a file unreadable becomes one specific
:class:`~xlsummary.errors.FileError` with a sentence staff can act on.
"""

from __future__ import annotations

import io
from pathlib import Path, PurePosixPath

from xlsummary.errors import (
    CorruptWorkbook,
    EncryptedWorkbook,
    NotAnXlsxFile,
    NotStandardWorkbook,
    WorkbookTooLarge,
)
from xlsummary.grids import Grid, NameTarget, WorkbookGrids, parse_reference
from xlsummary.input_files import read_input
from xlsummary.limits import DEFAULT, Limits
from xlsummary.office_zip import Package, read_package, stored_zip
from xlsummary.sheet_scan import SheetScan, scan_sheet
from xlsummary.workbook_layout import (
    NAME_SCHEMA,
    NAME_TALLY,
    TALLY_COLUMNS,
    header_lookup,
    normalize_header,
)
from xlsummary.xml_safety import XmlProblem, make_parser, parse

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
# what calamine reads besides the sheets it is asked for
_CALAMINE_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    _WORKBOOK,
    _WORKBOOK_RELS,
    "xl/styles.xml",
    "xl/sharedStrings.xml",
)


def read_grids(path: str | Path, limits: Limits = DEFAULT) -> WorkbookGrids:
    """Read the sheets our defined names point at as grids."""
    return read_grids_from_bytes(read_input(path, "workbook", limits), str(path), limits)


def read_grids_from_bytes(data: bytes, source: str = "", limits: Limits = DEFAULT) -> WorkbookGrids:
    _sniff(data, source)
    package = read_package(
        data, source, kind="workbook", limits=limits, keep=lambda n: n.endswith((".xml", ".rels"))
    )
    names, sheet_parts = _workbook_parts(package, source)
    if NAME_SCHEMA not in names:
        raise NotStandardWorkbook(
            source,
            f"这不是 xlsummary 标准统计表：{source}。请用 “xlsummary new” 生成的模板填写。",
            f"This is not an xlsummary workbook: {source}. Start from a template made by "
            "'xlsummary new'.",
        )
    wanted = [
        sheet
        for sheet in dict.fromkeys(t.sheet for t in names.values())
        if sheet_parts.get(sheet) in package.members
    ]
    _check_shared_strings(package.members.get("xl/sharedStrings.xml"), source, limits)
    tally = names.get(NAME_TALLY)
    scans = {
        sheet: scan_sheet(
            package.members[sheet_parts[sheet]],
            sheet,
            source,
            limits,
            formulas=tally is not None and sheet == tally.sheet,
        )
        for sheet in wanted
    }
    feed = stored_zip(
        (name, package.members[name])
        for name in dict.fromkeys([*_CALAMINE_PARTS, *(sheet_parts[s] for s in wanted)])
        if name in package.members
    )
    grids: dict[str, Grid] = {}
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(feed))
        for sheet in wanted:
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            scan = scans[sheet]
            _restore_errors(rows, scan)
            formulas: frozenset[tuple[int, int]] = frozenset()
            if tally is not None and sheet == tally.sheet:
                formulas = scan.formulas_in(_input_columns(rows, tally))
            grids[sheet] = Grid(sheet, rows, formulas)
    except (python_calamine.CalamineError, OSError, ValueError, KeyError):
        raise CorruptWorkbook(
            source,
            f"文件已损坏，无法读取工作表内容：{source}。",
            f"The file is damaged; its sheets cannot be read: {source}.",
        ) from None
    return WorkbookGrids(grids, names, source)


def _check_shared_strings(xml: bytes | None, source: str, limits: Limits) -> None:
    """calamine reserves room for the declared count of shared strings first."""
    if not xml:
        return

    class Found(Exception):
        pass

    declared = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal declared
        if name.rpartition(":")[2] == "sst":
            count = attrs.get("uniqueCount", "").strip()
            declared = int(count) if count.isdigit() else 0
            raise Found

    parser = make_parser()
    parser.StartElementHandler = start
    try:
        parse(parser, xml)
    except Found:
        pass
    except XmlProblem:
        raise _damaged(source) from None
    if declared > limits.max_shared_strings:
        raise WorkbookTooLarge(
            source,
            f"工作簿声明了 {declared} 个共享字符串，超过上限 {limits.max_shared_strings}，已拒绝处理：{source}。",
            f"The workbook declares {declared} shared strings, more than the limit of "
            f"{limits.max_shared_strings}; refused: {source}.",
        )


def _damaged(source: str) -> CorruptWorkbook:
    return CorruptWorkbook(
        source,
        f"文件已损坏，无法打开：{source}。请用 Excel 打开后另存为 .xlsx 再试。",
        f"The file is damaged and cannot be opened: {source}.",
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


def _workbook_parts(package: Package, source: str) -> tuple[dict[str, NameTarget], dict[str, str]]:
    """Defined names (workbook-global, range-valued) and sheet name -> part path."""
    if _WORKBOOK not in package.members:
        kind_zh, kind_en = (
            ("Word 文档", "a Word document")
            if "word/document.xml" in package.names
            else ("压缩包", "a zip archive")
        )
        raise NotAnXlsxFile(
            source,
            f"这是{kind_zh}，不是 Excel 工作簿：{source}。",
            f"This is {kind_en}, not an Excel workbook: {source}.",
        )
    names: dict[str, NameTarget] = {}
    sheets: list[tuple[str, str]] = []
    text: list[str] | None = None
    current: dict[str, str] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal text, current
        local = name.rpartition(" ")[2]
        if local == "sheet":
            rel = next((v for k, v in attrs.items() if k.endswith(" id")), "")
            sheets.append((attrs.get("name", ""), rel))
        elif local == "definedName":
            text, current = [], attrs

    def end(name: str) -> None:
        nonlocal text
        if text is not None and name.rpartition(" ")[2] == "definedName":
            value = "".join(text)
            if current.get("localSheetId") is None and value:
                target = parse_reference(value)
                if target is not None:
                    names[current.get("name", "")] = target
            text = None

    def chars(data: str) -> None:
        if text is not None:
            text.append(data)

    targets: dict[str, str] = {}

    def relationship(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    try:
        parser = make_parser(namespaces=True)
        parser.StartElementHandler, parser.EndElementHandler = start, end
        parser.CharacterDataHandler = chars
        parse(parser, package.members[_WORKBOOK])
        parser = make_parser(namespaces=True)
        parser.StartElementHandler = relationship
        parse(parser, package.members.get(_WORKBOOK_RELS, b""))
    except XmlProblem:
        raise _damaged(source) from None
    parts: dict[str, str] = {}
    for sheet, rel in sheets:
        target = targets.get(rel, "")
        if target:
            parts[sheet] = (
                target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            )
    return names, parts


def _input_columns(rows: list[list[object]], header: NameTarget) -> set[int]:
    """Columns of the tally's input columns (code, months, prior), found by header text
    like the model does. Only these matter: a formula there stands where staff should
    have typed a figure; the computed columns are formulas by design."""
    inputs = {c.key for c in TALLY_COLUMNS if c.is_input}
    lookup = header_lookup(TALLY_COLUMNS)
    line = rows[header.row] if header.row < len(rows) else []
    return {c for c, text in enumerate(line) if lookup.get(normalize_header(text)) in inputs}


def _restore_errors(rows: list[list[object]], scan: SheetScan) -> None:
    """Put error values (``#DIV/0!``, ``#N/A``...) back where calamine left ""."""
    for (r, c), value in scan.errors.items():
        while len(rows) <= r:
            rows.append([])
        line = rows[r]
        if len(line) <= c:
            line.extend([""] * (c + 1 - len(line)))
        line[c] = value
