"""What Excel passes to a function, as the core's :class:`~xlsummary.grids.WorkbookGrids`.

A worksheet function receives the *values* of its ranges (2-D lists, whole numbers as
floats, ``None`` for empty cells, text, booleans, dates, ``#N/A``-style error text)
and nothing else: no file, no defined names. So the Excel formulas pass each block
from its header row, together with that header's row number (``ROW(...)``, which
Excel keeps right when rows are inserted above), and this module rebuilds the grids
the file reader would have produced, with synthetic defined names, and hands them to
the very same :func:`~xlsummary.model.build_model`. Issues therefore name the cells
Excel shows, and the figures are those ``xlsummary check`` computes.
"""

from __future__ import annotations

from xlsummary import workbook_layout as layout
from xlsummary.grids import Grid, NameTarget, WorkbookGrids
from xlsummary.periods import LABELS

# the sheet the block lives on, per workbook language
_SHEETS = {key: names for key, names in layout.SHEETS.items()}


def as_table(values: object) -> list[list[object]]:
    """Excel's argument as a 2-D list: a single cell arrives as a scalar and a single
    row or column as a 1-D list when the function is not declared with ndim=2."""
    if not isinstance(values, list | tuple):
        return [[values]]
    if values and not isinstance(values[0], list | tuple):
        return [list(values)]
    return [list(row) for row in values]


def _placed(values: list[list[object]], header_row: int) -> list[list[object]]:
    """Rows as a sheet has them: ``header_row`` is 1-based, as ROW() returns it."""
    return [[] for _ in range(max(int(header_row) - 1, 0))] + values


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
    lang = "en" if str(lang).strip().lower() == "en" else "zh"
    sheet = {key: names[lang] for key, names in _SHEETS.items()}
    sheets: dict[str, Grid] = {}
    names: dict[str, NameTarget] = {}
    for key, values, row in (("catalogue", catalogue, catalogue_row), ("tally", tally, tally_row)):
        table = as_table(values)
        header = max(int(_number(row, 3)) - 1, 0)
        sheets[sheet[key]] = Grid(sheet[key], _placed(table, header + 1))
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
        cells[keys.index("start_month")] = _number(start, 1)
        cells[keys.index("end_month")] = _number(end, 12)
    info_rows = [[] for _ in range(2)] + [[None, value] for value in cells]
    sheets[sheet["info"]] = Grid(sheet["info"], info_rows)
    for k, fld in enumerate(layout.INFO_FIELDS):
        names[layout.info_name(fld.key)] = NameTarget(sheet["info"], 2 + k, 1, 2 + k, 1)
    if narrative is not None:
        table = as_table(narrative)
        header = max(int(_number(narrative_row, 3)) - 1, 0)
    else:
        table, header = [[c.header(lang) for c in layout.NARRATIVE_COLUMNS]], 2
    sheets[sheet["narrative"]] = Grid(sheet["narrative"], _placed(table, header + 1))
    names[layout.NAME_NARRATIVE] = NameTarget(sheet["narrative"], header, 0, header, 3)
    guide = Grid(sheet["guide"], [[None, layout.SCHEMA], [None, lang]])
    sheets[sheet["guide"]] = guide
    names[layout.NAME_SCHEMA] = NameTarget(sheet["guide"], 0, 1, 0, 1)
    names[layout.NAME_LANG] = NameTarget(sheet["guide"], 1, 1, 1, 1)
    return WorkbookGrids(sheets, names, "Excel")


def _is_column(values: object) -> bool:
    table = as_table(values)
    return len(table) > 1 or (len(table) == 1 and len(table[0]) == 1)


def _number(value: object, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value)
