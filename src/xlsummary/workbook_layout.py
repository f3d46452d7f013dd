"""Where everything sits in the standardized workbook: the one place that says it.

The generator writes sheets, headers and defined names from these constants and the
reader finds them through the same constants, so the two can never disagree. The
reader locates each block by its *defined name* (not by a fixed position) and each
column by its *header text* in either language, so a workbook stays readable after
staff insert rows above a table, move columns, or save it from LibreOffice or WPS.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsummary.i18n import in_language

SCHEMA = "xlsummary-1"

SHEETS = {
    "guide": {"zh": "说明", "en": "Guide"},
    "info": {"zh": "基本信息", "en": "Info"},
    "catalogue": {"zh": "指标", "en": "Indicators"},
    "tally": {"zh": "月度统计", "en": "Monthly"},
    "narrative": {"zh": "叙述", "en": "Narrative"},
    # written by the Excel add-in's button, never read: the generator ships it empty
    # and unprotected, because a button cannot add a sheet to a protected workbook
    "results": {"zh": "校验结果", "en": "Check results"},
}
SHEET_ORDER = ("guide", "info", "catalogue", "tally", "narrative")

# Defined names. Each block name points at the block's header row; the reader reads
# every row below it to the end of the sheet, so rows added by staff are found.
NAME_SCHEMA = "XLS_SCHEMA"
NAME_PROFILE = "XLS_PROFILE"
NAME_LANG = "XLS_LANG"
NAME_CATALOGUE = "XLS_CATALOGUE"
NAME_TALLY = "XLS_TALLY"
NAME_NARRATIVE = "XLS_NARRATIVE"
NAME_PERIOD_START = "XLS_PERIOD_START"  # computed by an Excel formula, never read back
NAME_PERIOD_END = "XLS_PERIOD_END"
CATALOGUE_TABLE = "tblIndicators"


def info_name(field: str) -> str:
    return f"XLS_INFO_{field.upper()}"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    zh: str
    en: str
    width: float
    is_input: bool = True
    #: a column added after the first release: a workbook made before it has no such
    #: header and still reads, with the column's default
    optional: bool = False

    def header(self, lang: str) -> str:
        return in_language(self, lang)


CATALOGUE_COLUMNS = (
    Column("code", "代码", "Code", 20),
    Column("name_zh", "名称", "Chinese name", 20),
    Column("name_en", "英文名称", "Name", 26),
    Column("unit", "单位", "Unit", 8),
    Column("category", "类别", "Category", 14),
    Column("rule", "汇总方式", "Rule", 10),
    Column("kind", "类型", "Kind", 11),
    Column("required", "必填", "Required", 7),
    Column("description", "说明", "Description", 42),
    # last, so that no column letter above moves (the 月度统计 formulas name them)
    Column("chart", "图表", "Chart", 7, optional=True),
)

MONTH_KEYS = tuple(f"m{m}" for m in range(1, 13))
TALLY_COLUMNS = (
    Column("code", "代码", "Code", 18),
    Column("name", "指标名称", "Indicator", 18, is_input=False),
    Column("unit", "单位", "Unit", 7, is_input=False),
    *(Column(f"m{m}", f"{m}月", f"M{m}", 8) for m in range(1, 13)),
    Column("prior", "上年同期", "Prior year", 10),
    Column("total", "本期合计", "Period total", 11, is_input=False),
    Column("yoy", "同比", "YoY", 9, is_input=False),
    Column("status", "状态", "Status", 22, is_input=False),
)

NARRATIVE_COLUMNS = (
    Column("code", "代码", "Code", 12),
    Column("title", "标题", "Title", 14),
    Column("text", "内容", "Text", 90),
    Column("required", "必填", "Required", 7),
)


@dataclass(frozen=True, slots=True)
class InfoField:
    key: str
    zh: str
    en: str
    required: bool  # empty is an error
    warn_if_empty: bool  # empty is a warning (when not required)
    hint_zh: str
    hint_en: str


INFO_FIELDS = (
    InfoField(
        "unit",
        "报告单位",
        "Reporting unit",
        True,
        True,
        "填写单位全称，例如：某某市人民医院",
        "Full name of your unit",
    ),
    InfoField(
        "partner",
        "对口单位",
        "Partner unit",
        False,
        True,
        "对口支援或受援单位全称",
        "Full name of the partner unit",
    ),
    InfoField(
        "year", "年度", "Year", True, True, "四位数年份，例如：2023", "Four-digit year, e.g. 2023"
    ),
    InfoField(
        "period",
        "报告期",
        "Reporting period",
        True,
        True,
        "从下拉列表选择：全年、上半年、第一季度……或自定义月份",
        "Pick from the list",
    ),
    InfoField(
        "start_month",
        "起始月",
        "First month",
        False,
        False,
        "仅“自定义月份”时填写，1–12",
        "Only for custom months, 1-12",
    ),
    InfoField(
        "end_month",
        "截止月",
        "Last month",
        False,
        False,
        "仅“自定义月份”时填写，1–12",
        "Only for custom months, 1-12",
    ),
    InfoField(
        "title",
        "报告标题",
        "Report title",
        False,
        False,
        "可不填，默认：单位+年度+工作总结",
        "Optional; a title is derived when empty",
    ),
    InfoField("author", "填报人", "Prepared by", False, True, "填写人姓名", "Your name"),
    InfoField(
        "phone", "联系电话", "Phone", False, True, "手机或座机，例如：0431-12345678", "Phone number"
    ),
    InfoField("date", "填报日期", "Date", False, False, "例如：2023-12-31", "e.g. 2023-12-31"),
)
INFO_KEYS = tuple(f.key for f in INFO_FIELDS)


def header_lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    """Header text (either language, case- and space-insensitive) -> column key."""
    out: dict[str, str] = {}
    for col in columns:
        for text in (col.zh, col.en, col.key):
            out[normalize_header(text)] = col.key
    return out


def normalize_header(text: object) -> str:
    return "".join(str(text).split()).casefold() if text is not None else ""


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_address(row: int, col: int) -> str:
    """0-based row and column -> "B3"."""
    return f"{column_letter(col)}{row + 1}"
