"""The three sheets a roll-up workbook has beyond the standard ones, written and read.

分单位 (by unit: units x indicators, each unit's period figure by the indicator's rule,
and a totals row), 报送情况 (submissions: unit, file, SHA-256, issues, included or not
and why, and how each rate was averaged) and 汇总权重 (weights: the weight behind every
averaged monthly figure). Where they sit, and how they are read back, is
``rollup_layout``.

Every cell written from submitted text (unit and file names, messages) goes through
:func:`~xlsummary.workbook_style.as_text`: a unit named ``=HYPERLINK(...)`` stays text;
and through :func:`_cell_text` first: a name the unit's own check accepts may hold a
control character (which openpyxl refuses, stopping the whole run) or be longer than
a cell can hold (Excel then "repairs" the roll-up).
"""

from __future__ import annotations

import math
from copy import copy
from weakref import WeakKeyDictionary

from openpyxl.styles import Font

from xlsummary.catalogue import listing
from xlsummary.consolidate import UNITS, Rollup
from xlsummary.i18n import Msg, text
from xlsummary.rollup_layout import NAME_SUBMISSIONS, NAME_UNITS, NAME_WEIGHTS, UNITS_LABEL
from xlsummary.workbook_layout import Column, column_letter
from xlsummary.workbook_style import (
    Book,
    as_text,
    body_cell,
    header_row,
    note_row,
    print_setup,
    protect_sheet,
    title_row,
)
from xlsummary.xml_safety import xml_text


def sheet_name(key: str, lang: str) -> str:
    return text(f"consolidate.sheet.{key}", lang)


def writer(rollup: Rollup):
    """The ``extra`` hook of :func:`xlsummary.generate.build` for ``rollup``."""

    def write(book: Book) -> None:
        write_units(book, rollup)
        write_submissions(book, rollup)
        write_weights(book, rollup)

    return write


def _name(book: Book, name: str, sheet: str, ref: str) -> None:
    book.names[name] = "'" + sheet.replace("'", "''") + f"'!{ref}"


def _say(book: Book, key: str, **params: object) -> str:
    return text(f"consolidate.{key}", book.lang, **params)


#: the most characters an Excel cell holds
CELL_LIMIT = 32_767


def _cell_text(value: object) -> object:
    """Submitted text as a cell can hold it: no control characters, at most
    :data:`CELL_LIMIT` characters; anything else as it is."""
    return xml_text(value)[:CELL_LIMIT] if isinstance(value, str) else value


def _number(value: float) -> float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if float(value).is_integer() else float(value)


#: per workbook being written, the style of its first body cell
_LOOK: WeakKeyDictionary = WeakKeyDictionary()


def _body(book: Book, cell) -> None:
    """A computed (grey, locked) cell, its look copied from the first one styled: a
    thousand units' rows styled one by one spend seconds hashing openpyxl's styles."""
    look = _LOOK.get(book.wb)
    if look is None:
        body_cell(book, cell, False)
        _LOOK[book.wb] = copy(cell._style)
    else:
        cell._style = copy(look)


def write_units(book: Book, rollup: Rollup) -> None:
    """Units down, indicators across (names, then their codes: the reader's key), each
    unit's period figure, then the totals row: the consolidated figures."""
    lang = book.lang
    sheet = sheet_name("units", lang)
    ws = book.wb.create_sheet(sheet)
    inds = rollup.indicators
    columns = (
        Column("unit", _say(book, "head.unit"), _say(book, "head.unit"), 28),
        *(Column(i.code, f"{i.name(lang)}（{i.unit_for(lang)}）", "", 12) for i in inds),
    )
    title_row(book, ws, _say(book, "units_title", period=rollup.period.as_message()), len(columns))
    note_row(book, ws, _say(book, "units_note"), len(columns))
    header_row(book, ws, 3, tuple(Column(c.key, c.zh, c.zh, c.width) for c in columns))
    ws.cell(4, 1, _say(book, "head.code")).font = Font(name=book.font, size=9, color="808080")
    for c, ind in enumerate(inds, start=2):
        ws.cell(4, c, ind.code).font = Font(name=book.font, size=9, color="808080")
    _name(book, NAME_UNITS, sheet, f"$A$4:${column_letter(len(columns) - 1)}$4")
    row = 5
    for s, unit in enumerate(rollup.units):
        _body(book, as_text(ws.cell(row, 1, _cell_text(unit))))
        for c in range(len(inds)):
            _body(book, ws.cell(row, c + 2, _number(rollup.breakdown[s, c])))
        row += 1
    total = ws.cell(row, 1, _say(book, "head.total"))
    body_cell(book, total, False)
    total.font = Font(name=book.font, bold=True)
    for c in range(len(inds)):
        cell = ws.cell(row, c + 2, _number(rollup.totals[c]))
        body_cell(book, cell, False)
        cell.font = Font(name=book.font, bold=True)
    ws.freeze_panes = "B5"
    protect_sheet(ws)
    print_setup(ws, landscape=True, title_rows="3:4")


