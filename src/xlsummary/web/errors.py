"""The API's one error shape: ``{"error": {"code", "message", "message_en", …}}``.

Every failure is an :class:`~xlsummary.errors.XlsummaryError` with the same stable
code the CLI's ``--json`` and the Excel add-in give; this module only adds what HTTP
needs: a status code that fits the class (400 a bad file or request, 404, 405, 408
too slow, 413 too large, 415 not a workbook, 422 validation errors, 503 busy or PDF
unavailable) and ``Retry-After`` when trying again later will help. Problems with the
request itself (no route, a bad form field, a body too slow) are
:class:`RequestProblem`, whose codes are listed in :data:`REQUEST_CODES`.
"""

from __future__ import annotations

from typing import Any

from xlsummary import errors as core
from xlsummary.errors import XlsummaryError

#: the codes of problems with the HTTP request itself, and their status
REQUEST_CODES = {
    "bad_request": 400,
    "bad_format": 400,
    "templates_disabled": 400,
    "not_found": 404,
    "method_not_allowed": 405,
    "timeout": 408,
    "too_large": 413,
    "http_error": 400,  # any other status Starlette raises (kept as it was)
    "internal": 500,
}


class RequestProblem(XlsummaryError):
    """The request, not a file in it, is wrong (or the server failed: ``internal``)."""

    code = "bad_request"

    def __init__(
        self, code: str, key: str | None = None, /, status: int | None = None, **params: Any
    ) -> None:
        super().__init__(key or f"web.{code}", **params)
        self.code = code  # one of REQUEST_CODES
        self.status = status or REQUEST_CODES[code]


# the status of each core class; the first that matches, so subclasses come first
_STATUS: list[tuple[type[XlsummaryError], int]] = [
    (core.UnknownProfile, 404),
    (core.ReportRefused, 422),
    (core.PdfUnavailable, 503),
    (core.Busy, 503),
    (core.ConversionError, 503),
    (core.ZipBomb, 413),
    (core.FileTooLarge, 413),
    (core.WorkbookTooLarge, 413),
    (core.NotAnXlsxFile, 415),
    (core.NotStandardWorkbook, 415),
    (core.EncryptedWorkbook, 415),
]


def status_of(error: XlsummaryError) -> int:
    if isinstance(error, RequestProblem):
        return error.status
    return next((status for kind, status in _STATUS if isinstance(error, kind)), 400)


def body(error: XlsummaryError) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if isinstance(error, core.ReportRefused):
        extra["issues"] = [issue.to_dict() for issue in error.issues]
    if getattr(error, "field", None):  # the upload it is about, when not ``file``
        extra["field"] = error.field
    return {"error": {**error.to_dict(), **extra}}


def headers(error: XlsummaryError) -> dict[str, str]:
    retry_after = getattr(error, "retry_after", None)
    return {"Retry-After": str(retry_after)} if retry_after else {}


_HTTP = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def http_problem(status: int) -> RequestProblem:
    """Starlette's and FastAPI's own errors (no route, wrong method, a body the
    multipart parser cannot read) in the one shape."""
    return RequestProblem(_HTTP.get(status, "http_error"), status=status)


# what a field of the request must be, by pydantic's error type (query and form
# values; the only constraints the routes declare are whole numbers within bounds)
_EXPECTED = {
    "missing": "missing",
    "int_parsing": "int",
    "int_type": "int",
    "bool_parsing": "bool",
    "greater_than_equal": "ge",
    "less_than_equal": "le",
}


def invalid_request(errors: list[dict[str, Any]]) -> RequestProblem:
    """A request whose fields do not fit the route, each named with what it must be:
    a missing upload asks for the file, a bad ``year`` says what a year must be."""
    from xlsummary.i18n import LANGS, text

    parts: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        name = loc[-1] if loc else "?"
        kind = str(error.get("type", ""))
        ctx = error.get("ctx") or {}
        for lang in LANGS:
            if name in ("file", "template") and kind == "missing":
                parts[lang].append(text("web.field.upload", lang))
            else:
                key = f"web.field.{_EXPECTED.get(kind, 'invalid')}"
                parts[lang].append(text(key, lang, name=name, **ctx))
    # every language's sentence is made here, from the parts of that language
    return RequestProblem(
        "bad_request",
        "web.bad_fields",
        **{f"parts_{lang}": text("web.field.join", lang).join(parts[lang]) for lang in LANGS},
        parts=text("web.field.join", LANGS[0]).join(parts[LANGS[0]]),
    )
