"""Worksheet functions for Excel, through xlwings (its BSD-licensed part only).

Every function takes whole blocks and returns a whole column or table: a dynamic
array that spills (older Excel takes it as an array formula over the output range;
nothing is written to other cells from Python), so the standard workbook needs one
call per column, not one per cell. They are pure: they read only their
arguments, write nothing, keep no state, and compute with the same core as
``xlsummary check`` (:func:`~xlsummary.excel.ranges.excel_grids` ->
:func:`~xlsummary.model_reader.build_model` -> ``validate`` / ``compute_totals``).

Arguments, as the standard workbook passes them:

- ``tally``: 月度统计!$A$3:$P$… (header row, then code, name, unit, 12 months, prior)
- ``catalogue``: 指标!$A$3:$J$… (older workbooks: to $I, without 图表)
- ``start``, ``end``: the period's first and last month (XLS_PERIOD_START/END)
- ``tally_row``, ``catalogue_row``: ROW() of those header cells, so that issue cells
  stay right after rows are inserted above the tables

Names carry the ``XLS_`` prefix so they never clash with Excel's own functions.
Bad input never raises into a cell: unreadable values become issues, and a failure
of the function itself returns a one-line Chinese message. The words the functions
write (severities, the table's heads, ✓ 完整) are the catalogue's (``label.*``,
``excel.udf.*`` in :mod:`xlsummary.i18n`), in the workbook's language: the same
labels as ``xlsummary check``, the add-in's 校验结果 sheet and the web page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import xlwings as xw

from xlsummary.check import CheckResult, check_model
from xlsummary.excel.ranges import as_table, excel_grids, header_index
from xlsummary.i18n import text
from xlsummary.model import Model
from xlsummary.model_reader import build_model
from xlsummary.placeholders import OPTIONS
from xlsummary.report_format import change_words
from xlsummary.totals import IndicatorTotals, compute_totals

CATEGORY = "工作总结 xlsummary"
_ERROR_TEXT = "#xlsummary: "
_HEAD = ("level", "sheet", "cell", "problem")  # the columns of XLS_ISSUES, in order


def _level(is_error: bool, lang: str) -> str:
    return text("label.error" if is_error else "label.warning", lang)


def _safe(func: Callable[..., Any]) -> Callable[..., Any]:
    """Never a Python traceback in a cell: one line saying what went wrong."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as error:
            message = getattr(error, "message_zh", None) or f"{type(error).__name__}: {error}"
            return [[_ERROR_TEXT + message]]

    return wrapper


def _model(tally, catalogue, start, end, tally_row, catalogue_row) -> Model:
    return build_model(
        excel_grids(catalogue, tally, start, end, tally_row=tally_row, catalogue_row=catalogue_row)
    )


def _row_codes(tally: object) -> list[str]:
    """The code of each data row of the passed tally block (header excluded)."""
    rows = as_table(tally)[1:]
    return [str(r[0]).strip().lower() if r and r[0] not in (None, "") else "" for r in rows]


def _per_row(tally, model: Model, pick: Callable[[IndicatorTotals], Any]) -> list[list[Any]]:
    totals = compute_totals(model)
    out = []
    for code in _row_codes(tally):
        tot = totals.by_code.get(code)
        value = pick(tot) if tot is not None else ""
        out.append(["" if value is None else value])
    return out or [[""]]


def _tally_args(f: Callable[..., Any]) -> Callable[..., Any]:
    """The argument documentation shared by the table functions."""
    f = xw.arg(
        "tally", ndim=2, err_to_str=True, doc="月度统计表区域（含表头），如 月度统计!$A$3:$P$33"
    )(f)
    f = xw.arg(
        "catalogue", ndim=2, err_to_str=True, doc="指标表区域（含表头），如 指标!$A$3:$J$303"
    )(f)
    f = xw.arg("start", doc="报告期起始月（1–12），如 XLS_PERIOD_START")(f)
    f = xw.arg("end", doc="报告期截止月（1–12），如 XLS_PERIOD_END")(f)
    f = xw.arg("tally_row", doc="月度统计表表头所在行号，如 ROW(月度统计!$A$3)")(f)
    return xw.arg("catalogue_row", doc="指标表表头所在行号，如 ROW(指标!$A$3)")(f)


@xw.func(category=CATEGORY)
@_tally_args
@_safe
def XLS_TOTALS(tally, catalogue, start=1, end=12, tally_row=3, catalogue_row=3):
    """按各指标的汇总方式（求和、取期末、取最大、取平均）计算报告期合计，每行一个结果。"""
    model = _model(tally, catalogue, start, end, tally_row, catalogue_row)
    return _per_row(tally, model, lambda t: t.total)


@xw.func(category=CATEGORY)
@_tally_args
@_safe
def XLS_YOY(tally, catalogue, start=1, end=12, tally_row=3, catalogue_row=3):
    """同比：数量类为增长率（小数，请设为百分比格式），百分比类为“提高/下降…个百分点”。"""
    model = _model(tally, catalogue, start, end, tally_row, catalogue_row)

    def pick(t: IndicatorTotals) -> Any:
        if t.yoy_percent is not None:
            return float(t.yoy_percent) / 100
        if t.yoy_points is not None:
            return change_words(None, t.yoy_points)
        return ""

    return _per_row(tally, model, pick)


