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
3. the sheets calamine will read are scanned for their extent and cell count
   (``sheet_scan``), and the shared-string table for its declared size;
4. calamine reads a new, uncompressed zip written here: a workbook part and
   relationships of our own naming only the measured sheets, styles and shared
   strings, under fixed names, so that calamine's own way of finding parts (by path,
   ignoring case) cannot reach anything unmeasured; and the rectangles of all the
   sheets read together are bounded before they become Python lists.

The scan also gives what calamine does not: which input cells hold formulas (a
formula where staff should type a figure must be reported, not silently read as its
cached value) and error values such as ``#DIV/0!``, which calamine returns as "". The
defined names are read from ``xl/workbook.xml`` here too.

Everything that makes a file unreadable becomes one specific
:class:`~xlsummary.errors.FileError` with a sentence staff can act on.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from xlsummary.errors import (
    CorruptWorkbook,
    EmptyFile,
    EncryptedWorkbook,
    NotAnXlsxFile,
    NotStandardWorkbook,
    WorkbookTooLarge,
)
from xlsummary.grids import Grid, NameTarget, WorkbookGrids, parse_reference
from xlsummary.i18n import Msg
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
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
# the count calamine reserves room for, matched at each "uniqueCount" that stands in a
# tag after another attribute or the element's name, however the element is spelt
# (a superset of what calamine reads)
_UNIQUE_COUNT = re.compile(rb"uniqueCount\s*=\s*[\"']\s*\+?\s*([0-9]+)")
#: what Excel itself allows: 64,000 cell formats, format codes of 255 characters
_MAX_FORMATS = 65_536
_MAX_FORMAT_CODE = 1024
_UTF16_BOM = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class _Parts:
    """What the workbook says about itself: defined names, sheet name -> part, and
    the parts of its styles and shared strings."""

    names: dict[str, NameTarget]
    sheets: dict[str, str]
    styles: str | None
    strings: str | None
    date1904: bool


def read_grids(path: str | Path, limits: Limits = DEFAULT) -> WorkbookGrids:
    """Read the sheets our defined names point at as grids."""
    return read_grids_from_bytes(read_input(path, "workbook", limits), str(path), limits)


def read_grids_from_bytes(data: bytes, source: str = "", limits: Limits = DEFAULT) -> WorkbookGrids:
    _sniff(data, source)
    package = read_package(
        data, source, kind="workbook", limits=limits, keep=lambda n: n.endswith((".xml", ".rels"))
    )
    parts = _workbook_parts(package, source)
    names = parts.names
    if NAME_SCHEMA not in names:
        raise NotStandardWorkbook(source, "files.not_xlsummary")
    wanted = [
        sheet
        for sheet in dict.fromkeys(t.sheet for t in names.values())
        if parts.sheets.get(sheet) in package.members
    ]
    # read by calamine as UTF-8 and scanned here as bytes (the styles are parsed, and
    # the parser refuses a byte order mark itself)
    if parts.strings and package.members[parts.strings].startswith(_UTF16_BOM):
        raise _damaged(source)
    _check_shared_strings(package.members.get(parts.strings or ""), source, limits)
    tally = names.get(NAME_TALLY)
    scans = {
        sheet: scan_sheet(
            package.members[parts.sheets[sheet]],
            sheet,
            source,
            limits,
            formulas=tally is not None and sheet == tally.sheet,
        )
        for sheet in wanted
    }
    styles = _styles(package.members[parts.styles], source) if parts.styles else None
    feed = _calamine_package(package, parts, wanted, styles)
    grids: dict[str, Grid] = {}
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(feed))
        dense = 0
        for sheet in wanted:
            found = book.get_sheet_by_name(sheet)
            # the lists to_python builds: the rectangle from A1 to the farthest value
            end = found.end
            dense += (end[0] + 1) * (end[1] + 1) if end else 0
            if dense > limits.max_workbook_cells:
                raise _too_many_workbook_cells(source, limits)
            rows = found.to_python(skip_empty_area=False)
            scan = scans[sheet]
            _restore_errors(rows, scan)
            formulas: frozenset[tuple[int, int]] = frozenset()
            if tally is not None and sheet == tally.sheet:
                formulas = scan.formulas_in(input_columns(rows, tally))
            grids[sheet] = Grid(sheet, rows, formulas)
    except (python_calamine.CalamineError, OSError, ValueError, KeyError):
        raise _unreadable_sheets(source) from None
    except BaseException as error:  # a Rust panic arrives as pyo3's PanicException
        if type(error).__name__ == "PanicException":
            raise _unreadable_sheets(source) from None
        raise
    # the file's fingerprint, for the report's record of where it came from
    return WorkbookGrids(grids, names, source, hashlib.sha256(data).hexdigest())


