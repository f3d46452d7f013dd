"""One JSON error shape for the whole API: ``{"error": {"code", "message", "message_en"}}``
with a status code that fits (400 bad file, 413 too large, 415 not a workbook,
422 validation errors, 503 PDF unavailable)."""

from __future__ import annotations

from typing import Any

from xlsummary import errors as core


class WebError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message_zh: str,
        message_en: str,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message_zh)
        self.status, self.code = status, code
        self.message_zh, self.message_en = message_zh, message_en
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": self.message_zh,
                "message_en": self.message_en,
                **self.extra,
            }
        }


_STATUS = {
    core.ZipBomb: 413,
    core.FileTooLarge: 413,
    core.NotAnXlsxFile: 415,
    core.NotStandardWorkbook: 415,
    core.EncryptedWorkbook: 415,
    core.CorruptWorkbook: 400,
    core.WorkbookTooLarge: 413,
    core.TemplateProblem: 400,
    core.UsageError: 400,
}


def from_core(error: core.XlsummaryError) -> WebError:
    status = next((s for kind, s in _STATUS.items() if isinstance(error, kind)), 400)
    return WebError(status, error.code, error.message("zh"), error.message("en"))
