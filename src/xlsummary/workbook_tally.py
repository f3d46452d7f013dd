"""The 月度统计 (monthly figures) sheet and its Excel formulas, plain and live.

This is where the workbook computes: each indicator's row looks its name, unit, rule
and kind up in the catalogue and works out the period total, the year-on-year change
and a completeness status in plain Excel formulas, so a workbook opened with no add-in
shows no ``#NAME?``. The formulas are the part most likely to need care (their length
sets the sheet's size, their language-specific words must match the catalogue), so
they sit apart from the simpler sheets, together with the ``--live`` variant, which
replaces the same columns by calls to the add-in's functions (XLS_TOTALS...) and adds
a 校验 sheet computed by XLS_ISSUES.
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from xlsummary import catalogue as cat
from xlsummary import i18n
from xlsummary import workbook_layout as layout
from xlsummary.workbook_sheets import CATALOGUE_VALIDATED_ROWS, NARRATIVE_RESERVED_ROWS
from xlsummary.workbook_style import (
    BAD_FILL,
    Book,
    add_validation,
    body_cell,
    note_row,
    print_setup,
    protect_sheet,
    quote,
    table_heading,
    title_row,
)

TALLY_RESERVED_ROWS = 10  # empty rows below the profile's indicators, for more
#: The extra sheet of a live workbook: the issue list, computed in Excel.
LIVE_SHEET = {"zh": "校验", "en": "Checks"}
LIVE_ISSUE_ROWS = 200

NUMBER_FORMATS = {"count": "#,##0", "amount": "#,##0.00", "percent": "0.0"}

#: the rows of the tally block: its header row and its last row
TallyRows = tuple[int, int]


def write_tally(book: Book, ws: Worksheet) -> TallyRows:
    """One row per indicator (and a few empty ones): code, computed name and unit, the
    twelve months and last year's figure as inputs, then total, 同比 and status as
    formulas. Returns the block's header and last row, which the live variant needs."""
    t = book.words
    lang = book.lang
    columns = layout.TALLY_COLUMNS
    pos = {c.key: i for i, c in enumerate(columns)}
    letter = {k: layout.column_letter(i) for k, i in pos.items()}
    title = t["tally_title"] + (f"（{book.year}）" if book.year else "")
    header = table_heading(book, ws, "tally", title, t["tally_note"], columns, layout.NAME_TALLY)
    # Named whole columns of the catalogue and a named month count keep each row's
    # formulas short: the sheet XML (and so every later read) is half the size.
    cat_sheet = quote(book.sheet("catalogue"))
    cat_col = {c.key: layout.column_letter(i) for i, c in enumerate(layout.CATALOGUE_COLUMNS)}
    cat_names = {}
    for key in ("code", f"name_{lang}", "unit", "rule", "kind"):
        name = f"XLS_CAT_{key.split('_')[0].upper()}"
        book.names[name] = f"{cat_sheet}!${cat_col[key]}:${cat_col[key]}"
        cat_names[key.split("_")[0]] = name
    start = layout.NAME_PERIOD_START
    count = "XLS_PERIOD_MONTHS"
    book.names[count] = f"{layout.NAME_PERIOD_END}-{start}+1"
    # a rule typed in either language is understood: CHOOSE picks by position mod 4
    rules = [label for code in i18n.LANGS for label in cat.RULE_LABELS[code].values()]
    rule_list = "{" + ",".join(f'"{x}"' for x in rules) + "}"
    percent_label = cat.KIND_LABELS[lang]["percent"]
    example = (book.example or {}).get("tallies", {})
    dv_rows: dict[str, list[str]] = {"count": [], "amount": [], "percent": []}
    indicators = list(book.profile.indicators)
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
            + join_missing(t["status_missing"], f"{count}-COUNT({months})")
            + f',"{t["status_ok"]}"))))',
        }
        fmt = NUMBER_FORMATS[ind.kind] if ind else "General"
        figures = example.get(ind.code, {}) if ind else {}
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(r, c)
            if col.key == "code":
                cell.value = ind.code if ind else None
                body_cell(book, cell, ind is None)
            elif col.key in formulas:
                cell.value = formulas[col.key]
                body_cell(
                    book,
                    cell,
                    False,
                    fmt if col.key == "total" else ("0.0%" if col.key == "yoy" else None),
                )
            else:  # months and prior
                body_cell(book, cell, True, fmt)
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
        dv = add_validation(
            book,
            ws,
            "whole" if kind == "count" else "decimal",
            errors[kind],
            t["dv_number_prompt"],
            **kw,
        )
        dv.sqref = " ".join(ranges)  # one rule, many rows: keeps the file small
    body = f"{letter['m1']}{header + 1}:{letter['prior']}{header + total_rows}"
    top_left = f"{letter['m1']}{header + 1}"
    ws.conditional_formatting.add(
        body,
        FormulaRule(
            formula=[f"OR(ISTEXT({top_left}),AND(ISNUMBER({top_left}),{top_left}<0))"],
            fill=BAD_FILL,
        ),
    )
    ws.freeze_panes = f"{letter['m1']}{header + 1}"
    protect_sheet(ws)
    print_setup(ws, landscape=True, title_rows=f"{header}:{header}")
    return header, header + total_rows


def join_missing(template: str, count_expr: str) -> str:
    """The status text "缺{n}个月" as an Excel string expression around ``count_expr``."""
    before, _, after = template.partition("{n}")
    return f'"{before}"&({count_expr})&"{after}"'


# ---------------------------------------------------------------------- live variant


def live_ranges(book: Book, tally_rows: TallyRows) -> str:
    """The arguments every Excel function of the live workbook gets."""
    header, last = tally_rows
    tally, cat_ = quote(book.sheet("tally")), quote(book.sheet("catalogue"))
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


def write_live(book: Book, tally_rows: TallyRows) -> None:
    """Computed columns and a 校验 sheet that call the add-in's functions, as
    legacy array formulas: every Excel version takes them, and they need no
    dynamic-array metadata that openpyxl cannot write."""
    wb = book.wb
    header, last = tally_rows
    ws = wb[book.sheet("tally")]
    args = live_ranges(book, tally_rows)
    for key, func in (("total", "XLS_TOTALS"), ("yoy", "XLS_YOY"), ("status", "XLS_STATUS")):
        col = layout.column_letter(
            next(i for i, c in enumerate(layout.TALLY_COLUMNS) if c.key == key)
        )
        for r in range(header + 1, last + 1):
            ws[f"{col}{r}"].value = None
        ref = f"{col}{header + 1}:{col}{last}"
        ws[f"{col}{header + 1}"] = ArrayFormula(ref, f"={func}({args})")
    sheet = wb.create_sheet(LIVE_SHEET[book.lang])
    title_row(book, sheet, LIVE_SHEET[book.lang], 4)
    note_row(book, sheet, book.words["live_note"], 4)
    info, narrative = quote(book.sheet("info")), quote(book.sheet("narrative"))
    info_rows = f"{info}!$B$3:$B${2 + len(layout.INFO_FIELDS)}"
    nar_last = 3 + len(book.profile.narrative) + NARRATIVE_RESERVED_ROWS
    text = f"=XLS_ISSUES({args},{info_rows},{narrative}!$A$3:$D${nar_last},ROW({narrative}!$A$3),{LIVE_ISSUE_ROWS + 1})"
    sheet["A3"] = ArrayFormula(f"A3:D{3 + LIVE_ISSUE_ROWS}", text)
    for col, width in zip("ABCD", (8, 14, 12, 90), strict=True):
        sheet.column_dimensions[col].width = width
    protect_sheet(sheet)
