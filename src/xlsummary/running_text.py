"""Figures inside the sentences staff wrote: what each placeholder of a narrative cell
becomes in the report.

A figure in running text is written without thousands separators (15058人次; see
:mod:`xlsummary.report_format`). A year-on-year change that cannot be made (last
year's figure is 0 or was not entered, or there is no figure this period) is left out
of the sentence rather than written as "同比—": the placeholder goes, and with it the
words that lead into it, as the catalogue lists them per language (``，同比``,
``较上年同期``…), so "接诊门诊15058人次，同比{门诊人次|同比}；" reads
"接诊门诊15058人次；". ``check`` warns about every comparison left out
(:func:`missing_comparisons`), so staff can reword the sentence if they wish.

In a draft, the figures of an indicator whose cells have errors carry a mark (※)
right after the number, as its rows in the tables do; the draft note explains it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from xlsummary.i18n import text, words
from xlsummary.placeholders import Placeholder, find_placeholders
from xlsummary.report_format import change_words, format_figure

if TYPE_CHECKING:
    from xlsummary.catalogue import Indicator
    from xlsummary.model import Model
    from xlsummary.totals import IndicatorTotals, Totals

#: the mark of a figure built from cells with errors (drafts only)
MARK = "※"
# what may stand between the lead-in words and the figure, or be left dangling before
# the place the comparison was cut from
_SEPARATORS = "，,、"
_BRACKETS = {"（": "）", "(": ")"}
_SENTENCE_ENDS = "。！？；：.!?;:"


def no_comparison(tot: IndicatorTotals) -> str:
    """Why a year-on-year change cannot be made ("" when it can): ``prior_zero``,
    ``prior_missing`` or ``no_total`` (the catalogue's ``workbook.no_comparison.*``)."""
    if tot.yoy_percent is not None or tot.yoy_points is not None:
        return ""
    if tot.total is None:
        return "no_total"
    return "prior_missing" if tot.prior is None else "prior_zero"


@cache
def _grouped_in_text(lang: str) -> bool:
    """Whether running text groups thousands: Chinese does not (15058人次), English does
    (15,058 outpatients); the catalogue's ``report.text_group_separator`` says which."""
    return bool(text("report.text_group_separator", lang))


def figure_text(
    ind: Indicator, tot: IndicatorTotals, selector: tuple[str, int], lang: str, mark: str = ""
) -> str:
    """One placeholder's replacement text ("" for a comparison that cannot be made)."""
    what, n = selector
    if what == "yoy":
        if no_comparison(tot):
            return ""
        return change_words(tot.yoy_percent, tot.yoy_points, lang) + mark
    value = tot.figure(what, n)
    # a flow with nothing entered happened zero times; a level without data is unknown
    empty = "0" if ind.rule == "sum" and what != "prior" else "—"
    shown = format_figure(value, ind.kind, empty=empty, grouped=_grouped_in_text(lang))
    return shown + mark if value is not None else shown


def fill_placeholders(
    text: str, model: Model, totals: Totals, lang: str, marked: frozenset[str] = frozenset()
) -> str:
    """Replace every understood placeholder; leave the others as typed (validation has
    already reported them, and a draft shows them where they stand). Indicators in
    ``marked`` get the mark after each of their figures."""
    found = find_placeholders(text)
    if not found:
        return text
    out, last = [], 0
    for ph in found:
        ind = model.indicator(ph.name)
        if ind is None or ph.selector is None or ind.code not in totals.by_code:
            continue
        tot = totals[ind.code]
        filled = figure_text(ind, tot, ph.selector, lang, MARK if ind.code in marked else "")
        before = text[last : ph.start]
        if ph.selector[0] == "yoy" and not filled:
            before, last = _cut_comparison(before, text, ph, lang)
            out.append(before)
            continue
        out.append(before)
        out.append(filled)
        last = ph.end
    out.append(text[last:])
    return "".join(out)


def _cut_comparison(before: str, text: str, ph: Placeholder, lang: str) -> tuple[str, int]:
    """The text before a comparison that is left out, without its lead-in words and the
    comma before them, and where the text after it resumes: "人次，同比{…}；" gives
    "人次" and "；", "97.0%（{…}）。" gives "97.0%" and "。", and a sentence that
    began with the comparison ("。同比{…}，门诊…") loses the comma after it."""
    after = ph.end
    head = before.rstrip()
    for lead in _leads(lang):
        if head.casefold().endswith(lead.casefold()):
            head = head[: -len(lead)].rstrip()
            break
    closing = _BRACKETS.get(head[-1:])
    if closing and text.startswith(closing, after):  # "（{x|同比}）": the brackets go too
        head, after = head[:-1].rstrip(), after + len(closing)
    if head[-1:] in tuple(_SEPARATORS):
        head = head[:-1].rstrip()
    elif (not head or head[-1] in _SENTENCE_ENDS) and text[after : after + 1] in tuple(_SEPARATORS):
        after += 1
    return head, after


@cache
def _leads(lang: str) -> tuple[str, ...]:
    """The words that lead into a comparison, longest first (so 较上年同期 wins over
    上年同期)."""
    return tuple(sorted(words("report.comparison_lead", lang).values(), key=len, reverse=True))


def missing_comparisons(model: Model, totals: Totals) -> list[tuple[int, Placeholder, str]]:
    """Every ``{…|同比}`` of the narrative whose comparison is left out: (section index,
    placeholder, reason)."""
    found = []
    for k, section in enumerate(model.narrative):
        for ph in find_placeholders(section.text):
            ind = model.indicator(ph.name)
            if ind is None or ph.selector is None or ph.selector[0] != "yoy":
                continue
            if ind.code in totals.by_code:
                reason = no_comparison(totals[ind.code])
                if reason:
                    found.append((k, ph, reason))
    return found
