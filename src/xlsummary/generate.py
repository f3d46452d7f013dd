"""Write the standardized workbook for a profile: ``xlsummary new``.

The workbook is meant to be pleasant for office staff with no add-in at all: input
cells are light yellow and unlocked, computed cells grey and locked, every input has
Excel data validation with a prompt and error message, the computed columns hold
plain Excel formulas (no ``#NAME?`` anywhere without the add-in), panes are frozen,
pages print on A4 landscape, and the sheets and structure are protected without a
password (so nothing is lost by a stray click, and IT can still unprotect).

This module is the entry point and the table of contents: which sheets the workbook
has and in which order, and what is set on the workbook as a whole (defined names,
structure protection, properties, reproducible bytes). What each sheet holds is in
``workbook_sheets`` and ``workbook_tally`` (the monthly figures and their formulas),
how cells look in ``workbook_style``, the words in ``workbook_words``, and where
everything sits (shared with the reader) in ``workbook_layout``.

The output is byte-for-byte reproducible (see ``outputs.reproducible_zip``), so the
committed templates in ``workbook_templates/`` can be checked against the generator by
a plain comparison.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Callable
from importlib import resources

from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection

from xlsummary import catalogue as cat
from xlsummary import i18n
from xlsummary.errors import UsageError
from xlsummary.outputs import reproducible_zip
from xlsummary.workbook_sheets import (
    write_catalogue,
    write_guide,
    write_info,
    write_narrative,
    write_results,
)
from xlsummary.workbook_style import Book
from xlsummary.workbook_tally import write_live, write_tally

#: The blank workbooks committed in ``workbook_templates/``: file name, profile, language,
#: live (computed columns call the add-in's functions). Only plain ones: this folder is
#: what offices hand out, and a live workbook is only for units with the add-in (see
#: docs/excel.md). ``python scripts/update_templates.py`` rewrites them; a test fails
#: when they drift.
COMMITTED_TEMPLATES = tuple(
    (f"{profile}-{lang}.xlsx", profile, lang, False)
    for profile in ("hospital", "school", "general")
    for lang in ("zh", "en")
)


def generate_workbook(
    profile: str | cat.Profile,
    year: int | None = None,
    lang: str = "zh",
    example: bool | dict = False,
    live: bool = False,
) -> bytes:
    """The .xlsx bytes of a blank standardized workbook; with ``example=True`` filled
    with the profile's bundled example, or with a dict of the same shape as
    ``examples/*.toml`` (benchmarks and tests use that for synthetic workbooks).

    ``live``: the total, 同比 and status columns and a 校验 sheet call the xlsummary
    Excel functions (XLS_TOTALS...) instead of plain formulas. Only for units that
    install the add-in: without it those cells show #NAME?."""
    if lang not in i18n.LANGS:
        raise UsageError("workbook.unknown_language", lang=lang)
    prof = profile if isinstance(profile, cat.Profile) else cat.load_profile(profile)
    data = example if isinstance(example, dict) else load_example(prof.code) if example else None
    if data is not None:
        year = year or int(data["info"]["year"])
    return build(Book(prof, lang, year, data, live))


def load_example(profile: str) -> dict:
    """The bundled example figures for a profile (``examples/<profile>.toml``)."""
    source = resources.files("xlsummary.examples") / f"{profile}.toml"
    if not source.is_file():
        names = sorted(
            p.name[:-5]
            for p in resources.files("xlsummary.examples").iterdir()
            if p.name.endswith(".toml")
        )
        raise UsageError("workbook.no_example", profile=profile, **cat.listing("choices", names))
    return tomllib.loads(source.read_text("utf-8"))


def build(book: Book, extra: Callable[[Book], None] | None = None) -> bytes:
    """The workbook's sheets in order, then what applies to the workbook as a whole.

    ``extra`` writes further sheets after the standard ones (a roll-up's per-unit
    breakdown and submissions, see ``rollup_workbook``), before the defined names are
    set, so that its own names are written with the others."""
    wb = book.wb
    guide = wb.active
    guide.title = book.sheet("guide")
    write_guide(book, guide)
    write_info(book, wb.create_sheet(book.sheet("info")))
    write_catalogue(book, wb.create_sheet(book.sheet("catalogue")))
    tally_rows = write_tally(book, wb.create_sheet(book.sheet("tally")))
    write_narrative(book, wb.create_sheet(book.sheet("narrative")))
    write_results(book, wb.create_sheet(book.sheet("results")))
    if book.live:
        write_live(book, tally_rows)
    if extra is not None:
        extra(book)
    for name, ref in book.names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    wb.security = WorkbookProtection(lockStructure=True)
    # staff land on 基本信息 in a blank workbook, on 月度统计 in an example
    wb.active = 1 if book.example is None else 3
    props = wb.properties
    props.creator = "xlsummary"
    props.title = book.words["title"].format(profile=book.profile.name(book.lang))
    props.language = i18n.text("workbook.language_tag", book.lang)
    buffer = io.BytesIO()
    wb.save(buffer)
    return reproducible_zip(buffer.getvalue())
