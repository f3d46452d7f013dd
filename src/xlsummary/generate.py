"""Write the standardized workbook for a profile: ``xlsummary new``.

The workbook is meant to be pleasant for office staff with no add-in at all: input
cells are light yellow and unlocked, computed cells grey and locked, every input has
Excel data validation with a Chinese prompt and error message, the computed columns
hold plain Excel formulas (no ``#NAME?`` anywhere without the add-in), panes are
frozen, pages print on A4 landscape, and the sheets and structure are protected
without a password (so nothing is lost by a stray click, and IT can still unprotect).
The 指标 sheet is left unprotected on purpose: an Excel Table only grows by itself
on an unprotected sheet, and staff are expected to add indicators there.

The output is byte-for-byte reproducible (see ``outputs.reproducible_zip``), so the
committed templates in ``workbook_templates/`` can be checked against the generator by
a plain comparison.
"""

from __future__ import annotations

import datetime
import io
import tomllib
from importlib import resources

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table, TableStyleInfo

from xlsummary import catalogue as cat
from xlsummary import i18n, periods
from xlsummary import workbook_layout as layout
from xlsummary.errors import UsageError
from xlsummary.outputs import reproducible_zip
from xlsummary.terminal_tables import display_width

#: The blank workbooks committed in ``workbook_templates/``: file name, profile, language,
#: live (computed columns call the add-in's functions).
#: ``python scripts/update_templates.py`` rewrites them; a test fails when they drift.
COMMITTED_TEMPLATES = (
    *(
        (f"{profile}-{lang}.xlsx", profile, lang, False)
        for profile in ("hospital", "school", "general")
        for lang in ("zh", "en")
    ),
    ("hospital-zh-live.xlsx", "hospital", "zh", True),
)
#: The extra sheet of a live workbook: the issue list, computed in Excel.
LIVE_SHEET = {"zh": "校验", "en": "Checks"}
LIVE_ISSUE_ROWS = 200

TALLY_RESERVED_ROWS = 10
NARRATIVE_RESERVED_ROWS = 3
CATALOGUE_VALIDATED_ROWS = 300  # rows below the header covered by drop-down lists

_INPUT = PatternFill("solid", fgColor="FFF9E5")
_COMPUTED = PatternFill("solid", fgColor="EDEDED")
_HEADER = PatternFill("solid", fgColor="1F4E79")
_BAD = PatternFill("solid", fgColor="F8CBAD")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

_FONT_NAME = {"zh": "等线", "en": "Calibri"}
_NUMBER_FORMATS = {"count": "#,##0", "amount": "#,##0.00", "percent": "0.0"}

