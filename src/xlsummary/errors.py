"""The one exception hierarchy of xlsummary.

Every failure a user can cause (a missing file, a password-protected workbook, a
workbook that is not ours, an unknown profile, a PDF converter that is busy) is an
:class:`XlsummaryError` with a stable ``code`` (listed in docs/errors.md, the same from
the CLI's ``--json``, the API and the Excel add-in) and a message said in any language
of the catalogue (:mod:`xlsummary.i18n`). Adapters catch exactly this class: the CLI prints
one sentence and exits with code 2, the web layer turns it into one JSON error shape.
Anything else escaping is a bug in xlsummary, not a user mistake.

Problems *inside* a readable workbook (a bad number in a cell...) are not exceptions:
they are :class:`xlsummary.issues.Issue` values, so that all of them can be shown at once.
"""

from __future__ import annotations

from typing import Any

from xlsummary.i18n import DEFAULT, LANGS, text


class XlsummaryError(Exception):
    """Anything a user can cause: the class every adapter catches.

    Carries a message key of :mod:`xlsummary.i18n` and its parameters, said in any
    language on demand; ``str()`` gives the default language's sentence. The key
    defaults to ``error.<code>``, a general sentence every class has in the catalogue
    (a test sees to it); raise sites give a precise one."""

    code = "error"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or f"error.{self.code}"
        self.params = params
        super().__init__(self.key)

    def message(self, lang: str = DEFAULT) -> str:
        return text(self.key, lang, **self.params)

    @property
    def message_zh(self) -> str:
        return self.message("zh")

    @property
    def message_en(self) -> str:
        return self.message("en")

    def __str__(self) -> str:
        return self.message()

    def __reduce__(self):  # pickled whole across a process pool (keys, params, state)
        return (_rebuild, (type(self), self.__dict__))

    def to_dict(self) -> dict[str, str]:
        """The error object of ``check --json``, of the API and of the add-in: the
        stable code and the message in every language."""
        out = {"code": self.code, "message": self.message(LANGS[0])}
        out.update({f"message_{lang}": self.message(lang) for lang in LANGS[1:]})
        return out


def _rebuild(cls: type[XlsummaryError], state: dict[str, Any]) -> XlsummaryError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("key"))
    error.__dict__.update(state)
    return error


class UsageError(XlsummaryError):
    """A command or function was asked for something that does not exist (profile, lang...)."""

    code = "usage"


class FileError(XlsummaryError):
    """A file (a workbook or a Word template) cannot be used at all; ``path`` names it."""

    code = "file"

    def __init__(self, path: str, key: str | None = None, /, **params: Any) -> None:
        params.setdefault("path", path)
        super().__init__(key, **params)
        self.path = path


class FileNotFound(FileError):
    """No file at that path."""

    code = "not_found"


class UnreadableFile(FileError):
    """Not a regular file (a folder, a FIFO, a device, a symlink loop), or the system
    refused to read it: refused before anything opens it for reading."""

    code = "unreadable"


class FileTooLarge(FileError):
    """Larger, as stored, than any workbook or template needs (``Limits.max_file``)."""

    code = "too_large"


class ZipBomb(FileError):
    """A zip whose members really inflate to more than ``Limits.max_unpacked`` (or that
    has absurdly many members), whatever sizes it declares."""

    code = "zip_bomb"


class WorkbookError(FileError):
    """The file cannot be read as a workbook at all."""

    code = "workbook"


#: kept for callers of the first release: a missing workbook
WorkbookNotFound = FileNotFound


class NotAnXlsxFile(WorkbookError):
    """Not a zip-based .xlsx: a legacy .xls, a CSV renamed, a Word file..."""

    code = "not_xlsx"


class EncryptedWorkbook(WorkbookError):
    """Password-protected on opening: the content is encrypted and cannot be read."""

    code = "encrypted"


class CorruptWorkbook(WorkbookError):
    """A zip, but damaged or missing the parts every .xlsx has."""

    code = "corrupt"


class WorkbookTooLarge(WorkbookError):
    """A sheet reaches far beyond anything a tally needs (a stray cell far away)."""

    code = "too_large"


class NotStandardWorkbook(WorkbookError):
    """A readable .xlsx that was not made from an xlsummary workbook template."""

    code = "not_standard"


class TemplateProblem(XlsummaryError):
    """A Word template that cannot be used: damaged, bad syntax, or an unknown field."""

    code = "template"


class ReportRefused(XlsummaryError):
    """The workbook has errors and no draft was asked for; ``issues`` lists them."""

    code = "validation"

    def __init__(self, issues: list, model=None, key: str | None = None, /, **params: Any):
        errors = sum(1 for i in issues if i.is_error)
        super().__init__(key, errors=errors, **params)
        self.issues = issues
        self.model = model


class OutputError(XlsummaryError):
    """An output file could not be written (no such folder, no permission, disk full)."""

    code = "output"


class OutputExistsError(OutputError):
    """Refusing to overwrite an existing file (never lose a user's work)."""

    code = "output_exists"


class EmptyFile(FileError):
    """A file of zero bytes (an upload that carried nothing, a file being written)."""

    code = "empty"


class UnknownProfile(UsageError):
    """No indicator profile of that name."""

    code = "unknown_profile"


class Busy(XlsummaryError):
    """The work was refused for now, not for good: every worker is taken and the
    queue is full, or the wait passed its bound. ``retry_after`` says, in seconds, when
    trying again may help (the API's ``Retry-After``)."""

    code = "busy"

    def __init__(self, retry_after: int, key: str | None = None, /, **params: Any) -> None:
        super().__init__(key, **params)
        self.retry_after = retry_after


class ConversionError(XlsummaryError):
    """A conversion to PDF failed after its retry; ``detail`` (a parameter) says why,
    for the log. Trying again later may help."""

    code = "pdf_failed"
    retry_after = 5


class PdfUnavailable(ConversionError):
    """No LibreOffice is installed: PDFs cannot be made at all here (no use retrying)."""

    code = "pdf_unavailable"
    retry_after = None


class PdfBusy(Busy):
    """Every converter is busy and the PDF queue is full, or the wait passed its bound."""

    code = "pdf_busy"


class PriorMismatch(UsageError):
    """The workbook given as last year's is not for the year before, or a folder holds
    more than one workbook of the unit for the year before."""

    code = "prior_mismatch"


class ExecutorError(UsageError):
    """A batch cannot be run where it was asked to: an executor address that is not
    ``local`` or ``dask://HOST:PORT``, dask not installed, or no scheduler there."""

    code = "executor"


class NoInputs(UsageError):
    """A batch's inputs name no workbook at all (empty folders, globs matching nothing)."""

    code = "no_inputs"


class ConsolidationRefused(XlsummaryError):
    """The submitted workbooks cannot be consolidated as they are (different years or
    periods and none picked, nothing readable): nothing was written. The CLI exits 1,
    as for any refused input, and lists which file has which year or period."""

    code = "consolidation_refused"
