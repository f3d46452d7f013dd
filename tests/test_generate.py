"""The generated workbook as Excel, LibreOffice and openpyxl see it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from xlsummary import catalogue as cat
from xlsummary import i18n, periods
from xlsummary import workbook_layout as layout
from xlsummary.catalogue import load_profile, profile_names
from xlsummary.errors import OutputExistsError, UsageError
from xlsummary.generate import COMMITTED_TEMPLATES, generate_workbook
from xlsummary.outputs import write_output


@pytest.mark.parametrize(("name", "profile", "lang", "live"), COMMITTED_TEMPLATES)
def test_committed_templates_are_the_generator_output(name, profile, lang, live):
    committed = ROOT / "workbook_templates" / name
    assert committed.read_bytes() == generate_workbook(profile, None, lang, live=live), (
        f"{committed} is out of date: run python scripts/update_templates.py"
    )


def test_output_is_reproducible():
    assert generate_workbook("school", 2024) == generate_workbook("school", 2024)
    assert generate_workbook("school", 2024) != generate_workbook("school", 2025)


@pytest.mark.parametrize("profile", profile_names())
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_structure(make_workbook, profile, lang):
    wb = openpyxl.load_workbook(make_workbook(profile, lang, year=2023))
    expected = [layout.SHEETS[k][lang] for k in layout.SHEET_ORDER]
    assert wb.sheetnames == [*expected, layout.SHEETS["results"][lang]]
    _guide, info, catalogue, tally, narrative = (wb[s] for s in expected)
    assert not wb[layout.SHEETS["results"][lang]].protection.sheet  # the add-in writes there
    assert tally.protection.formatCells is False  # and shades cells with problems
    names = set(wb.defined_names)
    assert {
        layout.NAME_SCHEMA,
        layout.NAME_TALLY,
        layout.NAME_CATALOGUE,
        layout.info_name("unit"),
    } <= names
    assert wb.security.lockStructure
    # the reader finds blocks by name; the names point at the header rows
    header = tally["A3":"T3"][0]
    assert [c.value for c in header][:4] == (
        [layout.TALLY_COLUMNS[i].header(lang) for i in range(4)]
    )
    assert info["B5"].value == 2023
    # every indicator of the profile, in order, in the catalogue table and the tally sheet
    prof = load_profile(profile)
    codes = [i.code for i in prof.indicators]
    assert [catalogue.cell(4 + k, 1).value for k in range(len(codes))] == codes
    assert [tally.cell(4 + k, 1).value for k in range(len(codes))] == codes
    assert layout.CATALOGUE_TABLE in catalogue.tables
    # input cells unlocked, computed cells locked, sheets protected except the catalogue
    assert tally.protection.sheet and info.protection.sheet and narrative.protection.sheet
    assert not catalogue.protection.sheet
    assert tally["D4"].protection.locked is False and tally["P4"].protection.locked is False
    assert tally["Q4"].protection.locked is True
    assert tally["Q4"].value.startswith("=IF(") and "SUMIFS(OFFSET(" in tally["Q4"].value
    assert tally["B4"].value.startswith("=IF(")  # name looked up from the catalogue
    assert tally.freeze_panes == "D4"
    assert tally.page_setup.orientation == "landscape"
    assert narrative["C4"].alignment.wrap_text
    # data validation with messages in the workbook's language
    validations = tally.data_validations.dataValidation
    month_rules = [dv for dv in validations if "D4:O4" in str(dv.sqref)]
    assert month_rules and month_rules[0].showErrorMessage
    if lang == "zh":
        assert "只能填写" in month_rules[0].error and month_rules[0].prompt
    # the 上年同期 cells say which period they take (the usual mistake: the whole year)
    prior_rules = [dv for dv in validations if "P4" in str(dv.sqref).split()]
    assert prior_rules and prior_rules[0].showErrorMessage
    assert prior_rules[0].prompt == i18n.text("workbook.text.dv_prior_prompt", lang)
    period_rule = [dv for dv in info.data_validations.dataValidation if "B6" in str(dv.sqref)]
    assert period_rule[0].type == "list"
    assert ("全年" if lang == "zh" else "Full year") in period_rule[0].formula1


def test_blank_template_has_no_year_and_no_figures():
    blank = openpyxl.load_workbook(ROOT / "workbook_templates" / "hospital-zh.xlsx")
    assert blank["基本信息"]["B5"].value is None
    assert blank["月度统计"]["D4"].value is None


def test_refuses_to_overwrite(tmp_path: Path):
    target = tmp_path / "filled.xlsx"
    target.write_bytes(b"a user's work")
    with pytest.raises(OutputExistsError, match="已存在"):
        write_output(generate_workbook("hospital"), target)
    assert target.read_bytes() == b"a user's work"
    write_output(generate_workbook("hospital"), target, force=True)
    assert target.read_bytes().startswith(b"PK")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["filled.xlsx"]  # no temp files left


def test_unknown_profile_and_language():
    with pytest.raises(UsageError, match="hospital"):
        generate_workbook("hopsital")
    with pytest.raises(UsageError):
        generate_workbook("hospital", lang="fr")
    profile = load_profile("school")
    renamed = dataclasses.replace(profile, code="custom")
    with pytest.raises(UsageError, match="示例"):
        generate_workbook(renamed, example=True)


def test_live_variant_calls_the_excel_functions_and_reads_the_same(make_workbook, tmp_path):
    from xlsummary.check import check_workbook

    live = tmp_path / "live.xlsx"
    write_output(generate_workbook("hospital", None, "zh", True, live=True), live)
    wb = openpyxl.load_workbook(live)
    assert wb.sheetnames[-1] == "校验"
    tally = wb["月度统计"]
    for cell, func in (("Q4", "XLS_TOTALS"), ("R4", "XLS_YOY"), ("S4", "XLS_STATUS")):
        formula = tally[cell].value
        assert formula.ref == f"{cell[0]}4:{cell[0]}33"
        assert formula.text.startswith(f"={func}('月度统计'!$A$3:$P$33,'指标'!$A$3:$J$303,")
    assert wb["校验"]["A3"].value.text.startswith("=XLS_ISSUES(")
    plain = check_workbook(make_workbook(example=True))
    with_functions = check_workbook(live)
    assert with_functions.issues == [] and with_functions.totals.to_dict() == plain.totals.to_dict()


def test_plain_workbook_never_calls_an_add_in_function(make_workbook):
    """Nobody without the add-in may ever see #NAME?."""
    import zipfile

    with zipfile.ZipFile(make_workbook(example=True)) as archive:
        for name in archive.namelist():
            assert b"XLS_TOTALS" not in archive.read(name) and b"XLS_ISSUES" not in archive.read(
                name
            )


