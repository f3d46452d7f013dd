"""``xlsummary consolidate``: many units' workbooks into one roll-up (汇总).

A thin Click layer over :func:`xlsummary.rollup_workbook.consolidate_files`; the work
(and its heavy imports) happens only when the command runs. Exit codes: 0 every
workbook found was included and nothing conflicted, 1 something was excluded or
refused (said on the terminal and in the roll-up's 报送情况 sheet), 2 the
command could not run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xlsummary.cli_options import executor_option, one_prior, prior_options
from xlsummary.errors import ConsolidationRefused, UsageError, XlsummaryError
from xlsummary.i18n import LANGS, text

# not ``from xlsummary.cli import …`` here: cli.py imports this module at its end, and
# ``python -m xlsummary.cli`` would meet a half-made second copy of it


def _period(value: str | None):
    """--period: a 报告期 label (全年, q3, 上半年…) or a month range (1-9)."""
    if value is None:
        return None
    from xlsummary.periods import Period, parse_month_range, parse_period_label

    code = parse_period_label(value)
    if code and code != "custom":
        return Period.named(code)
    months = parse_month_range(value)
    if months is None:
        raise UsageError("consolidate.bad_period", value=value)
    return Period.months(*months)


def _weights(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        rate, _, weight = pair.partition("=")
        if not rate.strip() or not weight.strip():
            raise UsageError("consolidate.bad_weight", value=pair)
        out[rate.strip().lower()] = weight.strip().lower()
    return out


@click.command("consolidate")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="汇总统计表 .xlsx The roll-up workbook to write.",
)
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    help="同时生成汇总 Word 报告 Also write the roll-up's Word report (.docx).",
)
@click.option("--unit", help="汇总单位全称（必填）The consolidating unit's full name (required).")
@click.option(
    "--include-drafts",
    is_flag=True,
    help="有错误的统计表也纳入（在报送情况中注明）Include workbooks with errors (noted).",
)
@click.option("--year", type=click.IntRange(1990, 2100), help="只汇总该年度 Consolidate this year.")
@click.option(
    "--period",
    help="只汇总该报告期（全年、上半年、第三季度、1-9）Consolidate this period (year, h1, q3, 1-9).",
)
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="RATE=WEIGHT",
    help="比率指标的加权指标，如 satisfaction=outpatient Weight a rate by an indicator.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    help="并行读取的进程数（默认：全部核心）Processes reading in parallel (default: all cores).",
)
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite existing outputs.")
@click.option(
    "--lang",
    type=click.Choice(list(LANGS)),
    default=None,
    help="汇总表和提示的语言 Language of the roll-up and messages.",
)
@executor_option
@prior_options
def consolidate_command(
    inputs: tuple[str, ...],
    output: Path,
    report: Path | None,
    unit: str | None,
    include_drafts: bool,
    year: int | None,
    period: str | None,
    weights: tuple[str, ...],
    workers: int | None,
    force: bool,
    lang: str | None,
    executor: str,
    prior: Path | None,
    prior_dir: Path | None,
) -> None:
    """汇总多个单位的统计表 Consolidate many units' workbooks into one roll-up workbook.

    INPUTS：统计表文件、文件夹（含子文件夹）或通配符 Workbook files, folders (recursive) or globs.
    """
    from xlsummary.cli import _default_lang, _fail, _limits
    from xlsummary.rollup_sheets import lacking, rate_method
    from xlsummary.rollup_workbook import consolidate_files

    shown = lang or _default_lang()
    limits = _limits(shown)
    try:
        one_prior(prior, prior_dir)
        done = consolidate_files(
            inputs,
            output,
            report=report,
            unit=unit,
            include_drafts=include_drafts,
            year=year,
            period=_period(period),
            weights=_weights(weights),
            force=force,
            workers=workers,
            lang=lang,
            limits=limits,
            executor=executor,
            prior=prior,
            prior_dir=prior_dir,
        )
    except ConsolidationRefused as refused:
        if getattr(refused, "rollup", None) is not None:
            for line in _exclusions(refused.rollup, shown):
                click.echo(line)
        click.echo(text("cli.error_prefix", shown) + refused.message(shown), err=True)
        sys.exit(1)
    except XlsummaryError as error:
        _fail(error, shown)
    rollup = done.rollup
    for skip in done.skipped:
        click.echo(text("consolidate.cli_skipped", shown, path=skip.path, reason=skip.reason))
    for line in _exclusions(rollup, shown):
        click.echo(line)
    for message in rollup.conflicts:
        click.echo(text("consolidate.cli_conflict", shown, message=message(shown)))
    notes = [lacking(rollup, code) for code in rollup.lacking]
    notes += [rate_method(rollup, code) for code in rollup.weights]
    notes += [d.note for d in rollup.included if d.note]
    for note in notes:
        click.echo(text("consolidate.cli_note", shown, message=note(shown)))
    n, m = len(rollup.included), len(rollup.excluded)
    click.echo(text("consolidate.cli_included", shown, n=n, m=m))
    click.echo(text("consolidate.cli_wrote", shown, path=done.output))
    if done.report is not None:
        click.echo(text("consolidate.cli_report", shown, path=done.report))
    # a lock file or a README beside the workbooks is listed, not held against the run
    sys.exit(0 if done.clean else 1)


def _exclusions(rollup, lang: str) -> list[str]:
    """One line per submission left out of the roll-up, with why."""
    return [
        text(
            "consolidate.cli_excluded",
            lang,
            file=d.submission.file,
            unit=d.submission.unit or "—",
            reason=d.reason(lang) if d.reason else "",
        )
        for d in rollup.excluded
    ]
