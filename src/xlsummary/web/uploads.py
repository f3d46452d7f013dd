"""Uploaded files: sniffed by content (never by name or content type) before anything
parses them; a request that declares a larger body is refused from its headers
(app.py), before it is received."""

from __future__ import annotations

from xlsummary.web.errors import WebError

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_size(data: bytes, limit: int) -> None:
    if not data:
        raise WebError(400, "empty", "上传的文件是空的。", "The uploaded file is empty.")
    if len(data) > limit:
        raise WebError(
            413,
            "too_large",
            f"文件太大：最大 {limit // 1024 // 1024} MB。",
            f"The file is too large: {limit // 1024 // 1024} MB at most.",
        )


def check_zip(data: bytes, kind: str = "workbook") -> None:
    """An .xlsx or .docx is a zip: refuse anything else by its first bytes. How much
    it really unpacks to is counted by the reader itself (``xlsummary.office_zip``),
    the same way for the CLI, the add-in and the server."""
    if data.startswith(_OLE):
        raise WebError(
            415,
            "legacy_or_encrypted",
            "这是旧版 .xls/.doc 文件或设置了打开密码的文件，请另存为 .xlsx/.docx（取消密码）后再上传。",
            "This is a legacy .xls/.doc or a password-protected file: save it as "
            ".xlsx/.docx without a password.",
        )
    if not data.startswith(_ZIP):
        raise WebError(
            415,
            "not_office",
            "这不是 Excel 工作簿（.xlsx）。"
            if kind == "workbook"
            else "这不是 Word 文档（.docx）。",
            f"This is not an Office {kind} file.",
        )
