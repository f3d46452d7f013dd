"""The 月度统计 (monthly figures) sheet and its Excel formulas, plain and live.

This is where the workbook computes: each indicator's row looks its name, unit, rule,
kind and required flag up in the catalogue and works out the period total, the
year-on-year change and a completeness status in plain Excel formulas, so a workbook
opened with no add-in shows no ``#NAME?``; they agree with the core on every cell
(tests/test_workbook_formulas.py recalculates them in LibreOffice Calc). The formulas are the part most likely to need care (their length
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
from xlsummary import workbook_layout as layout
from xlsummary.totals import MOST_DECIMALS
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
    # Named whole columns of the catalogue, a named month count and named label lists
    # keep each row's formulas short: the sheet XML (and so every later read) is half
    # the size.
    cat_sheet = quote(book.sheet("catalogue"))
    cat_col = {c.key: layout.column_letter(i) for i, c in enumerate(layout.CATALOGUE_COLUMNS)}
    cat_names = {}
    for key in ("code", f"name_{lang}", "unit", "rule", "kind", "required"):
        name = f"XLS_CAT_{key.split('_')[0].upper()}"
        book.names[name] = f"{cat_sheet}!${cat_col[key]}:${cat_col[key]}"
        cat_names[key.split("_")[0]] = name
    book.names.update(label_lists())
    start = layout.NAME_PERIOD_START
    count = "XLS_PERIOD_MONTHS"
    book.names[count] = f"{layout.NAME_PERIOD_END}-{start}+1"
    example = (book.example or {}).get("tallies", {})
    dv_rows: dict[str, list[str]] = {"count": [], "amount": [], "percent": []}
    prior_rows: dict[str, list[str]] = {"count": [], "amount": [], "percent": []}
    indicators = list(book.profile.indicators)
    total_rows = len(indicators) + TALLY_RESERVED_ROWS
    # 1-based column numbers: months m are the columns unit + m, the prior follows m12
    unit_col, prior_col = pos["unit"] + 1, pos["prior"] + 1
    for k in range(total_rows):
        r = header + 1 + k
        ind = indicators[k] if k < len(indicators) else None
        formulas = row_formulas(r, letter, unit_col, prior_col, cat_names, t)
        fmt = NUMBER_FORMATS[ind.kind] if ind else "General"
        typed = example.get(ind.code, {}) if ind else {}
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
                    cell.value = typed.get("prior")
                else:
                    month_values = typed.get("months", [])
                    m = int(col.key[1:])
                    if m <= len(month_values) and month_values[m - 1] != "":
                        cell.value = month_values[m - 1]
        kind = ind.kind if ind else "amount"
        dv_rows[kind].append(f"{letter['m1']}{r}:{letter['m12']}{r}")
        prior_rows[kind].append(f"{letter['prior']}{r}")
    errors = {
        "count": t["dv_count_error"],
        "amount": t["dv_amount_error"],
        "percent": t["dv_percent_error"],
    }
    # the 上年同期 cells have their own prompt: what staff most often get wrong there is
    # the period (last year's whole year in a quarter's report), not the number
    rules = [(k, r, t["dv_number_prompt"]) for k, r in dv_rows.items()]
    rules += [(k, r, t["dv_prior_prompt"]) for k, r in prior_rows.items()]
    for kind, ranges, prompt in rules:
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
            prompt,
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


#: a figure the core counts: a number below 10^12 (beyond it a typing accident)
_SANE = "<1000000000000"


def row_formulas(
    r: int, letter: dict[str, str], unit_col: int, prior_col: int, cat_names: dict, t: dict
) -> dict[str, str]:
    """The computed cells of tally row ``r``, as the core computes them."""
    a = f"TRIM($A{r})"  # the core strips the code
    lookup = f"MATCH({a},{cat_names['code']},0)"
    start, end = layout.NAME_PERIOD_START, layout.NAME_PERIOD_END
    count = "XLS_PERIOD_MONTHS"
    months = f"OFFSET(${letter['unit']}{r},0,{start},1,{count})"
    figures = f"${letter['m1']}{r}:${letter['prior']}{r}"  # the months and the prior
    total, prior = f"{letter['total']}{r}", f"{letter['prior']}{r}"

    def chosen(key: str) -> str:
        """The 1-based code of the row's catalogue choice (0: a label the core refuses)."""
        cell = f"TRIM(INDEX({cat_names[key]},{lookup}))"
        return f"SUMPRODUCT(({cell}=XLS_{key.upper()}_LABELS)*XLS_{key.upper()}_CODES)"

    required = f"OR(TRIM(INDEX({cat_names['required']},{lookup}))=XLS_YES_LABELS)"
    kind = chosen("kind")
    # the decimals the row's figures are typed with (9: more than six), as the core's
    # typed_decimals: the largest scale at which a figure is not yet whole, plus one
    scaled = f"{figures}*XLS_SCALES"
    decimals = (
        f"SUMPRODUCT(MAX(XLS_DECIMALS*ISNUMBER(1/((ABS({scaled}-ROUND({scaled},0))"
        f">1E-14*(1+ABS({scaled})))*(ABS({figures}){_SANE})))))"
    )
    # the sum of the period's figures rounded to those decimals: the exact decimal sum
    # (a float sum of twelve amounts near 10^6 errs above 10^-9)
    exact_sum = f'ROUND(SUMIFS({months},{months},"{_SANE}",{months},">-{_SANE[1:]}"),{decimals})'
    counted = f'COUNTIFS({months},"{_SANE}",{months},">-{_SANE[1:]}")'
    number = f"ISNUMBER({months})*({months}{_SANE})*({months}>-{_SANE[1:]})"
    last_month = f"INDEX($A{r}:${letter['m12']}{r},SUMPRODUCT(MAX({number}*COLUMN({months}))))"
    largest = f'LARGE({months},COUNTIF({months},">={_SANE[1:]}")+1)'
    # the first flagged cell of the row, in sheet order as XLS_STATUS reports it: each
    # cell scores 8 x (its distance from the row's end) + what it holds (at most one
    # error a cell, as in the core): 6 a rate over 100, 5 a decimal in a count, 4 a
    # figure of 10^12 or more, 3 text, 2 negative, 1 an empty month of a known period
    # of a required indicator; so MAX picks the leftmost and MOD 8 tells what it holds
    right = f"8*({prior_col + 1}-COLUMN({figures}))"
    inside = f"(COLUMN({figures})-{unit_col}>={start})*(COLUMN({figures})-{unit_col}<={end})"
    f = figures
    sane = f"({f}{_SANE})"
    flags = (
        f"ISTEXT({f})*(LEN(TRIM({f}))>0)*({right}+3)"
        f"+ISNUMBER({f})*(({f}>={_SANE[1:]})+({f}<=-{_SANE[1:]}))*({right}+4)"
        f"+({f}<0)*({f}>-{_SANE[1:]})*({right}+2)"
        f"+({kind}<2)*({f}>0)*{sane}*ISNUMBER(1/({f}-INT({f})>0))*({right}+5)"
        f"+({kind}=2)*ISNUMBER({f})*({f}>100)*{sane}*({right}+6)"
        f"+(LEN(TRIM({f}))=0)*{inside}*XLS_PERIOD_KNOWN*{required}*({right}+1)"
    )
    first = f"SUMPRODUCT(MAX({flags}))"
    empty_months = f"SUMPRODUCT((LEN(TRIM({months}))=0)*1)"
    change = f'IF({prior}=0,"",ROUND(ROUND(({total}-{prior})/{prior},12),3))'
    words = [t[f"status_{w}"] for w in ("ok", "neg", "text", "large", "fraction", "over")]
    return {
        "name": f'=IF({a}="","",IFERROR(INDEX({cat_names["name"]},{lookup}),'
        f'"{t["unknown_code"]}"))',
        "unit": f'=IF({a}="","",IFERROR(INDEX({cat_names["unit"]},{lookup}),""))',
        # 取平均 divides the exact sum and is rounded at 9 decimals, as the core does
        "total": f'=IF(OR({a}="",{counted}=0),"",IFERROR(ROUND(CHOOSE({chosen("rule")},'
        f'{exact_sum},{last_month},{largest},{exact_sum}/{counted}),9),""))',
        # 四舍五入 of the decimal figures: the binary noise of the division (1.7 vs
        # 1.6 is 6.2499999…%) is rounded away at 12 decimals first
        # no 同比 without a prior the core counts (a number below 10^12)
        "yoy": f'=IF(OR({total}="",COUNTIFS({prior},"{_SANE}",{prior},">-{_SANE[1:]}")=0),"",'
        f"IFERROR(CHOOSE({kind},"
        f'{change},ROUND(ROUND({total}-{prior},9),1)&"{t["points"]}",{change}),""))',
        "status": f'=IF({a}="","",IFERROR(CHOOSE(MOD({first},8)+1,"{words[0]}",'
        + join_missing(t["status_missing"], empty_months)
        + "".join(f',"{w}"' for w in words[1:])
        + '),""))',
    }


