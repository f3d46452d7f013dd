"""Files in, roll-up workbook (and report) out: the adapter around ``consolidate``.

It finds the workbooks among the inputs (files, folders searched recursively, globs;
Excel's ``~$`` lock files and anything not ``.xlsx`` are listed as skipped), reads
each through :func:`xlsummary.check.check_source` (on a process pool when there are
many: reading is the cost, about 7 ms a workbook), keeps only the
small arrays consolidation needs (:class:`~xlsummary.consolidate.Submission`, never a
unit's whole model, so memory stays flat in the number of units), and writes the
roll-up through the ordinary generator (:func:`xlsummary.generate.build`) with the
three sheets of ``rollup_sheets`` added: so the roll-up is a standardized workbook
that ``check``, ``render`` and ``consolidate`` itself read like any other. The report,
when asked for, comes from that workbook through the one pipeline
(:func:`xlsummary.report.render_report`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np

from xlsummary import catalogue as cat
from xlsummary import i18n
from xlsummary.consolidate import Rollup, Submission, consolidate
from xlsummary.errors import UsageError, XlsummaryError
from xlsummary.i18n import Msg
from xlsummary.limits import DEFAULT, Limits
from xlsummary.outputs import refuse_existing, write_output
from xlsummary.periods import Period

#: below this many files a pool costs more (starting workers) than it saves
POOL_FROM = 16


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: Msg


@dataclass
class RollupResult:
    output: Path
    rollup: Rollup
    report: Path | None = None
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.rollup.clean


def find_inputs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """The workbooks among ``inputs`` in a stable order (each named once), and what was
    passed over with the reason: the batch's own rules (:mod:`xlsummary.workbook_inputs`)."""
    from xlsummary.workbook_inputs import expand_inputs

    found, passed = expand_inputs([str(i) for i in inputs])
    skipped = [Skipped(s.shown, Msg(f"batch.skipped.{s.reason}")) for s in passed]
    return [f.path for f in found], skipped


def read_submission(
    path: str | Path, limits: Limits = DEFAULT, prior_dir: str | Path | None = None
) -> Submission:
    """One file as a :class:`Submission` (a file that cannot be read becomes one with
    its ``failure``). With ``prior_dir``, the unit's 上年同期 comes from its workbook
    of the year before found there (:mod:`xlsummary.prior_year`). Top-level, so a
    process pool can run it."""
    from xlsummary.check import check_source
    from xlsummary.read_xlsx import read_grids
    from xlsummary.rollup_layout import read_weights

    name = str(path)
    try:
        grids = read_grids(path, limits)
        result = check_source(grids, limits=limits, prior_dir=prior_dir)
    except XlsummaryError as error:
        return Submission(file=name, failure=Msg(error.key, error.params))
    model = result.model
    first = next((i for i in result.issues if i.is_error), None) or (
        result.issues[0] if result.issues else None
    )
    first_issue = None
    if first is not None:
        where = f"{first.sheet}!{first.cell}" if first.cell else first.sheet
        first_issue = Msg(
            "consolidate.first_issue",
            {"where": where, "what": Msg(f"issue.{first.code}", first.params)},
        )
    return Submission(
        file=name,
        unit=model.info_text("unit"),
        sha256=model.sha256,
        profile=model.profile,
        lang=model.lang,
        year=model.year,
        period=model.period,
        indicators=tuple(model.indicators),
        values=np.array(model.values, dtype=float),
        prior=np.array(model.prior, dtype=float),
        errors=result.errors,
        warnings=result.warnings,
        first_issue=first_issue,
        weights=read_weights(grids),
        # a roll-up stands for its units: given beside one of them, it is counted twice
        members=tuple(model.units.units) if model.units is not None else (),
    )


def read_submissions(
    paths: Sequence[Path],
    workers: int | None = None,
    limits: Limits = DEFAULT,
    *,
    executor: str = "local",
    prior_dir: str | Path | None = None,
) -> list[Submission]:
    """Every file read, in input order, by the batch's runner
    (:func:`xlsummary.executors.run_tasks`): in this process for a few files, on a
    process pool of ``workers`` (default: every core) or a Dask cluster for many. A
    file whose worker died is a submission that failed, like an unreadable one."""
    from xlsummary.executors import TaskLost, as_list, run_tasks

    if executor == "local" and len(paths) < POOL_FROM:
        workers = 1
    if prior_dir is not None and executor == "local":  # read once, before the pool forks
        from xlsummary.prior_lookup import folder_index

        folder_index(Path(prior_dir), limits)
    read = partial(read_submission, limits=limits, prior_dir=prior_dir)
    results = as_list(run_tasks(read, list(paths), executor, workers), len(paths))
    return _shared(
        Submission(file=str(path), failure=Msg("batch.worker_died"))
        if isinstance(got, TaskLost)
        else got
        for path, got in zip(paths, results, strict=True)
    )


def _shared(subs: Iterable[Submission]) -> list[Submission]:
    """Units of one profile share one catalogue object: a thousand units then keep one
    catalogue, not a thousand equal copies."""
    seen: dict[tuple, tuple] = {}
    out = []
    for s in subs:
        same = seen.setdefault(s.indicators, s.indicators)
        out.append(s if same is s.indicators else replace(s, indicators=same))
    return out


def declared_weights(subs: Sequence[Submission]) -> dict[str, str]:
    """Rate code -> weight code as the submissions' shipped profiles declare them."""
    out: dict[str, str] = {}
    for profile in dict.fromkeys(s.profile for s in subs if s.profile):
        if profile in cat.profile_names():
            for ind in cat.load_profile(profile).indicators:
                if ind.weight:
                    out.setdefault(ind.code, ind.weight)
    return out


