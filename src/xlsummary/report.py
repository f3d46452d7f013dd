"""The one report pipeline: a workbook in, the Word report's bytes and name out.

Every entry point calls :func:`make_report` (the CLI's ``render``, the server's
``/api/render``, the Excel button, and the batch to come), so the sequence is written
once: check → refuse on errors unless a draft is asked for → pick the language and the
template → build the context → fill the template → record in the report's document
properties which workbook file it came from (name and SHA-256), by which xlsummary and
when (:mod:`xlsummary.audit`) → name the report. The adapters only
move bytes: where the workbook comes from (a path, an upload, the open Excel) and where
the report goes (a file beside the workbook, an HTTP response, a numbered file opened
in Word). :func:`render_report` is the file-to-file form the CLI uses: it writes the
report (as Word, or as PDF) atomically, never over the workbook, the template or an
existing report unless ``force``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from xlsummary.audit import Audit, audit_parts, made_time
from xlsummary.check import Source, check_source, source_file
from xlsummary.errors import OutputError, PdfUnavailable, ReportRefused
from xlsummary.i18n import LANGS, language, text
from xlsummary.limits import DEFAULT, Limits
from xlsummary.signature_xml import signature_parts

if TYPE_CHECKING:
    from xlsummary.check import CheckResult

__all__ = ["Report", "ReportPlan", "ReportResult", "check_source", "make_report", "render_report"]

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class Report:
    """A rendered report: the .docx bytes, the file name it should get, and the check
    it was made from (issues and totals)."""

    data: bytes
    name: str
    check: CheckResult
    draft: bool
    lang: str


@dataclass(frozen=True)
class ReportResult:
    """A report written to a file by :func:`render_report`."""

    path: Path
    check: CheckResult
    draft: bool


def templates_dir() -> Path:
    """The shipped Word templates: inside the installed package (wheel), or the
    repository's ``docx_templates/`` when running from a source checkout."""
    packaged = Path(str(resources.files("xlsummary"))) / "docx_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "docx_templates"


def default_template(lang: str) -> Path:
    return templates_dir() / f"report-{language(lang)}.docx"


def _clean(name: str) -> str:
    return _UNSAFE.sub("_", name).strip(" .")


def report_name(title: str, draft: bool, lang: str, fallback: str = "report") -> str:
    """The report's file name, after its title: 某某医院2023年对口支援工作总结.docx."""
    name = _clean(title) or _clean(fallback) or "report"
    # file systems count bytes (255 at most), and a Chinese character takes three
    name = name.encode("utf-8")[:180].decode("utf-8", "ignore")
    suffix = text("report.draft_suffix", lang) if draft else ""
    return f"{name}{suffix}.docx"


def render_context(
    result: CheckResult,
    lang: str | None = None,
    draft: bool = False,
    today: _dt.date | None = None,
    source_name: str | None = None,
) -> dict:
    """The context of a checked workbook; ``source_name`` is the workbook's file name as
    the report names it (by default the name it was read under)."""
    from xlsummary.catalogue import load_profile, profile_names
    from xlsummary.context import build_context

    model = result.model
    profile = load_profile(model.profile) if model.profile in profile_names() else None
    return build_context(
        model,
        result.totals,
        result.issues,
        profile=profile,
        lang=lang,
        draft=draft,
        today=today or _dt.date.today(),
        source_name=source_file(model.source) if source_name is None else source_name,
        source_sha256=model.sha256,
    )


@dataclass(frozen=True)
class ReportPlan:
    """A report decided but not yet rendered: the check it comes from, its language,
    its context and its file name. Known before any template runs, so that a caller
    can refuse an output (an existing file, a bad name) without rendering in vain."""

    check: CheckResult
    lang: str
    draft: bool
    context: dict
    name: str
    audit: Audit


def plan_report(
    source: Source,
    *,
    name: str = "",
    lang: str | None = None,
    draft: bool = False,
    today: _dt.date | None = None,
    made: _dt.datetime | None = None,
    limits: Limits = DEFAULT,
    prior: Source | None = None,
    prior_name: str = "",
    prior_dir: str | Path | None = None,
) -> ReportPlan:
    """Check the workbook (with last year's, ``prior`` or found in ``prior_dir``, when
    given: see :func:`check_source`), refuse on errors unless ``draft``
    (:class:`ReportRefused`, with the issues), and decide the report's language
    (default: the workbook's), context, file name and record of origin (``made``: by
    default ``SOURCE_DATE_EPOCH`` or now)."""
    result = check_source(
        source, name=name, limits=limits, prior=prior, prior_name=prior_name, prior_dir=prior_dir
    )
    if result.errors and not draft:
        raise ReportRefused(result.issues, result.model, "report.refused")
    lang = lang if lang in LANGS else result.model.lang
    # bytes without a name came unnamed: the report says so rather than invent one
    unnamed = isinstance(source, bytes | bytearray | memoryview) and not name
    shown = "" if unnamed else source_file(name or result.model.source)
    context = render_context(result, lang, draft, today, shown)
    model = result.model
    audit = Audit(
        shown,
        model.sha256,
        made_time(made),
        prior_file=model.prior_source,
        prior_sha256=model.prior_sha256,
    )
    # a report without a title (a draft of an empty workbook) is named after the workbook
    fallback = Path(name or result.model.source).stem
    return ReportPlan(
        result, lang, draft, context, report_name(context["title"], draft, lang, fallback), audit
    )


