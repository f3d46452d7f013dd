"""The report fields of a roll-up: its per-unit table and the leading units.

Pure, like ``context`` (which adds these fields to every report's context): from the
model's per-unit table (:attr:`Model.units`, read from a roll-up's 分单位 sheet) and
the roll-up's totals. A unit's own workbook has no such table: ``rollup`` is then
false and the lists are empty, so the shipped templates print neither.

Which indicators: the report's page holds a unit column and at most
:data:`UNIT_COLUMNS` figures, so the per-unit table takes the catalogue's required
indicators first (the ones every unit reports), then the others, in catalogue order,
among those with a consolidated figure. The leading units are named for those of
them that add up across units (sum, last, max): for a rate the leading unit says
little about the whole.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from xlsummary.i18n import text
from xlsummary.report_format import figure_decimals, format_figure

if TYPE_CHECKING:
    from xlsummary.model import Model
    from xlsummary.totals import Totals

UNIT_COLUMNS = 5
LEADERS = 3


def rollup_fields(model: Model, totals: Totals, lang: str, clean) -> dict[str, Any]:
    """``rollup``, ``unit_columns``, ``units`` and ``leaders`` (docs/template-fields.md).
    ``clean`` is the context's one-line text cleaner (unit names are staff text).
    ``units`` ends with the totals row; columns (and each row's ``figures``) are padded
    with blanks to :data:`UNIT_COLUMNS`, as the template's table has that many."""
    table = model.units
    if table is None or not table.units:
        return {"rollup": False, "unit_columns": [], "units": [], "leaders": []}
    where = {code: k for k, code in enumerate(table.codes)}
    candidates = [
        ind
        for ind in model.indicators
        if ind.code in where and ind.code in totals.by_code and totals[ind.code].total is not None
    ]
    chosen = sorted(candidates, key=lambda i: not i.required)[:UNIT_COLUMNS]
    chosen = [i for i in model.indicators if i in chosen]
    digits = {
        i.code: figure_decimals(
            [_figure(v) for v in table.figures[:, where[i.code]]] + [totals[i.code].total],
            i.kind,
        )
        for i in chosen
    }
    columns = [
        {"code": i.code, "name": clean(i.name(lang)), "unit": clean(i.unit_for(lang) or i.unit)}
        for i in chosen
    ]
    units = []
    for u, name in enumerate(table.units):
        units.append(
            {
                "name": clean(name),
                "figures": [
                    format_figure(
                        _figure(table.figures[u, where[i.code]]), i.kind, decimals=digits[i.code]
                    )
                    for i in chosen
                ],
            }
        )
    total_row = {
        "name": text("consolidate.head.total", lang),
        "figures": [
            format_figure(totals[i.code].total, i.kind, decimals=digits[i.code]) for i in chosen
        ],
    }
    leaders = []
    for i in chosen:
        if i.rule == "mean":
            continue
        column = [(_figure(table.figures[u, where[i.code]]), u) for u in range(len(table.units))]
        ranked = sorted(((v, u) for v, u in column if v is not None and v > 0), key=lambda x: -x[0])
        top = ranked[:LEADERS]
        if len(ranked) > LEADERS and ranked[LEADERS][0] == top[-1][0]:
            # a tie at the cut: naming some of the tied units (in file order) says
            # more than the figures do, so none of them is named
            top = [(v, u) for v, u in top if v > top[-1][0]]
        if len(ranked) < 2 or not top or top[0][0] == ranked[-1][0]:
            continue  # one unit, or every unit alike: none leads
        named = text("workbook.list_separator", lang).join(
            text(
                "consolidate.leader",
                lang,
                unit=clean(table.units[u]),
                figure=format_figure(v, i.kind, decimals=digits[i.code]),
                measure=clean(i.unit_for(lang) or i.unit),
            )
            for v, u in top
        )
        leaders.append(
            {
                "code": i.code,
                "text": text("consolidate.leaders", lang, name=clean(i.name(lang)), units=named),
            }
        )
    # always UNIT_COLUMNS columns: a Word table's columns are fixed in the template
    blank = UNIT_COLUMNS - len(columns)
    columns += [{"code": "", "name": "", "unit": ""}] * blank
    for row in (*units, total_row):
        row["figures"] += [""] * blank
    return {
        "rollup": True,
        "unit_columns": columns,
        "units": [*units, total_row],
        "leaders": leaders,
    }


def _figure(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)
