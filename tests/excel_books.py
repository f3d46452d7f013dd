"""Workbooks as the Excel button receives them: xlwings Books built from real files.

``main()`` runs on xlwings' remote-interpreter Book (``xw.Book(json=...)``), built from
the values of a real filled workbook as Excel would send them. That engine is part of
xlwings' noncommercial-licensed code, which its licence allows for testing; the key is
set in conftest, for the test run only. The add-in itself never needs it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import python_calamine
import xlwings as xw

from xlsummary.read_xlsx import read_grids

#: each remote book's formula texts, sheet -> rows, as Excel's Range.Formula gives
#: them (a constant's own text where a cell has no formula)
FORMULAS: dict[str, dict[str, list[list[str]]]] = {}


def _answer_formulas_as_desktop_excel() -> None:
    """xlwings' remote engine sends values only (formulas are fetched on demand from
    Office.js); Excel on the desktop answers Range.Formula at once. Here the answer
    comes from the same real file the values came from, read by openpyxl. Installed
    once, for the test process: xlsummary itself never uses the remote engine."""
    from xlwings.pro import _xlremote

    if getattr(_xlremote.Range.formula, "fget", None) is _formula:
        return
    _xlremote.Range.formula = property(_formula, _xlremote.Range.formula.fset)


def _formula(self) -> tuple[tuple[str, ...], ...]:
    rows = FORMULAS[self.sheet.book.name][self.sheet.name]
    top, left = self.row - 1, self.column - 1
    height, width = self.shape
    return tuple(
        tuple(
            rows[top + i][left + j] if top + i < len(rows) and left + j < len(rows[top + i]) else ""
            for j in range(width)
        )
        for i in range(height)
    )


def _formula_texts(path: Path) -> dict[str, list[list[str]]]:
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    out = {}
    for ws in openpyxl.load_workbook(path).worksheets:
        out[ws.title] = [
            [
                c.value.text
                if isinstance(c.value, ArrayFormula)
                else ""
                if c.value is None
                else str(c.value)
                for c in row
            ]
            for row in ws.iter_rows()
        ]
    return out


def remote_book(path: Path, name: str = "统计表.xlsx") -> xw.Book:
    """An xlwings Book holding the workbook's values, as Excel would send them."""
    _answer_formulas_as_desktop_excel()
    FORMULAS[name] = _formula_texts(path)
    grids = read_grids(path)
    calamine = python_calamine.CalamineWorkbook.from_path(str(path))
    sheets = []
    for sheet_name in calamine.sheet_names:
        values = calamine.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        values = [
            [None if v == "" else v.isoformat() if isinstance(v, dt.date) else v for v in row]
            for row in values
        ] or [[]]
        sheets.append({"name": sheet_name, "values": values, "pictures": [], "tables": []})
    names = [
        {
            "name": key,
            "refers_to": f"='{t.sheet}'!${_col(t.col)}${t.row + 1}",
            "book_scope": True,
            "scope_sheet_index": None,
            "scope_sheet_name": None,
        }
        for key, t in grids.names.items()
    ]
    return xw.Book(
        json={
            "client": "Microsoft Office Scripts",
            "version": xw.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
            "names": names,
            "sheets": sheets,
        }
    )


def _col(index: int) -> str:
    from xlsummary.workbook_layout import column_letter

    return column_letter(index)


def plain_book(name: str, values: list[list]) -> xw.Book:
    """An xlwings Book of one sheet and no defined names: any workbook but ours."""
    return xw.Book(
        json={
            "client": "Microsoft Office Scripts",
            "version": xw.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
            "names": [],
            "sheets": [{"name": "Sheet", "values": values, "pictures": [], "tables": []}],
        }
    )
