"""Many workbooks to many reports: the library call behind ``xlsummary batch``.

Each workbook goes through the one report pipeline (:func:`xlsummary.report.plan_report`
and :func:`~xlsummary.report.render_plan`, and with ``pdf`` the server's converter),
in a task function, :func:`convert_one`, that takes a small picklable :class:`Task`
and returns a small :class:`Outcome`, so that it runs the same in this process, in a
local process pool or on a Dask cluster (:mod:`xlsummary.executors`). Workers write
the report themselves; only the outcome travels back.

**Names are decided in input order, not in finishing order.** A report is named
after its title (``plan.name``), which is known only once its workbook has been read.
Reading every workbook twice (once to name, once to render) would cost a third of
the throughput, so a worker writes the report under a hidden staging name in its
target folder, and when every task has finished the reports are given their names
here, in input order: the first report of a title in a folder gets the plain name,
the next ones ``（2）``, ``（3）``…, whatever the order in which workers finished. An
existing file is never replaced without ``force`` (that input is refused, the others
go on); the final step is a rename in the same folder, so each report appears whole
or not at all, and staging files of a batch that was stopped are removed.

One bad workbook never stops the batch: a workbook that cannot be read is
``failed`` with the reader's one sentence, one with errors is ``refused`` with its
first error's sheet and cell (or rendered as a ``draft`` with ``draft``), a worker
process that dies under a workbook fails that workbook only. The log
(``batch-log.csv``, UTF-8 with a BOM so that Excel reads the Chinese, and
``batch-log.json``) is written in OUTDIR in every case, atomically, and replaced by
the next batch run there: it describes the last run.
"""

from __future__ import annotations

import atexit
import csv
import datetime as _dt
import functools
import hashlib
import io
import json
import os
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from xlsummary.errors import (
    ExecutorError,
    NoInputs,
    OutputError,
    PdfUnavailable,
    XlsummaryError,
)
from xlsummary.executors import DASK_SCHEME, TaskLost, run_tasks
from xlsummary.i18n import LANGS, text
from xlsummary.limits import DEFAULT, Limits
from xlsummary.workbook_inputs import Found, Skipped, expand_inputs

__all__ = ["BatchResult", "Outcome", "Task", "convert", "convert_one"]

RENDERED, DRAFT, REFUSED, FAILED, SKIPPED = "rendered", "draft", "refused", "failed", "skipped"
OUTCOMES = (RENDERED, DRAFT, REFUSED, FAILED, SKIPPED)
LOG_CSV, LOG_JSON = "batch-log.csv", "batch-log.json"
_STAGING = ".~xlsummary-batch-"


@dataclass(frozen=True)
class Task:
    """One workbook to convert: plain values only, so it pickles in a microsecond."""

    source: str
    staging: str  # where the worker writes the report, in the report's target folder
    draft: bool = False
    pdf: bool = False
    lang: str | None = None
    limits: Limits = DEFAULT
    made: _dt.datetime | None = None  # the batch's time, recorded in every report
    prior: str | None = None  # last year's workbook, for every input
    prior_dir: str | None = None  # where to find each unit's workbook of the year before


@dataclass(frozen=True)
class Outcome:
    """What became of one input; a row of the log."""

    input: str
    outcome: str
    code: str = ""
    message_zh: str = ""
    message_en: str = ""
    output: str = ""
    sheet: str = ""
    cell: str = ""
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0
    sha256: str = ""
    name: str = field(default="", repr=False)  # the report's own name, before placing
    staged: str = field(default="", repr=False)  # where the worker left it
    lang: str = field(default="", repr=False)

    @property
    def rendered(self) -> bool:
        return self.outcome in (RENDERED, DRAFT)

    def message(self, lang: str) -> str:
        return getattr(self, f"message_{lang}", "") or self.message_zh

    def record(self) -> dict:
        """The log's record: everything but the placing details."""
        out = asdict(self)
        for private in ("name", "staged", "lang"):
            out.pop(private)
        return out


LOG_FIELDS = [f.name for f in fields(Outcome) if f.repr]


