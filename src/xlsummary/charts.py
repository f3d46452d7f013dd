"""What a report's charts show: pure data, from the report context.

A chart in a Word template is named by a tag, written in its alt text or its title:
``{{ chart: monthly }}``, ``{{ chart: yoy }}``, ``{{ chart: monthly surgery lecture }}``.
The first word says what the chart compares, the codes after it which indicators:

- ``yoy``: each indicator's figure this period against the same period last year
  (one category per indicator, two series);
- ``monthly``: the months of the period (one category per month, one series per
  indicator).

Without codes, a chart shows the indicators the catalogue marks for charting (its
图表 column), of those with a figure to show. The data come from the context's own
figures (``figures[code].values``), so the report's tables, its running text and its
charts cannot disagree, and a user's template rendered in its worker process needs
nothing but the context. How the data reach Word's chart XML and its embedded workbook
is :mod:`xlsummary.docx_charts`' business.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xlsummary.i18n import text

#: a chart's tag as typed in Word (one run of text or one attribute value)
TAG = re.compile(r"\{\{-?\s*chart\s*[:：]\s*([^{}]*?)\s*-?\}\}")
KINDS = ("yoy", "monthly")
#: the charts every report's context carries, for ``{%p if charts.monthly.series %}``
DEFAULT_TAGS = KINDS


class ChartTagProblem(ValueError):
    """A tag that names no chart: an unknown kind or indicator (``key`` is the
    message's catalogue entry under ``templates.chart.``, ``params`` its values)."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True, slots=True)
class ChartSpec:
    kind: str
    codes: tuple[str, ...] = ()

    @property
    def tag(self) -> str:
        return " ".join((self.kind, *self.codes))


def parse_spec(written: str) -> ChartSpec:
    """``monthly surgery, lecture`` -> ChartSpec("monthly", ("surgery", "lecture"))."""
    words = [w for w in re.split(r"[\s,，、;；]+", written.strip()) if w]
    if not words:
        raise ChartTagProblem("empty", tag=written)
    kind = words[0].lower()
    if kind not in KINDS:
        close = difflib.get_close_matches(kind, KINDS, n=1, cutoff=0.5)
        raise ChartTagProblem(
            "unknown_kind", tag=written, kind=words[0], hint=close[0] if close else ""
        )
    return ChartSpec(kind, tuple(w.lower() for w in words[1:]))


def chart_data(spec: ChartSpec, context: Mapping[str, Any]) -> dict[str, Any]:
    """The chart a spec names, as plain data: ``title``, ``categories`` (labels),
    ``series`` (each ``name``, ``values`` as numbers or None for a gap, and the
    Excel ``format`` of its figures)."""
    figures: Mapping[str, Mapping[str, Any]] = context["figures"]
    lang = context["lang"]
    for code in spec.codes:
        if code not in figures:
            close = difflib.get_close_matches(code, list(figures), n=1, cutoff=0.6)
            raise ChartTagProblem(
                "unknown_indicator", tag=spec.tag, code=code, hint=close[0] if close else ""
            )
    chosen = [figures[c] for c in spec.codes] or [f for f in figures.values() if f["chart"]]
    span = context.get("period_span", "")
    if spec.kind == "yoy":
        rows = [f for f in chosen if _has(f["values"]["total"]) or _has(f["values"]["prior"])]
        digits = max((f["values"]["decimals"] for f in rows), default=0)
        series = [
            {
                "name": text(f"report.chart.{which}", lang),
                "values": [f["values"][which] for f in rows],
                "format": number_format(digits),
            }
            for which in ("total", "prior")
        ]
        return {
            "kind": "yoy",
            "tag": spec.tag,
            "title": _title("yoy", rows, span, lang),
            "categories": [_label(f, lang) for f in rows],
            "series": series if rows else [],
        }
    months: list[int] = list(context["period_months"])
    rows = [f for f in chosen if any(_has(f["values"]["months"][m - 1]) for m in months)]
    labels = context["month_labels"]
    return {
        "kind": "monthly",
        "tag": spec.tag,
        "title": _title("monthly", rows, span, lang),
        "categories": [labels[m - 1] for m in months] if rows else [],
        "series": [
            {
                "name": _label(f, lang),
                "values": [f["values"]["months"][m - 1] for m in months],
                "format": number_format(f["values"]["decimals"]),
            }
            for f in rows
        ],
    }


def default_charts(context: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The charts of the marked indicators: ``charts.yoy`` and ``charts.monthly``."""
    return {kind: chart_data(ChartSpec(kind), context) for kind in DEFAULT_TAGS}


def number_format(decimals: int) -> str:
    """An Excel number format with the indicator's decimals (``#,##0.0``)."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _has(value: object) -> bool:
    return value is not None


def _label(figure: Mapping[str, Any], lang: str) -> str:
    """手术（例）: an indicator's name with its unit, as a chart's category or legend."""
    unit = figure["unit"]
    return (
        text("report.chart.label", lang, name=figure["name"], unit=unit) if unit else figure["name"]
    )


def _title(kind: str, rows: list[Mapping[str, Any]], span: str, lang: str) -> str:
    if len(rows) == 1:
        return text(f"report.chart.title_{kind}_one", lang, span=span, name=rows[0]["name"])
    return text(f"report.chart.title_{kind}", lang, span=span)
