"""Native Word charts: the shipped templates' two charts, and a chart a template author
styled and tagged, filled with the report's figures (issue 16)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from lxml import etree

from tests.conftest import libreoffice_convert
from xlsummary.errors import TemplateProblem
from xlsummary.report import default_template, render_report

C = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
TODAY = dt.date(2024, 1, 5)
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


def _render(workbook: Path, tmp_path: Path, template: Path | None = None) -> zipfile.ZipFile:
    done = render_report(workbook, tmp_path / "r.docx", template=template, today=TODAY, force=True)
    return zipfile.ZipFile(done.path)


def _series(chart_xml: bytes) -> list[tuple[str, list[str], list[float | None]]]:
    root = etree.fromstring(chart_xml)
    out = []
    for ser in root.iterfind(".//c:ser", C):
        name = ser.findtext("c:tx//c:v", namespaces=C)
        cats = [v.text for v in ser.iterfind("c:cat//c:pt/c:v", C)]
        count = int(ser.find("c:val//c:ptCount", C).get("val"))
        values: list[float | None] = [None] * count
        for pt in ser.iterfind("c:val//c:pt", C):
            values[int(pt.get("idx"))] = float(pt.findtext("c:v", namespaces=C))
        out.append((name, cats, values))
    return out


def _number(cell: str) -> float:
    return float(cell.replace(",", ""))


def _key_table(data: bytes) -> dict[str, tuple[float, float]]:
    """The key-figures table as printed: name -> (this period, last year)."""
    table = Document(io.BytesIO(data)).tables[0]
    return {
        row.cells[0].text: (_number(row.cells[2].text), _number(row.cells[3].text))
        for row in table.rows[1:]
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_shipped_report_charts_hold_the_reports_figures(make_workbook, tmp_path, lang):
    docx = _render(make_workbook(example=True, lang=lang), tmp_path)
    names = docx.namelist()
    types = docx.read("[Content_Types].xml").decode()
    for n in (1, 2):
        assert f"word/charts/chart{n}.xml" in names
        assert f'PartName="/word/charts/chart{n}.xml" ContentType="{CHART_TYPE}"' in types
    rels = docx.read("word/_rels/document.xml.rels").decode()
    assert rels.count("relationships/chart") == 2
    body = docx.read("word/document.xml").decode()
    assert body.count("<c:chart ") == 2 and "{{" not in body and "xlsummary-chart" not in body
    table = _key_table((tmp_path / "r.docx").read_bytes())

    # the column chart: the charted indicators, this period against last year, as in the table
    yoy = _series(docx.read("word/charts/chart1.xml"))
    assert len(yoy) == 2
    (_, cats, totals), (_, cats_prior, priors) = yoy
    assert cats == cats_prior and len(cats) == 4  # surgery, case discussion, rounds, lecture
    for label, total, prior in zip(cats, totals, priors, strict=True):
        name = re.sub(r"（.*）$| \(.*\)$", "", label)
        assert table[name] == (total, prior)
    title = "".join(etree.fromstring(docx.read("word/charts/chart1.xml")).itertext())
    expected = (
        "2023年1月至12月主要指标与上年同期对比"
        if lang == "zh"
        else "Key indicators against the same period last year, Jan–Dec 2023"
    )
    assert expected in title and "{{" not in title
    assert f'descr="{expected}"' in body  # alt text made only of the tag: the title

    # the line chart: one series per charted indicator, twelve months, cloned past the two
    # series the template holds
    monthly = _series(docx.read("word/charts/chart2.xml"))
    assert [name for name, _, _ in monthly] == cats
    ser_ids = etree.fromstring(docx.read("word/charts/chart2.xml")).findall(".//c:ser/c:idx", C)
    assert sorted(int(i.get("val")) for i in ser_ids) == [0, 1, 2, 3]
    appendix = {
        row.cells[0].text: [_number(c.text) if c.text else None for c in row.cells[2:14]]
        for row in Document(tmp_path / "r.docx").tables[1].rows[1:]
    }
    for label, months, values in monthly:
        assert len(months) == 12
        assert appendix[re.sub(r"（.*）$| \(.*\)$", "", label)] == values

    # Edit Data opens the same figures: the embedded workbook, read with openpyxl
    chart_rels = docx.read("word/charts/_rels/chart1.xml.rels").decode()
    target = re.search(r'Target="\.\./embeddings/([^"]+)"', chart_rels).group(1)
    sheet = openpyxl.load_workbook(io.BytesIO(docx.read(f"word/embeddings/{target}")))["Sheet1"]
    assert [sheet.cell(r, 1).value for r in range(2, 6)] == cats
    assert [sheet.cell(r, 2).value for r in range(2, 6)] == totals
    assert [sheet.cell(r, 3).value for r in range(2, 6)] == priors
    assert b'r:id="' in docx.read("word/charts/chart1.xml")  # c:externalData kept


def test_no_charted_indicator_no_chart(make_workbook, tmp_path):
    path = make_workbook(example=True)
    book = openpyxl.load_workbook(path)
    sheet = book["指标"]
    column = next(c.column for c in sheet[2] + sheet[3] if c.value == "图表")
    for row in range(4, sheet.max_row + 1):
        if sheet.cell(row, column).value == "是":
            sheet.cell(row, column).value = "否"
    book.save(path)
    body = _render(path, tmp_path).read("word/document.xml").decode()
    assert "<w:drawing" not in body  # the {%p if charts.… %} paragraphs took them out


def _user_template(tmp_path: Path, title: str, alt: str) -> Path:
    """The shipped template with its line chart restyled by an author: a red, thick
    first series, a title of their own and their own alt text."""
    source = zipfile.ZipFile(default_template("zh"))
    parts = {name: source.read(name) for name in source.namelist()}
    root = etree.fromstring(parts["word/charts/chart2.xml"])
    first = root.find(".//c:ser", C)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    style = etree.fromstring(
        f'<c:spPr xmlns:c="{C["c"]}" xmlns:a="{a}"><a:ln w="50800"><a:solidFill>'
        '<a:srgbClr val="C00000"/></a:solidFill></a:ln></c:spPr>'
    )
    old = first.find("c:spPr", C)
    if old is not None:
        first.remove(old)
    first.find("c:tx", C).addnext(style)
    for run in root.iterfind(".//c:title//a:t", {**C, "a": a}):
        run.text = title
    parts["word/charts/chart2.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b'descr="{{ chart: monthly }}"', f'descr="{alt}"'.encode()
    )
    path = tmp_path / "mine.docx"
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def test_a_styled_tagged_chart_keeps_its_style_and_gets_the_data(make_workbook, tmp_path):
    template = _user_template(tmp_path, "手术与讲座 {{ chart: monthly surgery lecture }}", "月度图")
    docx = _render(make_workbook(example=True), tmp_path, template)
    chart = docx.read("word/charts/chart2.xml")
    series = _series(chart)
    assert [name for name, _, _ in series] == ["手术例数（例）", "学术讲座（次）"]
    appendix = {
        row.cells[0].text: [_number(c.text) if c.text else None for c in row.cells[2:14]]
        for row in Document(tmp_path / "r.docx").tables[1].rows[1:]
    }
    assert series[0][2] == appendix["手术例数"] and series[1][2] == appendix["学术讲座"]
    root = etree.fromstring(chart)
    first = root.find(".//c:ser", C)
    assert first.find("c:spPr//*[@val='C00000']", C) is not None  # the author's red line
    assert first.find("c:spPr/*", C).get("w") == "50800"
    assert root.find(".//c:legend/c:legendPos", C).get("val") == "b"
    title = "".join(root.find("c:chart/c:title", C).itertext())
    assert title == "手术与讲座"  # the tag taken out of the author's own title
    assert 'descr="月度图"' in docx.read("word/document.xml").decode()


def test_an_unknown_chart_tag_is_named(make_workbook, tmp_path):
    template = _user_template(tmp_path, "{{ chart: monthly surgeryy }}", "")
    with pytest.raises(TemplateProblem) as caught:
        _render(make_workbook(example=True), tmp_path, template)
    said = caught.value.message("zh")
    assert "surgeryy" in said and "surgery" in said.replace("surgeryy", "")
    bad_kind = _user_template(tmp_path, "{{ chart: montly }}", "")
    with pytest.raises(TemplateProblem, match="montly"):
        _render(make_workbook(example=True), tmp_path, bad_kind)


def test_fields_lists_the_charts_and_names_a_bad_one(tmp_path):
    template = _user_template(tmp_path, "{{ chart: monthly surgery lecture }}", "")
    done = _cli("fields", "--template", str(template))
    assert "图表：yoy、monthly surgery lecture" in done.stdout, done.stderr
    bad = _user_template(tmp_path, "{{ chart: monthly nosuch }}", "")
    done = _cli("fields", "--template", str(bad))
    assert done.returncode != 0 and "nosuch" in done.stdout + done.stderr


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_charts_are_drawn_in_the_pdf(make_workbook, tmp_path):
    done = render_report(make_workbook(example=True), tmp_path / "r.docx", today=TODAY)
    pdf = libreoffice_convert(done.path, tmp_path / "pdf", "pdf", tmp_path / "lo-profile")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is required: scripts/test.sh installs it")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    assert "2023年1月至12月主要指标与上年同期对比" in squeezed
    assert "2023年1月至12月主要指标月度情况" in squeezed
    assert "疑难病例讨论" in squeezed and "上年同期" in squeezed
