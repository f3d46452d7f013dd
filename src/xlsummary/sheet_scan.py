"""How far a sheet reaches, which cells hold formulas or error values: found in the
sheet's XML before python-calamine reads it.

python-calamine holds a sheet as a dense rectangle up to its farthest cell with a
value, and aborts the whole process (a Rust allocation failure cannot be caught) when
that rectangle does not fit in memory: one cell at XFD1048576 in a 25 KB file asks for
hundreds of GB. Where a cell is depends on how calamine (quick-xml, with empty
elements expanded into a start and an end) reads the XML, which is lenient: the
``r`` attribute in either quote, in any position, in lower case, even repeated (the
last one wins), and cells without ``r`` placed one after another; only what lies
between the first ``<sheetData>`` and its end counts. So the extent is found two
ways:

- **Plain sheets** (every cell tag written ``<c r="B7" s="3" t="n">``, as Excel,
  LibreOffice, WPS and openpyxl write them, and no comment, CDATA section,
  processing instruction or DTD): one regular-expression search proves that every
  cell tag in the sheet has that shape with a reference within A1:GR9999, which
  bounds the sheet without reading any cell. A few ms for 20,000 cells.
- **Anything else** is read by expat, a real XML parser held to UTF-8 as calamine
  is, which places every cell where calamine places it: its own ``r``, or
  calamine's running row and column, moved by the same events (a row's ``r`` at its
  start, one row at its end, one column at each cell's end). A cell not inside a
  row, a row not in the sheet data, a name with two prefixes, a reference calamine
  cannot read, nesting deeper than any sheet has, too many elements and a DTD are
  refused; so is XML that is not well-formed.

Either way the scan stops at the first cell past the limits, and the same pass gives
the formula cells and error values calamine does not report, from the first sheet
data only, as calamine reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xlsummary.errors import CorruptWorkbook, WorkbookTooLarge
from xlsummary.grids import column_index
from xlsummary.limits import Limits
from xlsummary.workbook_layout import column_letter
from xlsummary.xml_safety import XmlProblem, make_parser, parse

#: the plain path's bounds: columns A..GR (200), rows 1..9999
PLAIN_COLUMNS = 200
PLAIN_ROWS = 9999
_PLAIN_REF = rb"(?:[A-Z]|[A-F][A-Z]|G[A-R])[1-9][0-9]{0,3}"
# a cell start tag that is not `<c r="REF"` followed only by other double-quoted
# attributes (none named r) and the tag's end
_NOT_PLAIN_CELL = re.compile(
    rb'<c(?=[\s/>])(?! r="'
    + _PLAIN_REF
    + rb'"(?: [A-Za-qs-z][A-Za-z]*="[^"<>]*"| r[A-Za-z]+="[^"<>]*")*/?>)'
)
_PREFIXED = re.compile(rb":(?:c|sheetData)[\s/>]")
# in a plain sheet data (and only there) these are exact
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,2})([0-9]+)"[^>]*>\s*<(?:\w+:)?f[\s/>]')
# an error cell's tag, then (matched where the tag ends, so that each costs only its own
# content) an optional formula and the value
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,2})([0-9]+)"[^>]*?\st="e"[^>/]*>')
_ERROR_VALUE = re.compile(
    rb"\s*(?:<(?:\w+:)?f\b[^>]*?/>\s*|<(?:\w+:)?f\b[^>]*>[^<]*</(?:\w+:)?f>\s*)?"
    rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>"
)
# what calamine can read as a reference: at most XFD1048576's lengths, so that a
# reference of a million letters or digits costs nothing to refuse
_REF = re.compile(r"([A-Za-z]{0,3})([0-9]{1,7})")
#: no sheet nests deeper (worksheet, sheetData, row, c, is, r, t: seven)
MAX_DEPTH = 32


@dataclass(frozen=True)
class SheetScan:
    """(row, col) are 0-based; ``errors`` maps an error cell to its value (#DIV/0!).
    Formula cells are kept as found (the plain path's references as written) and
    placed only for the columns asked about: a tally has thousands of formulas in its
    computed columns and none should be in its input columns."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formula_refs: list[tuple[bytes, bytes]] = field(default_factory=list)
    formula_cells: frozenset[tuple[int, int]] = frozenset()

    def formulas_in(self, columns: set[int]) -> frozenset[tuple[int, int]]:
        letters = {column_letter(c).encode() for c in columns}
        placed = {
            (int(row) - 1, column_index(col.decode()))
            for col, row in self.formula_refs
            if col in letters
        }
        return frozenset(placed | {cell for cell in self.formula_cells if cell[1] in columns})


def scan_sheet(
    xml: bytes, sheet: str, source: str, limits: Limits, formulas: bool = False
) -> SheetScan:
    """Refuse the sheet past the limits; its error values, and its formula cells when
    ``formulas`` (only the tally's matter)."""
    # every element costs calamine (and a cell at least three tags): a bound on the
    # markup, before either path reads it
    if xml.count(b"<") > 8 * limits.max_cells:
        raise _too_many_cells(sheet, source, limits)
    span = _plain_sheet_data(xml, limits)
    if span is None:
        return _Scanner(sheet, source, limits).run(xml)
    if xml.count(b"<c ") > limits.max_cells:
        raise _too_many_cells(sheet, source, limits)
    start, end = span
    refs = _FORMULA_CELL.findall(xml, start, end) if formulas else []
    errors = {}
    if xml.find(b't="e"', start, end) >= 0:
        for tag in _ERROR_CELL.finditer(xml, start, end):
            value = _ERROR_VALUE.match(xml, tag.end(), end)
            if value:
                position = (int(tag.group(2)) - 1, column_index(tag.group(1).decode()))
                errors[position] = value.group(1).decode()
    return SheetScan(errors, refs)


def _plain_sheet_data(xml: bytes, limits: Limits) -> tuple[int, int] | None:
    """Where the first sheet data of a plain sheet lies (as calamine reads it); None
    when the sheet is not plain. Offsets, not slices: a sheet may be 100 MB."""
    if limits.max_rows < PLAIN_ROWS or limits.max_columns < PLAIN_COLUMNS:
        return None
    begin = 3 if xml.startswith(b"\xef\xbb\xbf") else 0
    if not xml.startswith(b"<", begin):  # another encoding, or text before the markup
        return None
    if xml.startswith(b"<?xml", begin):
        begin = xml.find(b"?>", begin) + 2
    # comments, CDATA and the like hide markup from one reader and not the other
    if xml.find(b"<!", begin) >= 0 or xml.find(b"<?", begin) >= 0:
        return None
    if _NOT_PLAIN_CELL.search(xml, begin) or _PREFIXED.search(xml, begin):
        return None
    start = xml.find(b"<sheetData", begin)
    tag_end = xml.find(b">", start)
    if start < 0 or tag_end < 0 or xml[tag_end - 1 : tag_end] == b"/":  # none, or empty
        return (0, 0)
    end = xml.find(b"</sheetData>", tag_end)
    return (tag_end + 1, end if end >= 0 else len(xml))


class _Scanner:
    """The exact path: expat events, placed the way calamine places cells. quick-xml
    expands an empty element into a start and an end, as expat reports it, so the two
    see the same events; calamine reads only between the first ``<sheetData>`` and the
    first end of a sheet data, and so does this."""

    def __init__(self, sheet: str, source: str, limits: Limits) -> None:
        self.sheet, self.source, self.limits = sheet, source, limits
        self.state = 0  # 0 before the sheet data, 1 in it, 2 after it
        self.stack: list[str] = []  # local names inside the sheet data
        self.elements = 0
        self.row_index = 0  # calamine's running row and column
        self.col_index = 0
        self.cell: list | None = None  # row, col, has a value, is an error, value parts
        self.in_value = False
        self.formulas: set[tuple[int, int]] = set()
        self.errors: dict[tuple[int, int], str] = {}

    def run(self, xml: bytes) -> SheetScan:
        parser = make_parser()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        try:
            parse(parser, xml, max_depth=MAX_DEPTH, max_elements=self.limits.max_cells + 1)
        except XmlProblem as problem:
            raise CorruptWorkbook(
                self.source,
                "files.sheet_dtd" if problem.dtd else "files.sheet_malformed",
                sheet=self.sheet,
                problem=str(problem),
                line=problem.line,
            ) from None
        return SheetScan(self.errors, formula_cells=frozenset(self.formulas))

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > self.limits.max_cells:
            raise _too_many_cells(self.sheet, self.source, self.limits)
        if name.count(":") > 1:  # not namespace-well-formed; calamine would read it otherwise
            self._misplaced(name)
        local = name.rpartition(":")[2]
        if self.state != 1:
            if self.state == 0 and local == "sheetData":
                self.state = 1
                self.stack = [local]
            return
        parent = self.stack[-1]
        self.stack.append(local)
        if local == "row":
            if parent != "sheetData":
                self._misplaced("row")
            if "r" in attrs:
                self.row_index = self._reference(attrs["r"], False)[0]
        elif local == "c":
            if parent != "row":
                self._misplaced("c")
            if "r" in attrs:
                row, col = self._reference(attrs["r"], True)
                self.col_index = col
            else:
                row, col = self.row_index, self.col_index
            self.cell = [row, col, False, attrs.get("t") == "e", []]
        elif parent == "c" and self.cell is not None:
            self.cell[2] = True  # calamine reads a value from any child (even <v/>)
            if local == "f":
                self.formulas.add((self.cell[0], self.cell[1]))
            elif local == "v" and self.cell[3]:
                self.in_value = True

    def end(self, name: str) -> None:
        if self.state != 1:
            return
        local = self.stack.pop()
        if local == "sheetData":
            self.state = 2  # calamine stops at the first end of a sheet data
        elif local == "c" and self.cell is not None:
            row, col, has_value, is_error, parts = self.cell
            self.cell = None
            self.col_index += 1
            if has_value:
                if row + 1 > self.limits.max_rows or col + 1 > self.limits.max_columns:
                    raise too_far(self.sheet, self.source, row + 1, col + 1)
                if is_error:
                    self.errors[(row, col)] = "".join(parts) or "#VALUE!"
                else:  # a later value in the same place is the one calamine keeps
                    self.errors.pop((row, col), None)
        elif local == "row":
            self.row_index += 1
            self.col_index = 0
        elif local == "v":
            self.in_value = False

    def text(self, data: str) -> None:
        if self.in_value and self.cell is not None:
            self.cell[4].append(data)

    def _reference(self, text: str, needs_column: bool) -> tuple[int, int]:
        match = _REF.fullmatch(text)
        if match is None or int(match.group(2)) == 0 or (needs_column and not match.group(1)):
            raise CorruptWorkbook(
                self.source, "files.bad_cell_reference", sheet=self.sheet, ref=text[:20]
            )
        col = column_index(match.group(1)) if match.group(1) else 0
        return int(match.group(2)) - 1, col

    def _misplaced(self, what: str) -> None:
        raise CorruptWorkbook(self.source, "files.misplaced", sheet=self.sheet, element=what[:20])


def too_far(sheet: str, source: str, rows: int, cols: int) -> WorkbookTooLarge:
    return WorkbookTooLarge(source, "files.sheet_too_far", sheet=sheet, rows=rows, cols=cols)


def _too_many_cells(sheet: str, source: str, limits: Limits) -> WorkbookTooLarge:
    return WorkbookTooLarge(source, "files.too_many_cells", sheet=sheet, limit=limits.max_cells)
