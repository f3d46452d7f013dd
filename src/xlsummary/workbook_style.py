"""How cells of the standardized workbook look and behave, shared by every sheet writer.

The workbook is meant to be usable with no add-in and no training, and that rests on
conventions kept the same on every sheet: input cells light yellow and unlocked,
computed cells grey and locked, a dark header row, a data validation with a prompt
and an error message on every input, sheets protected without a password, A4 pages
one page wide. Written once here, a sheet writer cannot drift from them, and a
change of colour or print setup is one edit.

:class:`Book` is the small context every writer takes (profile, language, example
data, the language's words and font, the defined names collected so far). It lives
here because the helpers below need its font and words; the writers need nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xlsummary import catalogue as cat
from xlsummary import workbook_layout as layout
from xlsummary.workbook_words import TEXT

INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
COMPUTED_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
BAD_FILL = PatternFill("solid", fgColor="F8CBAD")  # conditional format: text or negative
_THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

FONT_NAME = {"zh": "等线", "en": "Calibri"}


@dataclass
class Book:
    """The workbook being written and what every sheet writer needs to know about it."""

    profile: cat.Profile
    lang: str
    year: int | None
    example: dict | None  # the figures to fill in (``examples/*.toml`` shape), or None
    live: bool = False
    wb: Workbook = field(default_factory=Workbook)
    #: defined names in the order they were made (the order they are written in)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> dict:
        """This language's entry of :data:`workbook_words.TEXT`."""
        return TEXT[self.lang]

    @property
    def font(self) -> str:
        return FONT_NAME[self.lang]

    def sheet(self, key: str) -> str:
        """The sheet name of ``key`` (``"tally"``...) in this language."""
        return layout.SHEETS[key][self.lang]

    def name(self, name: str, sheet_key: str, ref: str) -> None:
        """Define ``name`` as ``ref`` (``$B$3``) on the sheet ``sheet_key``."""
        self.names[name] = f"{quote(self.sheet(sheet_key))}!{ref}"


def as_text(cell: Cell) -> Cell:
    """Keep a string cell a string: openpyxl turns any value beginning with "=" into a
    formula, so text copied from a workbook someone else filled in (a unit named
    ``=HYPERLINK(...)``) would run when the file is opened. Numbers are left alone."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def quote(sheet: str) -> str:
    """A sheet name as a formula or defined name spells it."""
    return "'" + sheet.replace("'", "''") + "'"


def title_row(book: Book, ws: Worksheet, text: str, width_cols: int) -> None:
    ws["A1"] = text
    ws["A1"].font = Font(name=book.font, size=16, bold=True, color="1F4E79")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width_cols)
    ws.row_dimensions[1].height = 28


def note_row(book: Book, ws: Worksheet, text: str, width_cols: int) -> None:
    ws["A2"] = text
    ws["A2"].font = Font(name=book.font, size=10, color="595959")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width_cols)
    ws.row_dimensions[2].height = 32


def header_row(book: Book, ws: Worksheet, row: int, columns: tuple[layout.Column, ...]) -> None:
    """The header cells of ``columns`` in ``row``; also sets the columns' widths."""
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(row, c, col.header(book.lang))
        cell.font = Font(name=book.font, bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        ws.column_dimensions[layout.column_letter(c - 1)].width = col.width
    ws.row_dimensions[row].height = 22


def table_heading(
    book: Book,
    ws: Worksheet,
    sheet_key: str,
    title: str,
    note: str,
    columns: tuple[layout.Column, ...],
    block_name: str,
) -> int:
    """Title, note and header row of a table sheet; the block's defined name points
    at the header. Returns the header's row number."""
    title_row(book, ws, title, len(columns))
    note_row(book, ws, note, len(columns))
    header = 3
    header_row(book, ws, header, columns)
    last = layout.column_letter(len(columns) - 1)
    book.name(block_name, sheet_key, f"$A${header}:${last}${header}")
    return header


def body_cell(book: Book, cell: Cell, is_input: bool, number_format: str | None = None) -> None:
    """An input (yellow, unlocked) or computed (grey, locked) cell of a table."""
    cell.font = Font(name=book.font)
    cell.border = BORDER
    cell.fill = INPUT_FILL if is_input else COMPUTED_FILL
    if is_input:
        cell.protection = UNLOCKED
    if number_format:
        cell.number_format = number_format


def add_validation(
    book: Book,
    ws: Worksheet,
    kind: str,
    error: str,
    prompt: str | None = None,
    title: str | None = None,
    **kw: str,
) -> DataValidation:
    """A data validation of type ``kind`` with its error message and, given ``prompt``,
    an input prompt; the caller adds the cells it covers."""
    t = book.words
    dv = DataValidation(
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=t["dv_error_title"],
        error=error,
        **kw,
    )
    if prompt:
        dv.showInputMessage = True
        dv.promptTitle = title or (t["dv_number_title"] if kind != "list" else None)
        dv.prompt = prompt
    ws.add_data_validation(dv)
    return dv


def protect_sheet(ws: Worksheet) -> None:
    """Protected without a password: formulas survive a stray click, IT can unprotect."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # False = allowed: widen a column
    ws.protection.formatRows = False
    ws.protection.formatCells = False  # lets the add-in shade cells with problems
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def print_setup(ws: Worksheet, landscape: bool, title_rows: str | None = None) -> None:
    """A4, one page wide, centred; ``title_rows`` (``"3:3"``) repeat on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
