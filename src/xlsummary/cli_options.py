"""Options that several commands share, kept apart from ``cli.py`` so that the
commands living in their own modules (``cli_batch``, ``cli_consolidate``) can use them
without importing the whole command group."""

from __future__ import annotations

from pathlib import Path

import click


def prior_options(command):
    """``--prior`` and ``--prior-dir``: last year's workbook, for every command that
    compares with last year (check, render, batch, consolidate)."""
    command = click.option(
        "--prior-dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="在此文件夹中查找同一单位上一年的统计表 Find the same unit's workbook for the "
        "year before in this folder.",
    )(command)
    return click.option(
        "--prior",
        type=click.Path(path_type=Path),
        help="上年的统计表：上年同期按上年各月计算（“上年同期”列填写的数优先）"
        "Last year's workbook: last year's figures are computed from its months (figures "
        "entered in the column still win).",
    )(command)


def one_prior(prior: Path | None, prior_dir: Path | None) -> None:
    if prior is not None and prior_dir is not None:
        from xlsummary.errors import UsageError

        raise UsageError("cli.prior_twice")


def executor_option(command):
    """``--executor``: where many workbooks are read (batch, consolidate)."""
    return click.option(
        "--executor",
        default="local",
        show_default=True,
        help="执行方式：local，或已有 Dask 集群 dask://主机:端口 "
        "Where to run: local, or an existing Dask cluster dask://HOST:PORT.",
    )(command)