TEXT = {
    "zh": {
        "title": "{profile}统计表",
        "guide_title": "填写说明",
        "info_title": "基本信息",
        "info_header": ("项目", "内容", "填写说明"),
        "effective_start": "本期起始月（自动）",
        "effective_end": "本期截止月（自动）",
        "catalogue_title": "指标目录",
        "catalogue_note": "一般无需修改；需要新增指标时，在表格最下方接着填写一行（代码用小写英文）。",
        "tally_title": "月度统计",
        "tally_note": "黄色格子每月填写实际数字，没有发生的填 0；灰色列自动计算。不要填写“约”“余”或单位。",
        "narrative_title": "叙述",
        "narrative_note": "在“内容”列写各部分文字，可用 {指标名称} 引用数字，例如：全年开展手术{手术例数}例。",
        "meta": ("模板版本", "指标方案", "语言"),
        "dv_number_title": "请输入数字",
        "dv_number_prompt": "只填阿拉伯数字；没有发生填 0。",
        "dv_count_error": "这里只能填写 0 或正整数，例如 12。",
        "dv_amount_error": "这里只能填写 0 或正数，例如 12.5。",
        "dv_percent_error": "这里只能填写 0 到 100 之间的数字，例如 95.5。",
        "dv_error_title": "输入有误",
        "dv_list_error": "请从下拉列表中选择。",
        "dv_year_error": "请填写四位数年份，例如 2023。",
        "dv_month_error": "请填写 1 到 12 之间的整数。",
        "dv_date_error": "请填写日期，例如 2023-12-31。",
        "dv_text_error": "内容过长，请不超过 200 字。",
        "dv_rule_prompt": "求和：各月相加（如手术例数）；取期末：最后一个有数的月份（如派驻人员）；取最大；取平均（如满意度）。",
        "dv_kind_prompt": "计数：0 或正整数；金额/数量：可有小数；百分比：0 到 100。",
        "dv_required_prompt": "是：报告期内每个月都必须填写（没有发生填 0）。",
        "dv_category_prompt": "报告中归入哪一类，可从列表选择或自行填写。",
        "dv_text_prompt": "可用 {指标名称}、{指标名称|同比}、{指标名称|上年}、{指标名称|3月}、{指标名称|第一季度} 引用数字。",
        "status_neg": "有负数",
        "status_text": "有非数字",
        "status_missing": "缺{n}个月",
        "status_ok": "✓ 完整",
        "unknown_code": "未知代码",
        "results_note": "安装 xlsummary Excel 加载项后，点击“工作总结”选项卡的“生成报告”，这里会列出检查结果；"
        "也可运行 xlsummary check。",
        "live_note": "本表由 xlsummary Excel 加载项的函数 XLS_ISSUES 实时计算，列出所有问题（级别、工作表、单元格、问题）。",
        "points": "个百分点",
    },
    "en": {
        "title": "{profile} workbook",
        "guide_title": "How to fill in this workbook",
        "info_title": "Report information",
        "info_header": ("Item", "Value", "Notes"),
        "effective_start": "First month (computed)",
        "effective_end": "Last month (computed)",
        "catalogue_title": "Indicators",
        "catalogue_note": "Usually left as is. To add an indicator, type a new row below the table "
        "(codes in lowercase ASCII).",
        "tally_title": "Monthly figures",
        "tally_note": "Type each month's figure in the yellow cells, 0 if none. Grey columns are "
        "computed.",
        "narrative_title": "Narrative",
        "narrative_note": "Write each section in the Text column. {Indicator name} inserts a figure.",
        "meta": ("Template version", "Profile", "Language"),
        "dv_number_title": "Enter a number",
        "dv_number_prompt": "Digits only; 0 if nothing happened.",
        "dv_count_error": "Only whole numbers of 0 or more, e.g. 12.",
        "dv_amount_error": "Only numbers of 0 or more, e.g. 12.5.",
        "dv_percent_error": "Only numbers between 0 and 100, e.g. 95.5.",
        "dv_error_title": "Invalid entry",
        "dv_list_error": "Pick a value from the list.",
        "dv_year_error": "A four-digit year, e.g. 2023.",
        "dv_month_error": "A whole number from 1 to 12.",
        "dv_date_error": "A date, e.g. 2023-12-31.",
        "dv_text_error": "Too long: 200 characters at most.",
        "dv_rule_prompt": "sum: months add up (operations); last: the last month with a figure "
        "(staff on site); max; mean (satisfaction).",
        "dv_kind_prompt": "count: whole numbers >= 0; amount: decimals >= 0; percent: 0 to 100.",
        "dv_required_prompt": "yes: every month of the period needs a figure (0 if none).",
        "dv_category_prompt": "The report section; pick one or type your own.",
        "dv_text_prompt": "{Indicator}, {Indicator|yoy}, {Indicator|prior}, {Indicator|m3}, "
        "{Indicator|q1} insert figures.",
        "status_neg": "negative",
        "status_text": "not a number",
        "status_missing": "{n} month(s) missing",
        "status_ok": "✓ complete",
        "unknown_code": "unknown code",
        "results_note": "The add-in's 'Generate report' button lists the check results here; "
        "or run 'xlsummary check'.",
        "live_note": "Computed live by the xlsummary add-in's XLS_ISSUES: every problem with "
        "its sheet and cell.",
        "points": " pts",
    },
}

