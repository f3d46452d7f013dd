"""Realistic sets of unit workbooks for the many-workbooks tests (consolidation, batch).

Each unit's figures are plain Python data in the shape of ``examples/*.toml``
(``{"info": …, "tallies": {code: {"months": [...], "prior": …}}, "narrative": …}``),
so a test can compute what it expects from them independently of the code under test,
and the workbooks are written by the real generator. Months a unit left empty are
``""``; only optional indicators have them (an empty month of a required indicator is
an error, which :func:`broken` makes on purpose).
"""

from __future__ import annotations

import copy
import random
from dataclasses import replace
from pathlib import Path

from xlsummary import catalogue as cat
from xlsummary.generate import generate_workbook, load_example

PROFILE = "hospital"
HYPERLINK_UNIT = '=HYPERLINK("http://x","点我")'
UNIT_NAMES = (
    "某某县人民医院",
    "某某县中医院",
    "某某县妇幼保健院",
    "某某镇卫生院",
    "某某乡卫生院",
    "某某社区卫生服务中心",
    "某某县第二人民医院",
    "某某县精神病医院",
)


def unit_example(
    unit: str,
    seed: int,
    *,
    year: int = 2023,
    period: str = "year",
    profile: str = PROFILE,
    empty_share: float = 0.25,
) -> dict:
    """One unit's figures: the bundled example's scale, varied by ``seed``; optional
    indicators leave about ``empty_share`` of their months empty."""
    rng = random.Random(seed)
    base = load_example(profile)
    prof = cat.load_profile(profile)
    tallies = {}
    for ind in prof.indicators:
        months = []
        for value in base["tallies"][ind.code]["months"]:
            if not ind.required and rng.random() < empty_share:
                months.append("")
            elif ind.kind == "percent":
                months.append(round(rng.uniform(85, 100), 1))
            elif ind.kind == "amount":
                months.append(round(value * rng.uniform(0.2, 2.0), 2))
            else:
                months.append(round(value * rng.uniform(0.3, 2.5)))
        prior = base["tallies"][ind.code]["prior"]
        if ind.kind == "percent":
            prior = round(rng.uniform(85, 100), 1)
        elif ind.kind == "amount":
            prior = round(prior * rng.uniform(0.5, 1.5), 2)
        else:
            prior = round(prior * rng.uniform(0.5, 1.5))
        tallies[ind.code] = {"months": months, "prior": prior}
    info = dict(base["info"], unit=unit, year=year, period=period, date=f"{year}-12-28")
    data = copy.deepcopy(base)
    data["info"] = info
    data["tallies"] = tallies
    return data


def write_unit(folder: Path, name: str, example: dict, profile=PROFILE, lang="zh") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(generate_workbook(profile, None, lang, example=example))
    return path


def unit_set(folder: Path, count: int = 5, seed: int = 1, **kw) -> dict[str, tuple[Path, dict]]:
    """``count`` clean units: unit name -> (file, figures)."""
    out = {}
    for k in range(count):
        unit = UNIT_NAMES[k % len(UNIT_NAMES)] + ("" if k < len(UNIT_NAMES) else str(k))
        example = unit_example(unit, seed * 100 + k, **kw)
        out[unit] = (write_unit(folder, f"unit{k:02d}.xlsx", example), example)
    return out


def extra_indicator_profile() -> cat.Profile:
    """The hospital profile with one more indicator (远程会诊), as a unit that added a
    row to its 指标 sheet has."""
    prof = cat.load_profile(PROFILE)
    extra = cat.Indicator(
        code="telemedicine",
        name_zh="远程会诊",
        name_en="Remote consultations",
        unit="次",
        unit_en="sessions",
        category="service",
    )
    return replace(prof, indicators=(*prof.indicators, extra))


def other_rule_profile() -> cat.Profile:
    """The hospital profile with 住院人次 (inpatient) counted in another unit of measure."""
    prof = cat.load_profile(PROFILE)
    inds = tuple(replace(i, unit="例") if i.code == "inpatient" else i for i in prof.indicators)
    return replace(prof, indicators=inds)


def broken(example: dict) -> dict:
    """The same unit with errors: a negative count and an empty required month."""
    data = copy.deepcopy(example)
    data["tallies"]["outpatient"]["months"][2] = -5
    data["tallies"]["surgery"]["months"][4] = ""
    return data


def conflicting_set(folder: Path) -> dict[str, object]:
    """Everything consolidation must notice, beside four clean units (one of them named
    like a formula): another year, another period, the same unit twice, an extra
    indicator, another unit of measure, errors, a corrupt file, a lock file, a text file.

    Returns ``{"clean": {unit: (path, figures)}, "<role>": path…}``."""
    clean = unit_set(folder / "ok", 3, seed=7)
    formula = unit_example(HYPERLINK_UNIT, 999)
    clean[HYPERLINK_UNIT] = (write_unit(folder / "ok", "formula.xlsx", formula), formula)
    roles: dict[str, object] = {"clean": clean}
    roles["other_year"] = write_unit(folder, "y2022.xlsx", unit_example("往年医院", 11, year=2022))
    roles["other_period"] = write_unit(folder, "h1.xlsx", unit_example("半年医院", 12, period="h1"))
    twice = unit_example("重复医院", 13)
    roles["twice_a"] = write_unit(folder, "dup/a.xlsx", twice)
    roles["twice_b"] = write_unit(folder, "dup/b.xlsx", unit_example("重复医院", 14))
    extra = unit_example("加项医院", 15)
    extra["tallies"]["telemedicine"] = {"months": [2] * 12, "prior": 20}
    roles["extra"] = write_unit(folder, "extra.xlsx", extra, extra_indicator_profile())
    clean["加项医院"] = (roles["extra"], extra)
    measure = unit_example("异单位医院", 16)
    roles["other_unit"] = write_unit(folder, "unit_measure.xlsx", measure, other_rule_profile())
    clean["异单位医院"] = (roles["other_unit"], measure)
    roles["errors"] = write_unit(folder, "errors.xlsx", broken(unit_example("有误医院", 17)))
    corrupt = folder / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a workbook")
    roles["corrupt"] = corrupt
    lock = folder / "~$unit00.xlsx"
    lock.write_bytes(b"lock")
    roles["lock"] = lock
    notes = folder / "notes.txt"
    notes.write_text("not a workbook")
    roles["notes"] = notes
    return roles
