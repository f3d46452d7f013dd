"""Validation issues: one value type for every problem found in a workbook.

An issue names where the problem is (sheet and cell, as Excel shows them), which
indicator it concerns, and carries a stable ``code`` that tools can match on. Its
message is produced from ``MESSAGES`` in Chinese or English on demand, from the
issue's parameters, so the same issue reads naturally in the CLI, in the 校验结果
sheet of the Excel add-in and in the web page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xlsummary.grids import CellRef

ERROR = "error"
WARNING = "warning"

# code -> (zh template, en template). Parameters are filled with str.format.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_a_number": (
        "“{value}”不是数字：请只填写阿拉伯数字（例如 80），不要加“约”“余”、单位或中文数字。",
        "{value!r} is not a number: type digits only (e.g. 80), without words or units.",
    ),
    "excel_error": (
        "单元格是错误值“{value}”（公式出错），请改为实际数字。",
        "The cell holds the error value {value} (a broken formula): type the figure instead.",
    ),
    "too_large": (
        "数值“{value}”大得不合理（超过一万亿），请检查是否输错。",
        "{value} is implausibly large (over 10^12): please check what was typed.",
    ),
    "number_as_text": (
        "“{value}”是文本形式的数字，已按 {number} 计算；建议改为数字格式。",
        "{value!r} is a number stored as text; read as {number}. Consider retyping it.",
    ),
    "formula_in_input": (
        "这是输入单元格，却填写了公式；已采用其计算结果 {number}，建议直接填写数字。",
        "An input cell holds a formula; its saved result {number} was used. Type the number.",
    ),
    "formula_without_value": (
        "这是输入单元格，却填写了公式且没有保存计算结果；请直接填写数字，或在 Excel 中打开并保存。",
        "An input cell holds a formula with no saved result: type the number instead.",
    ),
    "percent_as_fraction": (
        "“{name}”是百分比，{number} 看起来是小数形式（其他月份都大于 1）；95% 请填写 95。",
        "{name} is a percentage: {number} looks like a fraction (other months are above 1); "
        "type 95 for 95%.",
    ),
    "negative": (
        "“{name}”的数值 {number} 是负数，应为 0 或正数。",
        "{name}: {number} is negative; figures must be 0 or more.",
    ),
    "fraction_in_count": (
        "“{name}”以“{unit}”计数，应为整数，填写的是 {number}。",
        "{name} is counted in {unit} and must be a whole number, not {number}.",
    ),
    "percent_out_of_range": (
        "“{name}”是百分比，应在 0 到 100 之间，填写的是 {number}。",
        "{name} is a percentage and must be between 0 and 100, not {number}.",
    ),
    "missing_month": (
        "必填指标“{name}”缺少报告期（{period}）内 {months} 的数据；没有发生请填 0。",
        "Required indicator {name} has no figure for {months} in the period ({period}); type 0 if none.",
    ),
    "outside_period": (
        "“{name}”在报告期（{period}）以外的 {months} 填有数据，这些数据不计入本期合计。",
        "{name} has figures for {months}, outside the period ({period}); they are not counted.",
    ),
    "outlier_month": (
        "“{name}”{month}月的 {number} 远高于其他月份（中位数 {median}），请核对是否多输了数字。",
        "{name}: {number} in month {month} is far above its other months (median {median}). "
        "Please check.",
    ),
    "duplicate_indicator": (
        "指标代码“{code}”重复（第 {first_row} 行已有），本行不计入。",
        "Indicator code {code!r} repeats row {first_row}; this row is ignored.",
    ),
    "unknown_indicator": (
        "代码“{code}”不在“{catalogue}”表中，请先在指标表中添加该指标或改正代码。",
        "Code {code!r} is not in the {catalogue} sheet: add the indicator there or fix the code.",
    ),
    "missing_tally_row": (
        "指标“{name}”在“{tally}”表中没有对应的行，请在该表添加一行并填写代码“{code}”。",
        "Indicator {name} has no row in the {tally} sheet: add one there with code {code!r}.",
    ),
    "row_without_code": (
        "第 {row} 行填写了内容，但没有指标代码。",
        "Row {row} has figures but no indicator code.",
    ),
    "invalid_code": (
        "代码“{value}”不符合要求：只能使用小写英文字母、数字和下划线，并以字母开头。",
        "Code {value!r} is invalid: use lowercase letters, digits and _, starting with a letter.",
    ),
    "missing_field": (
        "“{field}”未填写。",
        "{field} is empty.",
    ),
    "invalid_choice": (
        "“{value}”不是有效的“{field}”，可选：{choices}。",
        "{value!r} is not a valid {field}; choose one of: {choices}.",
    ),
    "no_indicators": (
        "指标表中没有任何指标。",
        "The indicator sheet lists no indicators.",
    ),
    "invalid_year": (
        "年度应为 1990 到 2100 之间的四位数年份（例如 2023），填写的是“{value}”。",
        "The year must be a four-digit year from 1990 to 2100 (e.g. 2023), not {value!r}.",
    ),
    "invalid_period": (
        "报告期“{value}”无法识别，请从下拉列表中选择；按月份统计请选“自定义月份”并填写起始月、截止月。",
        "Reporting period {value!r} is not understood: pick one from the list (for a range "
        "of months, pick 'Custom months' and fill in the first and last month).",
    ),
    "period_as_text": (
        "报告期“{value}”已按“{period}”理解；但表内公式只认下拉选项，请改选“自定义月份”并填写起始月、截止月。",
        "Reporting period {value!r} was read as {period}; the sheet's formulas only know the "
        "list entries, so pick 'Custom months' and fill in the first and last month.",
    ),
    "months_ignored": (
        "报告期为“{period}”，起始月、截止月不起作用（仅“自定义月份”时使用）。",
        "The reporting period is {period}: first and last month only apply to custom months.",
    ),
    "invalid_month_range": (
        "自定义月份的起始月和截止月应为 1–12 的整数，且起始月不大于截止月（填写的是 {start}–{end}）。",
        "Custom months need a first and last month 1-12, first <= last (got {start}-{end}).",
    ),
    "invalid_date": (
        "“{value}”不是有效日期，请按 2023-12-31 的格式填写。",
        "{value!r} is not a date; use the form 2023-12-31.",
    ),
    "invalid_phone": (
        "联系电话“{value}”看起来不是电话号码。",
        "Phone {value!r} does not look like a phone number.",
    ),
    "narrative_missing": (
        "必填的叙述部分“{title}”尚未填写。",
        "The required narrative section {title!r} is empty.",
    ),
    "unknown_placeholder": (
        "占位符“{placeholder}”中的“{name}”不是指标表中的指标名称或代码。",
        "Placeholder {placeholder} names {name!r}, which is not an indicator name or code.",
    ),
    "bad_placeholder_option": (
        "占位符“{placeholder}”中的“{option}”无法识别；可用：上年、同比、1月…12月、"
        "第一季度…第四季度、上半年、下半年、累计。",
        "Placeholder {placeholder}: option {option!r} is not understood; use prior, yoy, m1..m12, "
        "q1..q4, h1, h2 or ytd.",
    ),
}


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

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang``; a parameter ``x_en`` stands in for ``x`` in English."""
        zh, en = MESSAGES[self.code]
        if lang != "en":
            return zh.format(**self.params)
        params = dict(self.params)
        params.update({k[:-3]: v for k, v in self.params.items() if k.endswith("_en")})
        return en.format(**params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "indicator": self.indicator,
            "message": self.message("zh"),
            "message_en": self.message("en"),
        }


def count(issues: list[Issue]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for i in issues if i.severity == ERROR)
    return errors, len(issues) - errors