def write_submissions(book: Book, rollup: Rollup) -> None:
    """One row per submitted file, in input order, then how each rate was averaged
    and which units' catalogues lack which indicator."""
    lang = book.lang
    sheet = sheet_name("submissions", lang)
    ws = book.wb.create_sheet(sheet)
    keys = ("unit", "file", "sha256", "errors", "warnings", "first_issue", "included", "why")
    widths = (26, 30, 20, 7, 7, 50, 9, 50)
    columns = tuple(
        Column(k, _say(book, f"head.{k}"), _say(book, f"head.{k}"), w)
        for k, w in zip(keys, widths, strict=True)
    )
    title_row(book, ws, _say(book, "submissions_title"), len(columns))
    note_row(book, ws, _say(book, "submissions_note"), len(columns))
    header_row(book, ws, 3, columns)
    _name(book, NAME_SUBMISSIONS, sheet, f"$A$3:${column_letter(len(columns) - 1)}$3")
    row = 4
    for d in rollup.decisions:
        s = d.submission
        why = d.reason or d.note
        values = (
            s.unit,
            s.file,
            s.sha256,
            None if s.failure else s.errors,
            None if s.failure else s.warnings,
            s.first_issue(lang) if s.first_issue else "",
            _say(book, "yes" if d.included else "no"),
            why(lang) if why else "",
        )
        for c, value in enumerate(values, start=1):
            _body(book, as_text(ws.cell(row, c, _cell_text(value))))
        row += 1
    row += 1
    notes = [_say(book, "rates_heading")]
    notes += [rate_method(rollup, code)(lang) for code in rollup.weights]
    notes += [m(lang) for m in rollup.conflicts]
    notes += [lacking(rollup, code)(lang) for code in rollup.lacking]
    for line in notes:
        as_text(ws.cell(row, 1, _cell_text(line))).font = Font(name=book.font)
        row += 1
    ws.freeze_panes = "B4"
    protect_sheet(ws)
    print_setup(ws, landscape=True, title_rows="3:3")


def rate_method(rollup: Rollup, code: str) -> Msg:
    """How a rate was averaged across units: said in the sheet, the CLI and the report."""
    base, _ = rollup.weights[code]
    names = {i.code: i for i in rollup.indicators}
    ind = names[code]
    if base == UNITS:
        return Msg("consolidate.rate_plain", {"name": ind.name_zh, "name_en": ind.name_en})
    weight = names[base]
    return Msg(
        "consolidate.rate_weighted",
        {
            "name": ind.name_zh,
            "name_en": ind.name_en,
            "weight": weight.name_zh,
            "weight_en": weight.name_en,
        },
    )


def lacking(rollup: Rollup, code: str) -> Msg:
    ind = next(i for i in rollup.indicators if i.code == code)
    return Msg(
        "consolidate.lacking",
        {"name": ind.name_zh, "name_en": ind.name_en, **listing("units", rollup.lacking[code])},
    )


def write_weights(book: Book, rollup: Rollup) -> None:
    """Per averaged indicator: its basis and the weight behind each month's figure and
    the prior's (the number of units, or the sum of the weight indicator's figures)."""
    lang = book.lang
    sheet = sheet_name("weights", lang)
    ws = book.wb.create_sheet(sheet)
    heads = [_say(book, "head.code"), _say(book, "head.basis")]
    heads += [f"{m}" for m in range(1, 13)] + [_say(book, "head.prior")]
    columns = tuple(Column(f"c{k}", h, h, 10 if k > 1 else 16) for k, h in enumerate(heads))
    title_row(book, ws, _say(book, "weights_title"), len(columns))
    note_row(book, ws, _say(book, "weights_note"), len(columns))
    header_row(book, ws, 3, columns)
    _name(book, NAME_WEIGHTS, sheet, f"$A$3:${column_letter(len(columns) - 1)}$3")
    for r, (code, (base, weights)) in enumerate(rollup.weights.items(), start=4):
        ws.cell(r, 1, code)
        ws.cell(r, 2, base or UNITS_LABEL)
        for c, w in enumerate(weights, start=3):
            ws.cell(r, c, _number(w))
    protect_sheet(ws)
