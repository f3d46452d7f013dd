"""Adversarial review of consolidation (issue #15): each test is a problem found by
trying to break ``xlsummary consolidate`` as a bureau's office worker or an attacker
would. Expected figures are computed here in plain Python, never by the code under test.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

import unit_workbooks as uw
from xlsummary import catalogue as cat
from xlsummary.check import check_workbook
from xlsummary.consolidate import Submission, consolidate
from xlsummary.periods import Period
from xlsummary.rollup_workbook import consolidate_files

YEAR = Period.named("year")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def _ind(code: str, rule: str = "sum", kind: str = "count", unit: str = "次") -> cat.Indicator:
    return cat.Indicator(
        code=code, name_zh=code, name_en=code, unit=unit, category="x", rule=rule, kind=kind
    )


def _sub(unit: str, months: list[float], prior: float = 1.0, **kw) -> Submission:
    inds = kw.pop("indicators", (_ind("x", kind="amount", unit="万元"),))
    return Submission(
        file=f"{unit}.xlsx",
        unit=unit,
        year=2023,
        period=YEAR,
        indicators=inds,
        values=np.array([months], dtype=float),
        prior=np.array([prior]),
        **kw,
    )


def _replace_in_zip(source: Path, target: Path, old: bytes, new: bytes) -> Path:
    """The workbook with ``old`` replaced by ``new`` in every part (raw XML edit)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename).replace(old, new))
    return target


def _column_a(path: Path, sheet: str) -> list[str]:
    ws = load_workbook(path)[sheet]
    return [str(c.value) for c in ws["A"] if c.value is not None]


# --- the same unit spelled with full-width characters ---------------------------------


def test_same_unit_in_full_width_characters_is_the_same_unit():
    """第1医院（分院） and 第１医院(分院) are one hospital typed on two keyboards: counted
    as two, its figures are in the roll-up twice."""
    a = _sub("第1医院（分院）", [1.0] * 12)
    b = _sub("第１医院(分院)", [2.0] * 12)
    c = _sub("ＡＢＣ医院", [4.0] * 12)
    d = _sub("abc医院", [8.0] * 12)
    rollup = consolidate([a, b, c, d], unit="局")
    assert rollup.units == []
    assert all(
        x.reason is not None and x.reason.key == "consolidate.duplicate_unit"
        for x in rollup.decisions
    )
