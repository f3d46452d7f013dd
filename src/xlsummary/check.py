"""The library call behind ``xlsummary check``: file in, model + issues + totals out.

Like sqlite-utils, every CLI command has a plain function here, so the web server,
batch conversion and tests use exactly what the command line uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from xlsummary.errors import XlsummaryError
from xlsummary.grids import WorkbookGrids
from xlsummary.issues import WARNING, Issue, count
from xlsummary.limits import DEFAULT, Limits
from xlsummary.model import Model
from xlsummary.model_reader import build_model
from xlsummary.read_xlsx import read_grids, read_grids_from_bytes
from xlsummary.totals import Totals, compute_totals
from xlsummary.validate import sort_issues, validate


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
            # last year's workbook 上年同期 was computed from (None: the column as typed)
            "prior_workbook": (
                {"file": m.prior_source, "sha256": m.prior_sha256} if m.prior_source else None
            ),
            "issues": [i.to_dict() for i in self.issues],
            "totals": self.totals.to_dict(),
        }


Source = str | Path | bytes | WorkbookGrids | CheckResult


def check_model(model: Model, more: list[Issue] | None = None) -> CheckResult:
    """Validate and total a model; ``more``: issues found before (last year's)."""
    totals = compute_totals(model)
    issues = validate(model, totals)
    if more:
        issues = sort_issues(model, issues + more)
    return CheckResult(model, issues, totals)


def check_source(
    source: Source,
    *,
    name: str = "",
    limits: Limits = DEFAULT,
    prior: Source | None = None,
    prior_name: str = "",
    prior_dir: str | Path | None = None,
) -> CheckResult:
    """Read (if need be), validate and total a workbook given as a file's path, its
    bytes (an upload: ``name`` names it in messages), grids already read (the open
    Excel), or a workbook already checked: what every entry point starts with.

    ``prior`` is last year's workbook in any of those forms (``prior_name`` names an
    upload), or ``prior_dir`` a folder to find it in: 上年同期 is then computed from
    last year's months (:mod:`xlsummary.prior_year`)."""
    if isinstance(source, CheckResult):
        if prior is None and prior_dir is None:
            return source
        model = source.model
    else:
        model = build_model(_grids(source, name, limits))
    more: list[Issue] = []
    if prior is None and prior_dir is not None:
        from xlsummary.prior_lookup import find_prior

        prior = find_prior(prior_dir, model, limits)
        if prior is None and model.year is not None and model.info_text("unit"):
            more.append(
                Issue.at(
                    WARNING,
                    "prior_not_found",
                    model.info["unit"].ref,
                    folder=str(prior_dir),
                    unit=model.info_text("unit"),
                    year=model.year - 1,
                )
            )
    if prior is not None:
        from xlsummary.prior_year import apply_prior

        try:
            last = check_source(prior, name=prior_name, limits=limits)
            shown = source_file(prior_name or last.model.source)
            model, found = apply_prior(model, last.model, last.issues, shown)
        except XlsummaryError as error:
            # both files are often called 统计表.xlsx: say which one this is about
            error.field = "prior"
            raise
        more += found
    return check_model(model, more)


def _grids(source: str | Path | bytes | WorkbookGrids, name: str, limits: Limits):
    if isinstance(source, WorkbookGrids):
        return source
    if isinstance(source, bytes | bytearray | memoryview):
        return read_grids_from_bytes(bytes(source), name or "workbook.xlsx", limits)
    return read_grids(source, limits)


def source_file(source: str) -> str:
    """A workbook's file name without its folders (where it was kept is nobody's
    business in a report or a message)."""
    return PurePath(source.replace("\\", "/")).name if source else ""


def check_workbook(
    path: str | Path, limits: Limits = DEFAULT, prior: str | Path | None = None
) -> CheckResult:
    """Read, validate and total one workbook file (raises FileError if unreadable);
    ``prior``: last year's workbook, to compute 上年同期 from."""
    return check_source(path, limits=limits, prior=prior)
