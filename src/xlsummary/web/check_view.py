"""What the page shows of a check, in every language at once (``name`` in the default
language, ``name_en`` beside it, as issues carry ``message`` and ``message_en``): the
page says a Chinese workbook's figures in English when staff read it in English, and
switches language without asking the server again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xlsummary.catalogue import Indicator, load_profile, profile_names
from xlsummary.check import CheckResult
from xlsummary.context import clean_line, figure_row
from xlsummary.i18n import per_language
from xlsummary.report_format import format_change


def _shipped(profile: str) -> dict[str, Indicator]:
    return (
        {i.code: i for i in load_profile(profile).indicators} if profile in profile_names() else {}
    )


def _unit(ind: Indicator, shipped: Indicator | None, workbook_lang: str) -> Callable[[str], str]:
    """The unit in each language: the workbook holds it in its own language only, so
    the shipped profile's word stands in for the others while staff have kept the
    shipped one; a unit they typed themselves is said as they typed it."""
    if shipped is not None and shipped.unit_for(workbook_lang) == ind.unit:
        return shipped.unit_for
    return lambda _lang: ind.unit


def figures(result: CheckResult) -> list[dict[str, Any]]:
    """Each indicator's figures as the report prints them, its words in every language."""
    model = result.model
    shipped = _shipped(model.profile)
    rows = []
    for ind in model.indicators:
        tot = result.totals[ind.code]
        unit = _unit(ind, shipped.get(ind.code), model.lang)
        rows.append(
            figure_row(ind, tot, model.lang)
            | per_language("name", lambda lang, ind=ind: clean_line(ind.name(lang)))
            | per_language("unit", lambda lang, unit=unit: clean_line(unit(lang)))
            | per_language(
                "yoy", lambda lang, tot=tot: format_change(tot.yoy_percent, tot.yoy_points, lang)
            )
        )
    return rows


def summary(result: CheckResult) -> dict[str, Any]:
    """Which workbook was checked, as the page names it: file, unit, year, period and
    profile (the profile's own name when it is a shipped one, else as the file says)."""
    model = result.model
    shipped = model.profile in profile_names()
    return {
        "file": model.source,
        "unit": model.info_text("unit"),
        "year": model.year,
        **per_language(
            "period",
            lambda lang: model.period.label(lang) if model.period else model.info_text("period"),
        ),
        **per_language(
            "profile",
            lambda lang: load_profile(model.profile).name(lang) if shipped else model.profile,
        ),
    }
