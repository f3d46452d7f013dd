"""Workbooks built to crash, hang or exhaust the reader, run through the CLI as a user
(or an attacker) would: each must end in one sentence and exit code 2, with nothing
written, the input unchanged and the memory really used below 1 GiB."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import GIB, assert_refused, run_measured, snapshot
from tests.hostile_files import (
    INFO_SHEET,
    TALLY_SHEET,
    inflating_member,
    many_members,
    shared_strings_declaring,
    with_cells,
)
from xlsummary.check import check_workbook

FAR = {
    # python-calamine reads every one of these as a cell at XFD1048576 (and aborted the
    # process before the reader found them): the reference in single quotes, after
    # another attribute, in lower case, with spaces around "=", with a ">" in an
    # attribute value before it, repeated (calamine keeps the last), or a prefixed tag
    "single quotes": b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "r not first": b'<row spans="1:2" r="1048576"><c s="0" r="XFD1048576"><v>1</v></c></row>',
    "lower case": b'<row r="9"><c r="xfd1048576"><v>1</v></c></row>',
    "spaces": b'<row r="9"><c r = "XFD1048576"><v>1</v></c></row>',
    "gt in value": b'<row r="9"><c foo=">" r="XFD1048576"><v>1</v></c></row>',
    "prefixed": b'<row r="9"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main" r="XFD1048576"><x:v>1</x:v></x:c></row>',
    "no reference": b'<row r="1048576"><c><v>1</v></c></row>',
    "many cells in a row": b"<row r='9'>" + b"<c><v>1</v></c>" * 300 + b"</row>",
}


@pytest.mark.parametrize("case", FAR)
def test_a_far_cell_in_any_spelling_is_refused(make_workbook, tmp_path: Path, case):
    path = with_cells(make_workbook(example=True), tmp_path / "far.xlsx", FAR[case])
    before = snapshot(tmp_path)
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="范围过大", before=before, folder=tmp_path)


def test_a_sheet_not_in_utf8_is_refused(make_workbook, tmp_path: Path):
    """calamine reads a sheet's bytes as UTF-8 whatever it declares: a UTF-16 sheet
    (here with ASCII markup smuggled between its characters, which only a UTF-8 reader
    sees) would say one thing to an XML parser and another to calamine."""
    from tests.conftest import rewrite_zip

    smuggled = b"<sheetData><row r='9'><c r='XFD1048576'><v>1</v></c></row></sheetData>"

    def utf16(xml: bytes) -> bytes:
        text = xml.decode().replace("encoding='UTF-8'", "encoding='UTF-16'")
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
        data = text.encode("utf-16")
        return data.replace("</sheetData>".encode("utf-16-le"), smuggled + b"\0")

    path = rewrite_zip(make_workbook(example=True), tmp_path / "u16.xlsx", {INFO_SHEET: utf16})
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="损坏")


def test_a_repeated_reference_is_refused(make_workbook, tmp_path: Path):
    cells = b'<row r="9"><c r="A9" r="XFD1048576"><v>1</v></c></row>'
    path = with_cells(make_workbook(example=True), tmp_path / "dup.xlsx", cells)
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="损坏")


def test_far_empty_cells_are_fine(make_workbook, tmp_path: Path):
    """A formatted but empty cell far away is not a value calamine allocates for."""
    cells = b'<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    path = with_cells(make_workbook(example=True), tmp_path / "styled.xlsx", cells)
    assert check_workbook(path).ok


def test_the_exact_path_reads_what_the_plain_path_reads(make_workbook, tmp_path: Path):
    """A workbook whose cells are written in single quotes goes through the XML
    parser; its formulas, error values and figures come out the same."""
    import re

    from tests.conftest import fill, rewrite_zip

    source = fill(make_workbook(example=True), {"月度统计!E9": "#N/A"})

    def formula(xml: bytes) -> bytes:  # a formula with its cached value, as Excel saves it
        return re.sub(rb'<c r="F9"[^>]*>.*?</c>', b'<c r="F9"><f>2+3</f><v>5</v></c>', xml)

    plain = rewrite_zip(source, tmp_path / "plain.xlsx", {TALLY_SHEET: formula})
    quoted = rewrite_zip(
        source, tmp_path / "quoted.xlsx", {TALLY_SHEET: lambda x: formula(x).replace(b'"', b"'")}
    )
    first, second = check_workbook(plain), check_workbook(quoted)
    assert [i.to_dict() for i in second.issues] == [i.to_dict() for i in first.issues]
    assert second.totals.to_dict() == first.totals.to_dict()
    assert {(i.code, i.cell) for i in first.issues} >= {
        ("excel_error", "E9"),
        ("formula_in_input", "F9"),
    }


def test_too_many_cells(make_workbook, tmp_path: Path):
    cells = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(40, 340))
    path = with_cells(make_workbook(example=True), tmp_path / "cells.xlsx", cells)
    done, peak = run_measured("check", str(path), env={"XLSUMMARY_MAX_CELLS": "100"})
    assert_refused(done, peak, says="单元格过多")


def test_a_shared_string_table_that_declares_billions(make_workbook, tmp_path: Path):
    """calamine reserves room for the declared count before reading one string."""
    path = shared_strings_declaring(make_workbook(example=True), tmp_path / "sst.xlsx", 10**11)
    before = snapshot(tmp_path)
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="共享字符串", before=before, folder=tmp_path)


@pytest.fixture(scope="module")
def inflating(tmp_path_factory, request):
    """A real workbook whose tally sheet inflates to 300 MB of zeros."""
    from xlsummary.generate import generate_workbook

    folder = tmp_path_factory.mktemp("inflating")
    source = folder / "source.xlsx"
    source.write_bytes(generate_workbook("hospital", None, "zh", True))
    return source, folder


@pytest.mark.parametrize("declare", [None, 2000], ids=["honest", "lying"])
def test_a_member_that_inflates_to_300_mb(inflating, tmp_path: Path, declare):
    """Declared small or declared true, the bytes really inflated are counted."""
    source, _ = inflating
    path = inflating_member(source, tmp_path / "bomb.xlsx", TALLY_SHEET, 300 * 2**20, declare)
    assert path.stat().st_size < 2 * 2**20
    before = snapshot(tmp_path)
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="解压后超过100 MB", before=before, folder=tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    done, peak = run_measured("render", str(path), "-o", str(out / "r.docx"))
    assert_refused(done, peak, says="解压后超过100 MB")
    assert list(out.iterdir()) == []


def test_a_member_that_lies_a_little_is_damaged(make_workbook, tmp_path: Path):
    path = inflating_member(
        make_workbook(example=True), tmp_path / "lie.xlsx", INFO_SHEET, 2**20, declare=5000
    )
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="已损坏")


def test_too_many_members(make_workbook, tmp_path: Path):
    path = many_members(make_workbook(example=True), tmp_path / "many.xlsx", 2100)
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="部件")


def test_a_dtd_in_a_sheet(make_workbook, tmp_path: Path):
    from tests.conftest import rewrite_zip

    path = rewrite_zip(
        make_workbook(example=True),
        tmp_path / "dtd.xlsx",
        {
            INFO_SHEET: lambda xml: (
                b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a '
                b'"aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                + xml[xml.index(b"<worksheet") :]
            )
        },
    )
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="DTD")


@pytest.mark.slow
def test_special_files(tmp_path: Path, make_workbook):
    """A symlink loop, a FIFO (which blocked the reader forever), a folder and a device
    are refused before anything opens them for reading."""
    (tmp_path / "a.xlsx").symlink_to(tmp_path / "b.xlsx")
    (tmp_path / "b.xlsx").symlink_to(tmp_path / "a.xlsx")
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    cases = {
        tmp_path / "a.xlsx": "符号链接构成了循环",
        tmp_path / "pipe.xlsx": "不是普通文件",
        tmp_path / "folder.xlsx": "文件夹",
        Path("/dev/zero"): "不是普通文件",
    }
    for path, says in cases.items():
        for command in (["check"], ["check", "--json"], ["render"]):
            done, peak = run_measured(*command, str(path), timeout=60)
            assert_refused(done, peak, says=says)
    good = make_workbook(example=True)
    done, peak = run_measured("render", str(good), "--template", str(tmp_path / "pipe.xlsx"))
    assert_refused(done, peak, says="不是普通文件")


def test_a_file_over_the_size_limit(make_workbook, tmp_path: Path):
    path = make_workbook(example=True)
    done, peak = run_measured("check", str(path), env={"XLSUMMARY_MAX_FILE": "1000"})
    assert_refused(done, peak, says="文件太大")
    bad = run_measured("check", str(path), env={"XLSUMMARY_MAX_FILE": "lots"})[0]
    assert bad.returncode == 2 and "XLSUMMARY_MAX_FILE" in bad.stderr


# Found by review: ways for calamine to read a part the reader never scanned.
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
WS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
FAR_SHEET = (
    b'<x><sst uniqueCount="1"><si><t>a</t></si></sst><sheetData><row r="1"><c r="A1"><v>1</v>'
    b'</c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></x>'
)


def _extra_sheet(first: bool, name: str, attrs: str = "") -> dict:
    def workbook(xml: bytes) -> bytes:
        sheet = f'<sheet {R_NS} name="{name}" sheetId="99" r:id="rId99"{attrs}/>'.encode()
        if first:
            return xml.replace(b"<sheets>", b"<sheets>" + sheet, 1)
        return xml.replace(b"</sheets>", sheet + b"</sheets>", 1)

    def rels(xml: bytes) -> bytes:
        rel = f'<Relationship Type="{WS}" Target="sharedStrings.xml" Id="rId99"/>'.encode()
        return xml.replace(b"</Relationships>", rel + b"</Relationships>")

    return {"xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels}


PART_TRICKS = {
    # a second sheet of the same name, first: calamine would take it, not the scanned one
    "duplicate sheet name": (_extra_sheet(True, "说明"), {"xl/sharedStrings.xml": FAR_SHEET}, 2),
    # a second id attribute in another namespace, which calamine would read instead
    "second id attribute": (
        {
            "xl/workbook.xml": lambda xml: xml.replace(
                b'r:id="rId1"', b'r:id="rId1" xmlns:q="urn:q" q:id="rId99"', 1
            ),
            "xl/_rels/workbook.xml.rels": _extra_sheet(False, "x")["xl/_rels/workbook.xml.rels"],
        },
        {"xl/sharedStrings.xml": FAR_SHEET},
        0,
    ),
    # a part whose name differs only in case from the shared strings calamine looks up
    "shared strings in upper case": (
        {
            "xl/workbook.xml": lambda xml: xml.replace(
                b"</sheets>",
                f'<sheet {R_NS} name="Z" sheetId="98" r:id="rId98"/>'.encode() + b"</sheets>",
            ).replace(
                b"<definedNames>", b"<definedNames><definedName name=\"FOO\">'Z'!$A$1</definedName>"
            ),
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                b"</Relationships>",
                f'<Relationship Type="{WS}" Target="SHAREDSTRINGS.xml" Id="rId98"/>'.encode()
                + b"</Relationships>",
            ),
        },
        {
            "xl/SHAREDSTRINGS.xml": b'<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" uniqueCount="4000000000000"></sst>'
        },
        0,
    ),
}


@pytest.mark.parametrize("case", PART_TRICKS)
def test_calamine_reads_only_what_was_scanned(make_workbook, tmp_path: Path, case):
    from tests.hostile_files import edited

    replace, add, code = PART_TRICKS[case]
    path = edited(make_workbook(example=True), tmp_path / "trick.xlsx", replace, add)
    done, peak = run_measured("check", str(path))
    if code == 2:
        assert_refused(done, peak, says="两个名为")
    else:  # read as the workbook it claims to be, the smuggled part never reaches calamine
        assert done.returncode == code, done.stderr[-500:]
        assert "Traceback" not in done.stderr and peak < GIB


@pytest.mark.parametrize(
    "strings",
    [
        b'<r><a:b:sst uniqueCount="1"/><sst uniqueCount="1000000000000"></sst></r>',
        b'<r><x/><sst/><sst uniqueCount="1000000000000"></sst></r>',
        b'<sst uniqueCount="+1000000000000"><si><t>a</t></si></sst>',
        b'<sst uniqueCount=" 1000000000000"><si><t>a</t></si></sst>',
        b'<sst uniqueCount="1000000000000\t"><si><t>a</t></si></sst>',
    ],
    ids=["prefixed", "second", "plus", "space", "tab"],
)
def test_shared_string_counts_in_any_spelling(make_workbook, tmp_path: Path, strings):
    from tests.hostile_files import edited

    path = edited(
        make_workbook(example=True), tmp_path / "s.xlsx", add={"xl/sharedStrings.xml": strings}
    )
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="共享字符串")


def test_a_count_calamine_cannot_read_is_no_traceback(make_workbook, tmp_path: Path):
    from tests.hostile_files import edited

    strings = '<sst uniqueCount="²"><si><t>a</t></si></sst>'.encode()
    path = edited(
        make_workbook(example=True), tmp_path / "s.xlsx", add={"xl/sharedStrings.xml": strings}
    )
    done, _ = run_measured("check", str(path))
    assert done.returncode == 0 and "Traceback" not in done.stderr


def test_unclosed_error_cells_cost_their_own_length(make_workbook, tmp_path: Path):
    """Each error cell's value is looked for where its tag ends: 200,000 cells that
    never close were a quadratic scan (days), now one pass."""
    from tests.conftest import rewrite_zip

    cells = b'<row r="20">' + b'<c r="A20" t="e">' * 200_000
    path = rewrite_zip(
        make_workbook(example=True),
        tmp_path / "open.xlsx",
        {
            "xl/worksheets/sheet1.xml": lambda xml: xml.replace(
                b"</sheetData>", cells + b"</sheetData>"
            )
        },
    )
    done, peak = run_measured("check", str(path), timeout=120)
    assert_refused(done, peak, says="损坏")


def test_many_sheets_are_bounded_together(make_workbook, tmp_path: Path):
    from tests.hostile_files import edited

    count = 40
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="9999"><c r="GR9999"><v>1</v></c></row></sheetData></worksheet>'
    )
    sheets = "".join(
        f'<sheet {R_NS} name="S{i}" sheetId="{100 + i}" r:id="rIdS{i}"/>' for i in range(count)
    )
    defined = "".join(f"<definedName name=\"N{i}\">'S{i}'!$A$1</definedName>" for i in range(count))
    rels = "".join(
        f'<Relationship Type="{WS}" Target="worksheets/s{i}.xml" Id="rIdS{i}"/>'
        for i in range(count)
    )
    path = edited(
        make_workbook(example=True),
        tmp_path / "many.xlsx",
        {
            "xl/workbook.xml": lambda xml: xml.replace(
                b"</sheets>", sheets.encode() + b"</sheets>"
            ).replace(b"<definedNames>", b"<definedNames>" + defined.encode()),
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                b"</Relationships>", rels.encode() + b"</Relationships>"
            ),
        },
        {f"xl/worksheets/s{i}.xml": sheet for i in range(count)},
    )
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="合计的单元格范围过大")


def test_cells_without_references_are_placed_as_calamine_places_them(make_workbook, tmp_path: Path):
    """A sheet whose cells carry no r (rows do): the error value in B5 is reported in
    B5, as with references, not rows away."""
    import re

    from tests.conftest import fill, rewrite_zip

    source = fill(make_workbook(example=True), {"基本信息!B5": "#N/A"})
    bare = rewrite_zip(
        source,
        tmp_path / "bare.xlsx",
        {INFO_SHEET: lambda xml: re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml)},
    )
    with_refs, without = check_workbook(source), check_workbook(bare)
    assert [i.to_dict() for i in without.issues] == [i.to_dict() for i in with_refs.issues]
    assert without.model.info_text("title") == with_refs.model.info_text("title")
    assert any(i.cell == "B5" for i in without.issues)


def test_a_central_directory_of_a_million_entries(tmp_path: Path):
    """Refused from the end record, before a million entries are parsed."""
    import struct

    entry = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0
        )
        + b"a"
    )
    central = entry * 1_000_000
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, len(central), 0, 0)
    path = tmp_path / "dir.xlsx"
    path.write_bytes(b"PK\x03\x04" + central + end)
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="部件")


# Found by a second review: calamine expands <x/> into a start and an end (so empty
# rows, cells and values move its indexes and count), reads only the first sheet
# data, and examines every format code once per cell format.
EXPANDED = {
    "empty row with r, then cells without": b'<row r="1000000"/><row><c r="XFD1"/><c><v>1</v></c></row>',
    "empty inline string": b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is/></c></row>',
    "empty str value": b'<row r="1048576"><c r="XFD1048576" t="str"><v/></c></row>',
    "empty date value": b'<row r="1048576"><c r="XFD1048576" t="d"><v/></c></row>',
    "letters by the million": b"<row r='20'><c r='" + b"Z" * 1_000_000 + b"1'><v>1</v></c></row>",
}


@pytest.mark.parametrize("case", EXPANDED)
def test_empty_elements_count_as_calamine_counts_them(make_workbook, tmp_path: Path, case):
    from tests.conftest import rewrite_zip

    path = rewrite_zip(
        make_workbook(example=True),
        tmp_path / "e.xlsx",
        {
            "xl/worksheets/sheet1.xml": lambda xml: xml.replace(
                b"</sheetData>", EXPANDED[case] + b"</sheetData>"
            )
        },
    )
    done, peak = run_measured("check", str(path), timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-300:]
    assert done.stderr.count("\n") == 1 and peak < GIB


def _tally(source: Path, target: Path, old: bytes, new: bytes) -> Path:
    import re

    from tests.conftest import rewrite_zip

    return rewrite_zip(source, target, {TALLY_SHEET: lambda xml: re.sub(old, new, xml, count=1)})


C9_TO_E9 = rb'<c r="C9".*?</c><c r="D9".*?</c><c r="E9".*?</c>'


def test_placeholder_cells_without_references(make_workbook, tmp_path: Path):
    """Generators that omit r write <c s=".."/> placeholders: an error value and a
    formula after them are reported where calamine puts them."""
    source = make_workbook(example=True)
    error = _tally(
        source,
        tmp_path / "err.xlsx",
        C9_TO_E9 + rb'<c r="F9".*?</c>',
        b'<c r="C9" s="19"/><c r="D9" s="20"><v>1</v></c><c r="E9" s="20"/><c t="e"><v>#DIV/0!</v></c>',
    )
    assert ("excel_error", "F9") in [(i.code, i.cell) for i in check_workbook(error).issues]
    hidden = _tally(
        source,
        tmp_path / "f.xlsx",
        C9_TO_E9,
        b'<c r="C9" s="19"/><c r="D9" s="20"/><c s="20"><f>1+1</f><v>2</v></c>',
    )
    assert ("formula_in_input", "E9") in [(i.code, i.cell) for i in check_workbook(hidden).issues]


def test_only_the_first_sheet_data_counts(make_workbook, tmp_path: Path):
    source = make_workbook(example=True)
    cells = b'<row r="9"><c r="E9" t="e"><v>#N/A</v></c><c r="F9"><f>1</f><v>1</v></c></row>'
    for quote, name in ((b'"', "plain"), (b"'", "exact")):
        path = _tally(
            source,
            tmp_path / f"after-{name}.xlsx",
            rb"</sheetData>",
            b"</sheetData><sheetData>" + cells.replace(b'"', quote) + b"</sheetData>",
        )
        assert check_workbook(path).ok, name
    for hidden in (
        b'<!-- <c r="E9" t="e"><v>#N/A</v></c> -->',
        b'<![CDATA[ <c r="E9" t="e"><v>#N/A</v></c><c r="G9"><f>1</f> ]]>',
    ):
        path = _tally(source, tmp_path / "hidden.xlsx", rb"</sheetData>", hidden + b"</sheetData>")
        assert check_workbook(path).ok, hidden


def test_markup_calamine_skips_does_not_hide_a_value(make_workbook, tmp_path: Path):
    source = make_workbook(example=True)
    error = _tally(
        source,
        tmp_path / "e.xlsx",
        rb'<c r="E9".*?</c>',
        b'<c r="E9" s="20" t="e"><!----><v>#DIV/0!</v></c>',
    )
    assert [(i.code, i.cell) for i in check_workbook(error).issues] == [("excel_error", "E9")]
    formula = _tally(
        source,
        tmp_path / "f.xlsx",
        rb'<c r="E9".*?</c>',
        b'<c r="E9" s="20"><!----><f>1+1</f><v>2</v></c>',
    )
    assert ("formula_in_input", "E9") in [(i.code, i.cell) for i in check_workbook(formula).issues]
    # an error and then a value in the same place: calamine keeps the value
    twice = _tally(
        source,
        tmp_path / "t.xlsx",
        rb'<c r="E9".*?</c>',
        b'<c r="E9" t="e"><v>#N/A</v></c><c r="E9"><v>5</v></c>',
    )
    assert check_workbook(twice).ok


def test_styles_calamine_would_examine_for_hours(make_workbook, tmp_path: Path):
    from tests.conftest import rewrite_zip

    def styles(xml: bytes) -> bytes:
        code = b'<numFmt numFmtId="300" formatCode="' + b"0" * 2_000_000 + b'"/>'
        if b"<numFmts" in xml:
            xml = xml.replace(b"<numFmts", b"<numFmts>" + code + b"</numFmts><numFmts", 1)
        else:
            xml = xml.replace(b"<cellXfs", b"<numFmts>" + code + b"</numFmts><cellXfs", 1)
        return xml.replace(b"</cellXfs>", b'<xf numFmtId="300"/>' * 20_000 + b"</cellXfs>", 1)

    path = rewrite_zip(make_workbook(example=True), tmp_path / "s.xlsx", {"xl/styles.xml": styles})
    done, peak = run_measured("check", str(path), timeout=120)
    assert_refused(done, peak, says="格式")


def test_numbers_longer_than_python_converts(make_workbook, tmp_path: Path):
    """int() refuses over 4300 digits: every such number is refused or ignored first."""
    from tests.conftest import rewrite_zip
    from tests.hostile_files import edited

    big = b"1" + b"0" * 5000
    source = make_workbook(example=True)
    cases = {
        "name": rewrite_zip(
            source,
            tmp_path / "n.xlsx",
            {
                "xl/workbook.xml": lambda x: x.replace(
                    b"<definedNames>",
                    b"<definedNames><definedName name=\"X\">'\xe8\xaf\xb4\xe6\x98\x8e'!$B$"
                    + big
                    + b"</definedName>",
                )
            },
        ),
        "row": rewrite_zip(
            source,
            tmp_path / "r.xlsx",
            {
                INFO_SHEET: lambda x: x.replace(
                    b"</sheetData>",
                    b"<row r='" + big + b"'><c r='A1'><v>1</v></c></row></sheetData>",
                )
            },
        ),
        "count": edited(
            source,
            tmp_path / "c.xlsx",
            add={
                "xl/sharedStrings.xml": b'<sst uniqueCount="'
                + b"9" * 5000
                + b'"><si><t>x</t></si></sst>'
            },
        ),
    }
    for name, path in cases.items():
        done, _ = run_measured("check", str(path))
        assert done.returncode in (0, 2) and "Traceback" not in done.stderr, (
            name,
            done.stderr[-300:],
        )


def test_deep_nesting_and_element_floods(make_workbook, tmp_path: Path):
    from tests.conftest import rewrite_zip
    from tests.hostile_files import edited

    source = make_workbook(example=True)
    deep = rewrite_zip(
        source,
        tmp_path / "deep.xlsx",
        {
            INFO_SHEET: lambda x: x.replace(
                b"<sheetData>",
                b"<a>" * 3_000_000
                + b"</a>" * 3_000_000
                + b"<sheetData><row r='1'><c r='A1'><v>1</v></c></row>",
            )
        },
    )
    rows = rewrite_zip(
        source,
        tmp_path / "rows.xlsx",
        {INFO_SHEET: lambda x: x.replace(b"</sheetData>", b"<row/>" * 9_000_000 + b"</sheetData>")},
    )
    strings = edited(
        source,
        tmp_path / "si.xlsx",
        add={"xl/sharedStrings.xml": b"<sst>" + b"<si/>" * 5_000_000 + b"</sst>"},
    )
    for path, says in ((deep, "损坏"), (rows, "单元格过多"), (strings, "共享字符串")):
        done, peak = run_measured("check", str(path), timeout=120)
        assert_refused(done, peak, says=says)


def test_parts_named_as_excel_finds_them(make_workbook, tmp_path: Path):
    """A relationship target in another case, or through "..", is the same part."""
    from tests.conftest import rewrite_zip

    source = make_workbook(example=True)
    for old, new in (
        (b'Target="/xl/worksheets/sheet4.xml"', b'Target="/xl/worksheets/Sheet4.xml"'),
        (b'Target="/xl/worksheets/sheet4.xml"', b'Target="../xl/worksheets/sheet4.xml"'),
    ):
        path = rewrite_zip(
            source,
            tmp_path / "p.xlsx",
            {"xl/_rels/workbook.xml.rels": lambda x, o=old, n=new: x.replace(o, n)},
        )
        assert check_workbook(path).ok


def test_a_count_typed_as_text_is_only_text(make_workbook, tmp_path: Path):
    from tests.hostile_files import edited

    strings = b'<sst uniqueCount="1"><si><t>uniqueCount="3000000"</t></si></sst>'
    path = edited(
        make_workbook(example=True), tmp_path / "t.xlsx", add={"xl/sharedStrings.xml": strings}
    )
    assert check_workbook(path).ok
