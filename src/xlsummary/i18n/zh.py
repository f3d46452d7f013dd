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
    # (end of files)
    # --- the workbook and its model: model, periods, catalogue, generate, workbook_layout
    # (end of workbook)
    # --- Word templates: render_docx, untrusted, external_content, fields, docx_template
    "templates.not_word": "这不是 Word 文档模板（.docx 或 .dotx；不支持含宏的 .docm）：{source}",
    "templates.not_found": "找不到 Word 模板：{path}",
    "templates.not_utf8": "Word 模板“{source}”的 {part} 不是 UTF-8 编码，无法使用。请用 Word 打开后另存再试。",
    "templates.near": "（附近文字：“{near}”）",
    "templates.dtd": "Word 模板“{source}”的 {part} 含有 DTD（文档类型声明），Word 无法打开这样的报告，已拒绝。请用 Word 重新另存模板后再试。",
    "templates.invalid_after_fill": "Word 模板“{source}”填入字段后，{part} 不再是合法的 XML（第 {line} 行，{reason}）{near}，报告未生成。请不要在模板中使用 |safe，也不要用字段输出标记。",
    "templates.damaged_part": "Word 模板“{source}”已损坏：{part} 不是合法的 XML（第 {line} 行，{reason}）{near}。请用 Word 打开后另存再试。",
    "templates.loading_field": "Word 模板“{source}”含有读取外部内容的域（{field}），报告不能在打开时去取外部的文件、图片或网页。请在 Word 中删除该域（Alt+F9 可显示域代码），把图片或文字直接插入后再试。",
    "templates.activex": "Word 模板“{source}”含有 ActiveX 控件，报告中不能带有控件或宏。请在 Word 中删除控件后再试。",
    "templates.altchunk": "Word 模板“{source}”嵌入了另一个文档（altChunk），其中的链接会在打开报告时被读取。请在 Word 中把嵌入的内容粘贴为普通文字后再试。",
    "templates.external_link": "Word 模板“{source}”链接了外部内容（{kind}：{target}），报告不能在打开时去取外部的文件或网页。请在 Word 中把链接的图片、对象改为嵌入后再试。",
    "templates.unsaveable": "Word 模板“{source}”在 {part} 中生成了无法保存的字符，报告未生成。",
    "templates.render_failed": "Word 模板“{source}”计算出错：{detail}。模板只应放置字段，不要在其中计算。",
    "templates.too_deep": "Word 模板“{source}”嵌套过深（宏调用自身或层层嵌套），已停止。请简化模板。",
    "templates.syntax": "Word 模板“{source}”的 {part} 中有语法错误：{detail}{near}。请检查 {{{{ }}}} 与 {{% %}} 是否成对、拼写是否正确。",
    "templates.unknown_field": "Word 模板“{source}”使用了报告中没有的字段：{detail}。请对照 docs/template-fields.md 改正字段名，或运行 xlsummary fields 检查模板。",
    "templates.unknown_field_named": "Word 模板“{source}”使用了报告中没有的字段“{field}”{hint}请对照 docs/template-fields.md 改正字段名，或运行 xlsummary fields 检查模板。",
    "templates.did_you_mean": "，是否应为“{name}”？",
    "templates.no_suggestion": "。",
    "templates.worker_start": "无法启动渲染 Word 模板的工作进程（{detail}），未生成报告。",
    "templates.worker_died": "渲染 Word 模板“{source}”的工作进程意外退出（{detail}），未生成报告。",
    "templates.worker_incomplete": "渲染 Word 模板“{source}”的工作进程没有交回完整的报告，未生成报告。",
    "templates.overran": "Word 模板“{source}”渲染超过 {seconds} 秒仍未完成，已停止，未生成报告。模板中可能有过多或嵌套的循环（例如 range() 套 range()）。",
    "templates.out_of_memory": "Word 模板“{source}”渲染所需内存超过 {mb} MB，已停止，未生成报告。模板中可能有放大文字的过滤器（如 center(10**9)）或过多的循环。",
    "templates.report_too_large": "Word 模板“{source}”生成的报告超过 {mb} MB，未生成报告。",
    "templates.fields.template": "模板：{template}",
    "templates.fields.used": "使用的字段：{fields}",
    "templates.fields.unknown": "报告中没有的字段（请检查拼写）：{fields}",
    "templates.fields.unrendered": "这些部件中的字段不会被填写（只填写正文、页眉页脚、脚注尾注、批注和文档属性）：{parts}",
    "templates.fields.unused": "报告提供但模板未使用：{fields}",
    "templates.fields.ok": "结果：模板字段全部可用。",
    "templates.fields.separator": "、",
    "templates.docx.draft_mark": "草 稿",
    "templates.docx.key_caption": "主要指标完成情况",
    "templates.docx.key_head.indicator": "指标",
    "templates.docx.key_head.unit": "单位",
    "templates.docx.key_head.total": "本期合计",
    "templates.docx.key_head.prior": "上年同期",
    "templates.docx.key_head.yoy": "同比",
    "templates.docx.appendix": "附件",
    "templates.docx.monthly_caption": "{if_year}{year}年{end_if}月度统计明细",
    "templates.docx.monthly_head.indicator": "指标",
    "templates.docx.monthly_head.unit": "单位",
    "templates.docx.monthly_head.m1": "1月",
    "templates.docx.monthly_head.m2": "2月",
    "templates.docx.monthly_head.m3": "3月",
    "templates.docx.monthly_head.m4": "4月",
    "templates.docx.monthly_head.m5": "5月",
    "templates.docx.monthly_head.m6": "6月",
    "templates.docx.monthly_head.m7": "7月",
    "templates.docx.monthly_head.m8": "8月",
    "templates.docx.monthly_head.m9": "9月",
    "templates.docx.monthly_head.m10": "10月",
    "templates.docx.monthly_head.m11": "11月",
    "templates.docx.monthly_head.m12": "12月",
    "templates.docx.monthly_head.total": "本期合计",
    "templates.docx.issues_caption": "统计表校验问题清单（草稿附件）",
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