def _result(
    tally,
    catalogue,
    start,
    end,
    tally_row,
    catalogue_row,
    info=None,
    narrative=None,
    narrative_row=3,
) -> CheckResult:
    grids = excel_grids(
        catalogue,
        tally,
        start,
        end,
        tally_row=tally_row,
        catalogue_row=catalogue_row,
        info=info,
        narrative=narrative,
        narrative_row=narrative_row,
    )
    return check_model(build_model(grids))


@xw.func(category=CATEGORY)
@_tally_args
@_safe
def XLS_STATUS(tally, catalogue, start=1, end=12, tally_row=3, catalogue_row=3):
    """每个指标行的状态：✓ 完整、缺哪几个月、或哪个单元格有什么问题。"""
    result = _result(tally, catalogue, start, end, tally_row, catalogue_row)
    header = header_index(tally_row)
    lang = result.model.lang
    tally_sheet = result.model.sheet_names["tally"]
    by_row: dict[int, list] = {}
    for issue in result.issues:
        if issue.sheet == tally_sheet and issue.row >= 0:
            by_row.setdefault(issue.row, []).append(issue)
    out = []
    for k, code in enumerate(_row_codes(tally)):
        found = by_row.get(header + 1 + k, [])
        if not code:
            out.append([found[0].message(lang) if found else ""])
            continue
        errors = [i for i in found if i.is_error]
        first = errors[0] if errors else found[0] if found else None
        if first is None:
            out.append([text("excel.udf.ok", lang)])
        else:
            level = _level(first.is_error, lang)
            said = first.message(lang)
            out.append([text("excel.udf.status", lang, level=level, cell=first.cell, message=said)])
    return out or [[""]]


@xw.func(category=CATEGORY)
@_tally_args
@xw.arg("info", ndim=2, err_to_str=True, doc="基本信息的填写列，如 基本信息!$B$3:$B$12（可省略）")
@xw.arg(
    "narrative", ndim=2, err_to_str=True, doc="叙述表区域（含表头），如 叙述!$A$3:$D$11（可省略）"
)
@xw.arg("narrative_row", doc="叙述表表头所在行号，如 ROW(叙述!$A$3)")
@xw.arg("rows", doc="结果区域的行数（写成数组公式时填写，多余的行留空），可省略")
@_safe
def XLS_ISSUES(
    tally,
    catalogue,
    start=1,
    end=12,
    tally_row=3,
    catalogue_row=3,
    info=None,
    narrative=None,
    narrative_row=3,
    rows=0,
):
    """校验结果清单：级别、工作表、单元格、问题（与 xlsummary check 相同），溢出为一张表。"""
    result = _result(
        tally, catalogue, start, end, tally_row, catalogue_row, info, narrative, narrative_row
    )
    lang = result.model.lang
    sheets = {result.model.sheet_names[k] for k in ("catalogue", "tally")}
    if info is not None:
        sheets.add(result.model.sheet_names["info"])
    if narrative is not None:
        sheets.add(result.model.sheet_names["narrative"])
    table: list[list[object]] = [[text(f"label.head.{name}", lang) for name in _HEAD]]
    for issue in result.issues:
        if issue.sheet in sheets:
            level = _level(issue.is_error, lang)
            table.append([level, issue.sheet, issue.cell, issue.message(lang)])
    if len(table) == 1:
        table.append(["", "", "", text("label.no_problems", lang)])
    return _fit(table, rows, lang)


def _fit(table: list[list[object]], rows: object, lang: str) -> list[list[object]]:
    """An array formula fills exactly its range: pad with blanks (not #N/A) and, when
    there are more issues than rows, say how many are not shown."""
    size = int(rows) if isinstance(rows, int | float) and not isinstance(rows, bool) else 0
    if size <= 1:
        return table
    if len(table) > size:
        hidden = len(table) - size + 1
        table = [*table[: size - 1], ["", "", "", text("excel.udf.more", lang, n=hidden)]]
    return table + [["", "", "", ""] for _ in range(size - len(table))]


@xw.func(category=CATEGORY)
@xw.arg("indicator", doc="指标名称或代码，如 手术例数 或 surgery")
@xw.arg("what", doc="空=本期合计；上年、同比、3月、第一季度、上半年、累计")
@_tally_args
@_safe
def XLS_FIGURE(indicator, what, tally, catalogue, start=1, end=12, tally_row=3, catalogue_row=3):
    """一个指标的一个数字：本期合计、上年同期、同比、某月、某季度、半年或累计。"""
    model = _model(tally, catalogue, start, end, tally_row, catalogue_row)
    ind = model.indicator(str(indicator or ""))
    if ind is None:
        return _ERROR_TEXT + text("excel.udf.no_indicator", indicator=indicator)
    selector = OPTIONS.get(str(what or "").replace(" ", "").casefold())
    if selector is None:
        return _ERROR_TEXT + text("excel.udf.unknown_figure", what=what)
    tot = compute_totals(model)[ind.code]
    kind, n = selector
    if kind == "yoy":
        return change_words(tot.yoy_percent, tot.yoy_points)
    value = tot.figure(kind, n)
    return "" if value is None else value
