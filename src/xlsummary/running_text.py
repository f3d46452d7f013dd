"""Figures inside the sentences staff wrote: what each placeholder of a narrative cell
becomes in the report.

A figure in running text is written without thousands separators (15058人次; see
:mod:`xlsummary.report_format`). A year-on-year change that cannot be made (last
year's figure is 0 or was not entered, or there is no figure this period) is left out
of the sentence rather than written as "同比—". The text is read clause by clause
(clauses end at ，；。！？： and brackets): a clause left with nothing but the words
around the comparison, as the catalogue lists them per language (``report.comparison_*``:
同比 and 较上年同期 before it, "year on year" after it, 和 and 、 between two, 分别), goes
whole, with its punctuation; otherwise only the placeholder and the words next to it
go. Where clauses went, the marks left beside each other become one (the strongest:
。 over ； over ，), an emptied bracket goes, and a line starts with no mark; so
"接诊门诊15058人次，同比{门诊人次|同比}；" reads "接诊门诊15058人次；" and a line that
was only the comparison is empty (the caller leaves empty lines out). A clause with
分别 (respectively) goes whole when any of its comparisons is left out, since the
others would then be read as belonging to every figure. ``check`` warns about every
comparison left out (:func:`missing_comparisons`), so staff can reword the sentence if
they wish.

In a draft, the figures of an indicator whose cells have errors carry a mark (※)
right after the figure as read (after a % typed right after the number), as its rows
in the tables do; the draft note explains it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from xlsummary.i18n import text, word_list
from xlsummary.placeholders import Placeholder, find_placeholders
from xlsummary.report_format import change_words, format_figure

if TYPE_CHECKING:
    from xlsummary.catalogue import Indicator
    from xlsummary.model import Model
    from xlsummary.totals import IndicatorTotals, Totals

#: the mark of a figure built from cells with errors (drafts only)
MARK = "※"
# signs typed right after a figure that belong to it: the mark goes after them
_FIGURE_SIGNS = "%％‰"
# each understood placeholder stands in the text being cut as one character of a
# private-use plane, so that the figures' own commas and points are not read as
# punctuation (a text that holds such a character is not cut: see fill_placeholders)
_SLOT = 0xF0000
_SLOTS = re.compile("[\U000f0000-\U000ffffd]")
# clause ends and how strongly each ends it: where several meet, the strongest stays
_STOPS = {"。": 4, "！": 4, "？": 4, ".": 4, "!": 4, "?": 4, "；": 3, ";": 3}
_STOPS |= {"：": 2, ":": 2, "，": 1, ",": 1}
_OPEN, _CLOSE = "（(", "）)"
_PAIRS = dict(zip(_CLOSE, _OPEN, strict=True))
_SENTENCE = 3  # a mark at least this strong may end a line; weaker ones go there


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
    values: list[str | None] = []  # None: a comparison left out
    literal, last = [], 0
    for ph in found:
        ind = model.indicator(ph.name)
        if ind is None or ph.selector is None or ind.code not in totals.by_code:
            continue
        tot = totals[ind.code]
        filled = figure_text(ind, tot, ph.selector, lang, MARK if ind.code in marked else "")
        literal.append(text[last : ph.start])
        values.append(None if ph.selector[0] == "yoy" and not filled else filled)
        last = ph.end
    literal.append(text[last:])
    if _SLOTS.search(text):  # staff typed a character of that plane: cut nothing
        return "".join(t + (v or "") for t, v in zip(literal, [*values, ""], strict=True))
    work = "".join(t + chr(_SLOT + k) for k, t in enumerate(literal[:-1])) + literal[-1]
    lines = work.splitlines(keepends=True)
    cut = "".join(_leave_out(line, values, lang) for line in lines)
    return _put_back(cut, values)


def _put_back(work: str, values: list[str | None]) -> str:
    """The slots replaced by their figures; a mark moves past a % typed after one."""
    out, last = [], 0
    for slot in _SLOTS.finditer(work):
        value = values[ord(slot.group()) - _SLOT] or ""
        out.append(work[last : slot.start()])
        last = slot.end()
        sign = work[last : last + 1]
        if value.endswith(MARK) and sign and sign in _FIGURE_SIGNS:
            value, last = value[: -len(MARK)] + sign + MARK, last + 1
        out.append(value)
    out.append(work[last:])
    return "".join(out)


def _left_out(values: list[str | None]) -> Callable[[str], bool]:
    return lambda s: any(values[ord(m.group()) - _SLOT] is None for m in _SLOTS.finditer(s))


def _leave_out(line: str, values: list[str | None], lang: str) -> str:
    """One line without its comparisons that cannot be made (see the module's doc)."""
    body = line.rstrip("\r\n\u2028\u2029")
    ending = line[len(body) :]
    has_left_out = _left_out(values)
    if not has_left_out(body):
        return line
    clauses, stops = _clauses(body)
    touched = [has_left_out(c) for c in clauses]
    clauses = [
        _without_comparisons(c, values, lang) if t else c
        for c, t in zip(clauses, touched, strict=True)
    ]
    out = clauses[0]
    i, n = 0, len(stops)
    while i < n:
        j = i  # the run of marks stops[i..j] with nothing but spaces between them
        while j + 1 < n and not clauses[j + 1].strip():
            j += 1
        nxt = clauses[j + 1]
        if not any(touched[i : j + 2]):
            out += "".join(stops[k] + clauses[k + 1] for k in range(i, j + 1))
        else:
            at_start = not out.strip()
            merged = _merge(stops[i : j + 1], at_start, j == n - 1 and not nxt.strip())
            if (merged and merged[0] not in _OPEN) or (not merged and nxt[:1].isspace()):
                out = out.rstrip()
            if at_start and not merged:
                nxt = nxt.lstrip()
            out += merged + nxt
        i = j + 1
    return (out if out.strip() else "") + ending


def _clauses(line: str) -> tuple[list[str], list[str]]:
    """A line cut at its clause marks: n+1 clauses and the n marks between them. An
    ASCII comma or point between two digits (1,000 or 3.5) is part of a number."""
    clauses, stops, start = [], [], 0
    for k, ch in enumerate(line):
        if ch in _STOPS or ch in _OPEN or ch in _CLOSE:
            if ch in ",.:" and line[k - 1 : k].isdigit() and line[k + 1 : k + 2].isdigit():
                continue
            clauses.append(line[start:k])
            stops.append(ch)
            start = k + 1
    clauses.append(line[start:])
    return clauses, stops


def _merge(run: list[str], at_start: bool, at_end: bool) -> str:
    """The marks that stay where clauses between them went: a bracket emptied goes
    with what it held, and of the marks between brackets only the strongest stays, none
    at the start of a line or just inside a bracket, and at the end of a line only one
    that may end it."""
    kept: list[str] = []
    for stop in run:
        opening = _PAIRS.get(stop)
        if opening and opening in kept:
            del kept[len(kept) - 1 - kept[::-1].index(opening) :]
        else:
            kept.append(stop)
    out: list[str] = []
    marks: list[str] = []
    before = "start" if at_start else "text"

    def flush(after: str) -> None:
        if not marks or before in ("start", "open") or after == "close":
            return
        strongest = max(reversed(marks), key=_STOPS.__getitem__)
        if after != "end" or _STOPS[strongest] >= _SENTENCE:
            out.append(strongest)

    for stop in kept:
        if stop in _OPEN or stop in _CLOSE:
            kind = "open" if stop in _OPEN else "close"
            flush(kind)
            marks.clear()
            out.append(stop)
            before = kind
        else:
            marks.append(stop)
    flush("end" if at_end else "text")
    return "".join(out)


def _without_comparisons(clause: str, values: list[str | None], lang: str) -> str:
    """A clause without its comparisons left out and the words about them, or "" when
    the clause should go whole: nothing but such words is left, or a clause that ended
    in the comparison has no figure left (门诊人次同比{…}), or it said 分别."""
    lead, trail, join, respectively = _words(lang)
    if _find(clause, respectively) is not None:
        return ""
    ended_in_one = False
    for slot in [m for m in _SLOTS.finditer(clause) if values[ord(m.group()) - _SLOT] is None]:
        k = clause.index(slot.group())
        start, end = _eat_back(clause, k, lead), _eat_forward(clause, k + 1, trail)
        # a joiner goes on the side where the comparison was at the clause's edge
        joined = end
        if not clause[:start].strip():
            joined = _eat_forward(clause, end, join, once=True)
        elif not clause[end:].strip():
            start = _eat_back(clause, start, join, once=True)
        head, tail = clause[:start], clause[joined:]
        if (head[-1:].isspace() and tail[:1].isspace()) or not head.strip():
            tail = tail.lstrip()
        ended_in_one = ended_in_one or not tail.strip()
        clause = head + tail
    rest = _eat_forward(clause, 0, lead + trail + join + respectively)
    if not clause[rest:].strip():
        return ""
    has_figure = any(ch.isdigit() for ch in clause) or _SLOTS.search(clause)
    return "" if ended_in_one and not has_figure else clause


def _eat_back(s: str, end: int, words: tuple[str, ...], once: bool = False) -> int:
    """Where the words (and spaces) right before ``end`` start."""
    while True:
        at = len(s[:end].rstrip())
        word = next((w for w in words if _is_word_at(s, at - len(w), w)), None)
        if word is None:
            return end
        end = at - len(word)
        if once:
            return end


def _eat_forward(s: str, start: int, words: tuple[str, ...], once: bool = False) -> int:
    """Where the words (and spaces) right after ``start`` end."""
    while True:
        at = len(s) - len(s[start:].lstrip())
        word = next((w for w in words if _is_word_at(s, at, w)), None)
        if word is None:
            return start
        start = at + len(word)
        if once:
            return start


def _is_word_at(s: str, at: int, word: str) -> bool:
    """``word`` stands at ``at`` in ``s`` (any case), not as part of a longer ASCII
    word ("up" is not in "support")."""
    if at < 0 or s[at : at + len(word)].casefold() != word.casefold():
        return False
    before, after = s[at - 1 : at] if at else "", s[at + len(word) : at + len(word) + 1]
    return not (_ascii_word(word[0]) and _ascii_word(before)) and not (
        _ascii_word(word[-1]) and _ascii_word(after)
    )


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _find(s: str, words: tuple[str, ...]) -> int | None:
    return next((k for k in range(len(s)) for w in words if _is_word_at(s, k, w)), None)


@cache
def _words(lang: str) -> tuple[tuple[str, ...], ...]:
    """The catalogue's words about a comparison, each list longest first (so 较上年同期
    wins over 上年同期): leads, trails, joiners, respectively."""
    return tuple(
        tuple(sorted(word_list(key, lang), key=len, reverse=True))
        for key in (
            "report.comparison_leads",
            "report.comparison_trails",
            "report.comparison_joiners",
            "report.comparison_respectively",
        )
    )


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
