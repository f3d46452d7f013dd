"""简体中文: the default language of xlsummary (see ``xlsummary.i18n``)."""

MESSAGES: dict[str, str] = {
    # --- issues found in a workbook (xlsummary.issues; the key after issue. is the code)
    "issue.not_a_number": "“{value}”不是数字：请只填写阿拉伯数字（例如 80），不要加“约”“余”、单位或中文数字。",
    "issue.excel_error": "单元格是错误值“{value}”（公式出错），请改为实际数字。",
    "issue.too_large": "数值“{value}”大得不合理（超过一万亿），请检查是否输错。",
    "issue.number_as_text": "“{value}”是文本形式的数字，已按 {number} 计算；建议改为数字格式。",
    "issue.formula_in_input": "这是输入单元格，却填写了公式；已采用其计算结果 {number}，建议直接填写数字。",
    "issue.formula_without_value": "这是输入单元格，却填写了公式且没有保存计算结果；请直接填写数字，或在 Excel 中打开并保存。",
    "issue.percent_as_fraction": "“{name}”是百分比，{number} 看起来是小数形式（其他月份都大于 1）；95% 请填写 95。",
    "issue.negative": "“{name}”的数值 {number} 是负数，应为 0 或正数。",
    "issue.fraction_in_count": "“{name}”以“{unit}”计数，应为整数，填写的是 {number}。",
    "issue.percent_out_of_range": "“{name}”是百分比，应在 0 到 100 之间，填写的是 {number}。",
    "issue.missing_month": "必填指标“{name}”缺少报告期（{period}）内 {months} 的数据；没有发生请填 0。",
    "issue.outside_period": "“{name}”在报告期（{period}）以外的 {months} 填有数据，这些数据不计入本期合计。",
    "issue.outlier_month": "“{name}”{month}月的 {number} 远高于其他月份（中位数 {median}），请核对是否多输了数字。",
    "issue.duplicate_indicator": "指标代码“{code}”重复（第 {first_row} 行已有），本行不计入。",
    "issue.unknown_indicator": "代码“{code}”不在“{catalogue}”表中，请先在指标表中添加该指标或改正代码。",
    "issue.missing_tally_row": "指标“{name}”在“{tally}”表中没有对应的行，请在该表添加一行并填写代码“{code}”。",
    "issue.row_without_code": "第 {row} 行填写了内容，但没有指标代码。",
    "issue.invalid_code": "代码“{value}”不符合要求：只能使用小写英文字母、数字和下划线，并以字母开头。",
    "issue.missing_field": "“{field}”未填写。",
    "issue.invalid_choice": "“{value}”不是有效的“{field}”，可选：{choices}。",
    "issue.no_indicators": "指标表中没有任何指标。",
    "issue.invalid_year": "年度应为 1990 到 2100 之间的四位数年份（例如 2023），填写的是“{value}”。",
    "issue.invalid_period": "报告期“{value}”无法识别，请从下拉列表中选择；按月份统计请选“自定义月份”并填写起始月、截止月。",
    "issue.period_as_text": "报告期“{value}”已按“{period}”理解；但表内公式只认下拉选项，请改选“自定义月份”并填写起始月、截止月。",
    "issue.months_ignored": "报告期为“{period}”，起始月、截止月不起作用（仅“自定义月份”时使用）。",
    "issue.invalid_month_range": "自定义月份的起始月和截止月应为 1–12 的整数，且起始月不大于截止月（填写的是 {start}–{end}）。",
    "issue.invalid_date": "“{value}”不是有效日期，请按 2023-12-31 的格式填写。",
    "issue.invalid_phone": "联系电话“{value}”看起来不是电话号码。",
    "issue.narrative_missing": "必填的叙述部分“{title}”尚未填写。",
    "issue.unknown_placeholder": "占位符“{placeholder}”中的“{name}”不是指标表中的指标名称或代码。",
    "issue.bad_placeholder_option": "占位符“{placeholder}”中的“{option}”无法识别；可用：上年、同比、1月…12月、第一季度…第四季度、上半年、下半年、累计。",
    # --- errors of every kind (xlsummary.errors; error.<code> is each class's default)
    # (end of errors)
    # --- reading files: input_files, office_zip, read_xlsx, sheet_scan, xml_safety, limits, outputs
    # what a file is, said inside a sentence
    "files.kind.workbook": "工作簿",
    "files.kind.template": "Word 模板",
    "files.what.word_document": "Word 文档",
    "files.what.zip": "压缩包",
    # {detail:.0}: the technical detail only the English sentence gives
    "files.detail": "{detail:.0}",
    # input_files
    "files.bad_name": "文件名无效：{path!r}",
    "files.folder": "这是一个文件夹，不是{kind}文件：{path}",
    "files.not_regular.workbook": "这不是普通文件（而是管道、设备或套接字），无法作为工作簿读取：{path}",
    "files.not_regular.template": "这不是普通文件（而是管道、设备或套接字），无法作为Word 模板读取：{path}",
    "files.too_large": "{kind}文件太大（超过 {mb:g} MB）：{path}。",
    "files.not_found": "找不到文件：{path}",
    "files.no_permission": "没有权限读取文件：{path}",
    "files.symlink_loop": "文件路径中的符号链接构成了循环，无法打开：{path}",
    "files.path_too_long": "文件路径太长：{path}",
    "files.cannot_read": "无法读取文件：{path}（{reason}）。",
    # office_zip
    "files.damaged_template": "Word 模板文件已损坏或不是 .docx 文件：{source}{detail}",
    "files.damaged": "文件已损坏，无法打开：{path}{detail}。请用 Excel 打开后另存为 .xlsx 再试。",
    "files.too_many_parts": "{kind}文件内含 {members} 个部件，超过上限 {limit}，已拒绝处理：{path}。",
    "files.unpacks_too_large": "{kind}文件解压后超过 {mb:g} MB，已拒绝处理：{path}。",
    # read_xlsx
    "files.not_xlsummary": "这不是 xlsummary 标准统计表：{path}。请用 “xlsummary new” 生成的模板填写。",
    "files.too_many_formats": "工作簿的单元格格式过多或格式代码过长，已拒绝处理：{path}。",
    "files.too_many_strings": "工作簿声明了 {declared} 个共享字符串，超过上限 {limit}，已拒绝处理：{path}。",
    "files.too_many_workbook_cells": "工作簿各表合计的单元格范围过大（超过 {limit} 个），请删除多余的内容后再试：{path}。",
    "files.unreadable_sheets": "文件已损坏，无法读取工作表内容：{path}。",
    "files.encrypted": "工作簿设置了打开密码，无法读取：{path}。请在 Excel 中取消密码（文件→信息→保护工作簿）后再试。",
    "files.legacy_xls": "这是旧版 .xls 文件：{path}。请在 Excel 中“另存为” .xlsx 格式后再试。",
    "files.not_xlsx": "这不是 Excel 工作簿（.xlsx）文件：{path}。",
    "files.other_office": "这是{what}，不是 Excel 工作簿：{path}。",
    "files.duplicate_sheet": "工作簿中有两个名为“{sheet}”的工作表，文件已损坏：{path}。",
    # sheet_scan
    "files.sheet_dtd": "工作表“{sheet}”的 XML 含有 DTD 声明，文件已损坏：{path}。{problem:.0}",
    "files.sheet_malformed": "工作表“{sheet}”的 XML 格式有误（第 {line} 行），文件已损坏：{path}。{problem:.0}",
    "files.bad_cell_reference": "工作表“{sheet}”中有无法识别的单元格地址“{ref}”，文件已损坏：{path}。",
    "files.misplaced": "工作表“{sheet}”的结构有误（<{element}> 位置不对），文件已损坏：{path}。",
    "files.sheet_too_far": "工作表“{sheet}”的范围过大（到第 {rows} 行、第 {cols} 列），请删除远处多余的内容后再试。",
    "files.too_many_cells": "工作表“{sheet}”的单元格过多（超过 {limit} 个），请删除多余的内容后再试。",
    # limits, outputs
    "files.env_not_a_number": "环境变量 {name} 应为数字，而不是“{raw}”。",
    "files.output_exists": "文件已存在：{path}。为免覆盖已填写的内容，请换一个文件名，或加 --force 覆盖。",
    "files.cannot_write": "无法写入文件：{path}（{reason}）。请检查文件夹是否存在、是否有写入权限。",
    # (end of files)
    # --- the workbook and its model: model, periods, catalogue, generate, workbook_layout
    # the generated workbook's document language (docProps/core.xml)
    "workbook.language_tag": "zh-CN",
    # between the items of a list inside a sentence
    "workbook.list_separator": "、",
    # the 报告期 drop-down, in its order, and a period said in a sentence
    "workbook.period.year": "全年",
    "workbook.period.h1": "上半年",
    "workbook.period.h2": "下半年",
    "workbook.period.q1": "第一季度",
    "workbook.period.q2": "第二季度",
    "workbook.period.q3": "第三季度",
    "workbook.period.q4": "第四季度",
    "workbook.period.custom": "自定义月份",
    "workbook.period_month": "{start}月",
    "workbook.period_months": "{start}—{end}月",
    # the 指标 sheet's drop-downs: 汇总方式, 类型, 必填
    "workbook.rule.sum": "求和",
    "workbook.rule.last": "取期末",
    "workbook.rule.max": "取最大",
    "workbook.rule.mean": "取平均",
    "workbook.kind.count": "计数",
    "workbook.kind.amount": "金额/数量",
    "workbook.kind.percent": "百分比",
    "workbook.yes": "是",
    "workbook.no": "否",
    # model, catalogue, generate
    "workbook.field_of": "{code} 的{field}",
    "workbook.missing_header": "工作表“{sheet}”第 {row} 行缺少“{column}”列标题，请不要修改或删除表头。",
    "workbook.missing_name": "工作簿缺少标准统计表的组成部分（名称 {name}）：{path}。请使用 xlsummary 模板。",
    "workbook.unknown_profile": "没有名为“{name}”的指标方案，可选：{choices}。",
    "workbook.unknown_language": "不支持的语言“{lang}”，可选 zh 或 en。",
    "workbook.no_example": "指标方案“{profile}”没有示例数据，可用示例：{choices}。",
    # (end of workbook)
    # --- Word templates: render_docx, untrusted, external_content, fields, docx_template
    # (end of templates)
    # --- Excel: the add-in's install and build, the worksheet functions (excel/)
    # (end of excel)
    # --- the report's words: report, context, formatting
    # (end of report)
    # --- the command line (cli)
    # (end of cli)
    # --- the server and the PDF converter (web/)
    # (end of web)
}
