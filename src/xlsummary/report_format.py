"""Figures and dates as a report writes them.

Thousands separators in tables; in Chinese running text none (English running text
keeps them: 15,058 outpatients). Chinese running text writes a whole number as staff
and the seed reports do, without separators (15058人次, 1197人次): GB/T 15835-2011 lets
integers of up to four digits go without grouping, and real 工作总结 write five- and
six-digit counts ungrouped too (the seeds: "15258人次"), because a comma inside a
Chinese sentence reads as the sentence's own comma (15,058人次，同比……). Tables keep
the separators (15,058): there figures stand in columns, alone in their cells, and
are compared across rows. 万元 amounts with at most two decimals (64.8, not 64.80);
rates with one; 四舍五入 (half away from zero) everywhere; year-on-year changes in
words chosen by sign (增长 / 下降 / 持平, up / down) for running text and signed for
tables; and dates as each language writes them (2023年12月28日, or 二〇二三年十二月二十八日
on request; 28 December 2023). The words come from the catalogue (``report.*``); the
digits are done here.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal
from functools import cache

from xlsummary.i18n import text as words_text
from xlsummary.i18n import words
from xlsummary.typed_numbers import round_half_away

DECIMALS = {"count": 0, "amount": 2, "percent": 1}
_DIGITS = "〇一二三四五六七八九"


def format_figure(
    value: float | None,
    kind: str = "count",
    empty: str = "—",
    decimals: int | None = None,
    grouped: bool = True,
) -> str:
    """A figure for a table (``grouped``: 15,058) or for running text (15058), with its
    kind's decimals; ``decimals`` fixes them (a table row of amounts, see
    :func:`figure_decimals`)."""
    if value is None:
        return empty
    digits = DECIMALS.get(kind, 2) if decimals is None else decimals
    group = "," if grouped else ""
    if value == int(value):  # the common case (counts): no decimal arithmetic needed
        whole = f"{int(value):{group}}"
        if kind == "percent" or (decimals and kind != "count"):
            return f"{whole}.{'0' * digits}"
        return whole
    rounded = round_half_away(value, digits)
    text = f"{rounded:{group}.{digits}f}"
    if kind == "amount" and decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")  # 70.00 万元 reads as 70 万元, 64.80 as 64.8
    return text


def figure_decimals(values: Iterable[float | None], kind: str) -> int:
    """The decimals one indicator's figures share in a table: an amount needs as many
    as its most precise figure (70.0 beside 64.8, not 70 beside 64.8), at most its
    kind's; counts and rates have their kind's."""
    most = DECIMALS.get(kind, 2)
    if kind != "amount":
        return most
    needed = 0
    for value in values:
        if value is None or value == int(value):
            continue
        text = f"{round_half_away(value, most):.{most}f}".rstrip("0")
        needed = max(needed, len(text) - text.index(".") - 1)
        if needed == most:
            break
    return needed


def format_change(
    percent: Decimal | None, points: Decimal | None, lang: str = "zh", empty: str = "—"
) -> str:
    """Signed year-on-year change for tables: ``+17.9%``, ``-6.3%``, ``0.0%`` (no sign
    when unchanged), or ``+1.6个百分点`` for rates."""
    value = percent if percent is not None else points
    if value is None:
        return empty
    text = f"{value:.1f}" if value.is_zero() else f"{value:+.1f}"
    if percent is not None:
        return text + "%"
    return text + _change_words(lang)["points_suffix"]


def change_words(
    percent: Decimal | None, points: Decimal | None, lang: str = "zh", empty: str = "—"
) -> str:
    """The change for running text, after the word 同比: ``增长17.9%``, ``下降6.3%``,
    ``持平``, ``提高1.6个百分点`` (English: ``up 17.9%``, ``down 6.3%``, ``unchanged``)."""
    value = percent if percent is not None else points
    if value is None:
        return empty
    if value.is_zero():
        return _change_words(lang)["unchanged"]
    way = "up" if value > 0 else "down"
    what = "percent" if percent is not None else "points"
    return _change_words(lang)[f"{way}_{what}"].format(n=f"{abs(value):.1f}")


@cache
def _change_words(lang: str) -> dict[str, str]:
    """The words of a change in ``lang`` (patterns where a figure goes in), looked up
    once: a 1000-indicator report says two of them per indicator."""
    return {
        **words("report.change", lang),
        "points_suffix": words_text("report.points_suffix", lang),
    }


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals, as dates write them: 10 -> 十, 12 -> 十二, 28 -> 二十八."""
    tens, ones = divmod(n, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return text + (_DIGITS[ones] if ones or not tens else "")


def chinese_date(date: _dt.date, day: bool = True) -> str:
    """二〇二三年十二月二十八日 (with ``day=False``: 二〇二三年十二月)."""
    year = "".join(_DIGITS[int(d)] for d in str(date.year))
    text = f"{year}年{chinese_number(date.month)}月"
    return text + (f"{chinese_number(date.day)}日" if day else "")


def report_date(date: _dt.date, lang: str, day: bool = True, numerals: bool = False) -> str:
    """The date as the report prints it: 2023年12月28日 (GB/T 9704-2012 writes 成文日期
    in Arabic numerals), 28 December 2023; ``numerals=True`` gives the older 〇 form,
    二〇二三年十二月二十八日; ``day=False`` the month only."""
    key = ("report.date" if day else "report.date_month") + ("_cn" if numerals else "")
    return words_text(
        key,
        lang,
        year=date.year,
        month=date.month,
        day=date.day,
        month_name=words_text(f"report.month_name.{date.month}", lang),
        chinese=chinese_date(date, day),
    )
