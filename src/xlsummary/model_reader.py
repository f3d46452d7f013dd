"""Grids to model: reading the standardized workbook's blocks, cell by cell.

:func:`build_model` turns :class:`~xlsummary.grids.WorkbookGrids` (from a file, or
from a live Excel) into a :class:`~xlsummary.model.Model`. It is pure: no file, no
Excel. While building it records the problems that belong to *reading* a cell (text
that is not a number, a formula in an input cell, an unknown code, a repeated code),
because only here is the raw cell content at hand; :func:`xlsummary.validate.validate`
adds the rules that need the whole picture and returns both.

Formula cells and cached values are never trusted: the name, unit, total,
year-on-year and status columns of the tally sheet are not read at all; the core
recomputes them from the input cells.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import TYPE_CHECKING

import numpy as np

from xlsummary import catalogue as cat
from xlsummary import i18n
from xlsummary import workbook_layout as layout
from xlsummary.errors import NotStandardWorkbook
from xlsummary.grids import CellRef, Grid, WorkbookGrids
from xlsummary.i18n import Msg, language, per_language
from xlsummary.issues import ERROR, WARNING, Issue
from xlsummary.periods import Period, parse_date, parse_month_range, parse_period_label
from xlsummary.typed_numbers import MAX_FIGURE, Parsed, display_number, is_excel_error, parse_number

if TYPE_CHECKING:
    pass


from xlsummary.model import CatalogueRow, InfoValue, Model, NarrativeSection, cell_text, shorten
from xlsummary.rollup_layout import read_units


class _Builder:
    """Collects read issues while walking the grids; one instance per build."""

    def __init__(self, grids: WorkbookGrids) -> None:
        self.grids = grids
        self.issues: list[Issue] = []

    def issue(
        self, severity: str, issue_code: str, ref: CellRef | None, /, **kwargs: object
    ) -> None:
        self.issues.append(Issue.at(severity, issue_code, ref, **kwargs))

    def block(self, name: str, sheet_key: str) -> tuple[Grid, int, dict[str, int]]:
        """The grid, header row and column positions of a named table block."""
        target = self.grids.names.get(name)
        if target is None or target.sheet not in self.grids.sheets:
            raise _not_standard(self.grids.source, name)
        grid = self.grids.sheets[target.sheet]
        return grid, target.row, self._columns(grid, target.row, sheet_key)

    def _columns(self, grid: Grid, header_row: int, sheet_key: str) -> dict[str, int]:
        columns = {
            "catalogue": layout.CATALOGUE_COLUMNS,
            "tally": layout.TALLY_COLUMNS,
            "narrative": layout.NARRATIVE_COLUMNS,
        }[sheet_key]
        lookup = layout.header_lookup(columns)
        found: dict[str, int] = {}
        header = grid.rows[header_row] if header_row < grid.height else []
        for col, text in enumerate(header):
            key = lookup.get(layout.normalize_header(text))
            if key is not None and key not in found:
                found[key] = col
        missing = [c for c in columns if c.is_input and not c.optional and c.key not in found]
        if missing:
            first = missing[0]
            raise NotStandardWorkbook(
                self.grids.source,
                "workbook.missing_header",
                sheet=grid.name,
                row=header_row + 1,
                **per_language("column", first.header),
            )
        return found


def _not_standard(source: str, what: str) -> NotStandardWorkbook:
    return NotStandardWorkbook(source, "workbook.missing_name", name=what)


def build_model(grids: WorkbookGrids) -> Model:
    """Grids -> Model. Raises NotStandardWorkbook when a named block is missing."""
    b = _Builder(grids)
    lang = language(cell_text(grids.name_value(layout.NAME_LANG)).lower())
    profile = cell_text(grids.name_value(layout.NAME_PROFILE))
    info = _read_info(b)
    year, period = _interpret_info(b, info)
    catalogue_rows, cat_sheet = _read_catalogue(b)
    values, prior, unreadable, tally_rows, tally_cols, tally_sheet = _read_tallies(
        b, catalogue_rows, cat_sheet
    )
    narrative, narrative_sheet = _read_narrative(b)
    info_sheet = info["unit"].ref.sheet
    sheet_names = {
        "info": info_sheet,
        "catalogue": cat_sheet,
        "tally": tally_sheet,
        "narrative": narrative_sheet,
    }
    return Model(
        lang=lang,
        profile=profile,
        sheet_names=sheet_names,
        info=info,
        year=year,
        period=period,
        catalogue=catalogue_rows,
        values=values,
        prior=prior,
        unreadable=unreadable,
        tally_rows=tally_rows,
        tally_cols=tally_cols,
        narrative=narrative,
        read_issues=b.issues,
        source=grids.source,
        sha256=grids.sha256,
        units=read_units(grids),
    )


def _read_info(b: _Builder) -> dict[str, InfoValue]:
    info: dict[str, InfoValue] = {}
    for fld in layout.INFO_FIELDS:
        name = layout.info_name(fld.key)
        target = b.grids.names.get(name)
        if target is None or target.sheet not in b.grids.sheets:
            raise _not_standard(b.grids.source, name)
        grid = b.grids.sheets[target.sheet]
        value = grid.value(target.row, target.col)
        if isinstance(value, str):
            value = value.strip() or None
        label = cell_text(grid.value(target.row, target.col - 1)) if target.col else fld.zh
        info[fld.key] = InfoValue(
            fld.key,
            label or fld.zh,
            fld.en,
            None if value == "" else value,
            CellRef(target.sheet, target.row, target.col),
        )
    return info


def _whole_number(b: _Builder, value: InfoValue) -> int | None:
    status, number = parse_number(value.value)
    if status is Parsed.TEXT_NUMBER:
        b.issue(
            WARNING, "number_as_text", value.ref, value=value.value, number=display_number(number)
        )
    if number is None or not float(number).is_integer():
        return None
    return int(number)


def _interpret_info(b: _Builder, info: dict[str, InfoValue]) -> tuple[int | None, Period | None]:
    year = None
    year_value = info["year"]
    if year_value.value is not None:
        year = _whole_number(b, year_value)
        if year is None or not 1990 <= year <= 2100:
            b.issue(ERROR, "invalid_year", year_value.ref, value=cell_text(year_value.value))
            year = None
    period = None
    period_value = info["period"]
    if period_value.value is not None:
        kind = parse_period_label(period_value.value)
        if kind == "custom":
            start = _month(b, info["start_month"])
            end = _month(b, info["end_month"])
            if start is None or end is None or start > end:
                ref = info["start_month"].ref
                b.issue(
                    ERROR,
                    "invalid_month_range",
                    ref,
                    cell=f"{ref.address}:{info['end_month'].ref.address}",
                    start=cell_text(info["start_month"].value) or "?",
                    end=cell_text(info["end_month"].value) or "?",
                )
            else:
                period = Period.months(start, end)
        elif kind is not None:
            period = Period.named(kind)
            months = [info[k] for k in ("start_month", "end_month") if info[k].value is not None]
            if months:  # typed, but they only count with 自定义月份
                b.issue(
                    WARNING,
                    "months_ignored",
                    months[0].ref,
                    period=period.as_message(),
                )
        elif (bounds := parse_month_range(period_value.value)) is not None:
            # pasted or typed past the drop-down: understood, but the sheet's own
            # formulas only know the list entries, so say how to make them agree
            period = Period.months(*bounds)
            b.issue(
                WARNING,
                "period_as_text",
                period_value.ref,
                value=cell_text(period_value.value),
                period=period.as_message(),
            )
        else:
            b.issue(ERROR, "invalid_period", period_value.ref, value=cell_text(period_value.value))
    date_value = info["date"]
    if date_value.value is not None and parse_date(date_value.value) is None:
        b.issue(WARNING, "invalid_date", date_value.ref, value=cell_text(date_value.value))
    return year, period


def _month(b: _Builder, value: InfoValue) -> int | None:
    if value.value is None:
        return None
    month = _whole_number(b, value)
    return month if month is not None and 1 <= month <= 12 else None


_CHOICES = {  # catalogue column -> (parser, default, labels offered in the message)
    "rule": (cat.parse_rule, "sum", {k: list(v.values()) for k, v in cat.RULE_LABELS.items()}),
    "kind": (cat.parse_kind, "count", {k: list(v.values()) for k, v in cat.KIND_LABELS.items()}),
    "required": (cat.parse_yes_no, False, {k: list(v) for k, v in cat.YES_NO.items()}),
    "chart": (cat.parse_yes_no, False, {k: list(v) for k, v in cat.YES_NO.items()}),
}


def _choices(offered: dict[str, list[str]]) -> dict[str, str]:
    """A drop-down's choices as message parameters: each language's own labels, joined
    as that language joins a list."""
    return per_language(
        "choices",
        lambda lang: i18n.text("workbook.list_separator", lang).join(offered[lang]),
    )


def _read_catalogue(b: _Builder) -> tuple[list[CatalogueRow], str]:
    grid, header, cols = b.block(layout.NAME_CATALOGUE, "catalogue")
    sheet = grid.name
    labels = {c.key: c for c in layout.CATALOGUE_COLUMNS}
    rows: list[CatalogueRow] = []
    seen: dict[str, int] = {}
    for r in range(header + 1, grid.height):
        line = grid.rows[r]
        width = len(line)
        text = {key: cell_text(line[c]) if c < width else "" for key, c in cols.items()}
        if not any(text.values()):
            continue
        code_ref = CellRef(sheet, r, cols["code"])
        code = text["code"].lower()
        if not cat.CODE_PATTERN.match(code):
            if code:
                b.issue(ERROR, "invalid_code", code_ref, value=shorten(text["code"]))
            else:
                b.issue(
                    ERROR,
                    "missing_field",
                    code_ref,
                    **per_language("field", labels["code"].header),
                )
            continue
        if code in seen:
            b.issue(
                ERROR,
                "duplicate_indicator",
                code_ref,
                indicator=code,
                code=code,
                first_row=seen[code] + 1,
            )
            continue
        seen[code] = r
        for key in ("name_zh", "unit"):
            if key in cols and not text[key]:
                b.issue(
                    ERROR,
                    "missing_field",
                    CellRef(sheet, r, cols[key]),
                    indicator=code,
                    field=Msg(
                        "workbook.field_of",
                        {"code": code, **per_language("field", labels[key].header)},
                    ),
                )
        chosen = {}
        for key, (parse, default, offered) in _CHOICES.items():
            raw = text.get(key, "")
            value = parse(raw) if raw else default
            if value is None:
                b.issue(
                    ERROR,
                    "invalid_choice",
                    CellRef(sheet, r, cols[key]),
                    indicator=code,
                    value=raw,
                    **per_language("field", labels[key].header),
                    **_choices(offered),
                )
                value = default
            chosen[key] = value
        name_en = text.get("name_en", "")
        ind = cat.Indicator(
            code=code,
            name_zh=text.get("name_zh") or name_en or code,
            name_en=name_en,
            unit=text.get("unit", ""),
            category=text.get("category", ""),
            rule=chosen["rule"],
            kind=chosen["kind"],
            required=chosen["required"],
            description=text.get("description", ""),
            chart=chosen["chart"],
        )
        rows.append(CatalogueRow(ind, code_ref))
    if not rows:
        b.issue(ERROR, "no_indicators", None, sheet=sheet)
    return rows, sheet


def _read_tallies(b: _Builder, catalogue_rows: list[CatalogueRow], catalogue_sheet: str):
    grid, header, cols = b.block(layout.NAME_TALLY, "tally")
    sheet = grid.name
    n = len(catalogue_rows)
    index = {row.indicator.code: i for i, row in enumerate(catalogue_rows)}
    # one row of 13 figures per indicator: months 1..12, then the prior-year figure
    figures = [[math.nan] * 13 for _ in range(n)]
    unreadable = np.zeros((n, 12), dtype=bool)
    tally_rows: list[int | None] = [None] * n
    number_cols = [(m - 1, cols[f"m{m}"]) for m in range(1, 13)] + [(12, cols["prior"])]
    number_col_set = {c for _, c in number_cols}
    formula_rows: dict[int, set[int]] = {}
    for r, c in grid.formulas:
        if c in number_col_set:
            formula_rows.setdefault(r, set()).add(c)
    code_col = cols["code"]
    for r in range(header + 1, grid.height):
        line = grid.rows[r]
        width = len(line)
        raw_code = line[code_col] if code_col < width else None
        code = cell_text(raw_code).lower()
        if not code:
            if any(c < width and line[c] not in (None, "") for _, c in number_cols):
                b.issue(ERROR, "row_without_code", CellRef(sheet, r, code_col), row=r + 1)
            continue
        code_ref = CellRef(sheet, r, code_col)
        i = index.get(code)
        if i is None:
            b.issue(
                ERROR,
                "unknown_indicator",
                code_ref,
                indicator=code,
                code=cell_text(raw_code),
                catalogue=catalogue_sheet,
            )
            continue
        if tally_rows[i] is not None:
            b.issue(
                ERROR,
                "duplicate_indicator",
                code_ref,
                indicator=code,
                code=code,
                first_row=tally_rows[i] + 1,
            )
            continue
        tally_rows[i] = r
        row = figures[i]
        formula_cols = formula_rows.get(r, ())
        for j, c in number_cols:
            value = line[c] if c < width else None
            kind = type(value)
            if (kind is float or kind is int) and c not in formula_cols:
                if -MAX_FIGURE < value < MAX_FIGURE:  # the common case, no parsing needed
                    row[j] = value + 0.0
                    continue
            elif (value is None or value == "") and c not in formula_cols:
                continue
            number, bad = _parse_cell(b, value, CellRef(sheet, r, c), code, c in formula_cols)
            if number is not None:
                row[j] = number
            elif bad and j < 12:
                unreadable[i, j] = True
    for i, row in enumerate(catalogue_rows):
        if tally_rows[i] is None:
            ind = row.indicator
            b.issue(
                ERROR if ind.required else WARNING,
                "missing_tally_row",
                row.ref,
                indicator=ind.code,
                **per_language("name", ind.name),
                code=ind.code,
                tally=sheet,
            )
    matrix = np.array(figures, dtype=float).reshape(n, 13)
    return matrix[:, :12].copy(), matrix[:, 12].copy(), unreadable, tally_rows, cols, sheet


def _parse_cell(
    b: _Builder, value: object, ref: CellRef, code: str, is_formula: bool
) -> tuple[float | None, bool]:
    """The slow path of one tally cell: text, formulas, junk. Returns the figure (None
    when there is none) and whether the cell held something unusable (an error).

    A formula in an input cell counts with its saved result, as Excel shows it, but
    is pointed out; with no saved result there is nothing to count."""
    status, number = parse_number(value)
    if is_formula and status is Parsed.EMPTY:
        b.issue(ERROR, "formula_without_value", ref, indicator=code)
        return None, True
    if status is Parsed.NOT_A_NUMBER or status is Parsed.TOO_LARGE:
        issue = (
            "excel_error"
            if is_excel_error(value)
            else "too_large"
            if status is Parsed.TOO_LARGE
            else "not_a_number"
        )
        b.issue(ERROR, issue, ref, indicator=code, value=_display(value))
        return None, True
    if is_formula:
        b.issue(WARNING, "formula_in_input", ref, indicator=code, number=display_number(number))
    elif status is Parsed.TEXT_NUMBER:
        b.issue(
            WARNING,
            "number_as_text",
            ref,
            indicator=code,
            value=str(value),
            number=display_number(number),
        )
    return number, False


def _read_narrative(b: _Builder) -> tuple[list[NarrativeSection], str]:
    grid, header, cols = b.block(layout.NAME_NARRATIVE, "narrative")
    sheet = grid.name
    sections: list[NarrativeSection] = []
    for r in range(header + 1, grid.height):
        line = grid.rows[r]

        def get(key: str, _line=line) -> object:
            c = cols.get(key)
            return _line[c] if c is not None and c < len(_line) else None

        code, title, text = cell_text(get("code")).lower(), cell_text(get("title")), get("text")
        text = (
            "" if text is None else (cell_text(text) if not isinstance(text, str) else text.strip())
        )
        if not (code or title or text):
            continue
        required = cat.parse_yes_no(get("required")) if cell_text(get("required")) else False
        sections.append(
            NarrativeSection(
                code or f"section{r + 1}",
                title or code,
                text,
                bool(required),
                CellRef(sheet, r, cols["text"]),
            )
        )
    return sections, sheet


def _display(value: object) -> str:
    """A cell's content quoted in a message: short enough for a message box or an Excel
    cell (older Excel refuses strings over 255 characters in function results)."""
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()[:10]
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if is_excel_error(value):
        return str(value).strip()
    return shorten(str(value))
