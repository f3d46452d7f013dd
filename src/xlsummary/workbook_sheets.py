"""The sheets staff read and fill in besides the monthly figures: 说明 (guide),
基本信息 (info), 指标 (catalogue), 叙述 (narrative) and the empty 校验结果 (results).

Each sheet is one function taking the :class:`~xlsummary.workbook_style.Book`, so what
appears on a sheet, and which validation guards each of its cells, is read top to
bottom in one place. They are together because none is large and they share their
pattern (a heading, a block under a defined name, validations, protection); the
monthly sheet, mostly Excel formulas, has its own module, ``workbook_tally``.
"""

from __future__ import annotations

import datetime

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlsummary import catalogue as cat
from xlsummary import i18n, periods
from xlsummary import workbook_layout as layout
from xlsummary.terminal_tables import display_width
from xlsummary.workbook_style import (
    BORDER,
    CENTER,
    HEADER_FILL,
    WRAP,
    Book,
    add_validation,
    as_text,
    body_cell,
    print_setup,
    protect_sheet,
    quote,
    table_heading,
    title_row,
)
from xlsummary.workbook_words import GUIDE
from xlsummary.xml_safety import xml_text

NARRATIVE_RESERVED_ROWS = 3  # empty rows below the profile's sections, for more
CATALOGUE_VALIDATED_ROWS = 300  # rows below the header covered by drop-down lists
#: a hidden column of the 说明 sheet holding the category drop-down's entries
LIST_COLUMN = "D"
NAME_CATEGORIES = "XLS_LIST_CATEGORY"


