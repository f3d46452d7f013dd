"""What Excel passes to a function, as the core's :class:`~xlsummary.grids.WorkbookGrids`.

A worksheet function receives the *values* of its ranges (2-D lists, whole numbers as
floats, ``None`` for empty cells, text, booleans, dates, ``#N/A``-style error text)
and nothing else: no file, no defined names. So the Excel formulas pass each block
from its header row, together with that header's row number (``ROW(...)``, which
Excel keeps right when rows are inserted above), and this module rebuilds the grids
the file reader would have produced, with synthetic defined names, and hands them to
the very same :func:`~xlsummary.model_reader.build_model`. Issues therefore name the cells
Excel shows, and the figures are those ``xlsummary check`` computes.
"""

from __future__ import annotations

from xlsummary import workbook_layout as layout
from xlsummary.errors import UsageError
from xlsummary.grids import Grid, NameTarget, WorkbookGrids
from xlsummary.i18n import DEFAULT, LANGS, Msg
from xlsummary.periods import LABELS


def as_table(values: object) -> list[list[object]]:
    """Excel's argument as a 2-D list: a single cell arrives as a scalar and a single
    row or column as a 1-D list when the function is not declared with ndim=2."""
    if not isinstance(values, list | tuple):
        return [[values]]
    if values and not isinstance(values[0], list | tuple):
        return [list(values)]
    return [list(row) for row in values]


EXCEL_ROWS = 1_048_576


def header_index(row: object, default: int = 3) -> int:
    """0-based row of a header from what ROW() passed (1-based); anything that is not a
    row number of a worksheet counts as the default."""
    number = _number(row, default)
    if not 1 <= number <= EXCEL_ROWS or number != int(number):
        number = default
    return int(number) - 1


def _placed(values: list[list[object]], header: int) -> list[list[object]]:
    """Rows as a sheet has them, the header at 0-based row ``header``."""
    return [[] for _ in range(header)] + values


def workbook_lang(tally: object) -> str:
    """The workbook's language, from the tally's first header cell (代码 or Code): the
    language whose heading it is, else the default."""
    table = as_table(tally)
    first = str((table[0][0] if table and table[0] else "") or "").strip().casefold()
    code = layout.TALLY_COLUMNS[0]
    return next((lang for lang in LANGS if code.header(lang).casefold() == first), DEFAULT)


def excel_grids(
    catalogue: object,
    tally: object,
    start: object = None,
    end: object = None,
    *,
    lang: str = "zh",
    catalogue_row: object = 3,
    tally_row: object = 3,
    info: object = None,
    narrative: object = None,
    narrative_row: object = 3,
) -> WorkbookGrids:
    """Grids for the core from range values.

    ``catalogue`` is 指标!A3:I… and ``tally`` 月度统计!A3:P… (header row included);
    ``start``/``end`` the period's months (the workbook's XLS_PERIOD_START/END);
    ``info`` the ten value cells 基本信息!B3:B12, ``narrative`` 叙述!A3:D… — both
    optional: without them only the tally and catalogue are checked.
    """
    # a language other than the default, asked for, wins; else the workbook's own
    asked = str(lang).strip().lower()
    lang = asked if asked in LANGS[1:] else workbook_lang(tally)
    sheet = {key: names[lang] for key, names in layout.SHEETS.items()}
    sheets: dict[str, Grid] = {}
    names: dict[str, NameTarget] = {}
    for key, values, row in (("catalogue", catalogue, catalogue_row), ("tally", tally, tally_row)):
        table = as_table(values)
        header = header_index(row)
        sheets[sheet[key]] = Grid(sheet[key], _placed(table, header))
        width = max((len(r) for r in table), default=1)
        names[f"XLS_{key.upper()}"] = NameTarget(sheet[key], header, 0, header, width - 1)
    # info: the ten value cells in column B from row 3, as the generator lays them out
    cells: list[object] = [None] * len(layout.INFO_FIELDS)
    if info is not None:
        flat = (
            [row[0] if row else None for row in as_table(info)]
            if _is_column(info)
            else as_table(info)[0]
        )
        cells[: len(flat)] = flat[: len(cells)]
    else:
        keys = layout.INFO_KEYS
        cells[keys.index("period")] = LABELS[lang]["custom"]
        cells[keys.index("start_month")] = month(start, "start")
        cells[keys.index("end_month")] = month(end, "end")
    info_rows = [[] for _ in range(2)] + [[None, value] for value in cells]
    sheets[sheet["info"]] = Grid(sheet["info"], info_rows)
    for k, fld in enumerate(layout.INFO_FIELDS):
        names[layout.info_name(fld.key)] = NameTarget(sheet["info"], 2 + k, 1, 2 + k, 1)
    if narrative is not None:
        table = as_table(narrative)
        header = header_index(narrative_row)
    else:
        table, header = [[c.header(lang) for c in layout.NARRATIVE_COLUMNS]], 2
    sheets[sheet["narrative"]] = Grid(sheet["narrative"], _placed(table, header))
    names[layout.NAME_NARRATIVE] = NameTarget(sheet["narrative"], header, 0, header, 3)
    guide = Grid(sheet["guide"], [[None, layout.SCHEMA], [None, lang]])
    sheets[sheet["guide"]] = guide
    names[layout.NAME_SCHEMA] = NameTarget(sheet["guide"], 0, 1, 0, 1)
    names[layout.NAME_LANG] = NameTarget(sheet["guide"], 1, 1, 1, 1)
    return WorkbookGrids(sheets, names, "Excel")


def month(value: object, which: str) -> int:
    """A period month passed to a function (XLS_PERIOD_START/END): 1..12 or an error
    that says so, never a silent full year."""
    number = _number(value, 0)
    if not 1 <= number <= 12 or number != int(number):
        raise UsageError("excel.bad_month", which=Msg(f"excel.month.{which}"), value=value)
    return int(number)


def _is_column(values: object) -> bool:
    table = as_table(values)
    return len(table) > 1 or (len(table) == 1 and len(table[0]) == 1)


def _number(value: object, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value)