@dataclass(frozen=True)
class BatchResult:
    outcomes: list[Outcome]
    log_csv: Path
    log_json: Path

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(OUTCOMES, 0)
        for outcome in self.outcomes:
            found[outcome.outcome] += 1
        return found

    @property
    def exit_code(self) -> int:
        """0 when every workbook was rendered (drafts included), 1 otherwise."""
        counts = self.counts()
        return 1 if counts[REFUSED] or counts[FAILED] else 0


def _messages(key: str, **params) -> dict[str, str]:
    return {f"message_{lang}": text(key, lang, **params) for lang in LANGS}


def _error_messages(error: XlsummaryError) -> dict[str, str]:
    return {f"message_{lang}": error.message(lang) for lang in LANGS}


def _sha256_of(path: str, limits: Limits) -> str:
    """The input's SHA-256 for the log when the reader could not say it (a failed
    read): read as safely as the reader does, or empty."""
    from xlsummary.input_files import read_input

    try:
        return hashlib.sha256(read_input(path, "workbook", limits)).hexdigest()
    except XlsummaryError:
        return ""


def convert_one(task: Task) -> Outcome:
    """Check, plan, render and stage one workbook's report: the task every executor
    runs. Never raises for a user's file; a bug escapes to the executor, which
    reports it as this input's failure."""
    from xlsummary.check import check_source
    from xlsummary.report import plan_report, render_plan

    start = time.perf_counter()

    def took() -> float:
        return round(time.perf_counter() - start, 4)

    try:
        last = _last_year(task.prior, task.limits) if task.prior is not None else None
        result = check_source(
            Path(task.source), limits=task.limits, prior=last, prior_dir=task.prior_dir
        )
    except XlsummaryError as error:
        return Outcome(
            task.source,
            FAILED,
            error.code,
            **_error_messages(error),
            seconds=took(),
            sha256=_sha256_of(task.source, task.limits),
        )
    counts = {"errors": result.errors, "warnings": result.warnings}
    sha = result.model.sha256
    if result.errors and not task.draft:
        first = next(i for i in result.issues if i.is_error)
        where = {"sheet": first.sheet, "cell": first.cell}
        said = {"problem": first.message("zh"), "problem_en": first.message("en")}
        return Outcome(
            task.source,
            REFUSED,
            first.code,
            **_messages("batch.first_issue", **where, **said),
            **where,
            **counts,
            seconds=took(),
            sha256=sha,
        )
    try:
        plan = plan_report(
            result, lang=task.lang, draft=bool(result.errors), made=task.made, limits=task.limits
        )
        data, name = render_plan(plan, limits=task.limits).data, plan.name
        if task.pdf:
            data, name = _to_pdf(data), name[: -len(".docx")] + ".pdf"
        _stage(data, task.staging)
    except XlsummaryError as error:
        return Outcome(
            task.source,
            FAILED,
            error.code,
            **_error_messages(error),
            **counts,
            seconds=took(),
            sha256=sha,
        )
    outcome = DRAFT if result.errors else RENDERED
    return Outcome(
        task.source,
        outcome,
        "",
        **_messages(f"batch.done.{outcome}", **counts),
        **counts,
        seconds=took(),
        sha256=sha,
        name=name,
        staged=task.staging,
        lang=plan.lang,
    )


def _stage(data: bytes, staging: str) -> None:
    """Write the report under its staging name itself, not through a temporary file
    of its own: the staging name is already hidden and unique, the final rename is
    what makes the report appear whole, and a worker killed mid-write then leaves only
    a file the batch knows to remove."""
    try:
        Path(staging).parent.mkdir(parents=True, exist_ok=True)
        with open(staging, "wb") as handle:
            handle.write(data)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutputError("files.cannot_write", path=staging, reason=reason) from None


# One kept-alive LibreOffice per worker process, started on its first PDF and reused:
# a cold soffice costs about two seconds a document, a warm one a fraction of it.
_converter = None
_conversions = 0
_converter_lock = threading.Lock()
_RESTART_AFTER = 200  # conversions, then a fresh LibreOffice (its memory grows)


