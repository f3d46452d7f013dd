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
