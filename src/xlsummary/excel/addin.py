"""What the 生成报告 button does: check the open workbook and write its Word report.

The ribbon's callback runs ``import xlsummary; xlsummary.main()`` (see
``build_addin.py``), which lands here. It reads the calling workbook's *values* from
the open Excel, so unsaved edits count, and builds the model with the same core as
the CLI. Then:

1. the issues go to a 校验结果 sheet (sheet, cell with a link to it, message), and
   the offending cells are shaded; the marks of the previous run are cleared first;
2. with errors, a message box lists the first few and offers a draft report;
3. otherwise (or for a draft) the report is written beside the workbook under a new
   numbered name (never over anything), opened, and its path shown.

A workbook that is not a standardized one gets a message and is not touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from xlsummary import workbook_layout as layout
from xlsummary.check import CheckResult
from xlsummary.errors import XlsummaryError
from xlsummary.grids import Grid, WorkbookGrids, parse_reference
from xlsummary.i18n import DEFAULT, text, words
from xlsummary.outputs import write_output
from xlsummary.read_xlsx import input_columns
from xlsummary.report import check_source, make_report

RESULTS_SHEET = layout.SHEETS["results"]
MARK = (248, 203, 173)  # the shade of a cell with a problem
INPUT = (255, 249, 229)  # the input cells' own colour, restored when a problem is fixed
SHOWN_IN_BOX = 5


def grids_from_book(book) -> WorkbookGrids:
    """The open workbook's values and defined names, as the file reader gives them,
    and, like the file reader, which of the tally's input cells hold a formula (so
    the button and ``xlsummary check`` report the same issues)."""
    names = {}
    for name in book.names:
        target = parse_reference(str(name.refers_to or ""))
        if target is not None:
            names[name.name] = target
    wanted = {t.sheet for t in names.values()}
    tally = names.get(layout.NAME_TALLY)
    sheets = {}
    for sheet in book.sheets:
        if sheet.name not in wanted:
            continue
        last = sheet.used_range.last_cell
        cells = sheet.range((1, 1), (last.row, last.column))
        rows = [list(row) for row in cells.options(ndim=2, err_to_str=True).value]
        formulas: frozenset[tuple[int, int]] = frozenset()
        if tally is not None and sheet.name == tally.sheet:
            formulas = formula_cells(cells.formula, input_columns(rows, tally))
        sheets[sheet.name] = Grid(sheet.name, rows, formulas)
    return WorkbookGrids(sheets, names, book.name)


def formula_cells(texts: object, columns: set[int]) -> frozenset[tuple[int, int]]:
    """The (row, column) of the cells in ``columns`` whose formula text (Excel gives a
    constant's text for a cell without one) starts with "="."""
    table = texts if isinstance(texts, list | tuple) else [[texts]]
    table = [row if isinstance(row, list | tuple) else [row] for row in table]
    return frozenset(
        (r, c)
        for r, row in enumerate(table)
        for c in columns
        if c < len(row) and isinstance(row[c], str) and row[c].startswith("=")
    )


def report_folder(book) -> Path:
    """Beside the workbook; for a OneDrive workbook (xlwings gives its URL) the local
    synced folder when it can be found (Windows names it in the OneDrive variables,
    whose names Windows matches without regard to case); for a workbook never saved,
    Documents."""
    try:
        fullname = str(book.fullname)
    except Exception:  # xlwings raises when it cannot map a cloud path
        fullname = ""
    if fullname.startswith(("http://", "https://")):
        path = unquote(urlparse(fullname).path)
        for root in filter(
            None,
            (
                os.environ.get("ONEDRIVECOMMERCIAL"),
                os.environ.get("ONEDRIVECONSUMER"),
                os.environ.get("ONEDRIVE"),
            ),
        ):
            parts = Path(path).parts
            for k in range(len(parts)):
                candidate = Path(root, *parts[k:]).parent
                if candidate.is_dir() and k:
                    return candidate
    elif os.sep in fullname or "/" in fullname:
        folder = Path(fullname).parent
        if folder.is_dir():
            return folder
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def numbered(path: Path) -> Path:
    """``name.docx``, or ``name (2).docx``… : the first that does not exist yet."""
    if not path.exists():
        return path
    k = 2
    while (candidate := path.with_name(f"{path.stem} ({k}){path.suffix}")).exists():
        k += 1
    return candidate


def write_results(book, result: CheckResult, lang: str) -> bool:
    """The 校验结果 sheet: one row per issue with a link to its cell; problem cells
    shaded, and the shading of the previous run removed. False when the workbook has
    no such sheet and none can be added (an older, structure-protected workbook)."""
    title = RESULTS_SHEET[lang]
    existing = [s for s in book.sheets if s.name == title]
    if existing:
        sheet = existing[0]
    else:  # workbooks made by `xlsummary new` have it; older ones may be protected
        try:
            sheet = book.sheets.add(name=title, after=book.sheets[-1])
        except Exception:  # COM raises for a protected structure
            return False
    previous = str(sheet["F1"].value or "") if existing else ""
    for address in filter(None, previous.split(";")):
        sheet_name, _, cell = address.rpartition("!")
        if any(s.name == sheet_name for s in book.sheets):
            book.sheets[sheet_name][cell].color = INPUT
    sheet.clear_contents()
    label = words("label", lang)
    rows = [[label[f"head.{k}"] for k in ("level", "sheet", "cell", "problem")]]
    marked = []
    for issue in result.issues:
        rows.append([label[issue.severity], issue.sheet, issue.cell, issue.message(lang)])
        if issue.is_error and issue.cell and any(s.name == issue.sheet for s in book.sheets):
            marked.append(f"{issue.sheet}!{issue.cell}")
    if len(rows) == 1:
        rows.append(["", "", "", label["no_problems"]])
    sheet["A1"].value = rows
    for k, issue in enumerate(result.issues, start=2):
        if issue.cell:
            # a HYPERLINK formula: a link to a cell of this workbook in Excel, WPS and
            # LibreOffice alike, and cleared with the contents next time
            first = issue.cell.split(",")[0].split(":")[0]
            target = f"#'{issue.sheet}'!{first}".replace('"', '""')
            sheet[f"C{k}"].formula = f'=HYPERLINK("{target}","{issue.cell}")'
    for address in marked:
        sheet_name, _, cell = address.rpartition("!")
        book.sheets[sheet_name][cell].color = MARK
    sheet["F1"].value = ";".join(marked)
    return True


def main(book=None, *, draft: bool | None = None) -> Path | None:
    """The ribbon button. Returns the report written, or None."""
    import xlwings as xw

    book = book or xw.Book.caller()
    try:
        result = check_source(grids_from_book(book))
    except XlsummaryError as error:  # not one of ours: a message, and nothing touched
        _alert(book, text("addin.not_ours", message=error.message(), code=error.code), "critical")
        return None
    lang = result.model.lang
    if not write_results(book, result, lang):
        _alert(book, text("addin.no_sheet", lang, sheet=RESULTS_SHEET[lang]), "info", lang)
    if result.errors and not draft:
        if not _draft_wanted(book, result, lang):
            return None
        draft = True
    try:  # the same call as `xlsummary render` and the server
        report = make_report(result, lang=lang, draft=bool(draft))
        path = write_output(report.data, numbered(report_folder(book) / report.name))
    except XlsummaryError as error:
        _alert(
            book,
            text("addin.failed", lang, message=error.message(lang), code=error.code),
            lang=lang,
        )
        return None
    _open(path)
    _alert(book, text("addin.done", lang, path=path), "info", lang)
    return path


def _draft_wanted(book, result: CheckResult, lang: str) -> bool:
    """The errors in a message box (the first few), and the question: a draft?"""
    from xlsummary.errors import ReportRefused

    refused = ReportRefused(result.issues, result.model, "report.refused")
    errors = [i for i in result.issues if i.is_error]
    listed = "\n".join(
        text("addin.issue", lang, sheet=i.sheet, cell=i.cell, message=i.message(lang))
        for i in errors[:SHOWN_IN_BOX]
    )
    more = result.errors - min(result.errors, SHOWN_IN_BOX)
    question = (
        text(
            "addin.errors",
            lang,
            refused=refused.message(lang),
            sheet=RESULTS_SHEET[lang],
            listed=listed,
        )
        + (text("addin.more", lang, n=more) if more else "")
        + text("addin.draft", lang)
    )
    return _alert(book, question, "critical", lang, buttons="yes_no") == "yes"


def _alert(book, message: str, mode: str = "critical", lang: str = DEFAULT, buttons: str = "ok"):
    return book.app.alert(message, title=text("addin.title", lang), buttons=buttons, mode=mode)


def _open(path: Path) -> None:
    if os.environ.get("XLSUMMARY_NO_OPEN"):
        return
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
    elif sys.platform == "darwin":
        subprocess.run(["open", str(path)], check=False)