def _to_pdf(docx: bytes) -> bytes:
    global _converter, _conversions
    from xlsummary.pdf.converter import PdfConverter, PoolSettings

    with _converter_lock:  # a Dask worker may run tasks in threads; one slot, one user
        if _converter is not None and _conversions >= _RESTART_AFTER:
            close_converter()
        if _converter is None:
            import multiprocessing.util

            _converter = PdfConverter(PoolSettings(slots=1), kept_alive=True)
            _conversions = 0
            # a pool's worker exits through multiprocessing, which skips atexit
            multiprocessing.util.Finalize(None, close_converter, exitpriority=10)
            atexit.register(close_converter)
        _conversions += 1
        return _converter.convert_now(docx)


def close_converter() -> None:
    """Stop this process's LibreOffice, if it started one."""
    global _converter
    if _converter is not None:
        converter, _converter = _converter, None
        converter.close()


@functools.lru_cache(maxsize=1)
def _last_year(path: str, limits: Limits):
    """The one ``--prior`` workbook, read and checked once per worker process, not
    once per input."""
    from xlsummary.check import check_source

    return check_source(Path(path), limits=limits)


def _lost(task: Task, lost: TaskLost) -> Outcome:
    if lost.reason == "died":
        return Outcome(task.source, FAILED, "worker_died", **_messages("batch.worker_died"))
    return Outcome(
        task.source, FAILED, "internal", **_messages("batch.internal", detail=lost.detail)
    )


def _warm_up() -> None:
    """Import the pipeline and compile the shipped templates here, before a pool
    forks: every worker then starts with them (``load_template`` caches per process)
    instead of spending its first few hundred milliseconds on them."""
    import xlsummary.check
    import xlsummary.context
    import xlsummary.outputs
    import xlsummary.read_xlsx  # noqa: F401 - python-calamine and the guards
    from xlsummary.render_docx import load_template
    from xlsummary.report import default_template

    for lang in LANGS:
        load_template(default_template(lang))


def _check_executor(executor: str) -> None:
    """Refuse a bad executor before any file is touched."""
    if executor == "local":
        return
    if not executor.startswith(DASK_SCHEME):
        raise ExecutorError("batch.bad_executor", executor=executor)
    host, _, port = executor[len(DASK_SCHEME) :].rpartition(":")
    if not host or not port.isdigit():
        raise ExecutorError("batch.bad_executor", executor=executor)
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ExecutorError("batch.no_dask") from None


