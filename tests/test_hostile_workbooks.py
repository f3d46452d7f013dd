"""Workbooks built to crash, hang or exhaust the reader, run through the CLI as a user
(or an attacker) would: each must end in one sentence and exit code 2, with nothing
written, the input unchanged and the memory really used below 1 GiB."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import assert_refused, run_measured, snapshot
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


def test_a_far_cell_in_a_utf16_sheet(make_workbook, tmp_path: Path):
    from tests.conftest import rewrite_zip

    def utf16(xml: bytes) -> bytes:
        text = xml.decode().replace("</sheetData>", FAR["single quotes"].decode() + "</sheetData>")
        text = text.replace("encoding='UTF-8'", "encoding='UTF-16'")
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
        return text.encode("utf-16")

    path = rewrite_zip(make_workbook(example=True), tmp_path / "u16.xlsx", {INFO_SHEET: utf16})
    done, peak = run_measured("check", str(path))
    assert_refused(done, peak, says="范围过大")


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
    assert_refused(done, peak, says="解压后超过 100 MB", before=before, folder=tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    done, peak = run_measured("render", str(path), "-o", str(out / "r.docx"))
    assert_refused(done, peak, says="解压后超过 100 MB")
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
