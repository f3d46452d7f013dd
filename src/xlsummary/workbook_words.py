"""The workbook's own words: titles, notes, the Excel input prompts and error
messages, the computed status texts and the 说明 sheet's steps, per language.

They are kept apart from the code that places them so that fixing a word in the
workbook is one edit in one file, next to its translation, without reading any
openpyxl. They are data keyed by language, never chosen by comparing ``lang``; words
shared with the reader (sheet names, column headers, period and rule labels) live in
``workbook_layout``, ``periods``, ``catalogue`` and the ``i18n`` catalogue instead.
Changing any of them changes the committed templates: run
``python scripts/update_templates.py``.
"""

from __future__ import annotations

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
