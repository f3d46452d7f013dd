"""The report as a 公文 (GB/T 9704-2012): read in its XML (languages, grid, styles,
tables, page numbers) and in the PDF the real LibreOffice makes of it (characters a
line, lines a page, where the title breaks, which side the page numbers stand)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from tests.conftest import fill, libreoffice_convert
from xlsummary.page_layout import signature_indents, text_width, title_lines
from xlsummary.report import default_template, plan_report, render_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TODAY = dt.date(2024, 1, 5)
BREAKS = ["对口支援", "工作总结", "工作报告", "总结", "报告"]


def _xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def _style(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert found is not None, style_id
    return found


# ---------------------------------------------------------------- the template's XML
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_languages_are_the_documents_own(lang):
    """No python-docx default left: East-Asian text is zh-CN (Japanese fallback faces
    came from eastAsia en-US / themeFontLang ja-JP), no Japanese face in the font table."""
    template = default_template(lang)
    styles = _xml(template, "word/styles.xml")
    langs = styles.iter(f"{W}lang")
    assert {(e.get(f"{W}val"), e.get(f"{W}eastAsia")) for e in langs} == {("en-US", "zh-CN")}
    theme = _xml(template, "word/settings.xml").find(f"{W}themeFontLang")
    assert (theme.get(f"{W}val"), theme.get(f"{W}eastAsia")) == ("en-US", "zh-CN")
    fonts = {f.get(f"{W}name") for f in _xml(template, "word/fontTable.xml")}
    assert "ＭＳ 明朝" not in fonts and "ＭＳ ゴシック" not in fonts
    if lang == "zh":
        assert {"仿宋", "黑体", "楷体", "宋体", "方正小标宋简体"} <= fonts
        # Word puts “” ‘’ in the East-Asian face only with the hint
        normal = _style(styles, "Normal").find(f"{W}rPr/{W}rFonts")
        assert normal.get(f"{W}hint") == "eastAsia"
        assert normal.get(f"{W}eastAsia") == "仿宋"
    with zipfile.ZipFile(template) as z:
        for part in ("word/styles.xml", "word/settings.xml", "word/fontTable.xml"):
            assert b"ja-JP" not in z.read(part), part
        # python-docx's thumbnail of an empty page, its unused parts and its claim to be
        # Microsoft Macintosh Word are gone
        names = z.namelist()
        assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n]
        assert not [n for n in names if n.startswith("customXml/")]
        assert b"<Application>xlsummary</Application>" in z.read("docProps/app.xml")


def test_grid_styles_outline_and_page_numbers():
    template = default_template("zh")
    document = _xml(template, "word/document.xml")
    grids = document.findall(f".//{W}sectPr/{W}docGrid")
    first = grids[0]
    assert (first.get(f"{W}type"), first.get(f"{W}linePitch")) == ("lines", "579")  # 22 lines
    styles = _xml(template, "word/styles.xml")
    # 28 characters: 16 pt at 98 % of its width (see docx_template's docstring)
    assert _style(styles, "Normal").find(f"{W}rPr/{W}w").get(f"{W}val") == "98"
    names = {
        sid: _style(styles, sid).find(f"{W}name").get(f"{W}val")
        for sid in ("ReportTitle", "ReportHeading", "AppendixTitle", "TableText", "Lead")
    }
    assert names == {
        "ReportTitle": "公文标题",
        "ReportHeading": "一级标题",
        "AppendixTitle": "附件标题",
        "TableText": "表格文字",
        "Lead": "二级标题",
    }
    for sid in ("ReportHeading", "AppendixTitle"):  # Word's navigation pane lists them
        outline = _style(styles, sid).find(f"{W}pPr/{W}outlineLvl")
        assert outline is not None and outline.get(f"{W}val") == "0", sid
    # page numbers on the outer side: odd pages right, even pages left
    settings = _xml(template, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    refs = {r.get(f"{W}type"): r for r in document.findall(f".//{W}footerReference")}
    assert set(refs) == {"default", "even"}
    rels = _xml(template, "word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in rels}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for kind, side in (("default", "right"), ("even", "left")):
        footer = _xml(template, "word/" + target[refs[kind].get(rid)])
        p = footer.find(f"{W}p/{W}pPr")
        assert p.find(f"{W}jc").get(f"{W}val") == side
        assert p.find(f"{W}ind").get(f"{W}{side}") == "280"  # one character of 四号 in


def test_tables_align_numbers_and_never_split_rows(make_workbook, tmp_path: Path):
    done = render_report(make_workbook(example=True), tmp_path / "r.docx", today=TODAY)
    document = docx.Document(done.path)
    key, monthly = document.tables
    for table in (key, monthly):
        for row in table.rows:
            assert row._tr.trPr.find(f"{W}cantSplit") is not None
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None  # repeats per page
        assert table._tbl.tblPr.find(f"{W}tblCellMar") is not None  # cells padded
    row = key.rows[3]
    aligns = [c.paragraphs[0].alignment for c in row.cells]
    assert [str(a).split(".")[-1].split(" ")[0] for a in aligns] == [
        "LEFT",
        "CENTER",
        "RIGHT",
        "RIGHT",
        "RIGHT",
    ]
    # the header row is in the heading face (黑体), not the body's
    head_style = key.rows[0].cells[0].paragraphs[0].style
    assert head_style.style_id == "TableHead"
    fonts = head_style.element.find(f"{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "黑体"
    # the short key table is kept on one page: every row keeps with the next
    assert all(c.paragraphs[0].paragraph_format.keep_with_next for c in key.rows[1].cells)
    # 同比 is wide enough for "+1.6个百分点" at 五号 (6 characters of 10.5 pt and padding)
    yoy_width = int(key._tbl.tblGrid.findall(f"{W}gridCol")[4].get(f"{W}w"))
    assert yoy_width >= 6 * 10.5 * 20 + 2 * 85 + 200


def test_signature_stands_two_characters_in_and_the_date_two_right_of_it(
    make_workbook, tmp_path: Path
):
    done = render_report(make_workbook(example=True), tmp_path / "r.docx", today=TODAY)
    document = docx.Document(done.path)
    unit, date = (p for p in document.paragraphs if p.style.style_id == "Signature")
    assert (unit.text, date.text) == ("某某市人民医院", "2023年12月28日")

    def right(p) -> tuple[str, str]:
        ind = p._p.pPr.find(f"{W}ind")
        return ind.get(f"{W}rightChars"), ind.get(f"{W}right")

    # name 7 characters, date 7 (digits are half): the date stands 右空二字 and the
    # name four characters in, so the date starts two characters right of the name
    assert right(unit) == ("400", "1280") and right(date) == ("200", "640")


@pytest.mark.parametrize(
    ("unit", "date", "unit_in", "date_in"),
    [
        ("某某市人民医院", "2023年12月28日", 4, 2),  # as long: the date stands 右空二字
        ("某某省某某市第一人民医院党委办公室", "2023年12月28日", 2, 10),  # longer name
        ("某院", "2023年1月5日", 8, 2),  # the date is longer: it pushes the name left
    ],
)
def test_signature_rule(unit, date, unit_in, date_in):
    got = signature_indents(unit, date)
    assert (int(got["unit_chars"]) / 100, int(got["date_chars"]) / 100) == (unit_in, date_in)
    # whatever the lengths: the date's first character is two right of the name's
    name_start = unit_in + text_width(unit)
    assert date_in + text_width(date) == name_start - 2
    assert min(unit_in, date_in) == 2


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("某某市人民医院2023年对口支援工作总结", ["某某市人民医院2023年对口支援工作总结"]),
        (
            "某某省某某市第一人民医院2023年对口支援工作总结",
            ["某某省某某市第一人民医院2023年", "对口支援工作总结"],
        ),
        (
            "某某省某某市某某区妇幼保健院2023年第三季度对口支援工作总结",
            ["某某省某某市某某区妇幼保健院2023年", "第三季度对口支援工作总结"],
        ),
    ],
)
def test_titles_break_at_word_boundaries(title, lines):
    assert title_lines(title, BREAKS) == lines
    got = title_lines(title, BREAKS)
    widths = [text_width(line) for line in got]
    assert max(widths) <= 20 and "".join(got) == title
    if len(got) == 2:  # a trapezoid, never a rectangle
        assert widths[0] != widths[1]


def test_english_titles_are_left_to_the_word_processor():
    long = "Partner support work summary of a very long hospital name, 2023, third quarter"
    assert title_lines(long, []) == [long]


def test_dates_in_arabic_numerals_and_the_chinese_form_on_request(make_workbook):
    """GB/T 9704-2012 writes 成文日期 in Arabic numerals; the 〇 form stays a field."""
    context = plan_report(make_workbook(example=True), today=TODAY).context
    assert (context["date"], context["date_month"]) == ("2023年12月28日", "2023年12月")
    assert context["date_cn"] == "二〇二三年十二月二十八日"
    assert context["date_month_cn"] == "二〇二三年十二月"


# The children's order ECMA-376 (Part 1, 17.3-17.7) prescribes for the property
# elements the template writes; Word refuses a document whose properties are out of it.
_SEQUENCE = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish "
    "oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
    "tblCellMar": "top start left bottom end right",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar "
    "paperSrc pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg "
    "textDirection bidi rtlGutter docGrid printerSettings",
}


def _out_of_order(xml: bytes) -> list[str]:
    found = []
    for element in etree.fromstring(xml).iter():
        local = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if local == "trPr":  # a choice, not a sequence: only no element twice
            names = [etree.QName(c).localname for c in element]
            found += [f"trPr: {n} twice" for n in set(names) if names.count(n) > 1]
        if local not in _SEQUENCE:
            continue
        order = {name: k for k, name in enumerate(_SEQUENCE[local].split())}
        order["headerReference"] = order.get("footerReference", -1)  # one choice group
        names = [etree.QName(c).localname for c in element if isinstance(c.tag, str)]
        ranks = [order.get(n, -1) for n in names]
        if -1 in ranks or ranks != sorted(ranks):
            found.append(f"{local}: {names}")
        if len(set(names) - {"headerReference", "footerReference"}) < len(
            [n for n in names if n not in ("headerReference", "footerReference")]
        ):
            found.append(f"{local}: repeated child in {names}")
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_properties_are_in_the_schemas_order(make_workbook, tmp_path: Path, lang):
    """tblCellMar stood after tblLook: each property element in the order the schema
    gives, in the template and in a report made from it."""
    done = render_report(
        make_workbook(example=True, lang=lang), tmp_path / "r.docx", today=TODAY, draft=True
    )
    for package in (default_template(lang), done.path):
        with zipfile.ZipFile(package) as z:
            for part in z.namelist():
                # WordprocessingML parts (a chart's a:pPr is DrawingML's, another schema)
                if part.startswith("word/") and part.endswith(".xml") and "/charts/" not in part:
                    assert _out_of_order(z.read(part)) == [], (package.name, part)


# ---------------------------------------------------------------- the PDF
def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words from ``pdftotext -bbox``: (xMin, yMin, xMax, yMax, text)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append(
            [
                (float(a), float(b), float(c), float(d), t)
                for a, b, c, d, t in re.findall(
                    r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
                    page,
                )
            ]
        )
    return pages


def _lines(words) -> list[str]:
    rows: dict[float, list] = {}
    for x, y, _, _, t in words:
        rows.setdefault(round(y), []).append((x, t))
    return ["".join(t for _, t in sorted(row)) for _, row in sorted(rows.items())]


def _punctuated() -> str:
    """Paragraphs dense with full-width marks and numbers, the same on every run."""
    import random

    rng = random.Random(13)
    words = "全年派驻人员接诊门诊人次同比增长收治住院开展手术例帮助受援医院新技术新业务项建立"
    out = []
    for _ in range(12):
        parts = []
        for _ in range(rng.randint(6, 14)):
            parts.append("".join(rng.choice(words) for _ in range(rng.randint(2, 9))))
            if rng.random() < 0.4:
                parts.append(str(rng.randint(1, 99999)))
            parts.append(rng.choice("，、；：。"))
        out.append("".join(parts))
    return "\n".join(out)


@pytest.mark.slow
def test_pdf_has_28_characters_a_line_22_lines_a_page_and_broken_titles(
    make_workbook, tmp_path: Path
):
    """The text block as GB/T 9704 counts it, in the PDF of the real LibreOffice."""
    plain = "我院按照上级卫生健康部门关于城乡医院对口支援工作的部署继续支援受援医院" * 4
    path = fill(
        make_workbook(example=True),
        {
            "基本信息!B3": "某某省某某市第一人民医院",
            "叙述!C4": "\n".join([plain] * 9),  # pages of body text only
            "叙述!C5": "“对口支援”工作" * 12,
            "叙述!C7": _punctuated(),
        },
    )
    done = render_report(path, tmp_path / "r.docx", today=TODAY)
    pdf = libreoffice_convert(done.path, tmp_path / "pdf", "pdf", tmp_path / "lo")
    pages = _words(pdf)
    first = _lines(pages[0])
    # the title breaks before 对口支援, after the year, not inside a word
    assert first[0] == "某某省某某市第一人民医院2023年"
    assert first[1] == "对口支援工作总结"
    # a full line of body text (not a paragraph's first or last) holds 28 characters
    body = [line for page in pages[:3] for line in _lines(page) if set(line) <= set(plain)]
    assert body, "no line of body text found"
    assert max(len(line) for line in body) == 28
    assert sum(len(line) == 28 for line in body) >= 10
    # “” are full width (the East-Asian face, as Chinese text sets them): 28 a line too
    quoted = [line for page in pages for line in _lines(page) if set(line) <= set("“对口支援”工作")]
    assert max(len(line) for line in quoted) == 28, quoted
    # every mark the staff typed is printed, even where it falls at a line's end (with
    # condensed spacing LibreOffice dropped some), and no number is split over two lines
    printed = "".join(_lines(w for page in pages for w in page))
    document = docx.Document(done.path)
    written = "".join(p.text for p in document.paragraphs) + "".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    typed = _punctuated()
    for mark in "，、；：。":
        assert printed.count(mark) == written.count(mark), mark
    body_lines = [
        line
        for page in pages
        for line in _lines(page)
        if len(line) > 8
        and set(line) <= set(typed)  # not page numbers or table rows
        and not line[:6].isdigit()
    ]
    assert not [
        (a, b) for a, b in itertools.pairwise(body_lines) if a[-1:].isdigit() and b[:1].isdigit()
    ]
    # page 2 is body text only: 22 lines in the text block (which ends 35 mm above the
    # page's foot, at 742.7 pt), the page number under it
    block = [w for w in pages[1] if w[3] < 742.7]
    assert len(_lines(block)) == 22, _lines(block)
    # page numbers on the outer side: odd pages right of the centre, even pages left
    width = 595.3
    for n, page in enumerate(pages[:2], start=1):
        number = [w for w in page if w[4] == str(n)]
        assert number, f"no page number on page {n}"
        x = number[-1][0]
        assert (x > width / 2) if n % 2 else (x < width / 2), (n, x)


@pytest.mark.slow
def test_english_pdf_breaks_no_word_inside(make_workbook, tmp_path: Path):
    """The appendix's name column is wide enough for every English word (it printed
    "admissi / ons")."""
    done = render_report(make_workbook(example=True, lang="en"), tmp_path / "r.docx", today=TODAY)
    pdf = libreoffice_convert(done.path, tmp_path / "pdf", "pdf", tmp_path / "lo")
    printed = {w[4] for page in _words(pdf) for w in page}
    document = docx.Document(done.path)
    names = {c.text for row in document.tables[1].rows[1:] for c in row.cells[:2]}
    for name in names:
        for word in re.findall(r"[A-Za-z]+", name):
            assert word in printed or any(word in p for p in printed), (word, name)
    # the signature signs flush right, as English letters do (no 公文 indents)
    unit, _ = (p for p in document.paragraphs if p.style.style_id == "Signature")
    assert unit._p.pPr.find(f"{W}ind") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_template_tag_inside_an_attribute(lang):
    """w:right="{{ … }}" made a template Word will not open (an attribute that must be a
    number): tags stand in text only, but for a chart's tag in its alt text (free text,
    taken out before rendering: xlsummary.docx_charts)."""
    with zipfile.ZipFile(default_template(lang)) as z:
        for part in z.namelist():
            if part.endswith(".xml"):
                xml = re.sub(r'descr="\{\{ chart: \w+ \}\}"', "", z.read(part).decode())
                assert not re.search(r'="[^"]*(\{\{|\{%)', xml), part


@pytest.mark.slow
def test_signature_rule_survives_the_template_saved_by_libreoffice(make_workbook, tmp_path):
    """Staff edit the shipped template and save it (here: LibreOffice's Word export);
    the reports made from their copy still place the date two characters right."""
    saved = libreoffice_convert(
        default_template("zh"), tmp_path / "saved", "docx:MS Word 2007 XML", tmp_path / "lo"
    )
    done = render_report(
        make_workbook(example=True), tmp_path / "r.docx", template=saved, today=TODAY
    )
    document = docx.Document(done.path)
    unit, date = (p for p in document.paragraphs if p.text in ("某某市人民医院", "2023年12月28日"))
    # LibreOffice kept the twips (w:right) and dropped Word's w:rightChars
    rights = [p._p.pPr.find(f"{W}ind").get(f"{W}right") for p in (unit, date)]
    assert rights == ["1280", "640"]


def test_the_signature_is_found_by_what_it_says():
    """Word writes attributes on its paragraphs; a unit may hold markup characters."""
    from xlsummary.signature_xml import place_signature

    def p(text: str, ind: str = '<w:ind w:right="640"/>') -> str:
        return f'<w:p w:rsidR="00A1"><w:pPr>{ind}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'

    xml = p("A&amp;B &lt;测试&gt;") + p("2023年12月28日")
    placed = place_signature(xml, "A&B <测试>", "2023年12月28日")
    # name 5 characters (A&B and the space are half), date 7: the date stands 右空二字,
    # the name 6 characters in
    assert re.findall(r'w:right="(\d+)"', placed) == ["1920", "640"]
    # flush right (no indent) stays so; other paragraphs are not touched
    plain = p("某院", "") + p("2023年12月28日", "")
    assert place_signature(plain, "某院", "2023年12月28日") == plain
    assert place_signature(xml, "别的单位", "2023年12月28日") == xml


def test_a_final_report_leaves_an_empty_section_out(make_workbook):
    """A section whose only sentence was a comparison that cannot be made has no text
    left: a final report leaves it out (it said （本部分尚未填写）), a draft shows it."""
    path = fill(
        make_workbook(example=True), {"叙述!C6": "同比{门诊人次|同比}", "月度统计!P6": None}
    )
    final = plan_report(path, today=TODAY).context
    assert [s["title"] for s in final["sections"]] == [
        "基本情况",
        "主要做法",
        "存在不足",
        "下一步计划",
    ]
    assert [s["number"] for s in final["sections"]] == ["一", "二", "三", "四"]
    assert "（本部分尚未填写）" not in str(final["sections"])
    draft = plan_report(path, today=TODAY, draft=True).context
    shown = {s["title"]: s for s in draft["sections"]}
    assert shown["取得成效"]["empty"]


def test_figures_of_a_mean_keep_the_decimals_of_their_quarters():
    """An average of whole months is not whole: its quarters printed 1 for 1.33."""
    from xlsummary.catalogue import Indicator
    from xlsummary.context import figure_row
    from xlsummary.totals import IndicatorTotals

    ind = Indicator("x", "x", "x", "万元", "其他", rule="mean", kind="amount")
    months = (1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0)
    tot = IndicatorTotals(
        code="x",
        rule="mean",
        kind="amount",
        months=months,
        total=1.0,
        quarters=(4 / 3, 1.0, 1.0, 2 / 3),
        halves=(7 / 6, 5 / 6),
        ytd=1.0,
        prior=1.0,
        change=0.0,
        yoy_percent=None,
        yoy_points=None,
    )
    got = figure_row(ind, tot, "zh")
    assert got["quarters"] == ["1.33", "1.00", "1.00", "0.67"]
    assert got["total"] == "1.00" and got["months"][1] == "2.00"


def test_a_draft_of_a_clean_workbook_does_not_count_0_errors(make_workbook):
    note = plan_report(make_workbook(example=True), today=TODAY, draft=True).context
    assert "0个错误" not in note["draft_note"] and "未发现错误" in note["draft_note"]
