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
    # what a file is, said inside a sentence
    "files.kind.workbook": "workbook",
    "files.kind.template": "Word template",
    "files.what.word_document": "a Word document",
    "files.what.zip": "a zip archive",
    # {detail:.0}: the technical detail only the English sentence gives
    "files.detail": " ({detail})",
    # input_files
    "files.bad_name": "Not a valid file name: {path!r}",
    "files.folder": "This is a folder, not a {kind} file: {path}",
    "files.not_regular.workbook": "This is not a regular file (a pipe, device or socket): {path}",
    "files.not_regular.template": "This is not a regular file (a pipe, device or socket): {path}",
    "files.too_large": "The {kind} file is too large (over {mb:g} MB): {path}.",
    "files.not_found": "File not found: {path}",
    "files.no_permission": "No permission to read: {path}",
    "files.symlink_loop": "The path goes round a loop of symbolic links: {path}",
    "files.path_too_long": "The file path is too long: {path}",
    "files.cannot_read": "Cannot read {path} ({reason}).",
    # office_zip
    "files.damaged_template": "The Word template is damaged or not a .docx file: {source}{detail}",
    "files.damaged": "The file is damaged and cannot be opened: {path}{detail}.",
    "files.too_many_parts": "The {kind} holds {members} parts, more than the limit of {limit}; refused: {path}.",
    "files.unpacks_too_large": "The {kind} unpacks to more than {mb:g} MB; refused: {path}.",
    # read_xlsx
    "files.not_xlsummary": "This is not an xlsummary workbook: {path}. Start from a template made by 'xlsummary new'.",
    "files.too_many_formats": "The workbook has too many cell formats or overlong format codes: {path}.",
    "files.too_many_strings": "The workbook declares {declared} shared strings, more than the limit of {limit}; refused: {path}.",
    "files.too_many_workbook_cells": "The workbook's sheets together span too many cells (over {limit}): {path}.",
    "files.unreadable_sheets": "The file is damaged; its sheets cannot be read: {path}.",
    "files.encrypted": "The workbook is password-protected: {path}. Remove the password and retry.",
    "files.legacy_xls": "This is a legacy .xls file: {path}. Save it as .xlsx and retry.",
    "files.not_xlsx": "This is not an Excel workbook (.xlsx): {path}.",
    "files.other_office": "This is {what}, not an Excel workbook: {path}.",
    "files.duplicate_sheet": "The workbook has two sheets named {sheet!r}: {path}.",
    # sheet_scan
    "files.sheet_dtd": "The XML of sheet {sheet!r} is damaged ({problem}): {path}.",
    "files.sheet_malformed": "The XML of sheet {sheet!r} is damaged ({problem}): {path}.{line!s:.0}",
    "files.bad_cell_reference": "Sheet {sheet!r} has an unreadable cell reference {ref!r}: {path}.",
    "files.misplaced": "Sheet {sheet!r} is malformed (a <{element}> out of place): {path}.",
    "files.sheet_too_far": "Sheet {sheet!r} extends too far (row {rows}, column {cols}): delete stray content far from the tables.",
    "files.too_many_cells": "Sheet {sheet!r} has too many cells (over {limit}): delete what is not needed.",
    # limits, outputs
    "files.env_not_a_number": "{name} must be a number, not {raw!r}.",
    "files.output_exists": "{path} already exists. Choose another name or pass --force to overwrite it.",
    "files.cannot_write": "Cannot write {path} ({reason}).",
    # (end of files)
    # --- the workbook and its model: model, periods, catalogue, generate, workbook_layout
    # the generated workbook's document language (docProps/core.xml)
    "workbook.language_tag": "en",
    # between the items of a list inside a sentence
    "workbook.list_separator": ", ",
    # the 报告期 drop-down, in its order, and a period said in a sentence
    "workbook.period.year": "Full year",
    "workbook.period.h1": "First half",
    "workbook.period.h2": "Second half",
    "workbook.period.q1": "Q1",
    "workbook.period.q2": "Q2",
    "workbook.period.q3": "Q3",
    "workbook.period.q4": "Q4",
    "workbook.period.custom": "Custom months",
    "workbook.period_month": "months {start}-{start}",
    "workbook.period_months": "months {start}-{end}",
    # the 指标 sheet's drop-downs: 汇总方式, 类型, 必填
    "workbook.rule.sum": "sum",
    "workbook.rule.last": "last",
    "workbook.rule.max": "max",
    "workbook.rule.mean": "mean",
    "workbook.kind.count": "count",
    "workbook.kind.amount": "amount",
    "workbook.kind.percent": "percent",
    "workbook.yes": "yes",
    "workbook.no": "no",
    # model, catalogue, generate
    "workbook.field_of": "{field} of {code}",
    "workbook.missing_header": "Sheet {sheet!r} row {row} lacks the {column!r} column header.",
    "workbook.missing_name": "The workbook lacks part of the standard layout (name {name}): {path}.",
    "workbook.unknown_profile": "No profile named {name!r}; choose one of: {choices}.",
    "workbook.unknown_language": "Unknown language {lang!r}.",
    "workbook.no_example": "No example data for profile {profile!r}; examples exist for: {choices}.",
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
