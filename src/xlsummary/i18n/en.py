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
    # --- labels shared by every entry point: severity, the issue table's heads
    "label.error": "error",
    "label.warning": "warning",
    "label.head.level": "Level",
    "label.head.sheet": "Sheet",
    "label.head.cell": "Cell",
    "label.head.indicator": "Indicator",
    "label.head.problem": "Problem",
    "label.no_problems": "No problems found.",
    # (end of labels)
    # --- errors of every kind (xlsummary.errors; error.<code> is each class's default)
    "error.pdf_failed": "PDF conversion failed; try again later or download the DOCX.",
    "error.pdf_busy": "Too many PDF conversions are waiting; try again shortly or download the DOCX.",
    "error.pdf_unavailable": "PDF conversion is unavailable (no LibreOffice); DOCX still works.",
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
    "addin.title": "Work summary",
    "addin.not_ours": "This is not an xlsummary workbook; nothing was changed.\n{message}\n(code: {code})",
    "addin.errors": "{refused}\nThe problems are listed in the {sheet} sheet:\n{listed}",
    "addin.issue": "{sheet}!{cell}: {message}",
    "addin.more": "\n… and {n} more",
    "addin.draft": "\n\nWrite a report marked DRAFT anyway?",
    "addin.no_sheet": "Could not add the {sheet} sheet (the workbook structure is protected).",
    "addin.failed": "No report was written: {message}\n(code: {code})",
    "addin.done": "Report written:\n{path}",
    # (end of addin)
    # --- the report's words: report, context, formatting
    "report.draft_suffix": " (draft)",
    "report.refused": "The workbook has {errors} error(s); no report was written. Fix them, or ask for a draft.",
    "report.output_not_docx": "The report file name must end in .docx: {path}",
    "report.output_over_input": "Refusing to write the report over the workbook or the template: {path}",
    # (end of report)
    # --- the command line (cli)
    "cli.error_prefix": "Error: ",
    "cli.usage_hint": " (see '{command} --help')",
    "cli.out_of_memory": "Out of memory.",
    "cli.no_server": 'The server is not installed: run pip install "xlsummary[server]".',
    "cli.output_not_xlsx": "The output file name must end in .xlsx: {path}",
    "cli.written": "Written: {path}",
    "cli.next": "Next: fill it in, then run  xlsummary check {path}",
    "cli.checking": "Checking {file}",
    "cli.about": "{unit}  {year} {period}  {n} indicators",
    "cli.sheet_issues": "{sheet} ({n})",
    "cli.sheet_level": "sheet",
    "cli.clean": "Result: no problems found.",
    "cli.summary": "Result: {e} error(s), {w} warning(s).",
    "cli.fix": " Fix the errors before generating a report.",
    "cli.draft_hint": "To write a draft anyway (marked DRAFT, with the issues appended), pass --draft.",
    "cli.report": "Report written: {path}",
    "cli.totals_head.indicator": "indicator",
    "cli.totals_head.unit": "unit",
    "cli.totals_head.total": "period total",
    "cli.totals_head.prior": "prior year",
    "cli.totals_head.yoy": "YoY",
    # (end of cli)
    # --- the server and the PDF converter (web/)
    "web.empty": "The uploaded file is empty.",
    "web.unknown_profile": "No profile named {profile!r}.",
    "web.workbook_name": "{profile}-workbook.xlsx",
    "web.bad_format": "Format is docx or pdf.",
    "web.templates_disabled": "This server does not accept custom templates.",
    "web.busy": "The server is busy rendering other custom templates; try again shortly.",
    "web.internal": "Internal server error; please try again later.",
    "web.timeout": "The upload was too slow and timed out; please try again.",
    "web.body_too_large": "The upload is too large: {mb} MB at most.",
    "web.http.bad_request": "The request could not be read.",
    "web.http.not_found": "Not found.",
    "web.http.method_not_allowed": "Method not allowed.",
    "web.http.too_large": "The upload is too large.",
    "web.http.http_error": "The request failed.",
    "web.bad_fields": "Bad request: {parts}.",
    "web.field.join": "; ",
    "web.field.upload": "upload an .xlsx file (field file)",
    "web.field.missing": "{name} is missing",
    "web.field.int": "{name} must be a whole number",
    "web.field.bool": "{name} must be true or false",
    "web.field.ge": "{name} must be at least {ge}",
    "web.field.le": "{name} must be at most {le}",
    "web.field.invalid": "{name} is not valid",
    # (end of web)
}
