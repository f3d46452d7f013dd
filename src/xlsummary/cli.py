"""The ``xlsummary`` command: a thin Click layer over the library functions.

Each command imports what it needs when it runs, so ``xlsummary --help`` and
``--version`` start in a few tens of milliseconds. Exit codes: 0 fine (warnings
allowed), 1 the workbook has errors, 2 the command could not run (missing or
unreadable file, bad option). Every user mistake is one sentence on stderr, never a
traceback: the project's own errors, anything the system refuses (``OSError``), and
Click's usage errors alike; ``check --json`` also prints the error as JSON on stdout.
File and size limits come from the environment (:meth:`Limits.from_env`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from xlsummary import __version__, i18n
from xlsummary.cli_options import one_prior, prior_options
from xlsummary.errors import XlsummaryError
from xlsummary.i18n import text, words

LANGS = click.Choice(list(i18n.LANGS))


def _default_lang() -> str:
    """XLSUMMARY_LANG (``en``, ``en_US.UTF-8``...), else the default language."""
    return i18n.language(os.environ.get("XLSUMMARY_LANG", "").lower()[:2])


def _fail(error: XlsummaryError, lang: str, as_json: bool = False) -> None:
    if as_json:
        click.echo(json.dumps({"error": error.to_dict()}, ensure_ascii=False, indent=2))
    # an error about last year's workbook says so: both files are often 统计表.xlsx
    about = text("cli.prior_prefix", lang) if getattr(error, "field", None) == "prior" else ""
    click.echo(text("cli.error_prefix", lang) + about + error.message(lang), err=True)
    sys.exit(2)


def _limits(lang: str, as_json: bool = False):
    from xlsummary.limits import Limits

    try:
        return Limits.from_env()
    except XlsummaryError as error:
        _fail(error, lang, as_json)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="xlsummary")
def cli() -> None:
    """xlsummary：把标准化的 Excel 月度统计表变成正式的 Word 工作总结。

    Turn standardized Excel monthly tallies into formal Word work summaries.

    \b
    常用 / Typical use:
      xlsummary new --profile hospital --year 2023 -o 2023统计表.xlsx
      xlsummary check 2023统计表.xlsx
      xlsummary render 2023统计表.xlsx
    """


@cli.command("new")
@click.option(
    "--profile",
    "-p",
    default="hospital",
    show_default=True,
    help="指标方案 Indicator profile: hospital, school, general.",
)
@click.option(
    "--year",
    "-y",
    type=click.IntRange(1990, 2100),
    help="年度 Year to pre-fill (blank when omitted).",
)
@click.option(
    "--lang", type=LANGS, default="zh", show_default=True, help="工作簿语言 Workbook language."
)
@click.option("--example", is_flag=True, help="填入示例数据 Fill in the bundled example figures.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="输出文件 Output .xlsx file.",
)
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite an existing file.")
@click.option(
    "--live",
    is_flag=True,
    help="合计、同比、状态列和“校验”表使用 xlsummary 加载项的函数（须安装加载项）"
    "Computed columns call the xlsummary add-in's functions (needs the add-in).",
)
def new_command(
    profile: str,
    year: int | None,
    lang: str,
    example: bool,
    output: Path,
    force: bool,
    live: bool,
) -> None:
    """生成标准统计表 Create a standardized workbook for a profile."""
    from xlsummary.errors import OutputError
    from xlsummary.generate import generate_workbook
    from xlsummary.outputs import write_output

    try:
        if output.is_dir() or output.suffix.lower() != ".xlsx":
            raise OutputError("cli.output_not_xlsx", path=output)
        path = write_output(generate_workbook(profile, year, lang, example, live), output, force)
    except XlsummaryError as error:
        _fail(error, lang)
    click.echo(text("cli.written", lang, path=path))
    if not example:
        click.echo(text("cli.next", lang, path=path))


@cli.command("check")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON Print the result as JSON.")
@click.option("--totals", is_flag=True, help="同时列出各指标合计 Also list the period totals.")
@click.option(
    "--lang", type=LANGS, default=None, help="提示语言 Message language (default: the workbook's)."
)
@prior_options
def check_command(
    workbook: Path,
    as_json: bool,
    totals: bool,
    lang: str | None,
    prior: Path | None,
    prior_dir: Path | None,
) -> None:
    """检查统计表 Check a filled workbook; exit code 1 when it has errors."""
    from xlsummary.check import check_source

    shown = lang or _default_lang()
    try:
        one_prior(prior, prior_dir)
        result = check_source(
            workbook, limits=_limits(shown, as_json), prior=prior, prior_dir=prior_dir
        )
    except XlsummaryError as error:
        _fail(error, shown, as_json)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in _report_lines(result, workbook, lang or result.model.lang, totals):
            click.echo(line)
    sys.exit(1 if result.errors else 0)


@cli.command("render")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="输出的 .docx（加 --pdf 时为 .pdf）或文件夹（默认：统计表旁，以报告标题命名）"
    "Output .docx (.pdf with --pdf), or a folder (default: beside the workbook, named "
    "after the report).",
)
@click.option(
    "--template",
    "-t",
    type=click.Path(path_type=Path),
    help="自定义 Word 模板 A custom docxtpl Word template.",
)
@click.option(
    "--lang",
    type=LANGS,
    default=None,
    help="报告语言（默认与统计表一致）Report language (default: the workbook's).",
)
@click.option(
    "--draft",
    is_flag=True,
    help="有错误也生成，标注“草稿”并附问题清单 Render despite errors, marked DRAFT, "
    "with the issues appended.",
)
@click.option("--force", is_flag=True, help="覆盖已有报告 Overwrite an existing report.")
@click.option(
    "--pdf",
    is_flag=True,
    help="生成 PDF（需要 LibreOffice）Write the report as PDF (needs LibreOffice).",
)
@prior_options
def render_command(
    workbook: Path,
    output: Path | None,
    template: Path | None,
    lang: str | None,
    draft: bool,
    force: bool,
    pdf: bool,
    prior: Path | None,
    prior_dir: Path | None,
) -> None:
    """生成 Word（或 PDF）工作总结 Check a workbook and write its Word (or PDF) report."""
    from xlsummary.errors import ReportRefused
    from xlsummary.report import render_report

    limits = _limits(lang or _default_lang())
    try:
        one_prior(prior, prior_dir)
        done = render_report(
            workbook,
            output,
            template=template,
            lang=lang,
            draft=draft,
            force=force,
            pdf=pdf,
            limits=limits,
            prior=prior,
            prior_dir=prior_dir,
        )
    except ReportRefused as refused:
        shown = lang or (refused.model.lang if refused.model is not None else _default_lang())
        for line in _issue_lines(refused.issues, shown, refused.model):
            click.echo(line, err=True)
        click.echo(text("cli.error_prefix", shown) + refused.message(shown), err=True)
        click.echo(text("cli.draft_hint", shown), err=True)
        sys.exit(1)
    except XlsummaryError as error:
        _fail(error, lang or _default_lang())
    shown = lang or done.check.model.lang
    click.echo(text("cli.report", shown, path=done.path))
    if done.check.issues:
        click.echo(text("cli.summary", shown, e=done.check.errors, w=done.check.warnings))


@cli.command("fields")
@click.option(
    "--workbook",
    "-w",
    type=click.Path(path_type=Path),
    help="用此统计表的数据试填模板（默认：内置医院示例）Try the template with this workbook "
    "(default: the bundled hospital example).",
)
@click.option(
    "--template",
    "-t",
    type=click.Path(path_type=Path),
    help="要检查的 Word 模板（默认：内置模板）Template to inspect (default: shipped).",
)
@click.option(
    "--lang",
    type=LANGS,
    default="zh",
    show_default=True,
    help="内置模板的语言 Language of the shipped template.",
)
def fields_command(template: Path | None, lang: str, workbook: Path | None) -> None:
    """列出模板字段并检查 List a template's fields and check them against the report."""
    from xlsummary.template_fields import inspect_template

    try:
        report = inspect_template(template, lang, workbook, _limits(lang))
    except XlsummaryError as error:
        _fail(error, lang)
    for line in report.lines(lang):
        click.echo(line)
    sys.exit(1 if report.problems else 0)


