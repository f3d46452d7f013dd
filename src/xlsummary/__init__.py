"""xlsummary: standardized Excel activity tallies in, formal Word work summaries out.

The public surface is re-exported here lazily, so that ``import xlsummary`` (and so
every CLI start) costs almost nothing: numpy, calamine and openpyxl are imported
only by the functions that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "load_profile": "xlsummary.catalogue",
    "profile_names": "xlsummary.catalogue",
    "Indicator": "xlsummary.catalogue",
    "Profile": "xlsummary.catalogue",
    "generate_workbook": "xlsummary.generate",
    "read_grids": "xlsummary.read_xlsx",
    "build_model": "xlsummary.model_reader",
    "Model": "xlsummary.model",
    "validate": "xlsummary.validate",
    "Issue": "xlsummary.issues",
    "compute_totals": "xlsummary.totals",
    "check_workbook": "xlsummary.check",
    "CheckResult": "xlsummary.check",
    "Period": "xlsummary.periods",
    "build_context": "xlsummary.context",
    "check_source": "xlsummary.check",
    "make_report": "xlsummary.report",
    "Report": "xlsummary.report",
    "render_report": "xlsummary.report",
    "ReportResult": "xlsummary.report",
    # the one exception hierarchy (docs/errors.md)
    "XlsummaryError": "xlsummary.errors",
    "UsageError": "xlsummary.errors",
    "UnknownProfile": "xlsummary.errors",
    "FileError": "xlsummary.errors",
    "FileNotFound": "xlsummary.errors",
    "UnreadableFile": "xlsummary.errors",
    "EmptyFile": "xlsummary.errors",
    "FileTooLarge": "xlsummary.errors",
    "ZipBomb": "xlsummary.errors",
    "WorkbookError": "xlsummary.errors",
    "NotAnXlsxFile": "xlsummary.errors",
    "EncryptedWorkbook": "xlsummary.errors",
    "CorruptWorkbook": "xlsummary.errors",
    "WorkbookTooLarge": "xlsummary.errors",
    "NotStandardWorkbook": "xlsummary.errors",
    "TemplateProblem": "xlsummary.errors",
    "ReportRefused": "xlsummary.errors",
    "OutputError": "xlsummary.errors",
    "OutputExistsError": "xlsummary.errors",
    "Busy": "xlsummary.errors",
    "ConversionError": "xlsummary.errors",
    "PdfUnavailable": "xlsummary.errors",
    "PdfBusy": "xlsummary.errors",
    "main": "xlsummary.excel.addin",  # the Excel ribbon button: `import xlsummary; xlsummary.main()`
}

__all__ = [  # noqa: RUF022 - grouped by layer, like _LAZY
    "__version__",
    "load_profile",
    "profile_names",
    "Indicator",
    "Profile",
    "generate_workbook",
    "read_grids",
    "build_model",
    "Model",
    "validate",
    "Issue",
    "compute_totals",
    "check_workbook",
    "CheckResult",
    "Period",
    "build_context",
    "check_source",
    "make_report",
    "Report",
    "render_report",
    "ReportResult",
    "XlsummaryError",
    "UsageError",
    "UnknownProfile",
    "FileError",
    "FileNotFound",
    "UnreadableFile",
    "EmptyFile",
    "FileTooLarge",
    "ZipBomb",
    "WorkbookError",
    "NotAnXlsxFile",
    "EncryptedWorkbook",
    "CorruptWorkbook",
    "WorkbookTooLarge",
    "NotStandardWorkbook",
    "TemplateProblem",
    "ReportRefused",
    "OutputError",
    "OutputExistsError",
    "Busy",
    "ConversionError",
    "PdfUnavailable",
    "PdfBusy",
]

if TYPE_CHECKING:  # pragma: no cover
    from xlsummary.catalogue import Indicator, Profile, load_profile, profile_names
    from xlsummary.check import CheckResult, check_workbook
    from xlsummary.context import build_context
    from xlsummary.errors import (
        Busy,
        ConversionError,
        CorruptWorkbook,
        EmptyFile,
        EncryptedWorkbook,
        FileError,
        FileNotFound,
        FileTooLarge,
        NotAnXlsxFile,
        NotStandardWorkbook,
        OutputError,
        OutputExistsError,
        PdfBusy,
        PdfUnavailable,
        ReportRefused,
        TemplateProblem,
        UnknownProfile,
        UnreadableFile,
        UsageError,
        WorkbookError,
        WorkbookTooLarge,
        XlsummaryError,
        ZipBomb,
    )
    from xlsummary.generate import generate_workbook
    from xlsummary.issues import Issue
    from xlsummary.model import Model
    from xlsummary.model_reader import build_model
    from xlsummary.periods import Period
    from xlsummary.read_xlsx import read_grids
    from xlsummary.report import Report, ReportResult, check_source, make_report, render_report
    from xlsummary.totals import compute_totals
    from xlsummary.validate import validate


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'xlsummary' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