def _calamine_package(
    package: Package, parts: _Parts, wanted: list[str], styles: bytes | None
) -> bytes:
    """The zip calamine reads: written here, with the parts that were measured and
    scanned under names chosen here, so that calamine's own way of finding a sheet, the
    styles or the shared strings (by path, ignoring case) cannot land on anything else."""
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{k}" r:id="rId{k}"/>'
        for k, name in enumerate(wanted, 1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{_NS_MAIN}" '
        f'xmlns:r="{_NS_REL}">' + ('<workbookPr date1904="1"/>' if parts.date1904 else "")
    ) + f"<sheets>{sheets}</sheets></workbook>"
    types = f"{_NS_REL}/"
    rels = [(f"rId{k}", "worksheet", f"worksheets/sheet{k}.xml") for k in range(1, len(wanted) + 1)]
    members = [
        (f"xl/worksheets/sheet{k}.xml", package.members[parts.sheets[name]])
        for k, name in enumerate(wanted, 1)
    ]
    for kind, content, target in (
        ("styles", styles, "styles.xml"),
        ("sharedStrings", package.members.get(parts.strings or ""), "sharedStrings.xml"),
    ):
        if content is not None:
            rels.append((f"rId{kind}", kind, target))
            members.append((f"xl/{target}", content))
    relationships = "".join(
        f'<Relationship Id="{rid}" Type="{types}{kind}" Target="{target}"/>'
        for rid, kind, target in rels
    )
    return stored_zip(
        [
            ("[Content_Types].xml", _CONTENT_TYPES),
            (
                "_rels/.rels",
                f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{_NS_PKG}">'
                f'<Relationship Id="rId1" Type="{types}officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>".encode(),
            ),
            (_WORKBOOK, workbook.encode()),
            (
                _WORKBOOK_RELS,
                f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{_NS_PKG}">'
                f"{relationships}</Relationships>".encode(),
            ),
            *members,
        ]
    )


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    b'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def _styles(xml: bytes, source: str) -> bytes:
    """The styles part calamine reads, rewritten to what it uses (number formats, and
    each cell format's number format) once their sizes are known: calamine examines
    a cell format's whole format code for every cell format, so one 20 MB code and
    200,000 formats would run for hours."""
    formats: list[tuple[str, str]] = []
    cell_formats: list[str | None] = []
    inside: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "numFmt" and "numFmts" in inside:
            formats.append((attrs.get("numFmtId", ""), attrs.get("formatCode", "")))
        elif local == "xf" and "cellXfs" in inside:
            cell_formats.append(attrs.get("numFmtId"))
        inside.append(local)
        if len(formats) > _MAX_FORMATS or len(cell_formats) > _MAX_FORMATS:
            raise _styles_too_large(source)

    def end(name: str) -> None:
        inside.pop()

    parser = make_parser()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parse(parser, xml)
    except XmlProblem:
        raise _damaged(source) from None
    if any(len(code) > _MAX_FORMAT_CODE for _, code in formats):
        raise _styles_too_large(source)
    number_formats = "".join(
        f"<numFmt numFmtId={quoteattr(i)} formatCode={quoteattr(code)}/>" for i, code in formats
    )
    xfs = "".join("<xf/>" if i is None else f"<xf numFmtId={quoteattr(i)}/>" for i in cell_formats)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="{_NS_MAIN}"><numFmts>'
        f"{number_formats}</numFmts><cellXfs>{xfs}</cellXfs></styleSheet>"
    ).encode()


def _styles_too_large(source: str) -> WorkbookTooLarge:
    return WorkbookTooLarge(source, "files.too_many_formats")


def _check_shared_strings(xml: bytes | None, source: str, limits: Limits) -> None:
    """calamine reserves room for the declared count of shared strings first, then
    holds every string item: both are bounded."""
    if not xml:
        return
    if xml.count(b"uniqueCount") > 100:  # a table declares its count once
        raise _damaged(source)
    declared = 0
    at = xml.find(b"uniqueCount")
    while at >= 0:
        inside_a_tag = xml.rfind(b"<", 0, at) > xml.rfind(b">", 0, at)
        after_attribute = xml[at - 1 : at] in (b" ", b"\t", b"\n", b"\r", b'"', b"'")
        found = _UNIQUE_COUNT.match(xml, at) if inside_a_tag and after_attribute else None
        if found:
            digits = found.group(1)
            declared = max(declared, int(digits) if len(digits) < 19 else 10**19)
        at = xml.find(b"uniqueCount", at + 1)
    # every string item, counted without a match object each (19 million <si/> fit
    # in 160 KB of zip): "<si" and any prefixed ":si", a superset
    declared = max(declared, xml.count(b"<si") + xml.count(b":si"))
    if declared > limits.max_shared_strings:
        raise WorkbookTooLarge(
            source, "files.too_many_strings", declared=declared, limit=limits.max_shared_strings
        )


