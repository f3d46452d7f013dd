"""Where a roll-up workbook keeps what a unit's workbook does not have, and reading it.

A roll-up (``xlsummary consolidate``) is a standardized workbook plus three sheets:
分单位 (each unit's period figures), 报送情况 (submissions) and 汇总权重 (the weight
behind every averaged monthly figure). Each has a defined name at its header, so the
ordinary reader (``read_xlsx`` reads every sheet our names point at) brings them along
and this module reads them from the grids: the model reader takes the per-unit table
(for the report's per-unit table and leading units), consolidation the weights (so a
roll-up consolidated again one level up averages rates exactly). No openpyxl here: this
is on the path of every ``check``; the writing is in ``rollup_sheets``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xlsummary.grids import WorkbookGrids
from xlsummary.model import cell_text
from xlsummary.workbook_layout import normalize_header

NAME_UNITS = "XLS_ROLLUP_UNITS"  # the by-unit sheet's row of indicator codes
NAME_SUBMISSIONS = "XLS_ROLLUP_SUBMISSIONS"
NAME_WEIGHTS = "XLS_ROLLUP_WEIGHTS"
#: the weight basis of a plain average (each unit counts once), as the sheet writes it
UNITS_LABEL = "units"


@dataclass(frozen=True)
class UnitTable:
    """The 分单位 sheet: ``figures[u, k]`` is unit ``units[u]``'s period figure of
    indicator ``codes[k]`` (NaN: none); the totals row is not kept (the roll-up's own
    totals are the consolidated figures)."""

    units: list[str]
    codes: list[str]
    figures: np.ndarray


def _number(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return np.nan


def read_units(grids: WorkbookGrids) -> UnitTable | None:
    """The per-unit table of a roll-up, or None for a unit's own workbook."""
    target = grids.names.get(NAME_UNITS)
    if target is None or target.sheet not in grids.sheets:
        return None
    grid = grids.sheets[target.sheet]
    header = grid.rows[target.row] if target.row < grid.height else []
    codes = [cell_text(v).lower() for v in header[1:]]
    while codes and not codes[-1]:
        codes.pop()
    rows = [grid.rows[r] for r in range(target.row + 1, grid.height)]
    rows = [r for r in rows if r and cell_text(r[0])]
    body = rows[:-1]  # the last row is the totals row
    figures = np.array(
        [[_number(r[k + 1]) if k + 1 < len(r) else np.nan for k in range(len(codes))] for r in body]
    ).reshape(len(body), len(codes))
    return UnitTable([cell_text(r[0]) for r in body], codes, figures)


def read_weights(grids: WorkbookGrids) -> dict[str, tuple[str, np.ndarray]] | None:
    """A roll-up's recorded weights: rate code -> (basis, the 13 weights of its twelve
    months and prior); None when the workbook is not a roll-up."""
    target = grids.names.get(NAME_WEIGHTS)
    if target is None or target.sheet not in grids.sheets:
        return None
    grid = grids.sheets[target.sheet]
    out: dict[str, tuple[str, np.ndarray]] = {}
    for r in range(target.row + 1, grid.height):
        code = cell_text(grid.value(r, 0)).lower()
        if not code:
            continue
        base = cell_text(grid.value(r, 1))
        base = "" if normalize_header(base) == UNITS_LABEL else base.lower()
        out[code] = (base, np.array([_number(grid.value(r, 2 + m)) for m in range(13)]))
    return out