GUIDE = {
    "zh": [
        "本工作簿用于按月登记对口支援等工作的统计数字，季度或年底由 xlsummary 自动生成 Word 工作总结。",
        "第一步：在“基本信息”表填写报告单位、年度、报告期（全年、上半年、某一季度或自定义月份）和填报人。",
        "第二步：“指标”表列出要统计的指标，一般不需修改；需要新增时，在表格最下方接着填写一行。",
        "第三步：在“月度统计”表的黄色格子里逐月填写实际数字。没有发生的请填 0，不要空着；"
        "只填阿拉伯数字，不要写“约”“余”“次”等文字；金额以“万元”为单位。",
        "第四步：在“叙述”表写基本情况、主要做法、取得成效、存在不足、下一步计划。文字中可用大括号引用数字："
        "{手术例数} 是本期合计，{手术例数|同比} 是同比增减，{手术例数|上年} 是上年同期，"
        "{手术例数|3月} 是某月，{手术例数|第一季度} 是某季度，{手术例数|累计} 是年初至今。",
        "灰色格子由公式自动计算，只供参考；生成报告时程序会重新计算，不使用这些格子。",
        "填完后请信息部门或本人运行“xlsummary check 文件名.xlsx”检查，程序会指出每个问题所在的单元格。",
        "工作表已保护（无密码），防止误删公式；如确需修改，可在“审阅”中撤销保护。",
    ],
    "en": [
        "This workbook collects monthly activity figures; xlsummary turns it into a Word work "
        "summary at the end of a quarter or year.",
        "Step 1: on the Info sheet, fill in the reporting unit, year, reporting period and your name.",
        "Step 2: the Indicators sheet lists what is counted; add a row below the table for a new one.",
        "Step 3: on the Monthly sheet, type each month's figure in the yellow cells (0 if none). "
        "Digits only; amounts in 10k CNY.",
        "Step 4: on the Narrative sheet, write each section. {Indicator} inserts the period total, "
        "{Indicator|yoy} the year-on-year change, {Indicator|prior} last year's figure, "
        "{Indicator|m3} a month, {Indicator|q1} a quarter, {Indicator|ytd} the year to date.",
        "Grey cells are computed by formulas for your information; the report recomputes them.",
        "Check the workbook with 'xlsummary check FILE.xlsx': it names the cell of every problem.",
        "Sheets are protected without a password so formulas are not deleted by accident.",
    ],
}


def generate_workbook(
    profile: str | cat.Profile,
    year: int | None = None,
    lang: str = "zh",
    example: bool | dict = False,
    live: bool = False,
) -> bytes:
    """The .xlsx bytes of a blank standardized workbook; with ``example=True`` filled
    with the profile's bundled example, or with a dict of the same shape as
    ``examples/*.toml`` (benchmarks and tests use that for synthetic workbooks).

    ``live``: the total, 同比 and status columns and a 校验 sheet call the xlsummary
    Excel functions (XLS_TOTALS...) instead of plain formulas. Only for units that
    install the add-in: without it those cells show #NAME?."""
    if lang not in i18n.LANGS:
        raise UsageError("workbook.unknown_language", lang=lang)
    prof = profile if isinstance(profile, cat.Profile) else cat.load_profile(profile)
    data = example if isinstance(example, dict) else load_example(prof.code) if example else None
    if data is not None:
        year = year or int(data["info"]["year"])
    writer = _Writer(prof, lang, year, data, live)
    return writer.build()


def load_example(profile: str) -> dict:
    """The bundled example figures for a profile (``examples/<profile>.toml``)."""
    source = resources.files("xlsummary.examples") / f"{profile}.toml"
    if not source.is_file():
        names = sorted(
            p.name[:-5]
            for p in resources.files("xlsummary.examples").iterdir()
            if p.name.endswith(".toml")
        )
        raise UsageError("workbook.no_example", profile=profile, **cat.listing("choices", names))
    return tomllib.loads(source.read_text("utf-8"))


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


