"""Validation issues: one value type for every problem found in a workbook.

An issue names where the problem is (sheet and cell, as Excel shows them), which
indicator it concerns, and carries a stable ``code`` that tools can match on. Its
message is said on demand in any language of the catalogue (``issue.<code>`` in
:mod:`xlsummary.i18n`), from the issue's parameters, so the same issue reads naturally in the CLI, in the 校验结果
sheet of the Excel add-in and in the web page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xlsummary.i18n import DEFAULT, LANGS, text

if TYPE_CHECKING:
    from xlsummary.grids import CellRef

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    severity: str
    code: str
    sheet: str
    cell: str = ""  # "D7", a range "D7:F7", or "" for the whole sheet
    indicator: str = ""
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    row: int = -1  # 0-based position, for sorting in sheet order; -1: sheet level
    col: int = -1

    @classmethod
    def at(
        cls,
        severity: str,
        issue_code: str,
        ref: CellRef | None,
        /,
        indicator: str = "",
        cell: str = "",
        sheet: str = "",
        **params: Any,
    ) -> Issue:
        """An issue at ``ref`` (``cell`` overrides its address with a range; with no ref,
        an issue of the whole ``sheet``). Message parameters go in ``params``."""
        if ref is None:
            return cls(severity, issue_code, sheet, cell, indicator, params)
        return cls(
            severity,
            issue_code,
            ref.sheet,
            cell or ref.address,
            indicator,
            params,
            row=ref.row,
            col=ref.col,
        )

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = DEFAULT) -> str:
        """The message in ``lang``, from the catalogue entry ``issue.<code>``."""
        return text(f"issue.{self.code}", lang, **self.params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "indicator": self.indicator,
            "message": self.message(LANGS[0]),
            **{f"message_{lang}": self.message(lang) for lang in LANGS[1:]},
        }


def count(issues: list[Issue]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for i in issues if i.severity == ERROR)
    return errors, len(issues) - errors
