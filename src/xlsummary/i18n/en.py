"""English (see ``xlsummary.i18n``)."""

MESSAGES: dict[str, str] = {
    # --- issues found in a workbook (xlsummary.issues; the key after issue. is the code)
    "issue.not_a_number": "{value!r} is not a number: type digits only (e.g. 80), without words or units.",
    "issue.excel_error": "The cell holds the error value {value} (a broken formula): type the figure instead.",
    "issue.too_large": "{value} is implausibly large (over 10^12): please check what was typed.",
    "issue.number_as_text": "{value!r} is a number stored as text; read as {number}. Consider retyping it.",
    "issue.formula_in_input": "An input cell holds a formula; its saved result {number} was used. Type the number.",
    "issue.formula_without_value": "An input cell holds a formula with no saved result: type the number instead.",
    "issue.percent_as_fraction": "{name} is a percentage: {number} looks like a fraction (other months are above 1); type 95 for 95%.",
    "issue.negative": "{name}: {number} is negative; figures must be 0 or more.",
    "issue.fraction_in_count": "{name} is counted in {unit} and must be a whole number, not {number}.",
    "issue.percent_out_of_range": "{name} is a percentage and must be between 0 and 100, not {number}.",
    "issue.missing_month": "Required indicator {name} has no figure for {months} in the period ({period}); type 0 if none.",
    "issue.outside_period": "{name} has figures for {months}, outside the period ({period}); they are not counted.",
    "issue.outlier_month": "{name}: {number} in month {month} is far above its other months (median {median}). Please check.",
    "issue.duplicate_indicator": "Indicator code {code!r} repeats row {first_row}; this row is ignored.",
    "issue.unknown_indicator": "Code {code!r} is not in the {catalogue} sheet: add the indicator there or fix the code.",
    "issue.missing_tally_row": "Indicator {name} has no row in the {tally} sheet: add one there with code {code!r}.",
    "issue.row_without_code": "Row {row} has figures but no indicator code.",
    "issue.invalid_code": "Code {value!r} is invalid: use lowercase letters, digits and _, starting with a letter.",
    "issue.missing_field": "{field} is empty.",
    "issue.invalid_choice": "{value!r} is not a valid {field}; choose one of: {choices}.",
    "issue.no_indicators": "The indicator sheet lists no indicators.",
    "issue.invalid_year": "The year must be a four-digit year from 1990 to 2100 (e.g. 2023), not {value!r}.",
    "issue.invalid_period": "Reporting period {value!r} is not understood: pick one from the list (for a range of months, pick 'Custom months' and fill in the first and last month).",
    "issue.period_as_text": "Reporting period {value!r} was read as {period}; the sheet's formulas only know the list entries, so pick 'Custom months' and fill in the first and last month.",
    "issue.months_ignored": "The reporting period is {period}: first and last month only apply to custom months.",
    "issue.invalid_month_range": "Custom months need a first and last month 1-12, first <= last (got {start}-{end}).",
    "issue.invalid_date": "{value!r} is not a date; use the form 2023-12-31.",
    "issue.invalid_phone": "Phone {value!r} does not look like a phone number.",
    "issue.narrative_missing": "The required narrative section {title!r} is empty.",
    "issue.unknown_placeholder": "Placeholder {placeholder} names {name!r}, which is not an indicator name or code.",
    "issue.bad_placeholder_option": "Placeholder {placeholder}: option {option!r} is not understood; use prior, yoy, m1..m12, q1..q4, h1, h2 or ytd.",
    # --- errors of every kind (xlsummary.errors; error.<code> is each class's default)
    # (end of errors)
    # --- reading files: input_files, office_zip, read_xlsx, sheet_scan, xml_safety, limits, outputs
    # (end of files)
    # --- the workbook and its model: model, periods, catalogue, generate, workbook_layout
    # (end of workbook)
    # --- Word templates: render_docx, untrusted, external_content, fields, docx_template
    "templates.not_word": "Not a Word template (.docx or .dotx; macro-enabled .docm is not supported): {source}",
    "templates.not_found": "Word template not found: {path}",
    "templates.not_utf8": "{part} in the Word template {source} is not UTF-8. Open it in Word and save it again.",
    "templates.near": " near {near!r}",
    "templates.dtd": "The Word template {source} has a document type declaration (DTD) in {part}; Word cannot open such a report. Save the template again from Word.",
    "templates.invalid_after_fill": "Filling the Word template {source} made {part} invalid XML (line {line}: {reason}){near}; no report was written. Do not use |safe or fields that produce markup.",
    "templates.damaged_part": "The Word template {source} is damaged: {part} is not valid XML (line {line}: {reason}){near}. Open it in Word and save it again.",
    "templates.loading_field": "The Word template {source} has a field that loads external content ({field}); a report must not fetch files, pictures or pages when opened. Delete the field in Word (Alt+F9 shows field codes) and insert the picture or text itself.",
    "templates.activex": "The Word template {source} contains ActiveX controls; a report may not carry controls or macros. Remove them in Word and retry.",
    "templates.altchunk": "The Word template {source} embeds another document (altChunk), whose links are read when the report opens. Paste its content as plain text in Word and retry.",
    "templates.external_link": "The Word template {source} links external content ({kind}: {target}); a report must not fetch files or pages when opened. Embed linked pictures and objects in Word and retry.",
    "templates.unsaveable": "The Word template {source} produced characters that cannot be saved in {part}; no report was written.",
    "templates.render_failed": "The Word template {source} failed while rendering: {detail}. Templates should place fields, not compute.",
    "templates.too_deep": "The Word template {source} nests too deeply (a macro calling itself?); simplify it.",
    "templates.syntax": "Template syntax error in {source} ({part}): {detail}{near}. Check that every {{{{ }}}} and {{% %}} is closed and spelt right.",
    "templates.unknown_field": "The Word template {source} uses a field the report does not provide: {detail}. See docs/template-fields.md or run 'xlsummary fields'.",
    "templates.unknown_field_named": "The Word template {source} uses a field the report does not provide: {field}{hint}. See docs/template-fields.md or run 'xlsummary fields'.",
    "templates.did_you_mean": " (did you mean {name!r}?)",
    "templates.no_suggestion": "",
    "templates.worker_start": "Could not start the worker that renders the Word template ({detail}).",
    "templates.worker_died": "The worker rendering the Word template {source} stopped unexpectedly ({detail}); no report was written.",
    "templates.worker_incomplete": "The worker rendering the Word template {source} returned an incomplete report; none was written.",
    "templates.overran": "Rendering the Word template {source} took longer than {seconds} s and was stopped; no report was written. The template may loop too much (a range() inside a range()).",
    "templates.out_of_memory": "Rendering the Word template {source} needed more than {mb} MB and was stopped; no report was written. The template may inflate text (center(10**9)) or loop too much.",
    "templates.report_too_large": "The report from the Word template {source} would exceed {mb} MB; none was written.",
    "templates.fields.template": "Template: {template}",
    "templates.fields.used": "Fields used: {fields}",
    "templates.fields.unknown": "Not provided by the report (check the spelling): {fields}",
    "templates.fields.unrendered": "Fields in these parts will not be filled (only the body, headers, footers, footnotes, endnotes, comments and document properties are): {parts}",
    "templates.fields.unused": "Provided but not used: {fields}",
    "templates.fields.ok": "Result: every field is provided.",
    "templates.fields.separator": ", ",
    "templates.docx.draft_mark": "DRAFT",
    "templates.docx.key_caption": "Key figures",
    "templates.docx.key_head.indicator": "Indicator",
    "templates.docx.key_head.unit": "Unit",
    "templates.docx.key_head.total": "Period total",
    "templates.docx.key_head.prior": "Prior year",
    "templates.docx.key_head.yoy": "YoY",
    "templates.docx.appendix": "Appendix",
    "templates.docx.monthly_caption": "Monthly figures{if_year}, {year}{end_if}",
    "templates.docx.monthly_head.indicator": "Indicator",
    "templates.docx.monthly_head.unit": "Unit",
    "templates.docx.monthly_head.m1": "Jan",
    "templates.docx.monthly_head.m2": "Feb",
    "templates.docx.monthly_head.m3": "Mar",
    "templates.docx.monthly_head.m4": "Apr",
    "templates.docx.monthly_head.m5": "May",
    "templates.docx.monthly_head.m6": "Jun",
    "templates.docx.monthly_head.m7": "Jul",
    "templates.docx.monthly_head.m8": "Aug",
    "templates.docx.monthly_head.m9": "Sep",
    "templates.docx.monthly_head.m10": "Oct",
    "templates.docx.monthly_head.m11": "Nov",
    "templates.docx.monthly_head.m12": "Dec",
    "templates.docx.monthly_head.total": "Total",
    "templates.docx.issues_caption": "Issues found in the workbook (draft appendix)",
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
