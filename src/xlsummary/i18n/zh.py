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
    # --- labels shared by every entry point: severity, the issue table's heads
    "label.error": "错误",
    "label.warning": "警告",
    "label.head.level": "级别",
    "label.head.sheet": "工作表",
    "label.head.cell": "单元格",
    "label.head.indicator": "指标",
    "label.head.problem": "问题",
    "label.no_problems": "未发现问题。",
    # (end of labels)
    # --- errors of every kind (xlsummary.errors; error.<code> is each class's default)
    "error.pdf_failed": "PDF 转换失败，请稍后重试或下载 Word 版。",
    "error.pdf_busy": "PDF 转换排队的人太多，请稍后重试，或先下载 Word 版。",
    "error.pdf_unavailable": "服务器未安装 LibreOffice，暂不能生成 PDF；可先下载 Word 版。",
    # (end of errors)
    # --- reading files: input_files, office_zip, read_xlsx, sheet_scan, xml_safety, limits, outputs
    # (end of files)
    # --- the workbook and its model: model, periods, catalogue, generate, workbook_layout
    # (end of workbook)
    # --- Word templates: render_docx, untrusted, external_content, fields, docx_template
    # (end of templates)
    # --- Excel: the add-in's install and build, the worksheet functions (excel/)
    # (end of excel)
    # --- the Excel button (excel/addin.py)
    "addin.title": "工作总结",
    "addin.not_ours": "这不是 xlsummary 标准统计表，未做任何修改。\n{message}\n（代码：{code}）",
    "addin.errors": "{refused}\n问题已列在“{sheet}”表中：\n{listed}",
    "addin.issue": "{sheet}!{cell}：{message}",
    "addin.more": "\n……另有 {n} 个",
    "addin.draft": "\n\n仍要生成标注“草稿”的报告吗？",
    "addin.no_sheet": "无法添加“{sheet}”工作表（工作簿结构受保护），问题未写入表中。",
    "addin.failed": "未生成报告：{message}\n（代码：{code}）",
    "addin.done": "已生成报告：\n{path}",
    # (end of addin)
    # --- the report's words: report, context, formatting
    "report.draft_suffix": "（草稿）",
    "report.refused": "统计表有 {errors} 个错误，未生成报告。请改正后重试，或生成草稿。",
    "report.output_not_docx": "报告文件名应以 .docx 结尾：{path}",
    "report.output_over_input": "不能用报告覆盖统计表或模板本身：{path}",
    # (end of report)
    # --- the command line (cli)
    "cli.error_prefix": "错误：",
    "cli.usage_hint": "（运行“{command} --help”查看用法）",
    "cli.out_of_memory": "内存不足，命令已停止。",
    "cli.no_server": '服务器组件未安装，请运行 pip install "xlsummary[server]"。',
    "cli.output_not_xlsx": "输出文件名应以 .xlsx 结尾：{path}",
    "cli.written": "已生成：{path}",
    "cli.next": "下一步：填写后运行  xlsummary check {path}",
    "cli.checking": "检查：{file}",
    "cli.about": "{unit}  {year}年 {period}  {n} 个指标",
    "cli.sheet_issues": "{sheet}（{n}）",
    "cli.sheet_level": "整表",
    "cli.clean": "结果：未发现问题。",
    "cli.summary": "结果：{e} 个错误，{w} 个警告。",
    "cli.fix": "请改正错误后再生成报告。",
    "cli.draft_hint": "如仍要生成草稿（标注“草稿”并附问题清单），请加 --draft。",
    "cli.report": "已生成报告：{path}",
    "cli.totals_head.indicator": "指标",
    "cli.totals_head.unit": "单位",
    "cli.totals_head.total": "本期合计",
    "cli.totals_head.prior": "上年同期",
    "cli.totals_head.yoy": "同比",
    # (end of cli)
    # --- the server and the PDF converter (web/)
    "web.empty": "上传的文件是空的。",
    "web.unknown_profile": "没有名为“{profile}”的指标方案。",
    "web.workbook_name": "{name}统计表.xlsx",
    "web.bad_format": "格式只能是 docx 或 pdf。",
    "web.templates_disabled": "本服务器不接受自定义模板。",
    "web.busy": "服务器正忙于渲染其他自定义模板，请稍后重试。",
    "web.internal": "服务器内部错误，请稍后重试。",
    "web.timeout": "上传太慢，连接已超时，请重试。",
    "web.body_too_large": "上传的内容太大：最大 {mb} MB。",
    "web.http.bad_request": "请求格式有误，无法读取上传的内容。",
    "web.http.not_found": "没有这个地址。",
    "web.http.method_not_allowed": "这个地址不支持该请求方法。",
    "web.http.too_large": "上传的内容太大。",
    "web.http.http_error": "请求无法处理。",
    "web.bad_fields": "请求有误：{parts}。",
    "web.field.join": "；",
    "web.field.upload": "请上传 .xlsx 文件（字段 file）",
    "web.field.missing": "参数 {name} 缺少",
    "web.field.int": "参数 {name} 应为整数",
    "web.field.bool": "参数 {name} 应为 true 或 false",
    "web.field.ge": "参数 {name} 应不小于 {ge}",
    "web.field.le": "参数 {name} 应不大于 {le}",
    "web.field.invalid": "参数 {name} 取值无效",
    # (end of web)
}
