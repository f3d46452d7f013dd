"""The library call behind ``xlsummary render``: workbook in, Word report out.

Check first; refuse on errors unless a draft is asked for; build the context; fill the
template; write the report beside the workbook (or where asked) atomically, never over
the workbook and never over an existing report unless ``force``.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from xlsummary.catalogue import load_profile, profile_names
from xlsummary.check import CheckResult, check_workbook
from xlsummary.context import build_context
from xlsummary.errors import OutputError, ReportRefused
from xlsummary.input_files import read_input
from xlsummary.limits import DEFAULT, Limits
from xlsummary.outputs import refuse_existing, write_output
from xlsummary.render_docx import load_template

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class ReportResult:
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
    return templates_dir() / f"report-{'en' if lang == 'en' else 'zh'}.docx"


def default_output(workbook: Path, title: str, draft: bool, lang: str) -> Path:
    """Beside the workbook, named after the report: 某某医院2023年对口支援工作总结.docx."""
    name = _UNSAFE.sub("_", title).strip(" .") or workbook.stem
    # file systems count bytes (255 at most), and a Chinese character takes three
    name = name.encode("utf-8")[:180].decode("utf-8", "ignore")
    suffix = (" (draft)" if lang == "en" else "（草稿）") if draft else ""
    return workbook.with_name(f"{name}{suffix}.docx")


def render_context(
    result: CheckResult, lang: str | None = None, draft: bool = False, today: _dt.date | None = None
) -> dict:
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
    )


def render_report(
    workbook: str | Path,
    output: str | Path | None = None,
    *,
    template: str | Path | None = None,
    lang: str | None = None,
    draft: bool = False,
    force: bool = False,
    today: _dt.date | None = None,
    limits: Limits = DEFAULT,
) -> ReportResult:
    """Check, refuse on errors unless ``draft``, render and write the report. A
    ``template`` of the user's own is rendered in a bounded worker process
    (:mod:`xlsummary.untrusted`); the shipped ones in this process. ``output`` may be
    a folder: the report then gets its usual name inside it."""
    workbook = Path(workbook)
    result = check_workbook(workbook, limits)
    if result.errors and not draft:
        raise ReportRefused(
            f"统计表有 {result.errors} 个错误，未生成报告。请改正后重试，或加 --draft 生成草稿。",
            f"The workbook has {result.errors} error(s); no report was written. Fix them, "
            "or pass --draft for a draft.",
            result.issues,
            result.model,
        )
    lang = lang or result.model.lang
    context = render_context(result, lang, draft, today)
    template_path = Path(template) if template else default_template(lang)
    default = default_output(workbook, context["title"], draft, lang)
    target = Path(output) if output else default
    if target.is_dir():
        target = target / default.name
    if target.suffix.lower() != ".docx":
        raise OutputError(
            f"报告文件名应以 .docx 结尾：{target}",
            f"The report file name must end in .docx: {target}",
        )
    if target.resolve() in (workbook.resolve(), template_path.resolve()):
        raise OutputError(
            f"不能用报告覆盖统计表或模板本身：{target}",
            f"Refusing to write the report over the workbook or the template: {target}",
        )
    refuse_existing(target, force)
    if template is None:
        data = load_template(template_path).render(context)
    else:
        from xlsummary.untrusted import render_untrusted

        source = read_input(template_path, "template", limits)
        data = render_untrusted(source, str(template_path), context, limits)
    return ReportResult(write_output(data, target, force), result, draft)