def _too_many_workbook_cells(source: str, limits: Limits) -> WorkbookTooLarge:
    return WorkbookTooLarge(
        source, "files.too_many_workbook_cells", limit=limits.max_workbook_cells
    )


def _unreadable_sheets(source: str) -> CorruptWorkbook:
    return CorruptWorkbook(source, "files.unreadable_sheets")


def _damaged(source: str) -> CorruptWorkbook:
    return CorruptWorkbook(source, "files.damaged", detail="")


def _sniff(data: bytes, source: str) -> None:
    if not data:
        raise EmptyFile(source, "files.empty")
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedWorkbook(source, "files.encrypted")
        raise NotAnXlsxFile(source, "files.legacy_xls")
    if not data.startswith(_ZIP_MAGIC):
        raise NotAnXlsxFile(source, "files.not_xlsx")


def _workbook_parts(package: Package, source: str) -> _Parts:
    """Defined names (workbook-global, range-valued), sheet name -> part path, and the
    styles and shared-strings parts the workbook's relationships name."""
    if _WORKBOOK not in package.members:
        what = "word_document" if "word/document.xml" in package.names else "zip"
        raise NotAnXlsxFile(source, "files.other_office", what=Msg(f"files.what.{what}"))
    names: dict[str, NameTarget] = {}
    sheets: list[tuple[str, str]] = []
    text: list[str] | None = None
    current: dict[str, str] = {}
    date1904 = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal text, current, date1904
        local = name.rpartition(" ")[2]
        if local == "sheet":
            rel = attrs.get(f"{_NS_REL} id") or attrs.get(f"{_NS_REL_STRICT} id") or ""
            sheets.append((attrs.get("name", ""), rel))
        elif local == "definedName":
            text, current = [], attrs
        elif local == "workbookPr":
            date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true")

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

    targets: dict[str, tuple[str, str]] = {}

    def relationship(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "Relationship":
            kind = attrs.get("Type", "").rpartition("/")[2]
            targets[attrs.get("Id", "")] = (kind, attrs.get("Target", ""))

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

    folded = {name.lower(): name for name in package.names}

    def part(target: str) -> str:
        """A relationship's target as a member name: relative to xl/, ".." resolved,
        and, as Excel finds it, regardless of case."""
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        path = posixpath.normpath(path.replace("\\", "/"))
        return path if path in package.members else folded.get(path.lower(), path)

    parts: dict[str, str] = {}
    for sheet, rel in sheets:
        if sheet in parts:
            raise CorruptWorkbook(source, "files.duplicate_sheet", sheet=sheet)
        _, target = targets.get(rel, ("", ""))
        if target:
            parts[sheet] = part(target)

    def by_type(kind: str, default: str) -> str | None:
        found = [part(t) for k, t in targets.values() if k == kind and t]
        name = found[0] if found else default
        return name if name in package.members else None

    return _Parts(
        names,
        parts,
        by_type("styles", "xl/styles.xml"),
        by_type("sharedStrings", "xl/sharedStrings.xml"),
        date1904,
    )


def input_columns(rows: list[list[object]], header: NameTarget) -> set[int]:
    """Columns of the tally's input columns (code, months, prior), found by header text
    like the model does. Only these matter: a formula there stands where staff should
    have typed a figure; the computed columns are formulas by design."""
    inputs = {c.key for c in TALLY_COLUMNS if c.is_input}
    lookup = header_lookup(TALLY_COLUMNS)
    line = rows[header.row] if header.row < len(rows) else []
    return {c for c, text in enumerate(line) if lookup.get(normalize_header(text)) in inputs}


def _restore_errors(rows: list[list[object]], scan: SheetScan) -> None:
    """Put error values (``#DIV/0!``, ``#N/A``...) back where calamine left "" (and
    only there: where it holds a value, a later cell in the same place won)."""
    for (r, c), value in scan.errors.items():
        while len(rows) <= r:
            rows.append([])
        line = rows[r]
        if len(line) <= c:
            line.extend([""] * (c + 1 - len(line)))
        if line[c] in ("", None):
            line[c] = value
