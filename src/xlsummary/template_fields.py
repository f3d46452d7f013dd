"""``xlsummary fields``: which fields a Word template uses, and which of them the
report context does not provide (or provides but the template never shows).

Top-level names come from Jinja's own analysis of the template (after docxtpl's
preprocessing). Names used deeper (``section.heading``, ``figures.surgery.total``)
are checked the only reliable way, by rendering the template, with StrictUndefined,
from the bundled example workbook, once as a final report and once as a draft so both
branches of ``{% if draft %}`` run. Tags in parts that are never rendered (a chart's
title, a SmartArt box) are listed as a problem: they would stay as typed.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from xlsummary.check import check_source
from xlsummary.generate import generate_workbook
from xlsummary.i18n import Msg, text
from xlsummary.input_files import read_input
from xlsummary.limits import DEFAULT, Limits
from xlsummary.read_xlsx import read_grids_from_bytes
from xlsummary.render_docx import analyse, load_template
from xlsummary.report import default_template, render_context
from xlsummary.untrusted import analyse_untrusted
from xlsummary.workbook_layout import NAME_TALLY

# Context keys a template need not show (metadata and alternatives to each other)
_OPTIONAL = {
    "lang",
    "draft",
    "errors",
    "warnings",
    "figures",
    "month_labels",
    "date_month",
    "date_cn",
    "date_month_cn",
    "title",
    "period_span",
    "author",
    "phone",
    "partner",
    "partner_label",
    "period",
    "year",
    "key_figures",
    "period_months",
    "charts",
    # a roll-up's (xlsummary consolidate): a unit's own report has none
    "rollup",
    "unit_columns",
    "units",
    "leaders",
}


@dataclass
class FieldsReport:
    template: Path
    used: list[str]
    unknown: list[str]
    unused: list[str]
    render_errors: list[Msg] = field(default_factory=list)  # said in the reader's language
    unrendered: list[str] = field(default_factory=list)
    #: the tagged charts (``monthly surgery``); a tag naming no chart is a render error
    charts: list[str] = field(default_factory=list)

    @property
    def problems(self) -> bool:
        return bool(self.unknown or self.render_errors or self.unrendered)

    def lines(self, lang: str = "zh") -> list[str]:
        """What ``xlsummary fields`` prints, in ``lang``: one line per finding."""
        sep = text("templates.fields.separator", lang)
        out = [
            text("templates.fields.template", lang, template=str(self.template)),
            text("templates.fields.used", lang, fields=sep.join(self.used)),
        ]
        if self.charts:
            out.append(text("templates.fields.charts", lang, charts=sep.join(self.charts)))
        if self.unknown:
            out.append(text("templates.fields.unknown", lang, fields=sep.join(self.unknown)))
        out += [said(lang) for said in self.render_errors]
        if self.unrendered:
            out.append(text("templates.fields.unrendered", lang, parts=sep.join(self.unrendered)))
        if self.unused:
            out.append(text("templates.fields.unused", lang, fields=sep.join(self.unused)))
        if not self.problems:
            out.append(text("templates.fields.ok", lang))
        return out


def example_context(
    draft: bool, lang: str, workbook: Path | None = None, limits: Limits = DEFAULT
) -> dict:
    """The context of ``workbook``, or of the bundled hospital example. For a draft the
    example gets one bad cell, so that templates' issue tables are exercised too."""
    if workbook is not None:
        result = check_source(workbook, limits=limits)
    else:
        grids = read_grids_from_bytes(
            generate_workbook("hospital", None, lang, example=True), "example"
        )
        if draft:
            tally = grids.names[NAME_TALLY]
            grids.sheets[tally.sheet].rows[tally.row + 1][tally.col + 4] = "约80"
        result = check_source(grids)
    return render_context(result, lang, draft, _dt.date(2023, 12, 28))


def inspect_template(
    template: str | Path | None = None,
    lang: str = "zh",
    workbook: str | Path | None = None,
    limits: Limits = DEFAULT,
) -> FieldsReport:
    """Check ``template`` against the context of ``workbook`` (default: the bundled
    hospital example; pass a school or bureau workbook when the template names their
    indicators, as in ``figures.teaching_person_times``). A user's template is
    analysed in the bounded worker process, like any render of it."""
    path = Path(template) if template else default_template(lang)
    workbook = Path(workbook) if workbook else None
    contexts = [
        example_context(False, lang, workbook, limits),
        example_context(True, lang, workbook, limits),
    ]
    if template is None:
        found = analyse(load_template(path), contexts)
    else:
        found = analyse_untrusted(read_input(path, "template", limits), str(path), contexts, limits)
    provided = set(contexts[0])
    return FieldsReport(
        template=path,
        used=found.used,
        unknown=sorted(set(found.used) - provided),
        unused=sorted(provided - set(found.used) - _OPTIONAL),
        render_errors=found.problems,
        unrendered=found.unrendered,
        charts=found.charts,
    )