class _Writer:
    def __init__(
        self,
        profile: cat.Profile,
        lang: str,
        year: int | None,
        example: dict | None,
        live: bool = False,
    ) -> None:
        self.live = live
        self.p = profile
        self.lang = lang
        self.year = year
        self.example = example
        self.t = TEXT[lang]
        self.font = _FONT_NAME[lang]
        self.sheet = {key: names[lang] for key, names in layout.SHEETS.items()}
        self.wb = Workbook()
        self.names: dict[str, str] = {}

    # ------------------------------------------------------------------ helpers
    def _name(self, name: str, sheet_key: str, ref: str) -> None:
        self.names[name] = f"{_quote(self.sheet[sheet_key])}!{ref}"

    def _title(self, ws, text: str, width_cols: int) -> None:
        ws["A1"] = text
        ws["A1"].font = Font(name=self.font, size=16, bold=True, color="1F4E79")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width_cols)
        ws.row_dimensions[1].height = 28

    def _note(self, ws, text: str, width_cols: int) -> None:
        ws["A2"] = text
        ws["A2"].font = Font(name=self.font, size=10, color="595959")
        ws["A2"].alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width_cols)
        ws.row_dimensions[2].height = 32

    def _header(self, ws, row: int, columns: tuple[layout.Column, ...]) -> None:
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(row, c, col.header(self.lang))
            cell.font = Font(name=self.font, bold=True, color="FFFFFF")
            cell.fill = _HEADER
            cell.alignment = _CENTER
            cell.border = _BORDER
            ws.column_dimensions[layout.column_letter(c - 1)].width = col.width
        ws.row_dimensions[row].height = 22

    def _table_sheet(
        self,
        ws,
        sheet_key: str,
        title: str,
        note: str,
        columns: tuple[layout.Column, ...],
        block_name: str,
    ) -> int:
        """Title, note and header row of a table sheet; the block's defined name points
        at the header. Returns the header's row number."""
        self._title(ws, title, len(columns))
        self._note(ws, note, len(columns))
        header = 3
        self._header(ws, header, columns)
        last = layout.column_letter(len(columns) - 1)
        self._name(block_name, sheet_key, f"$A${header}:${last}${header}")
        return header

    def _body(self, cell, is_input: bool, number_format: str | None = None) -> None:
        cell.font = Font(name=self.font)
        cell.border = _BORDER
        cell.fill = _INPUT if is_input else _COMPUTED
        if is_input:
            cell.protection = _UNLOCKED
        if number_format:
            cell.number_format = number_format

    def _dv(
        self, ws, kind: str, error: str, prompt: str | None = None, title: str | None = None, **kw
    ) -> DataValidation:
        dv = DataValidation(
            type=kind,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=self.t["dv_error_title"],
            error=error,
            **kw,
        )
        if prompt:
            dv.showInputMessage = True
            dv.promptTitle = title or (self.t["dv_number_title"] if kind != "list" else None)
            dv.prompt = prompt
        ws.add_data_validation(dv)
        return dv

    def _protect(self, ws) -> None:
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # False = allowed: widen a column
        ws.protection.formatRows = False
        ws.protection.formatCells = False  # lets the add-in shade cells with problems
        ws.protection.selectLockedCells = False
        ws.protection.selectUnlockedCells = False

    def _print(self, ws, landscape: bool, title_rows: str | None = None) -> None:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        if title_rows:
            ws.print_title_rows = title_rows

    # ------------------------------------------------------------------ sheets
    def build(self) -> bytes:
        wb = self.wb
        guide = wb.active
        guide.title = self.sheet["guide"]
        self._guide(guide)
        self._info(wb.create_sheet(self.sheet["info"]))
        self._catalogue(wb.create_sheet(self.sheet["catalogue"]))
        self._tally(wb.create_sheet(self.sheet["tally"]))
        self._narrative(wb.create_sheet(self.sheet["narrative"]))
        self._results(wb.create_sheet(self.sheet["results"]))
        if self.live:
            self._live(wb)
        for name, ref in self.names.items():
            wb.defined_names[name] = DefinedName(name, attr_text=ref)
        wb.security = WorkbookProtection(lockStructure=True)
        wb.active = 1 if self.example is None else 3
        props = wb.properties
        props.creator = "xlsummary"
        props.title = self.t["title"].format(profile=self.p.name(self.lang))
        props.language = i18n.text("workbook.language_tag", self.lang)
        buffer = io.BytesIO()
        wb.save(buffer)
        return reproducible_zip(buffer.getvalue())

    def _guide(self, ws) -> None:
        self._title(ws, self.t["title"].format(profile=self.p.name(self.lang)), 2)
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 100
        ws["A3"] = self.t["guide_title"]
        ws["A3"].font = Font(name=self.font, size=12, bold=True)
        row = 4
        for i, text in enumerate(GUIDE[self.lang], start=1):
            ws.cell(row, 1, f"{i}.").alignment = Alignment(horizontal="right", vertical="top")
            cell = ws.cell(row, 2, text)
            cell.alignment = _WRAP
            cell.font = Font(name=self.font, size=11)
            # Excel does not grow rows for wrapped text it did not lay out itself
            lines = -(-display_width(text) // 110)  # about 110 half-width columns per line
            ws.row_dimensions[row].height = 19 * lines + 4
            row += 1
        row += 1
        meta = (layout.SCHEMA, self.p.code, self.lang)
        for label, value, name in zip(
            self.t["meta"],
            meta,
            (layout.NAME_SCHEMA, layout.NAME_PROFILE, layout.NAME_LANG),
            strict=True,
        ):
            ws.cell(row, 1, label).font = Font(name=self.font, size=9, color="808080")
            ws.cell(row, 2, value).font = Font(name=self.font, size=9, color="808080")
            self._name(name, "guide", f"$B${row}")
            row += 1
        self._protect(ws)
        self._print(ws, landscape=False)

    def _info(self, ws) -> None:
        t = self.t
        self._title(ws, t["info_title"], 3)
        for c, (text, width) in enumerate(zip(t["info_header"], (22, 46, 52), strict=True), 1):
            cell = ws.cell(2, c, text)
            cell.font = Font(name=self.font, bold=True, color="FFFFFF")
            cell.fill = _HEADER
            cell.alignment = _CENTER
            ws.column_dimensions[layout.column_letter(c - 1)].width = width
        example = (self.example or {}).get("info", {})
        rows = {}
        period_labels = [periods.LABELS[self.lang][k] for k in periods.LABELS[i18n.DEFAULT]]
        for r, fld in enumerate(layout.INFO_FIELDS, start=3):
            label = i18n.in_language(fld, self.lang)
            if fld.key == "partner":
                label = i18n.in_language(self.p, self.lang, "partner")
            ws.cell(r, 1, label).font = Font(name=self.font, bold=fld.required)
            ws.cell(r, 1).border = _BORDER
            value = example.get(fld.key)
            if fld.key == "year" and self.year:
                value = self.year
            if fld.key == "period":
                value = periods.LABELS[self.lang][value or "year"]
            cell = ws.cell(r, 2, value)
            self._body(
                cell,
                True,
                "yyyy-mm-dd"
                if fld.key == "date"
                else ("0" if fld.key in ("year", "start_month", "end_month") else "@"),
            )
            cell.alignment = Alignment(horizontal="left", vertical="center")
            if fld.key == "date" and isinstance(value, str):
                cell.value = datetime.date.fromisoformat(value)
            note = ws.cell(r, 3, i18n.in_language(fld, self.lang, "hint"))
            note.font = Font(name=self.font, size=9, color="808080")
            note.alignment = _WRAP
            ws.row_dimensions[r].height = 22
            rows[fld.key] = r
            self._name(layout.info_name(fld.key), "info", f"$B${r}")
        # one validation per field, each with the field's hint as Excel's input prompt
        months_rule = (
            "whole",
            t["dv_month_error"],
            {"operator": "between", "formula1": "1", "formula2": "12"},
        )
        rules = {
            "year": (
                "whole",
                t["dv_year_error"],
                {"operator": "between", "formula1": "1990", "formula2": "2100"},
            ),
            "period": (
                "list",
                t["dv_list_error"],
                {"formula1": '"' + ",".join(period_labels) + '"'},
            ),
            "start_month": months_rule,
            "end_month": months_rule,
            "date": ("date", t["dv_date_error"], {"operator": "greaterThan", "formula1": "32874"}),
        }
        text_rule = (
            "textLength",
            t["dv_text_error"],
            {"operator": "lessThanOrEqual", "formula1": "200"},
        )
        for fld in layout.INFO_FIELDS:
            kind, error, kw = rules.get(fld.key, text_rule)
            hint = i18n.in_language(fld, self.lang, "hint")
            label = ws.cell(rows[fld.key], 1).value
            self._dv(ws, kind, error, hint, title=label, **kw).add(f"B{rows[fld.key]}")
        # the effective month range, for the plain formulas of the tally sheet
        first = len(layout.INFO_FIELDS) + 4
        p_cell, s_cell, e_cell = (f"$B${rows[k]}" for k in ("period", "start_month", "end_month"))
        named = [periods.LABELS[self.lang][k] for k in periods.NAMED]
        listing = "{" + ",".join(f'"{x}"' for x in named) + "}"
        starts = ",".join(str(periods.NAMED[k][0]) for k in periods.NAMED)
        ends = ",".join(str(periods.NAMED[k][1]) for k in periods.NAMED)
        custom = periods.LABELS[self.lang]["custom"]
        for offset, (label, pick, bounds, default) in enumerate(
            (
                (t["effective_start"], s_cell, starts, 1),
                (t["effective_end"], e_cell, ends, 12),
            )
        ):
            r = first + offset
            ws.cell(r, 1, label).font = Font(name=self.font, color="808080")
            cell = ws.cell(
                r,
                2,
                f'=IF({p_cell}="{custom}",IF(ISNUMBER({pick}),{pick},{default}),'
                f"IFERROR(CHOOSE(MATCH({p_cell},{listing},0),{bounds}),{default}))",
            )
            self._body(cell, False, "0")
            self._name(
                layout.NAME_PERIOD_START if offset == 0 else layout.NAME_PERIOD_END,
                "info",
                f"$B${r}",
            )
        ws.freeze_panes = "A3"
        self._protect(ws)
        self._print(ws, landscape=False)

    def _catalogue(self, ws) -> None:
        t = self.t
        columns = layout.CATALOGUE_COLUMNS
        header = self._table_sheet(
            ws,
            "catalogue",
            t["catalogue_title"],
            t["catalogue_note"],
            columns,
            layout.NAME_CATALOGUE,
        )
        rule_labels = cat.RULE_LABELS[self.lang]
        kind_labels = cat.KIND_LABELS[self.lang]
        yes, no = cat.YES_NO[self.lang]
        for r, ind in enumerate(self.p.indicators, start=header + 1):
            category = self.p.category(ind.category)
            values = {
                "code": ind.code,
                "name_zh": ind.name_zh,
                "name_en": ind.name_en,
                "unit": ind.unit_for(self.lang),
                "category": category.label(self.lang) if category else ind.category,
                "rule": rule_labels[ind.rule],
                "kind": kind_labels[ind.kind],
                "required": yes if ind.required else no,
                "description": i18n.in_language(ind, self.lang, "description", fallback=False),
            }
            for c, col in enumerate(columns, start=1):
                cell = ws.cell(r, c, values[col.key])
                self._body(cell, True)
                if col.key == "description":
                    cell.alignment = _WRAP
        last = header + len(self.p.indicators)
        ref = f"A{header}:{layout.column_letter(len(columns) - 1)}{last}"
        table = Table(displayName=layout.CATALOGUE_TABLE, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
        end = header + CATALOGUE_VALIDATED_ROWS
        col = {c.key: layout.column_letter(i) for i, c in enumerate(columns)}

        headers = {c.key: c.header(self.lang) for c in columns}

        def listed(key: str, options: list[str], style: str = "stop") -> None:
            dv = self._dv(
                ws,
                "list",
                t["dv_list_error"],
                t[f"dv_{key}_prompt"],
                title=headers[key],
                errorStyle=style,
                formula1='"' + ",".join(options) + '"',
            )
            dv.add(f"{col[key]}{header + 1}:{col[key]}{end}")

        listed("rule", list(rule_labels.values()))
        listed("kind", list(kind_labels.values()))
        listed("required", [yes, no])
        listed("category", [c.label(self.lang) for c in self.p.categories], "warning")
        ws.freeze_panes = f"C{header + 1}"
        self._print(ws, landscape=True, title_rows=f"{header}:{header}")

    def _tally(self, ws) -> None:
        t = self.t
        columns = layout.TALLY_COLUMNS
        pos = {c.key: i for i, c in enumerate(columns)}
        letter = {k: layout.column_letter(i) for k, i in pos.items()}
        title = t["tally_title"] + (f"（{self.year}）" if self.year else "")
        header = self._table_sheet(ws, "tally", title, t["tally_note"], columns, layout.NAME_TALLY)
        # Named whole columns of the catalogue and a named month count keep each row's
        # formulas short: the sheet XML (and so every later read) is half the size.
        cat_sheet = _quote(self.sheet["catalogue"])
        cat_col = {c.key: layout.column_letter(i) for i, c in enumerate(layout.CATALOGUE_COLUMNS)}
        cat_names = {}
        for key in ("code", f"name_{self.lang}", "unit", "rule", "kind"):
            name = f"XLS_CAT_{key.split('_')[0].upper()}"
            self.names[name] = f"{cat_sheet}!${cat_col[key]}:${cat_col[key]}"
            cat_names[key.split("_")[0]] = name
        start = layout.NAME_PERIOD_START
        count = "XLS_PERIOD_MONTHS"
        self.names[count] = f"{layout.NAME_PERIOD_END}-{start}+1"
        rules = [label for lang in i18n.LANGS for label in cat.RULE_LABELS[lang].values()]
        rule_list = "{" + ",".join(f'"{x}"' for x in rules) + "}"
        percent_label = cat.KIND_LABELS[self.lang]["percent"]
        example = (self.example or {}).get("tallies", {})
        dv_rows: dict[str, list[str]] = {"count": [], "amount": [], "percent": []}
        indicators = list(self.p.indicators)
        total_rows = len(indicators) + TALLY_RESERVED_ROWS
        for k in range(total_rows):
            r = header + 1 + k
            ind = indicators[k] if k < len(indicators) else None
            a = f"$A{r}"
            lookup = f"MATCH({a},{cat_names['code']},0)"
            months = f"OFFSET(${letter['unit']}{r},0,{start},1,{count})"
            rule = f"INDEX({cat_names['rule']},{lookup})"
            kind = f"INDEX({cat_names['kind']},{lookup})"
            total, prior = f"{letter['total']}{r}", f"{letter['prior']}{r}"
            formulas = {
                "name": f'=IF({a}="","",IFERROR(INDEX({cat_names["name"]},{lookup}),'
                f'"{t["unknown_code"]}"))',
                "unit": f'=IF({a}="","",IFERROR(INDEX({cat_names["unit"]},{lookup}),""))',
                "total": f'=IF(OR({a}="",COUNT({months})=0),"",IFERROR(CHOOSE(MOD(MATCH({rule},'
                f"{rule_list},0)-1,4)+1,SUM({months}),LOOKUP(9.99E+307,{months}),"
                f'MAX({months}),AVERAGE({months})),""))',
                "yoy": f'=IF(OR({total}="",NOT(ISNUMBER({prior}))),"",IF(IFERROR({kind},"")='
                f'"{percent_label}",ROUND({total}-{prior},1)&"{t["points"]}",'
                f'IF({prior}=0,"",ROUND(({total}-{prior})/{prior},3))))',
                "status": f'=IF({a}="","",IF(COUNTIF({months},"<0")>0,"{t["status_neg"]}",'
                f'IF(COUNTA({months})>COUNT({months}),"{t["status_text"]}",'
                f"IF(COUNT({months})<{count},"
                + _join_missing(t["status_missing"], f"{count}-COUNT({months})")
                + f',"{t["status_ok"]}"))))',
            }
            fmt = _NUMBER_FORMATS[ind.kind] if ind else "General"
            figures = example.get(ind.code, {}) if ind else {}
            for c, col in enumerate(columns, start=1):
                cell = ws.cell(r, c)
                if col.key == "code":
                    cell.value = ind.code if ind else None
                    self._body(cell, ind is None)
                elif col.key in formulas:
                    cell.value = formulas[col.key]
                    self._body(
                        cell,
                        False,
                        fmt if col.key == "total" else ("0.0%" if col.key == "yoy" else None),
                    )
                else:  # months and prior
                    self._body(cell, True, fmt)
                    if col.key == "prior":
                        cell.value = figures.get("prior")
                    else:
                        month_values = figures.get("months", [])
                        m = int(col.key[1:])
                        if m <= len(month_values) and month_values[m - 1] != "":
                            cell.value = month_values[m - 1]
            first, last = letter["m1"], letter["prior"]
            dv_rows[ind.kind if ind else "amount"].append(f"{first}{r}:{last}{r}")
        errors = {
            "count": t["dv_count_error"],
            "amount": t["dv_amount_error"],
            "percent": t["dv_percent_error"],
        }
        for kind, ranges in dv_rows.items():
            if not ranges:
                continue
            kw = (
                {"operator": "between", "formula1": "0", "formula2": "100"}
                if kind == "percent"
                else {"operator": "greaterThanOrEqual", "formula1": "0"}
            )
            dv = self._dv(
                ws,
                "whole" if kind == "count" else "decimal",
                errors[kind],
                t["dv_number_prompt"],
                **kw,
            )
            dv.sqref = " ".join(ranges)  # one rule, many rows: keeps the file small
        self.tally_rows = (header, header + total_rows)
        body = f"{letter['m1']}{header + 1}:{letter['prior']}{header + total_rows}"
        top_left = f"{letter['m1']}{header + 1}"
        ws.conditional_formatting.add(
            body,
            FormulaRule(
                formula=[f"OR(ISTEXT({top_left}),AND(ISNUMBER({top_left}),{top_left}<0))"],
                fill=_BAD,
            ),
        )
        ws.freeze_panes = f"{letter['m1']}{header + 1}"
        self._protect(ws)
        self._print(ws, landscape=True, title_rows=f"{header}:{header}")

    def _narrative(self, ws) -> None:
        t = self.t
        columns = layout.NARRATIVE_COLUMNS
        header = self._table_sheet(
            ws,
            "narrative",
            t["narrative_title"],
            t["narrative_note"],
            columns,
            layout.NAME_NARRATIVE,
        )
        yes, no = cat.YES_NO[self.lang]
        example = self.example or {}
        # the example's sections in the workbook's language (narrative_en...), else
        # the default language's (narrative)
        texts = example.get(f"narrative_{self.lang}") or example.get("narrative", {})
        specs = list(self.p.narrative)
        for k in range(len(specs) + NARRATIVE_RESERVED_ROWS):
            r = header + 1 + k
            spec = specs[k] if k < len(specs) else None
            values = {
                "code": spec.code if spec else None,
                "title": spec.title(self.lang) if spec else None,
                "text": texts.get(spec.code) if spec else None,
                "required": (yes if spec.required else no) if spec else None,
            }
            for c, col in enumerate(columns, start=1):
                cell = ws.cell(r, c, values[col.key])
                self._body(cell, col.key != "code" or spec is None)
                cell.alignment = _WRAP
            ws.row_dimensions[r].height = 120 if spec else 60
        text_col = layout.column_letter(2)
        last = header + len(specs) + NARRATIVE_RESERVED_ROWS
        dv = self._dv(
            ws,
            "textLength",
            t["dv_list_error"],
            t["dv_text_prompt"],
            operator="lessThanOrEqual",
            formula1="32000",
        )
        dv.promptTitle = t["narrative_title"]
        dv.add(f"{text_col}{header + 1}:{text_col}{last}")
        req = self._dv(ws, "list", t["dv_list_error"], formula1=f'"{yes},{no}"')
        req.add(f"D{header + 1}:D{last}")
        ws.freeze_panes = f"A{header + 1}"
        self._protect(ws)
        self._print(ws, landscape=False, title_rows=f"{header}:{header}")

    def _results(self, ws) -> None:
        """Where the add-in's button lists the issues (see excel/addin.py)."""
        ws["A1"] = self.t["results_note"]
        ws["A1"].font = Font(name=self.font, size=10, color="595959")
        for col, width in zip("ABCD", (8, 14, 12, 90), strict=True):
            ws.column_dimensions[col].width = width

    # ------------------------------------------------------------------ live variant
    def _live_ranges(self) -> str:
        """The arguments every Excel function of the live workbook gets."""
        header, last = self.tally_rows
        tally, cat_ = _quote(self.sheet["tally"]), _quote(self.sheet["catalogue"])
        prior = layout.column_letter(
            next(i for i, c in enumerate(layout.TALLY_COLUMNS) if c.key == "prior")
        )
        cat_last = layout.column_letter(len(layout.CATALOGUE_COLUMNS) - 1)
        cat_end = header + CATALOGUE_VALIDATED_ROWS
        return (
            f"{tally}!$A${header}:${prior}${last},{cat_}!$A${header}:${cat_last}${cat_end},"
            f"{layout.NAME_PERIOD_START},{layout.NAME_PERIOD_END},"
            f"ROW({tally}!$A${header}),ROW({cat_}!$A${header})"
        )

    def _live(self, wb) -> None:
        """Computed columns and a 校验 sheet that call the add-in's functions, as
        legacy array formulas: every Excel version takes them, and they need no
        dynamic-array metadata that openpyxl cannot write."""
        header, last = self.tally_rows
        ws = wb[self.sheet["tally"]]
        args = self._live_ranges()
        for key, func in (("total", "XLS_TOTALS"), ("yoy", "XLS_YOY"), ("status", "XLS_STATUS")):
            col = layout.column_letter(
                next(i for i, c in enumerate(layout.TALLY_COLUMNS) if c.key == key)
            )
            for r in range(header + 1, last + 1):
                ws[f"{col}{r}"].value = None
            ref = f"{col}{header + 1}:{col}{last}"
            ws[f"{col}{header + 1}"] = ArrayFormula(ref, f"={func}({args})")
        sheet = wb.create_sheet(LIVE_SHEET[self.lang])
        self._title(sheet, LIVE_SHEET[self.lang], 4)
        self._note(sheet, self.t["live_note"], 4)
        info, narrative = _quote(self.sheet["info"]), _quote(self.sheet["narrative"])
        info_rows = f"{info}!$B$3:$B${2 + len(layout.INFO_FIELDS)}"
        nar_last = 3 + len(self.p.narrative) + NARRATIVE_RESERVED_ROWS
        text = f"=XLS_ISSUES({args},{info_rows},{narrative}!$A$3:$D${nar_last},ROW({narrative}!$A$3),{LIVE_ISSUE_ROWS + 1})"
        sheet["A3"] = ArrayFormula(f"A3:D{3 + LIVE_ISSUE_ROWS}", text)
        for col, width in zip("ABCD", (8, 14, 12, 90), strict=True):
            sheet.column_dimensions[col].width = width
        self._protect(sheet)


def _join_missing(template: str, count_expr: str) -> str:
    before, _, after = template.partition("{n}")
    return f'"{before}"&({count_expr})&"{after}"'