def label_lists() -> dict[str, str]:
    """Defined names holding every label the core accepts in a catalogue cell (blank
    included, as the core's default) with the code each means, from the core's own
    maps: 汇总方式 1 sum, 2 last, 3 max, 4 mean; 类型 1 count, 2 percent, 3 amount;
    and the 必填 labels meaning yes. With them the scales of the core's typed_decimals
    (10^0…10^MOST_DECIMALS) and the decimals each one misses (9: more than that). Compared with ``=``, which ignores case in Excel,
    WPS and LibreOffice, after TRIM (spaces only: Python also strips tabs)."""

    def array(items: list) -> str:
        return "{" + ",".join(f'"{x}"' if isinstance(x, str) else str(x) for x in items) + "}"

    rules = {"": "sum"} | cat.RULE_BY_LABEL
    kinds = {"": "count"} | cat.KIND_BY_LABEL
    kind_codes = {"count": 1, "percent": 2, "amount": 3}
    return {
        "XLS_RULE_LABELS": array(list(rules)),
        "XLS_RULE_CODES": array([cat.RULES.index(code) + 1 for code in rules.values()]),
        "XLS_KIND_LABELS": array(list(kinds)),
        "XLS_KIND_CODES": array([kind_codes[code] for code in kinds.values()]),
        "XLS_YES_LABELS": array([label for label, yes in cat.BOOL_BY_LABEL.items() if yes]),
        # a column, against a row of figures: each figure at each scale
        "XLS_SCALES": "{" + ";".join(str(10**d) for d in range(MOST_DECIMALS + 1)) + "}",
        "XLS_DECIMALS": "{" + ";".join(str(d) for d in [*range(1, MOST_DECIMALS + 1), 9]) + "}",
    }


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
