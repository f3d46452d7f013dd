"""``xlsummary batch``: many workbooks to many reports, a thin layer over
:func:`xlsummary.batch.convert` that only prints (a progress bar on a terminal, then
a summary table). Exit codes: 0 every workbook rendered (drafts count), 1 some were
refused or failed, 2 the batch could not run at all.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from xlsummary import i18n
from xlsummary.cli_options import executor_option, one_prior, prior_options
from xlsummary.errors import XlsummaryError
from xlsummary.i18n import text

# cli.py imports this module to register the command: its helpers are imported when
# the command runs (a module-level import would be circular)
LANGS = click.Choice(list(i18n.LANGS))


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    "outdir",
    type=click.Path(path_type=Path),
    required=True,
    help="输出文件夹（报告、batch-log.csv 和 batch-log.json）"
    "Output folder (the reports, batch-log.csv and batch-log.json).",
)
@click.option("--pdf", is_flag=True, help="生成 PDF（需要 LibreOffice）Write PDFs (LibreOffice).")
@click.option(
    "--draft",
    is_flag=True,
    help="有错误的统计表也生成，标注“草稿” Render workbooks with errors as drafts.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="并行进程数（默认：CPU 核数；1 为本进程内依次处理）"
    "Worker processes (default: CPU count; 1 runs here, one by one).",
)
@executor_option
@click.option("--force", is_flag=True, help="覆盖已有报告 Overwrite existing reports.")
@click.option(
    "--lang",
    type=LANGS,
    default=None,
    help="报告语言（默认与各统计表一致）Report language (default: each workbook's).",
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条 No progress bar.")
@prior_options
def batch_command(
    inputs: tuple[str, ...],
    outdir: Path,
    pdf: bool,
    draft: bool,
    workers: int | None,
    executor: str,
    force: bool,
    lang: str | None,
    quiet: bool,
    prior: Path | None,
    prior_dir: Path | None,
) -> None:
    """批量生成工作总结 Convert many workbooks (files, folders, wildcards) into reports.

    \b
    xlsummary batch 各单位/ -o 报告/
    xlsummary batch "收件箱/*.xlsx" -o 报告/ --draft --workers 4
    """
    from xlsummary.batch import convert
    from xlsummary.cli import _default_lang, _fail, _limits

    shown = lang or _default_lang()
    limits = _limits(shown)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            from tqdm import tqdm

            disabled = quiet or not sys.stderr.isatty()
            bar = tqdm(total=total, desc=text("batch.progress", shown), disable=disabled)
        bar.update(done - bar.n)  # tqdm redraws at most ten times a second

    previous = _stop_on_sigterm()
    try:
        one_prior(prior, prior_dir)
        result = convert(
            list(inputs),
            outdir,
            pdf=pdf,
            draft=draft,
            workers=workers,
            executor=executor,
            force=force,
            lang=lang,
            prior=prior,
            prior_dir=prior_dir,
            progress=progress,
            limits=limits,
        )
    except XlsummaryError as error:
        _fail(error, shown)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if bar is not None:
            bar.close()
    for line in summary_lines(result, shown):
        click.echo(line)
    sys.exit(result.exit_code)


def _stop_on_sigterm():
    """SIGTERM (``kill``, a service manager, a CI time-out) stops the batch as Ctrl-C
    does: Python's default is to die on the spot, skipping the clean-up, which left the
    pool's workers running as orphans and the staged reports in OUTDIR. A forked
    worker inherits this handler: there the signal keeps its default meaning."""
    batch = os.getpid()

    def stop(signum, frame) -> None:
        if os.getpid() != batch:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, stop)


def summary_lines(result, lang: str) -> list[str]:
    """Counts per outcome, then one row per input without a report, then the logs."""
    from xlsummary.batch import OUTCOMES
    from xlsummary.terminal_tables import table

    counts = result.counts()
    lines = [text("batch.summary", lang, n=len(result.outcomes))]
    head = [text("batch.head.outcome", lang), text("batch.head.count", lang)]
    rows = [[text(f"batch.outcome.{o}", lang), str(counts[o])] for o in OUTCOMES if counts[o]]
    lines += table([head, *rows], last_free=False)
    missing = [o for o in result.outcomes if not o.rendered]
    if missing:
        lines += ["", text("batch.not_rendered", lang)]
        head = [
            text("batch.head.input", lang),
            text("batch.head.outcome", lang),
            text("batch.head.reason", lang),
        ]
        rows = [
            [o.input, text(f"batch.outcome.{o.outcome}", lang), o.message(lang)] for o in missing
        ]
        lines += table([head, *rows])
    lines += ["", text("batch.log", lang, csv=result.log_csv, json=result.log_json)]
    return lines
