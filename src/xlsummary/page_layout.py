"""Where a 公文's title breaks and how far in its signature stands, measured in
characters, because the standard measures them so.

GB/T 9704-2012 asks that a title that needs two or more lines breaks where the words
allow (词意完整) and in a trapezoid or diamond shape, never as a rectangle or an
hourglass (7.3.3), and that the unit's name stands 右空二字 with the date under it,
its first character two characters right of the name's; a date longer than the name
stands 右空二字 itself and pushes the name left (7.3.5.2). Word and LibreOffice break a
line where it is full, inside a word (…对口支援工 / 作总结), and know nothing of the
signature rule, so the context computes both and the template only places them.

Widths: a CJK character or full-width mark is one character, a digit or Latin letter
half of one (the faces 公文 use set digits half-width).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import combinations, pairwise

#: Characters of 二号 (22 pt) on the 156 mm line of the shipped Chinese template.
TITLE_CHARACTERS = 20
#: One character of 三号 (16 pt) in twips, for the indents LibreOffice reads.
_CHARACTER_TWIPS = 320


def text_width(text: str) -> float:
    """``text``'s width in characters (wide and full-width count 1, others ½)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


#: Last resorts, inside a unit's name: after a place (某某省 / 某某市人民医院) or a 与.
_PLACE_ENDS = "省市县区州盟旗与和"


def _breaks(title: str, before: Sequence[str]) -> dict[int, int]:
    """Where the words of ``title`` allow a break, and at what penalty: 0 before a
    listed word and after a year (2023年) or a 年度/季度/半年 that ends a date, 1 after
    a place name inside a unit's name."""
    points: dict[int, int] = {}
    for k in range(2, len(title) - 1):
        if title[k - 1] in _PLACE_ENDS:
            points[k] = 1
    for word in before:
        start = title.find(word, 1)
        while start > 0:
            points[start] = 0
            start = title.find(word, start + 1)
    for k in range(2, len(title)):
        if (title[k - 1] == "年" and title[k - 2].isdigit()) or title[k - 2 : k] in (
            "年度",
            "季度",
            "半年",
        ):
            points[k] = 0
    return points


def _shape_cost(widths: list[float]) -> tuple[int, float] | None:
    """Lower is better; None for a shape the standard forbids (rectangle, hourglass)."""
    if len(widths) == 2:
        if abs(widths[0] - widths[1]) < 1:  # a rectangle
            return None
        # 上长下短 reads best; the shorter line not under half the longer
        return (0 if widths[0] > widths[1] else 1, abs(widths[0] - 2 * widths[1]))
    if len(widths) == 3:
        top, middle, bottom = widths
        if middle < top and middle < bottom:  # an hourglass
            return None
        diamond = middle >= top and middle >= bottom
        trapezoid = top >= middle >= bottom or top <= middle <= bottom
        if not (diamond or trapezoid):
            return None
        return (0 if diamond else 1, abs(top - bottom))
    return (0, 0.0)


def title_lines(
    title: str, break_before: Sequence[str], capacity: float = TITLE_CHARACTERS
) -> list[str]:
    """``title`` as the lines it is printed in: one if it fits, else broken at word
    boundaries (``break_before`` lists words a line may start with) in the best
    allowed shape. Without any word boundary that fits (or for a language whose
    words are separated by spaces: ``break_before`` empty) the title is one line and
    the word processor wraps it."""
    if text_width(title) <= capacity or not break_before:
        return [title]
    points = _breaks(title, break_before)
    best: tuple[tuple[int, int, int, float], list[str]] | None = None
    for count in (1, 2):
        for cuts in combinations(sorted(points), count):
            edges = (0, *cuts, len(title))
            lines = [title[a:b] for a, b in pairwise(edges)]
            widths = [text_width(line) for line in lines]
            if max(widths) > capacity:
                continue
            cost = _shape_cost(widths)
            if cost is None:
                continue
            key = (count, sum(points[c] for c in cuts), *cost)
            if best is None or key < best[0]:
                best = (key, lines)
        if best is not None:
            return best[1]
    return [title]


def signature_indents(unit: str, date: str) -> dict[str, str]:
    """Right indents of the unit's name and the date, in hundredths of a character
    (Word's ``w:rightChars``) and in twips (``w:right``, which LibreOffice reads)."""
    name, when = text_width(unit), text_width(date)
    # the date starts two characters right of the name: its right indent is the
    # name's start (2 + name from the right edge) less two, less its own width
    unit_indent = max(2.0, when + 4 - name)
    date_indent = max(2.0, unit_indent + name - 2 - when)
    return {
        "unit_chars": str(round(unit_indent * 100)),
        "unit_twips": str(round(unit_indent * _CHARACTER_TWIPS)),
        "date_chars": str(round(date_indent * 100)),
        "date_twips": str(round(date_indent * _CHARACTER_TWIPS)),
    }