@cli.group("addin")
def addin_group() -> None:
    """Excel 加载项 Install, remove or inspect the Excel ribbon add-in."""


def _addin_target(platform: str | None):
    from xlsummary.excel.install_checks import target

    return target(platform)


_PLATFORM = click.option(
    "--platform", type=click.Choice(["win32", "darwin", "linux"]), default=None, hidden=True
)


@addin_group.command("install")
@_PLATFORM
def addin_install(platform: str | None) -> None:
    """安装加载项 Copy the add-in into Excel's startup folder and configure it."""
    from xlsummary.excel.install import install

    _addin_outcome(install(_addin_target(platform)))


@addin_group.command("remove")
@_PLATFORM
def addin_remove(platform: str | None) -> None:
    """移除加载项 Remove the add-in and its settings."""
    from xlsummary.excel.install import remove

    _addin_outcome(remove(_addin_target(platform)))


def _addin_outcome(outcome) -> None:
    """What was done, then what is left to do; exit 1 when nothing could be done."""
    for line in outcome.done + outcome.todo:
        click.echo(line)
    sys.exit(1 if outcome.refused else 0)


@addin_group.command("status")
@_PLATFORM
def addin_status(platform: str | None) -> None:
    """加载项状态 Show where the add-in is, which Python it runs and what will break."""
    from xlsummary.excel.addin_status import status

    found = status(_addin_target(platform))
    for line in found.all():
        click.echo(line)
    sys.exit(1 if found.problems else 0)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 Address.")
