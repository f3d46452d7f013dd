"""Figures as a Chinese report writes them: thousands separators, amounts with two
decimals, rates with one, and 四舍五入 (half away from zero) everywhere."""

from __future__ import annotations

from decimal import Decimal

from xlsummary.numbers import round_half_away

DECIMALS = {"count": 0, "amount": 2, "percent": 1}


def format_figure(value: float | None, kind: str = "count", empty: str = "—") -> str:
    if value is None:
        return empty
    digits = DECIMALS.get(kind, 2)
    rounded = round_half_away(value, digits)
    text = f"{rounded:,.{digits}f}"
    if kind == "amount" and "." in text:
        text = text.rstrip("0").rstrip(".")  # 70.00 万元 reads as 70 万元, 64.80 as 64.8
    return text


def format_change(
    percent: Decimal | None, points: Decimal | None, lang: str = "zh", empty: str = "—"
) -> str:
    """Signed year-on-year change: ``+17.9%``, ``-6.3%``, ``0.0%`` (no sign when
    unchanged), or ``+1.6个百分点`` for rates."""
    value = percent if percent is not None else points
    if value is None:
        return empty
    text = f"{value:.1f}" if value.is_zero() else f"{value:+.1f}"
    if percent is not None:
        return text + "%"
    return text + (" pts" if lang == "en" else "个百分点")
