"""Turning what office staff type into numbers, and rounding the way reports do.

Excel, LibreOffice and WPS hand us floats, ints, text, booleans, dates and error
strings. Staff type ``１２`` (full-width), ``1,234``, `` 80 `` or ``'12``; those are
clearly numbers and are accepted with a warning so the cell can be tidied. Anything
else (``约80``, ``十二``, ``12次``) is refused: guessing would put a wrong figure into an
official report.

Rounding is 四舍五入 (half away from zero) on the decimal value the user typed, never
Python's banker's rounding on a binary float: -6.25 % must print as -6.3 %.

No tally in an office report reaches a trillion (10^12, even in 万元), so larger
figures are refused as typing accidents: that bound also keeps every later decimal
computation exact and every formatted figure readable.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋　", "0123456789.,-+ ")
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b]+")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#VALUE!",
        "#REF!",
        "#DIV/0!",
        "#NUM!",
        "#NAME?",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
    }
)


#: Largest magnitude accepted as a figure; beyond it a cell is "not a number" (a typo).
MAX_FIGURE = 1e12


class Parsed(Enum):
    """How a cell's content became (or did not become) a number."""

    EMPTY = "empty"
    NUMBER = "number"  # a real numeric cell
    TEXT_NUMBER = "text_number"  # text we could read as a number: warn
    NOT_A_NUMBER = "not_a_number"  # error
    TOO_LARGE = "too_large"  # a number, beyond MAX_FIGURE: error


def parse_number(value: object) -> tuple[Parsed, float | None]:
    """Classify one cell value; the float is only set for NUMBER and TEXT_NUMBER."""
    if value is None:
        return Parsed.EMPTY, None
    if type(value) is float or type(value) is int:  # the hot path: no isinstance chain
        if not -MAX_FIGURE < value < MAX_FIGURE:  # also false for NaN
            return (Parsed.NOT_A_NUMBER if value != value else Parsed.TOO_LARGE), None
        return Parsed.NUMBER, float(value) + 0.0  # + 0.0: no -0 in any report
    if isinstance(value, bool | _dt.date | _dt.datetime | _dt.time | _dt.timedelta):
        return Parsed.NOT_A_NUMBER, None
    if isinstance(value, int | float | Decimal):
        return parse_number(float(value))
    text = str(value)
    stripped = text.strip()
    if not stripped or stripped in ("'",):
        return Parsed.EMPTY, None
    cleaned = _SPACES.sub("", stripped.translate(_FULLWIDTH)).lstrip("'")
    if _PLAIN.match(cleaned) or _GROUPED.match(cleaned):
        number = float(cleaned.replace(",", ""))
        if -MAX_FIGURE < number < MAX_FIGURE:
            return Parsed.TEXT_NUMBER, number + 0.0
        return Parsed.TOO_LARGE, None
    return Parsed.NOT_A_NUMBER, None


def is_excel_error(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper() in _EXCEL_ERRORS


def to_decimal(value: float) -> Decimal:
    """The decimal the user meant: ``repr`` gives the shortest text that round-trips."""
    return Decimal(repr(float(value)))


def round_half_away(value: float | Decimal, digits: int = 1) -> Decimal:
    """四舍五入 on the decimal value: round_half_away(-6.25) == Decimal('-6.3').

    A result of zero is always +0 (-0.004 rounds to 0.0, not -0.0)."""
    dec = value if isinstance(value, Decimal) else to_decimal(value)
    rounded = dec.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def percent_change(current: float, prior: float, digits: int = 1) -> Decimal | None:
    """Year-on-year change in percent, exact in decimal, then rounded half away from zero.

    None when there is nothing to compare against (no prior figure, or zero).
    """
    if prior == 0:
        return None
    cur, pri = to_decimal(current), to_decimal(prior)
    return round_half_away((cur - pri) / pri * 100, digits)


def display_number(value: float) -> str:
    """A figure as typed, for messages: 12, 12.5, 1234567.5 (never 1.23457e+06)."""
    value = float(value) + 0.0
    if value.is_integer():
        return str(int(value))
    return format(to_decimal(value), "f")
