"""One JSON error shape for the whole API: ``{"error": {"code", "message", "message_en"}}``
with a status code that fits (400 bad file or request, 404, 405, 408 too slow, 413 too
large, 415 not a workbook, 422 validation errors, 503 busy or PDF unavailable, with
``Retry-After`` when trying again later will help)."""

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
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message_zh)
        self.status, self.code = status, code
        self.message_zh, self.message_en = message_zh, message_en
        self.extra = extra or {}
        self.headers = {"Retry-After": str(retry_after)} if retry_after else {}

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


_HTTP = {
    400: ("bad_request", "请求格式有误，无法读取上传的内容。", "The request could not be read."),
    404: ("not_found", "没有这个地址。", "Not found."),
    405: ("method_not_allowed", "这个地址不支持该请求方法。", "Method not allowed."),
    413: ("too_large", "上传的内容太大。", "The upload is too large."),
}


def http_problem(status: int) -> WebError:
    """Starlette's and FastAPI's own errors (no route, wrong method, a body the
    multipart parser cannot read) in the one shape."""
    code, zh, en = _HTTP.get(status, ("http_error", "请求无法处理。", "The request failed."))
    return WebError(status, code, zh, en)


# what a field of the request must be, by pydantic's error type (query and form
# values; the only constraints the routes declare are whole numbers within bounds)
_EXPECTED = {
    "missing": ("缺少", "is missing"),
    "int_parsing": ("应为整数", "must be a whole number"),
    "int_type": ("应为整数", "must be a whole number"),
    "bool_parsing": ("应为 true 或 false", "must be true or false"),
    "greater_than_equal": ("应不小于 {ge}", "must be at least {ge}"),
    "less_than_equal": ("应不大于 {le}", "must be at most {le}"),
}


def invalid_request(errors: list[dict[str, Any]]) -> WebError:
    """A request whose fields do not fit the route, each named with what it must be:
    a missing upload asks for the file, a bad ``year`` says what a year must be."""
    zh_parts, en_parts = [], []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        name = loc[-1] if loc else "?"
        kind = str(error.get("type", ""))
        if name in ("file", "template") and kind == "missing":
            zh_parts.append("请上传 .xlsx 文件（字段 file）")
            en_parts.append("upload an .xlsx file (field file)")
            continue
        ctx = error.get("ctx") or {}
        zh, en = _EXPECTED.get(kind, ("取值无效", "is not valid"))
        zh_parts.append(f"参数 {name} {zh.format(**ctx)}")
        en_parts.append(f"{name} {en.format(**ctx)}")
    return WebError(
        400,
        "bad_request",
        "请求有误：" + "；".join(zh_parts) + "。",
        "Bad request: " + "; ".join(en_parts) + ".",
    )
