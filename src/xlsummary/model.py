"""The workbook as data: info, catalogue, monthly tallies and narrative, each value
knowing the cell it came from.

A :class:`Model` is what every later stage reads: validation (``validate.py``), totals
(``totals.py``) and the report context (``context.py``). It is built from grids by
:func:`xlsummary.model_reader.build_model`, from a file or from a live Excel alike.

The monthly figures are kept as a numpy matrix (one row per catalogue indicator,
NaN for "no figure") because totals and rules are vectorized over it; the pandas
view :attr:`Model.tallies` is built on first use, so commands that never ask for it
do not pay for importing pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from xlsummary import catalogue as cat
from xlsummary import workbook_layout as layout
from xlsummary.grids import CellRef
from xlsummary.issues import Issue
from xlsummary.periods import Period

if TYPE_CHECKING:
    import pandas as pd

    from xlsummary.rollup_layout import UnitTable


@dataclass(frozen=True, slots=True)
class InfoValue:
    key: str
    label: str  # as the workbook shows it
    label_en: str
    value: object  # as read: str, float, date... None when empty
    ref: CellRef


@dataclass(frozen=True, slots=True)
class NarrativeSection:
    code: str
    title: str
    text: str
    required: bool
    ref: CellRef  # the text cell


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    indicator: cat.Indicator
    ref: CellRef  # the code cell


@dataclass
class Model:
    lang: str
    profile: str
    sheet_names: dict[str, str]  # layout key -> actual sheet name
    info: dict[str, InfoValue]
    year: int | None
    period: Period | None
    catalogue: list[CatalogueRow]  # valid, unique entries in sheet order
    values: np.ndarray  # (n, 12) float, NaN = no figure
    prior: np.ndarray  # (n,) float, NaN = no figure
    unreadable: np.ndarray  # (n, 12) bool: a month cell has content that is not a number
    tally_rows: list[int | None]  # 0-based sheet row per indicator, None: no row
    tally_cols: dict[str, int]  # column key -> 0-based column
    narrative: list[NarrativeSection]
    read_issues: list[Issue] = field(default_factory=list)
    source: str = ""
    sha256: str = ""  # of the workbook file, when it was read from one
    # last year's workbook, when 上年同期 was computed from it (prior_year.apply_prior)
    prior_source: str = ""
    prior_sha256: str = ""
    #: a roll-up's per-unit period figures (its 分单位 sheet); None for a unit's workbook
    units: UnitTable | None = None

    @cached_property
    def indicators(self) -> list[cat.Indicator]:
        return [row.indicator for row in self.catalogue]

    @cached_property
    def index(self) -> dict[str, int]:
        """Indicator code -> row of :attr:`values`."""
        return {row.indicator.code: i for i, row in enumerate(self.catalogue)}

    def indicator(self, key: str) -> cat.Indicator | None:
        """Find by code, Chinese or English name (what staff write in placeholders)."""
        return self._by_key.get(key.strip().casefold())

    @cached_property
    def _by_key(self) -> dict[str, cat.Indicator]:
        out: dict[str, cat.Indicator] = {}
        for ind in reversed(self.indicators):
            for key in (ind.name_en, ind.name_zh, ind.code):
                if key:
                    out[key.strip().casefold()] = ind
        return out

    def tally_cell(self, code: str, column: str) -> CellRef | None:
        """The cell of an indicator's month (``m3``) or ``prior`` figure."""
        row = self.tally_rows[self.index[code]]
        if row is None:
            return None
        return CellRef(self.sheet_names["tally"], row, self.tally_cols[column])

    def info_text(self, key: str) -> str:
        """An info field as text ("" when empty; 2023.0 reads as "2023")."""
        return cell_text(self.info[key].value) if key in self.info else ""

    @cached_property
    def tallies(self) -> pd.DataFrame:
        """Monthly figures as a DataFrame indexed by indicator code.

        Columns ``m1``..``m12`` and ``prior`` (float, NaN where nothing usable was
        entered) plus the catalogue's ``name``, ``unit``, ``rule`` and ``kind``.
        """
        import pandas as pd

        frame = pd.DataFrame(
            self.values,
            columns=list(layout.MONTH_KEYS),
            index=pd.Index([i.code for i in self.indicators], name="code"),
        )
        frame["prior"] = self.prior
        frame.insert(0, "name", [i.name(self.lang) for i in self.indicators])
        frame.insert(1, "unit", [i.unit for i in self.indicators])
        frame["rule"] = [i.rule for i in self.indicators]
        frame["kind"] = [i.kind for i in self.indicators]
        return frame


def cell_text(value: object) -> str:
    if type(value) is str:  # the common case first: most cells are text or empty ("")
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