@click.option("--port", default=8000, show_default=True, type=int, help="端口 Port.")
@click.option("--workers", default=1, show_default=True, type=int, help="进程数 Processes.")
def serve_command(host: str, port: int, workers: int) -> None:
    """启动网页和 API 服务 Serve the web page and the HTTP API (uvicorn)."""
    try:
        import uvicorn

        import xlsummary.web  # noqa: F401 - fails early when the server extra is missing
    except ImportError:
        lang = _default_lang()
        click.echo(text("cli.error_prefix", lang) + text("cli.no_server", lang), err=True)
        sys.exit(2)

    from uvicorn.supervisors import Multiprocess

    from xlsummary.web.http_limits import ServerConfig
    from xlsummary.web.settings import Settings

    # uvicorn.run, with the header time limit and a bounded graceful shutdown
    config = ServerConfig(
        "xlsummary.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        header_timeout=Settings.from_env().header_timeout,
    )
    server = uvicorn.Server(config)
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        server.run()
        if not server.started:
            sys.exit(2)


@cli.command("profiles")
def profiles_command() -> None:
    """列出指标方案 List the indicator profiles."""
    from xlsummary.catalogue import load_profile, profile_names

    for name in profile_names():
        prof = load_profile(name)
        click.echo(f"{name:10} {prof.name_zh}（{len(prof.indicators)} 个指标） {prof.name_en}")


def _report_lines(result, workbook: Path, lang: str, with_totals: bool) -> list[str]:
    from xlsummary.report_format import format_change, format_figure
    from xlsummary.terminal_tables import table

    m = result.model
    period = m.period.label(lang) if m.period else "?"
    lines = [
        text("cli.checking", lang, file=workbook),
        text(
            "cli.about",
            lang,
            unit=m.info_text("unit") or "?",
            year=m.year or "?",
            period=period,
            n=len(m.catalogue),
        ),
        "",
    ]
    lines += _issue_lines(result.issues, lang, m)
    if with_totals:
        rows = [list(words("label.figures", lang).values())]
        for ind in m.indicators:
            tot = result.totals[ind.code]
            rows.append(
                [
                    ind.name(lang),
                    ind.unit,
                    format_figure(tot.total, ind.kind),
                    format_figure(tot.prior, ind.kind),
                    format_change(tot.yoy_percent, tot.yoy_points, lang),
                ]
            )
        lines += table(rows, last_free=False)
        lines.append("")
    if result.issues:
        lines.append(
            text("cli.summary", lang, e=result.errors, w=result.warnings)
            + (text("cli.fix", lang) if result.errors else "")
        )
    else:
        lines.append(text("cli.clean", lang))
    return lines


def _issue_lines(issues, lang: str, model=None) -> list[str]:
    """Issues as tables grouped by sheet, in the order found."""
    from xlsummary.terminal_tables import table

    label = words("label", lang)
    head = [label["head.level"], label["head.cell"], label["head.indicator"], label["head.problem"]]
    by_sheet: dict[str, list] = {}
    for issue in issues:
        by_sheet.setdefault(issue.sheet, []).append(issue)
    lines = []
    for sheet, group in by_sheet.items():
        lines.append(text("cli.sheet_issues", lang, sheet=sheet, n=len(group)))
        rows = [head] + [
            [
                label[i.severity],
                i.cell or text("cli.sheet_level", lang),
                _indicator_name(model, i.indicator, lang),
                i.message(lang),
            ]
            for i in group
        ]
        lines += table(rows)
        lines.append("")
    return lines


def _indicator_name(model, code: str, lang: str) -> str:
    ind = model.indicator(code) if model is not None and code else None
    return ind.name(lang) if ind else code or "—"


# Commands for many workbooks live in their own modules (each imports its work when it
# runs); registering them here keeps one `xlsummary` group.

# (batch: cli_batch)
from xlsummary.cli_batch import batch_command  # noqa: E402

cli.add_command(batch_command)


# (consolidate: cli_consolidate)
from xlsummary.cli_consolidate import consolidate_command  # noqa: E402

cli.add_command(consolidate_command)


def main() -> None:
    """The console script: Click in non-standalone mode, so that whatever escapes a
    command still ends as one sentence and exit code 2."""
    lang = _default_lang()
    prefix = text("cli.error_prefix", lang)
    try:
        cli.main(prog_name="xlsummary", standalone_mode=False)
    except click.UsageError as error:
        where = error.ctx.command_path if error.ctx else "xlsummary"
        hint = text("cli.usage_hint", lang, command=where)
        click.echo(prefix + error.format_message() + hint, err=True)
        sys.exit(2)
    except click.ClickException as error:
        click.echo(prefix + error.format_message(), err=True)
        sys.exit(error.exit_code)
    except click.Abort:
        sys.exit(130)
    except XlsummaryError as error:
        _fail(error, lang)
    except OSError as error:
        from xlsummary.input_files import os_error

        name = Path(str(error.filename)) if error.filename else Path("?")
        _fail(os_error(name, error), lang)
    except MemoryError:
        click.echo(prefix + text("cli.out_of_memory", lang), err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