def write_guide(book: Book, ws: Worksheet) -> None:
    """The steps to fill the workbook in, and the template version, profile and language
    the reader checks (under defined names)."""
    t = book.words
    title_row(book, ws, t["title"].format(profile=book.profile.name(book.lang)), 2)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100
    ws["A3"] = t["guide_title"]
    ws["A3"].font = Font(name=book.font, size=12, bold=True)
    row = 4
    for i, text in enumerate(GUIDE[book.lang], start=1):
        ws.cell(row, 1, f"{i}.").alignment = Alignment(horizontal="right", vertical="top")
        cell = ws.cell(row, 2, text)
        cell.alignment = WRAP
        cell.font = Font(name=book.font, size=11)
        # Excel does not grow rows for wrapped text it did not lay out itself
        lines = -(-display_width(text) // 110)  # about 110 half-width columns per line
        ws.row_dimensions[row].height = 19 * lines + 4
        row += 1
    row += 1
    meta = (layout.SCHEMA, book.profile.code, book.lang)
    for label, value, name in zip(
        t["meta"],
        meta,
        (layout.NAME_SCHEMA, layout.NAME_PROFILE, layout.NAME_LANG),
        strict=True,
    ):
        ws.cell(row, 1, label).font = Font(name=book.font, size=9, color="808080")
        ws.cell(row, 2, value).font = Font(name=book.font, size=9, color="808080")
        book.name(name, "guide", f"$B${row}")
        row += 1
    protect_sheet(ws)
    print_setup(ws, landscape=False)


def write_info(book: Book, ws: Worksheet) -> None:
    """One row per report field with its validation, then the effective first and last
    month of the period as formulas (named, for the monthly sheet's plain formulas)."""
    t = book.words
    lang = book.lang
    title_row(book, ws, t["info_title"], 3)
    for c, (text, width) in enumerate(zip(t["info_header"], (22, 46, 52), strict=True), 1):
        cell = ws.cell(2, c, text)
        cell.font = Font(name=book.font, bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        ws.column_dimensions[layout.column_letter(c - 1)].width = width
    example = (book.example or {}).get("info", {})
    rows = {}
    period_labels = [periods.LABELS[lang][k] for k in periods.LABELS[i18n.DEFAULT]]
    for r, fld in enumerate(layout.INFO_FIELDS, start=3):
        label = i18n.in_language(fld, lang)
        if fld.key == "partner":
            label = i18n.in_language(book.profile, lang, "partner")
        ws.cell(r, 1, label).font = Font(name=book.font, bold=fld.required)
        ws.cell(r, 1).border = BORDER
        value = example.get(fld.key)
        if fld.key == "year" and book.year:
            value = book.year
        if fld.key == "period":
            value = periods.LABELS[lang][value or "year"]
        if isinstance(value, str):  # a roll-up's --unit, pasted with a control character
            value = xml_text(value)
        cell = as_text(ws.cell(r, 2, value))
        body_cell(
            book,
            cell,
            True,
            "yyyy-mm-dd"
            if fld.key == "date"
            else ("0" if fld.key in ("year", "start_month", "end_month") else "@"),
        )
        cell.alignment = Alignment(horizontal="left", vertical="center")
        if fld.key == "date" and isinstance(value, str):
            cell.value = datetime.date.fromisoformat(value)
        note = ws.cell(r, 3, i18n.in_language(fld, lang, "hint"))
        note.font = Font(name=book.font, size=9, color="808080")
        note.alignment = WRAP
        ws.row_dimensions[r].height = 22
        rows[fld.key] = r
        book.name(layout.info_name(fld.key), "info", f"$B${r}")
    # one validation per field, each with the field's hint as Excel's input prompt
    months_rule = (
        "whole",
        t["dv_month_error"],
        {"operator": "between", "formula1": "1", "formula2": "12"},
    )
    rules = {
        "year": (
            "whole",
            t["dv_year_error"],
            {"operator": "between", "formula1": "1990", "formula2": "2100"},
        ),
        "period": ("list", t["dv_list_error"], {"formula1": quoted_list(period_labels)}),
        "start_month": months_rule,
        "end_month": months_rule,
        "date": ("date", t["dv_date_error"], {"operator": "greaterThan", "formula1": "32874"}),
    }
    text_rule = (
        "textLength",
        t["dv_text_error"],
        {"operator": "lessThanOrEqual", "formula1": "200"},
    )
    for fld in layout.INFO_FIELDS:
        kind, error, kw = rules.get(fld.key, text_rule)
        hint = i18n.in_language(fld, lang, "hint")
        label = ws.cell(rows[fld.key], 1).value
        add_validation(book, ws, kind, error, hint, title=label, **kw).add(f"B{rows[fld.key]}")
    # the effective month range, for the plain formulas of the tally sheet
    first = len(layout.INFO_FIELDS) + 4
    info = quote(book.sheet("info"))
    p_cell, s_cell, e_cell = (
        f"{info}!$B${rows[k]}" for k in ("period", "start_month", "end_month")
    )
    book.names.update(period_lists())
    custom = len(periods.NAMED) + 1
    # the period the core reads: every label it accepts, spaces left out (as it does);
    # 0 when it refuses the label
    book.names["XLS_PERIOD_CODE"] = (
        f'SUMPRODUCT((SUBSTITUTE({p_cell}," ","")=XLS_PERIOD_LABELS)*XLS_PERIOD_CODES)'
    )
    # whether the core has a period: a named one, or 自定义 with whole months 1 ≤ start ≤
    # end ≤ 12; without one it totals the full year and checks no months
    months_ok = (
        f"IF(AND(ISNUMBER({s_cell}),ISNUMBER({e_cell})),AND({s_cell}=INT({s_cell}),"
        f"{e_cell}=INT({e_cell}),{s_cell}>=1,{s_cell}<={e_cell},{e_cell}<=12),FALSE)"
    )
    book.names["XLS_PERIOD_KNOWN"] = f"IF(XLS_PERIOD_CODE={custom},{months_ok},XLS_PERIOD_CODE>0)"
    for offset, (label, pick, bounds, default) in enumerate(
        (
            (t["effective_start"], s_cell, [b[0] for b in periods.NAMED.values()], 1),
            (t["effective_end"], e_cell, [b[1] for b in periods.NAMED.values()], 12),
        )
    ):
        r = first + offset
        ws.cell(r, 1, label).font = Font(name=book.font, color="808080")
        choices = ",".join(str(b) for b in bounds)
        cell = ws.cell(
            r, 2, f"=IF(XLS_PERIOD_KNOWN,CHOOSE(XLS_PERIOD_CODE,{choices},{pick}),{default})"
        )
        body_cell(book, cell, False, "0")
        book.name(
            layout.NAME_PERIOD_START if offset == 0 else layout.NAME_PERIOD_END,
            "info",
            f"$B${r}",
        )
    ws.freeze_panes = "A3"
    protect_sheet(ws)
    print_setup(ws, landscape=False)


def write_catalogue(book: Book, ws: Worksheet) -> None:
    """The profile's indicators as an Excel Table, with drop-down lists for the rule,
    kind, required, chart and category columns. Left unprotected on purpose: a Table only
    grows by itself on an unprotected sheet, and staff are expected to add rows."""
    t = book.words
    lang = book.lang
    columns = layout.CATALOGUE_COLUMNS
    header = table_heading(
        book,
        ws,
        "catalogue",
        t["catalogue_title"],
        t["catalogue_note"],
        columns,
        layout.NAME_CATALOGUE,
    )
    rule_labels = cat.RULE_LABELS[lang]
    kind_labels = cat.KIND_LABELS[lang]
    yes, no = cat.YES_NO[lang]
    for r, ind in enumerate(book.profile.indicators, start=header + 1):
        category = book.profile.category(ind.category)
        values = {
            "code": ind.code,
            "name_zh": ind.name_zh,
            "name_en": ind.name_en,
            "unit": ind.unit_for(lang),
            "category": category.label(lang) if category else ind.category,
            "rule": rule_labels[ind.rule],
            "kind": kind_labels[ind.kind],
            "required": yes if ind.required else no,
            "description": i18n.in_language(ind, lang, "description", fallback=False),
            "chart": yes if ind.chart else no,
        }
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(r, c, values[col.key])
            body_cell(book, cell, True)
            if col.key == "description":
                cell.alignment = WRAP
    last = header + len(book.profile.indicators)
    ref = f"A{header}:{layout.column_letter(len(columns) - 1)}{last}"
    table = Table(displayName=layout.CATALOGUE_TABLE, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    end = header + CATALOGUE_VALIDATED_ROWS
    col = {c.key: layout.column_letter(i) for i, c in enumerate(columns)}

    headers = {c.key: c.header(lang) for c in columns}

    def listed(key: str, entries: str, style: str = "stop") -> None:
        dv = add_validation(
            book,
            ws,
            "list",
            t["dv_list_error"],
            t[f"dv_{key}_prompt"],
            title=headers[key],
            errorStyle=style,
            formula1=entries,
        )
        dv.add(f"{col[key]}{header + 1}:{col[key]}{end}")

    listed("rule", quoted_list(list(rule_labels.values())))
    listed("kind", quoted_list(list(kind_labels.values())))
    listed("required", quoted_list([yes, no]))
    listed("chart", quoted_list([yes, no]))
    listed(
        "category", list_range(book, [c.label(lang) for c in book.profile.categories]), "warning"
    )
    ws.freeze_panes = f"C{header + 1}"
    print_setup(ws, landscape=True, title_rows=f"{header}:{header}")


def quoted_list(entries: list[str]) -> str:
    """A drop-down's entries written in its formula, for labels known to hold no comma
    (Excel cuts the list at every one: tests/test_generate.py checks the labels)."""
    return '"' + ",".join(entries) + '"'


def list_range(book: Book, entries: list[str]) -> str:
    """A drop-down's entries as cells of the 说明 sheet's hidden list column, named:
    for a profile's own words, which may hold a comma ("Books, equipment and funds")
    and may be longer than the 255 characters a list formula takes."""
    ws = book.wb[book.sheet("guide")]
    for row, entry in enumerate(entries, start=1):
        ws[f"{LIST_COLUMN}{row}"] = entry
    ws.column_dimensions[LIST_COLUMN].hidden = True
    book.name(NAME_CATEGORIES, "guide", f"${LIST_COLUMN}$1:${LIST_COLUMN}${max(len(entries), 1)}")
    return NAME_CATEGORIES


def write_narrative(book: Book, ws: Worksheet) -> None:
    """One row per section of the profile (title, text, required), then a few empty
    rows; with an example, its texts in the workbook's language."""
    t = book.words
    lang = book.lang
    columns = layout.NARRATIVE_COLUMNS
    header = table_heading(
        book,
        ws,
        "narrative",
        t["narrative_title"],
        t["narrative_note"],
        columns,
        layout.NAME_NARRATIVE,
    )
    yes, no = cat.YES_NO[lang]
    example = book.example or {}
    # the example's sections in the workbook's language (narrative_en...), else
    # the default language's (narrative)
    texts = example.get(f"narrative_{lang}") or example.get("narrative", {})
    specs = list(book.profile.narrative)
    for k in range(len(specs) + NARRATIVE_RESERVED_ROWS):
        r = header + 1 + k
        spec = specs[k] if k < len(specs) else None
        values = {
            "code": spec.code if spec else None,
            "title": spec.title(lang) if spec else None,
            "text": texts.get(spec.code) if spec else None,
            "required": (yes if spec.required else no) if spec else None,
        }
        for c, col in enumerate(columns, start=1):
            cell = as_text(ws.cell(r, c, values[col.key]))
            body_cell(book, cell, col.key != "code" or spec is None)
            cell.alignment = WRAP
        ws.row_dimensions[r].height = 120 if spec else 60
    text_col = layout.column_letter(2)
    last = header + len(specs) + NARRATIVE_RESERVED_ROWS
    dv = add_validation(
        book,
        ws,
        "textLength",
        t["dv_list_error"],
        t["dv_text_prompt"],
        operator="lessThanOrEqual",
        formula1="32000",
    )
    dv.promptTitle = t["narrative_title"]
    dv.add(f"{text_col}{header + 1}:{text_col}{last}")
    req = add_validation(book, ws, "list", t["dv_list_error"], formula1=quoted_list([yes, no]))
    req.add(f"D{header + 1}:D{last}")
    ws.freeze_panes = f"A{header + 1}"
    protect_sheet(ws)
    print_setup(ws, landscape=False, title_rows=f"{header}:{header}")


def write_results(book: Book, ws: Worksheet) -> None:
    """Where the add-in's button lists the issues (see excel/addin.py): shipped empty
    and unprotected, because a button cannot add a sheet to a protected workbook."""
    ws["A1"] = book.words["results_note"]
    ws["A1"].font = Font(name=book.font, size=10, color="595959")
    for col, width in zip("ABCD", (8, 14, 12, 90), strict=True):
        ws.column_dimensions[col].width = width


def period_lists() -> dict[str, str]:
    """Defined names holding every 报告期 label the core accepts (periods.BY_LABEL: both
    languages' entries, the codes, 一季度, 第1季度, 年度…, without spaces) and the code
    each means: 1…7 the named periods in periods.NAMED's order, 8 自定义."""
    codes = [*periods.NAMED, "custom"]
    labels = list(periods.BY_LABEL)
    return {
        "XLS_PERIOD_LABELS": "{" + ",".join(f'"{x}"' for x in labels) + "}",
        "XLS_PERIOD_CODES": "{"
        + ",".join(str(codes.index(periods.BY_LABEL[x]) + 1) for x in labels)
        + "}",
    }
