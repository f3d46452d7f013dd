"""Reporting periods: a full year, a half, a quarter or any run of months.

A period is just an inclusive month range ``start..end`` within one year; every named
period (上半年, 第三季度...) is a shorthand for one. Keeping that single representation
means totals, the Excel functions and the report never special-case a period kind.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from xlsummary.i18n import DEFAULT, LANGS, Msg, words

QUARTERS = ((1, 3), (4, 6), (7, 9), (10, 12))
HALVES = ((1, 6), (7, 12))

# Named periods in the order of the 报告期 drop-down. "custom" uses 起始月/截止月.
NAMED = {
    "year": (1, 12),
    "h1": (1, 6),
    "h2": (7, 12),
    "q1": (1, 3),
    "q2": (4, 6),
    "q3": (7, 9),
    "q4": (10, 12),
}
#: the drop-down's entries (and each period's words) in every language: code -> label
LABELS = {lang: words("workbook.period", lang) for lang in LANGS}
#: every 报告期 label the core accepts, without spaces and casefolded -> its code (the
#: sheet's own period formulas are written from it)
BY_LABEL = {
    label.replace(" ", "").casefold(): code
    for per in LABELS.values()
    for code, label in per.items()
}
BY_LABEL |= {code: code for code in LABELS[DEFAULT]} | {
    "年度": "year",
    "全年度": "year",
    "上半年度": "h1",
    "下半年度": "h2",
    "自定义": "custom",
}
for _q, _cn in enumerate("一二三四", start=1):
    BY_LABEL |= {f"{_cn}季度": f"q{_q}", f"第{_q}季度": f"q{_q}", f"{_q}季度": f"q{_q}"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９－～", "0123456789-~")
_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
# "1-9月", "1月—9月", "1至9月", "1~9", "一至九月"
_RANGE = re.compile(
    r"^\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月?\s*(?:-|–|—|－|~|～|至|到)+\s*"
    r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月?(?:份)?\s*$"
)


def _month_number(text: str) -> int | None:
    return int(text) if text.isdigit() else _CN_DIGITS.get(text)


@dataclass(frozen=True, slots=True)
class Period:
    """Months ``start..end`` (1-based, inclusive) of ``year``; ``kind`` names the shorthand."""

    start: int
    end: int
    kind: str = "custom"

    def __post_init__(self) -> None:
        if not 1 <= self.start <= self.end <= 12:
            raise ValueError(f"bad month range {self.start}..{self.end}")

    @classmethod
    def named(cls, kind: str) -> Period:
        start, end = NAMED[kind]
        return cls(start, end, kind)

    @classmethod
    def months(cls, start: int, end: int) -> Period:
        """A month range, recognised as a named period when it is one (1..6 is 上半年)."""
        for kind, bounds in NAMED.items():
            if bounds == (start, end):
                return cls(start, end, kind)
        return cls(start, end, "custom")

    def as_message(self) -> Msg:
        """The period as a message, said in each reader's language (an issue or an
        error keeps this, not one language's label)."""
        if self.kind != "custom":
            return Msg(f"workbook.period.{self.kind}")
        if self.start == self.end:
            return Msg("workbook.period_month", {"start": self.start})
        return Msg("workbook.period_months", {"start": self.start, "end": self.end})

    def label(self, lang: str = DEFAULT) -> str:
        return self.as_message()(lang)


def parse_period_label(text: object) -> str | None:
    """The 报告期 cell: a named period code, ``custom``, or None when not understood."""
    if text is None:
        return None
    return BY_LABEL.get(str(text).translate(_FULLWIDTH).replace(" ", "").casefold())


def parse_month_range(text: object) -> tuple[int, int] | None:
    """Free text such as ``1-9月`` or ``一至九月`` typed into the 报告期 cell."""
    match = _RANGE.match(str(text).translate(_FULLWIDTH)) if text is not None else None
    if not match:
        return None
    start, end = _month_number(match.group(1)), _month_number(match.group(2))
    if start is None or end is None or not 1 <= start <= end <= 12:
        return None
    return start, end


def parse_date(value: object) -> _dt.date | None:
    """A 填报日期 cell: a date cell, or text such as 2023-12-28, 2023/12/28, 2023.12.28,
    2023年12月28日 or 20231228. None when it is not a date."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if value is None:
        return None
    text = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "")
    text = text.replace("/", "-").replace(".", "-").strip("-")
    try:
        if text.isdigit():
            return _dt.date.fromisoformat(text)
        return _dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        return None
