"""Sheets as plain 2-D value grids: the seam between file formats and the core.

Whoever reads a workbook (python-calamine from a file here, xlwings from a live Excel
in the add-in, anything else later) hands the core the same :class:`WorkbookGrids`:
each sheet's values as rows of Python values, absolute from A1, plus the workbook's
defined names. The core never learns where the values came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xlsummary.workbook_layout import cell_address

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?$")


@dataclass(frozen=True, slots=True)
class Grid:
    """One sheet: ``rows[r][c]`` is the value of the cell at 0-based (r, c).

    Empty cells may be ``None`` or ``""``; rows may be ragged. ``formulas`` holds the
    (r, c) of cells that contain a formula, when the reader can tell.
    """

    name: str
    rows: list[list[object]]
    formulas: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    def value(self, row: int, col: int) -> object:
        if 0 <= row < len(self.rows):
            line = self.rows[row]
            if 0 <= col < len(line):
                return line[col]
        return None

    @property
    def height(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class CellRef:
    """Where a value came from: sheet and 0-based row and column."""

    sheet: str
    row: int
    col: int

    @property
    def address(self) -> str:
        return cell_address(self.row, self.col)

    def __str__(self) -> str:
        return f"{self.sheet}!{self.address}"


@dataclass(frozen=True, slots=True)
class NameTarget:
    """Where a defined name points: a sheet and a 0-based cell range."""

    sheet: str
    row: int
    col: int
    last_row: int
    last_col: int


@dataclass(frozen=True, slots=True)
class WorkbookGrids:
    sheets: dict[str, Grid]
    names: dict[str, NameTarget]
    source: str = ""
    sha256: str = ""  # of the file read ("" for the open Excel: no file bytes)

    def name_value(self, name: str) -> object:
        """The value of the first cell a defined name points at (None when absent)."""
        target = self.names.get(name)
        if target is None or target.sheet not in self.sheets:
            return None
        return self.sheets[target.sheet].value(target.row, target.col)


def column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def parse_reference(text: str) -> NameTarget | None:
    """``'基本信息'!$B$3`` or ``Sheet1!$A$3:$I$3`` -> NameTarget; None for constants and
    multi-area or external references, which the standardized workbook never uses."""
    if "!" not in text:
        return None
    sheet, _, ref = text.strip().lstrip("=").rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    if not sheet or "[" in sheet or "," in ref:
        return None
    match = _REF.match(ref)
    if not match:
        return None
    col, row = column_index(match.group(1)), int(match.group(2)) - 1
    if match.group(3):
        last_col, last_row = column_index(match.group(3)), int(match.group(4)) - 1
    else:
        last_col, last_row = col, row
    return NameTarget(sheet, row, col, last_row, last_col)