def convert(
    inputs: list[str | Path],
    outdir: str | Path,
    *,
    pdf: bool = False,
    draft: bool = False,
    workers: int | None = None,
    executor: str = "local",
    force: bool = False,
    lang: str | None = None,
    prior: Path | None = None,
    prior_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    limits: Limits = DEFAULT,
) -> BatchResult:
    """Convert every workbook ``inputs`` name (files, folders, globs) into a report in
    ``outdir``: mirroring each workbook's folder below an input folder, flat for files
    and globs. ``progress(done, total)`` is called as workbooks finish. Raises
    (nothing written) when nothing can run: no workbook found (:class:`NoInputs`),
    ``outdir`` is a file, a bad executor, no LibreOffice for ``pdf``, a ``prior`` that
    cannot be read; otherwise every input has an :class:`Outcome`, in input order,
    skipped files last."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise OutputError("batch.outdir_is_file", path=str(outdir))
    _check_executor(executor)
    if prior is not None:
        # one file for every input: missing or not a workbook, it is one sentence and
        # nothing runs, not the same failure repeated on every row of the log
        try:  # read once here: the forked workers inherit it (see _last_year)
            _last_year(str(prior), limits)
        except XlsummaryError as error:
            error.field = "prior"  # the CLI says it is last year's workbook
            raise
    found, skipped = expand_inputs(list(inputs), outdir)
    if not found:
        raise NoInputs("batch.no_inputs")
    if pdf:
        from xlsummary.pdf.converter import find_soffice

        if find_soffice() is None:
            raise PdfUnavailable("error.no_libreoffice")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError("files.cannot_write", path=str(outdir), reason=error.strerror) from None
    from xlsummary.audit import made_time

    # decided here, not by each worker: a cluster's workers have their own clocks and
    # environment (SOURCE_DATE_EPOCH), and one batch is one moment
    made = made_time()
    token = secrets.token_hex(4)
    suffix = ".pdf" if pdf else ".docx"
    tasks = [
        Task(
            str(item.path),
            str(outdir / item.subfolder / f"{_STAGING}{token}-{k}{suffix}"),
            draft,
            pdf,
            lang,
            limits,
            made,
            str(prior) if prior is not None else None,
            str(prior_dir) if prior_dir is not None else None,
        )
        for k, item in enumerate(found)
    ]
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, len(tasks))

    results: list[Outcome | None] = [None] * len(tasks)
    try:
        if executor == "local":
            _warm_up()
            if prior_dir is not None:  # read once here: the forked workers inherit it
                from xlsummary.prior_lookup import folder_index

                folder_index(Path(prior_dir), limits)
        for index, result in run_tasks(convert_one, tasks, executor, workers, tick):
            results[index] = _lost(tasks[index], result) if isinstance(result, TaskLost) else result
        if executor == "local" and (workers == 1 or len(tasks) == 1):
            close_converter()
        outcomes = _place(found, [r for r in results if r is not None], outdir, force)
    finally:
        for task in tasks:  # anything still staged (a stopped batch, a refused target)
            Path(task.staging).unlink(missing_ok=True)
    outcomes = [_shown(o, item) for o, item in zip(outcomes, found, strict=True)]
    outcomes += [_skipped(s) for s in skipped]
    log_csv, log_json = write_logs(outcomes, outdir)
    return BatchResult(outcomes, log_csv, log_json)


def _shown(outcome: Outcome, item: Found) -> Outcome:
    from dataclasses import replace

    return replace(outcome, input=item.shown)


def _skipped(item: Skipped) -> Outcome:
    return Outcome(item.shown, SKIPPED, item.reason, **_messages(f"batch.skipped.{item.reason}"))


def _place(found: list[Found], outcomes: list[Outcome], outdir: Path, force: bool) -> list:
    """Give each staged report its name, in input order, and move it there."""
    from dataclasses import replace

    from xlsummary.outputs import refuse_existing

    taken: dict[Path, set[str]] = {}
    placed = []
    for item, outcome in zip(found, outcomes, strict=True):
        if not outcome.staged:
            placed.append(outcome)
            continue
        folder = outdir / item.subfolder
        names = taken.setdefault(folder, set())
        name = _free_name(outcome.name, names, outcome.lang)
        names.add(_same_name(name))
        target = folder / name
        try:
            refuse_existing(target, force)
            os.replace(outcome.staged, target)
        except XlsummaryError as error:
            placed.append(
                replace(outcome, outcome=REFUSED, code=error.code, **_error_messages(error))
            )
            continue
        except OSError as error:
            failure = OutputError("files.cannot_write", path=str(target), reason=error.strerror)
            placed.append(
                replace(outcome, outcome=FAILED, code=failure.code, **_error_messages(failure))
            )
            continue
        placed.append(replace(outcome, output=str(target), staged=""))
    return placed


def _same_name(name: str) -> str:
    """What a file system may take for the same name: Windows' and macOS's ignore
    letter case, macOS's also Unicode normalisation (``Café`` typed as é or as
    e + ◌́), so two reports whose names differ only so would replace each other."""
    return unicodedata.normalize("NFC", name).casefold()


def _free_name(name: str, taken: set[str], lang: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 2
    while _same_name(candidate) in taken:
        candidate = f"{stem}{text('batch.duplicate', lang, n=n)}{dot}{suffix}"
        n += 1
    return candidate


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value: object) -> object:
    """A CSV cell Excel shows as written: a file name starting with ``=``, ``+``,
    ``-``, ``@`` or a tab would otherwise be evaluated as a formula (``=HYPERLINK``,
    DDE) when the log is opened. The apostrophe is what Excel itself uses to mark
    text; the JSON log keeps every value exactly."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_logs(outcomes: list[Outcome], outdir: Path) -> tuple[Path, Path]:
    """``batch-log.csv`` (UTF-8 with BOM: Excel then reads the Chinese) and
    ``batch-log.json``, the same records, each written atomically."""
    from xlsummary.outputs import write_output

    records = [o.record() for o in outcomes]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, LOG_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: _as_text(v) for k, v in r.items()} for r in records)
    data_csv = buffer.getvalue().encode("utf-8-sig")
    data_json = json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    return (
        write_output(data_csv, outdir / LOG_CSV, force=True),
        write_output(data_json, outdir / LOG_JSON, force=True),
    )