def consolidate_files(
    inputs: Iterable[str | Path],
    output: str | Path,
    *,
    report: str | Path | None = None,
    unit: str | None = None,
    include_drafts: bool = False,
    year: int | None = None,
    period: Period | None = None,
    weights: dict[str, str] | None = None,
    date: _dt.date | None = None,
    force: bool = False,
    workers: int | None = None,
    lang: str | None = None,
    limits: Limits = DEFAULT,
    executor: str = "local",
    prior: Path | None = None,
    prior_dir: Path | None = None,
) -> RollupResult:
    """Consolidate the workbooks among ``inputs`` into the roll-up workbook ``output``
    (and the Word report ``report``). Raises ConsolidationRefused (nothing written)
    when the submissions cannot be consolidated as they are.

    Last year: with ``prior_dir`` each unit's 上年同期 is computed from its own
    workbook of the year before found there, and the roll-up sums those; with
    ``prior`` (last year's roll-up, or any workbook of the consolidating unit for the
    year before) the roll-up's 上年同期 is computed from its months instead, by the
    same rules (the units' 上年同期 columns are then not used)."""
    if not unit or not unit.strip():
        raise UsageError("consolidate.unit_required")
    output = Path(output)
    refuse_existing(output, force)
    if report is not None:
        refuse_existing(Path(report), force)
    paths, skipped = find_inputs(inputs)
    if not paths:
        raise UsageError("consolidate.no_inputs")
    last = _last_year(prior, limits)
    subs = read_submissions(paths, workers, limits, executor=executor, prior_dir=prior_dir)
    rollup = consolidate(
        subs,
        unit=unit.strip(),
        year=year,
        period=period,
        include_drafts=include_drafts,
        weights=weights,
        declared=declared_weights(subs),
    )
    if not rollup.included:
        from xlsummary.errors import ConsolidationRefused

        refused = ConsolidationRefused("consolidate.none_included")
        refused.rollup = rollup  # which file was left out, and why: for the caller to say
        raise refused
    wb_lang = i18n.language(lang or _common_lang(rollup.included_submissions))
    if last is not None:
        rollup = _with_last_year(rollup, last)
    data = rollup_workbook(rollup, wb_lang, date or _dt.date.today())
    write_output(data, output, force)
    done = RollupResult(output, rollup, skipped=skipped)
    if report is not None:
        from xlsummary.report import render_report

        done.report = render_report(output, report, lang=lang, force=force, limits=limits).path
    return done


def _last_year(prior: Path | None, limits: Limits):
    """Last year's roll-up, read and checked before any unit is (a wrong file fails
    the run at once)."""
    if prior is None:
        return None
    from xlsummary.check import check_source

    return check_source(prior, limits=limits)


def _with_last_year(rollup: Rollup, last) -> Rollup:
    """The roll-up with its 上年同期 computed from last year's roll-up's months, by the
    roll-up's own period and rules (:func:`xlsummary.prior_year.prior_figures`)."""
    from xlsummary.prior_year import prior_figures, refuse_other_year

    refuse_other_year(rollup.year, last.model, Path(last.model.source).name)
    figures, _found = prior_figures(
        list(rollup.indicators), rollup.period or Period.named("year"), last.model
    )
    return replace(rollup, prior=figures)


def _common_lang(subs: Sequence[Submission]) -> str:
    """The language most of the units' workbooks are in (the catalogue's words, such as
    名 or persons, are theirs), else the default."""
    langs = [s.lang for s in subs if s.lang]
    return max(dict.fromkeys(langs), key=langs.count) if langs else i18n.DEFAULT


def rollup_workbook(rollup: Rollup, lang: str, date: _dt.date) -> bytes:
    """The roll-up as standardized-workbook bytes."""
    from xlsummary.generate import build
    from xlsummary.rollup_sheets import writer
    from xlsummary.workbook_style import Book

    profile = rollup_profile(rollup)
    return build(
        Book(profile, lang, rollup.year, rollup_example(rollup, lang, date)), writer(rollup)
    )


def rollup_profile(rollup: Rollup) -> cat.Profile:
    """The shipped profile's words and narrative, with the union catalogue."""
    base = cat.load_profile(rollup.profile if rollup.profile in cat.profile_names() else "general")
    return replace(base, indicators=rollup.indicators)


def _figure(value: float) -> float | int | str:
    if value != value:
        return ""
    return int(value) if float(value).is_integer() else float(value)


def rollup_example(rollup: Rollup, lang: str, date: _dt.date) -> dict:
    """The generator's ``example`` dict (the shape of ``examples/*.toml``) for the roll-up."""
    from xlsummary.rollup_sheets import rate_method

    period = rollup.period
    info: dict[str, object] = {
        "unit": rollup.unit,
        "partner": i18n.text("consolidate.partner", lang),
        "year": rollup.year,
        "period": period.kind,
        "date": date.isoformat(),
    }
    if period.kind == "custom":
        info["start_month"], info["end_month"] = period.start, period.end
    tallies = {
        ind.code: {
            "months": [_figure(v) for v in rollup.values[k]],
            **({} if rollup.prior[k] != rollup.prior[k] else {"prior": _figure(rollup.prior[k])}),
        }
        for k, ind in enumerate(rollup.indicators)
    }
    n = len(rollup.included)
    rates = "".join(rate_method(rollup, code)(lang) for code in rollup.weights)
    profile = rollup_profile(rollup)
    narrative = {}
    for spec in profile.narrative:
        key = "basic" if spec is profile.narrative[0] else "other"
        narrative[spec.code] = i18n.text(
            f"consolidate.narrative_{key}", lang, units=n, unit=rollup.unit, rates=rates
        )
    return {
        "info": info,
        "tallies": tallies,
        f"narrative_{lang}": narrative,
        "narrative": narrative,
    }