def _finish(plan: ReportPlan, parts: Mapping[str, bytes]) -> dict[str, bytes]:
    """What every report gets once its template is filled, whoever's template it is:
    the signature block's indents (GB/T 9704) and the record of its origin."""
    context = plan.context
    placed = signature_parts(parts, context["unit"], context["date"])
    return {**placed, **audit_parts(plan.audit, parts)}


def render_plan(
    plan: ReportPlan,
    template: str | Path | bytes | None = None,
    template_name: str = "",
    limits: Limits = DEFAULT,
) -> Report:
    """Fill the template. ``template`` is the user's own Word template (a path, or the
    bytes of an upload named ``template_name``): it is untrusted code, rendered in a
    bounded worker process (:mod:`xlsummary.untrusted`). Without one, the shipped
    template of the plan's language is rendered in this process."""
    if template is None:
        from xlsummary.render_docx import load_template

        compiled = load_template(default_template(plan.lang))
        data = compiled.render(plan.context, partial(_finish, plan))
    else:
        from xlsummary.input_files import read_input
        from xlsummary.render_docx import refinish
        from xlsummary.untrusted import render_untrusted

        if isinstance(template, bytes):
            source_name = template_name or "template.docx"
        else:
            source_name = str(template)
            template = read_input(template, "template", limits)
        filled = render_untrusted(template, source_name, plan.context, limits)
        data = refinish(filled, partial(_finish, plan))
    return Report(data, plan.name, plan.check, plan.draft, plan.lang)


def make_report(
    source: Source,
    *,
    name: str = "",
    lang: str | None = None,
    draft: bool = False,
    template: str | Path | bytes | None = None,
    template_name: str = "",
    today: _dt.date | None = None,
    made: _dt.datetime | None = None,
    limits: Limits = DEFAULT,
    prior: Source | None = None,
    prior_name: str = "",
    prior_dir: str | Path | None = None,
) -> Report:
    """The whole sequence, :func:`plan_report` then :func:`render_plan`: the one call
    behind every entry point."""
    plan = plan_report(
        source,
        name=name,
        lang=lang,
        draft=draft,
        today=today,
        made=made,
        limits=limits,
        prior=prior,
        prior_name=prior_name,
        prior_dir=prior_dir,
    )
    return render_plan(plan, template, template_name, limits)


def render_report(
    workbook: str | Path,
    output: str | Path | None = None,
    *,
    template: str | Path | None = None,
    lang: str | None = None,
    draft: bool = False,
    force: bool = False,
    pdf: bool = False,
    today: _dt.date | None = None,
    made: _dt.datetime | None = None,
    limits: Limits = DEFAULT,
    prior: str | Path | None = None,
    prior_dir: str | Path | None = None,
) -> ReportResult:
    """:func:`make_report` from a file to a file. ``output`` may be a folder: the report
    then gets its usual name inside it; by default it goes beside the workbook. With
    ``pdf`` the report is written as PDF, converted by the server's converter
    (:func:`xlsummary.pdf.convert_docx`: same profile, same fonts). The output, and
    whether LibreOffice is there, are judged before the template runs (fail early,
    before any work)."""
    from xlsummary.outputs import refuse_existing, write_output

    workbook = Path(workbook)
    plan = plan_report(
        workbook,
        lang=lang,
        draft=draft,
        today=today,
        made=made,
        limits=limits,
        prior=prior,
        prior_dir=prior_dir,
    )
    name = plan.name[: -len(".docx")] + ".pdf" if pdf else plan.name
    target = Path(output) if output else workbook.with_name(name)
    if target.is_dir():
        target = target / name
    if pdf and target.suffix.lower() != ".pdf":
        raise OutputError("files.output_not_pdf", path=target)
    if not pdf and target.suffix.lower() != ".docx":
        raise OutputError("report.output_not_docx", path=target)
    protected = [workbook.resolve(), Path(template or default_template(plan.lang)).resolve()]
    if prior is not None:
        protected.append(Path(prior).resolve())
    if target.resolve() in protected:
        raise OutputError("report.output_over_input", path=target)
    refuse_existing(target, force)
    if pdf:
        from xlsummary.pdf.converter import find_soffice

        if find_soffice() is None:
            raise PdfUnavailable("error.no_libreoffice")
    report = render_plan(plan, template, limits=limits)
    data = report.data
    if pdf:
        from xlsummary.pdf import convert_docx

        data = convert_docx(data)
    return ReportResult(write_output(data, target, force), report.check, report.draft)