def _offered(wb: openpyxl.Workbook, formula1: str) -> list[object]:
    """A list validation's entries as Excel offers them: a quoted list cut at every
    comma (a list formula cannot quote one), or the cells of the range it names."""
    if formula1.startswith('"'):
        return formula1[1:-1].split(",")
    ref = wb.defined_names[formula1].attr_text if formula1 in wb.defined_names else formula1
    sheet, _, cells = ref.rpartition("!")
    ws = wb[sheet.strip("'").replace("''", "'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row]


@pytest.mark.parametrize("profile", profile_names())
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_drop_down_offers_each_entry_once(make_workbook, profile, lang):
    """school-en's category "Books, equipment and funds" is one entry, not two."""
    wb = openpyxl.load_workbook(make_workbook(profile, lang))
    yes_no = list(cat.YES_NO[lang])
    expected = {  # (sheet, column validated) -> the entries, in order
        ("catalogue", "E"): [c.label(lang) for c in load_profile(profile).categories],
        ("catalogue", "F"): list(cat.RULE_LABELS[lang].values()),
        ("catalogue", "G"): list(cat.KIND_LABELS[lang].values()),
        ("catalogue", "H"): yes_no,
        ("catalogue", "J"): yes_no,
        ("info", "B"): list(periods.LABELS[lang].values()),
        ("narrative", "D"): yes_no,
    }
    offered = {}
    for key in ("info", "catalogue", "narrative"):
        for dv in wb[layout.SHEETS[key][lang]].data_validations.dataValidation:
            if dv.type == "list":
                column = re.match("[A-Z]+", str(dv.sqref)).group()
                offered[(key, column)] = _offered(wb, dv.formula1)
    assert offered == expected
