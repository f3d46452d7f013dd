"""Indicator definitions: what is counted, in which unit, and how months add up.

An indicator's aggregation rule and kind are declared once, here or in the workbook's
指标 sheet, and every consumer (generator, validation, totals, the Excel functions, the
report) reads them from the same :class:`Indicator`. Profiles are plain TOML data files
in ``profiles/`` so that a hospital, school or bureau office can get a catalogue in
its own vocabulary without touching code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from xlsummary.errors import UnknownProfile
from xlsummary.i18n import LANGS, in_language, per_language, text, words

#: How months combine into a period figure. ``sum`` for flows (surgeries per month),
#: ``last`` for stocks (staff on site at month end), ``max`` and ``mean`` for levels and rates.
RULES = ("sum", "last", "max", "mean")
#: count: whole number >= 0; amount: decimal >= 0; percent: 0..100.
KINDS = ("count", "amount", "percent")

#: the 汇总方式 and 类型 drop-downs' entries and the 必填 column's 是/否, in every
#: language (code -> label), from the catalogue: written by the generator, and any of
#: them read back whatever the workbook's language
RULE_LABELS = {lang: words("workbook.rule", lang) for lang in LANGS}
KIND_LABELS = {lang: words("workbook.kind", lang) for lang in LANGS}
YES_NO = {lang: (text("workbook.yes", lang), text("workbook.no", lang)) for lang in LANGS}

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _reverse(labels: dict[str, dict[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for per_lang in labels.values():
        for code, label in per_lang.items():
            out[label.casefold()] = code
            out[code] = code
    return out


# Every label the reader accepts (casefolded; the cell is stripped first) and what it
# means: also the plain workbook's formulas' lists (workbook_tally), so the sheet and
# the core understand the same 汇总方式, 类型 and 必填 cells.
RULE_BY_LABEL = _reverse(RULE_LABELS) | {
    "合计": "sum",
    "期末": "last",
    "最大": "max",
    "平均": "mean",
}
KIND_BY_LABEL = _reverse(KIND_LABELS) | {
    "金额": "amount",
    "数量": "amount",
    "百分比(%)": "percent",
}
BOOL_BY_LABEL = {
    "是": True,
    "否": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "必填": True,
}


def parse_rule(label: object) -> str | None:
    """Map a 汇总方式 cell (zh or en label, or the code itself) to a rule code."""
    return RULE_BY_LABEL.get(str(label).strip().casefold()) if label is not None else None


def parse_kind(label: object) -> str | None:
    return KIND_BY_LABEL.get(str(label).strip().casefold()) if label is not None else None


def parse_yes_no(label: object) -> bool | None:
    if isinstance(label, bool):
        return label
    if isinstance(label, int | float):
        return bool(label)
    return BOOL_BY_LABEL.get(str(label).strip().casefold()) if label is not None else None


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        return in_language(self, lang)


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    unit: str
    category: str
    rule: str = "sum"
    kind: str = "count"
    required: bool = False
    description: str = ""
    unit_en: str = ""
    #: for a ``mean`` (a rate): the code of the indicator whose figures weight it when
    #: units are consolidated (satisfaction by outpatient visits); "" = each unit counts once
    weight: str = ""
    #: drawn in the report's monthly chart and its comparison chart (the catalogue's
    #: optional 图表 column; see :mod:`xlsummary.charts`)
    chart: bool = False

    def name(self, lang: str) -> str:
        return in_language(self, lang, "name")

    def unit_for(self, lang: str) -> str:
        return in_language(self, lang, "unit")


@dataclass(frozen=True, slots=True)
class NarrativeSpec:
    code: str
    zh: str
    en: str
    required: bool
    hint_zh: str = ""
    hint_en: str = ""

    def title(self, lang: str) -> str:
        return in_language(self, lang)


@dataclass(frozen=True, slots=True)
class Profile:
    code: str
    name_zh: str
    name_en: str
    title_zh: str  # report title pattern, e.g. "{unit}{year}年对口支援工作总结"
    title_en: str
    partner_zh: str  # label of the partner-unit field, e.g. 受援单位
    partner_en: str
    categories: tuple[Category, ...]
    indicators: tuple[Indicator, ...]
    narrative: tuple[NarrativeSpec, ...]

    def name(self, lang: str) -> str:
        return in_language(self, lang, "name")

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)


def listing(name: str, items: list[str]) -> dict[str, str]:
    """Message parameters naming ``items`` in a sentence, joined as each language
    joins a list (、 or a comma)."""
    return per_language(name, lambda lang: text("workbook.list_separator", lang).join(items))


def profile_names() -> list[str]:
    """The profiles shipped as data files, in a stable order."""
    files = resources.files("xlsummary.profiles")
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml"))


@cache
def load_profile(name: str) -> Profile:
    """Load a shipped profile; an unknown name is :class:`UnknownProfile`, listing the known ones."""
    names = profile_names()
    if name not in names:
        raise UnknownProfile("workbook.unknown_profile", name=name, **listing("choices", names))
    data = tomllib.loads(
        (resources.files("xlsummary.profiles") / f"{name}.toml").read_text("utf-8")
    )
    return profile_from_dict(data)


def profile_from_dict(data: dict) -> Profile:
    """Build a profile from parsed TOML, checking what a typo in a data file would break."""
    meta = data["profile"]
    categories = tuple(Category(c["code"], c["zh"], c["en"]) for c in data["categories"])
    known = {c.code for c in categories}
    indicators = []
    for raw in data["indicators"]:
        ind = Indicator(
            code=raw["code"],
            name_zh=raw["zh"],
            name_en=raw["en"],
            unit=raw["unit"],
            unit_en=raw.get("unit_en", ""),
            category=raw["category"],
            rule=raw.get("rule", "sum"),
            kind=raw.get("kind", "count"),
            required=raw.get("required", False),
            description=raw.get("description", ""),
            weight=raw.get("weight", ""),
            chart=raw.get("chart", False),
        )
        if not CODE_PATTERN.match(ind.code):
            raise ValueError(f"indicator code {ind.code!r} is not a lowercase ASCII identifier")
        if ind.rule not in RULES or ind.kind not in KINDS or ind.category not in known:
            raise ValueError(f"indicator {ind.code!r}: bad rule, kind or category")
        indicators.append(ind)
    codes = [i.code for i in indicators]
    if len(set(codes)) != len(codes):
        raise ValueError(f"profile {meta['code']!r} repeats an indicator code")
    for ind in indicators:
        if ind.weight and (ind.rule != "mean" or ind.weight not in codes):
            raise ValueError(f"indicator {ind.code!r}: a weight is a known code, for a mean only")
    narrative = tuple(
        NarrativeSpec(
            n["code"],
            n["zh"],
            n["en"],
            n.get("required", True),
            n.get("hint_zh", ""),
            n.get("hint_en", ""),
        )
        for n in data["narrative"]
    )
    return Profile(
        code=meta["code"],
        name_zh=meta["zh"],
        name_en=meta["en"],
        title_zh=meta["title_zh"],
        title_en=meta["title_en"],
        partner_zh=meta.get("partner_zh", "对口单位"),
        partner_en=meta.get("partner_en", "Partner unit"),
        categories=categories,
        indicators=tuple(indicators),
        narrative=narrative,
    )
