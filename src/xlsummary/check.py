"""The library call behind ``xlsummary check``: file in, model + issues + totals out.

Like sqlite-utils, every CLI command has a plain function here, so the web server,
batch conversion and tests use exactly what the command line uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsummary.grids import WorkbookGrids
from xlsummary.issues import Issue, count
from xlsummary.limits import DEFAULT, Limits
from xlsummary.model import Model
from xlsummary.model_reader import build_model
from xlsummary.read_xlsx import read_grids, read_grids_from_bytes
from xlsummary.totals import Totals, compute_totals
from xlsummary.validate import validate


@dataclass(frozen=True)
class CheckResult:
    model: Model
    issues: list[Issue]
    totals: Totals

    @property
    def errors(self) -> int:
        return count(self.issues)[0]

    @property
    def warnings(self) -> int:
        return count(self.issues)[1]

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` shape: stable keys, messages in both languages."""
        m = self.model
        return {
            "source": m.source,
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "profile": m.profile,
            "lang": m.lang,
            "info": {key: m.info_text(key) for key in m.info},
            "year": m.year,
            "issues": [i.to_dict() for i in self.issues],
            "totals": self.totals.to_dict(),
        }


def check_model(model: Model) -> CheckResult:
    totals = compute_totals(model)
    return CheckResult(model, validate(model, totals), totals)


def check_source(
    source: str | Path | bytes | WorkbookGrids | CheckResult,
    *,
    name: str = "",
    limits: Limits = DEFAULT,
) -> CheckResult:
    """Read (if need be), validate and total a workbook given as a file's path, its
    bytes (an upload: ``name`` names it in messages), grids already read (the open
    Excel), or a workbook already checked: what every entry point starts with."""
    if isinstance(source, CheckResult):
        return source
    if isinstance(source, WorkbookGrids):
        grids = source
    elif isinstance(source, bytes | bytearray | memoryview):
        grids = read_grids_from_bytes(bytes(source), name or "workbook.xlsx", limits)
    else:
        grids = read_grids(source, limits)
    return check_model(build_model(grids))


def check_workbook(path: str | Path, limits: Limits = DEFAULT) -> CheckResult:
    """Read, validate and total one workbook file (raises FileError if unreadable)."""
    return check_source(path, limits=limits)
