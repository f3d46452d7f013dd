"""The PDF keeps the 公文's faces: the real LibreOffice, given xlsummary's font
configuration, sets the template's Windows faces (方正小标宋简体, 仿宋, 黑体, 楷体, 宋体,
Times New Roman) and their usual aliases in the free fonts chosen for them, in their
simplified-Chinese form, from the command line and from the server's converters.

What a PDF says of its fonts is read back with ``pdffonts``. One caveat shapes these
tests: Noto's CJK collections (fonts-noto-cjk) share one CFF table among their JP,
SC, TC, KR and HK faces, and LibreOffice names an embedded font after that table, so
``pdffonts`` shows ``NotoSerifCJKjp-…`` whichever face was used. Which face it was
is told by the glyphs instead: 骨 and 直 are drawn differently in the SC and JP
faces, so a page set in 仿宋 must rasterize exactly like one set in Noto Serif CJK SC
and unlike one set in Noto Serif CJK JP.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.conftest import fill, soffice
from xlsummary.pdf import PdfConverter, PoolSettings
from xlsummary.pdf.fonts import fonts_conf

pytestmark = pytest.mark.slow

# what each target font is called inside a PDF that LibreOffice 7.4 wrote
EMBEDDED = {
    "Noto Serif CJK SC": "NotoSerifCJK",
    "Noto Sans CJK SC": "NotoSansCJK",
    "AR PL UKai CN": "UKaiCN",
    "Liberation Serif": "LiberationSerif",
    "Liberation Sans": "LiberationSans",
    "Liberation Mono": "LiberationMono",
}


def pdf_fonts(pdf: Path) -> list[str]:
    """The fonts ``pdffonts`` lists, without their subset tags (``ABCDEF+``)."""
    listing = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return sorted({line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]})


def mapping() -> dict[tuple[str, str], list[str]]:
    """(target family, weight) -> the faces fonts.conf binds to it, read from the file."""
    found: dict[tuple[str, str], list[str]] = {}
    for match in ET.parse(fonts_conf()).getroot().iter("match"):
        face = match.find("test/string").text
        target = match.find("edit[@name='family']/string").text
        weight = match.find("edit[@name='weight']/const")
        found.setdefault((target, "" if weight is None else weight.text), []).append(face)
    return found


def document(path: Path, runs: list[tuple[str, str]], size: float = 16) -> Path:
    """A .docx with one paragraph per (face, text), the face set on every script."""
    doc = docx.Document()
    for face, words in runs:
        run = doc.add_paragraph().add_run(words)
        run.font.size = Pt(size)
        fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), face)
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def converter():
    """One kept-alive LibreOffice of the server's kind, for many small documents."""
    soffice()
    pool = PdfConverter(PoolSettings(slots=1))
    yield pool
    pool.close()


def to_pdf(converter: PdfConverter, source: Path) -> Path:
    target = source.with_suffix(".pdf")
    target.write_bytes(converter.convert_now(source.read_bytes()))
    return target


def test_the_configuration_includes_the_system_one_and_binds_every_role():
    root = ET.parse(fonts_conf()).getroot()
    assert root.find("include").text == "/etc/fonts/fonts.conf"
    faces = {face for names in mapping().values() for face in names}
    for face in ("仿宋", "仿宋_GB2312", "FangSong", "楷体", "KaiTi_GB2312", "黑体", "SimHei"):
        assert face in faces
    for face in ("宋体", "SimSun", "方正小标宋简体", "FZXiaoBiaoSong-B05S", "Times New Roman"):
        assert face in faces
    for match in root.iter("match"):
        assert match.find("edit").get("binding") == "strong"
    # fontconfig itself resolves each face to its target (the SC form, never JP)
    env = {"FONTCONFIG_FILE": str(fonts_conf()), "PATH": "/usr/bin:/bin"}
    for (target, weight), names in mapping().items():
        for face in names:
            found = subprocess.run(
                # a "-" in a pattern would start its size: escaped
                ["fc-match", "-f", "%{family[0]}|%{weight}", face.replace("-", "\\-") + ":lang=ja"],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            ).stdout
            family, got = found.split("|")
            assert family == target, (face, found)
            assert (int(got) >= 200) == (weight == "bold"), (face, found)


def test_every_face_and_alias_comes_out_in_its_font(converter, tmp_path: Path):
    """One document per target font, one paragraph per face bound to it: the PDF holds
    that font and no other (no DejaVu, no sans-serif fallback)."""
    for (target, weight), names in mapping().items():
        runs = [(face, f"{face}：对口支援工作总结 2023") for face in names]
        pdf = to_pdf(converter, document(tmp_path / f"{names[0]}.docx", runs))
        fonts = pdf_fonts(pdf)
        assert fonts, target
        cjk = [f for f in fonts if not f.startswith("Liberation")]
        if target.startswith("Liberation"):
            # the Chinese of a Latin face falls back to a Noto CJK face
            assert all(f.startswith(EMBEDDED[target]) for f in fonts if f.startswith("Lib"))
            assert all(f.startswith(("NotoSerifCJK", "NotoSansCJK")) for f in cjk), fonts
            continue
        assert all(f.startswith(EMBEDDED[target]) for f in cjk), (target, fonts)
        bold = [f for f in cjk if "Bold" in f]
        assert bool(bold) == (weight == "bold") and len(bold) in (0, len(cjk)), (target, fonts)


def _raster(pdf: Path) -> bytes:
    return subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-f", "1", "-l", "1", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout


@pytest.mark.parametrize(
    ("face", "sc", "jp"),
    [
        ("仿宋", "Noto Serif CJK SC", "Noto Serif CJK JP"),
        ("宋体", "Noto Serif CJK SC", "Noto Serif CJK JP"),
        ("黑体", "Noto Sans CJK SC", "Noto Sans CJK JP"),
    ],
)
def test_chinese_is_drawn_in_the_simplified_chinese_form(converter, tmp_path: Path, face, sc, jp):
    pages = {}
    for name in (face, sc, jp):
        source = document(tmp_path / f"{name}.docx", [(name, "骨直角过门")], size=48)
        pages[name] = _raster(to_pdf(converter, source))
    assert pages[sc] != pages[jp]  # the glyphs really differ: the test can tell
    assert pages[face] == pages[sc]


def test_the_title_is_drawn_in_the_bold_simplified_chinese_song(converter, tmp_path: Path):
    pages = {}
    for name, bold in (("方正小标宋简体", False), ("Noto Serif CJK SC", True)):
        doc = document(tmp_path / f"{name}.docx", [(name, "骨直角过门")], size=48)
        if bold:
            made = docx.Document(doc)
            made.paragraphs[0].runs[0].bold = True
            made.save(doc)
        pages[name] = _raster(to_pdf(converter, doc))
    assert pages["方正小标宋简体"] == pages["Noto Serif CJK SC"]


def workbook_with_leads(make_workbook) -> Path:
    """The example, its 主要做法 written in （一） sub-headings as staff often do."""
    measures = (
        "（一）领导重视，精心组织。院党委把对口支援列入年度重点工作。\n"
        "（二）以临床带教为抓手。通过教学查房{教学查房}次，培养受援医院专业技术人才。"
    )
    return fill(make_workbook(example=True), {"叙述!C5": measures})


def render_pdf_cli(workbook: Path, *args: str, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", "render", "--pdf", str(workbook), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _zh_faces(fonts: list[str]) -> None:
    assert "NotoSerifCJKjp-Bold-VKana" in fonts or any(  # the title: bold Song
        f.startswith("NotoSerifCJK") and "Bold" in f for f in fonts
    ), fonts
    assert any(f.startswith("NotoSerifCJK") and "Regular" in f for f in fonts), fonts  # body
    assert any(f.startswith("UKaiCN") for f in fonts), fonts  # the （一） leads
    assert any(f.startswith("NotoSansCJK") for f in fonts), fonts  # the 一、 headings
    assert any(f.startswith("LiberationSerif") for f in fonts), fonts  # figures, Latin
    assert not any("DejaVu" in f for f in fonts), fonts


def test_the_chinese_report_from_the_command_line(make_workbook, tmp_path: Path):
    soffice()
    book = workbook_with_leads(make_workbook)
    done = render_pdf_cli(book, "-o", str(tmp_path / "report.pdf"))
    assert done.returncode == 0, done.stderr
    fonts = pdf_fonts(tmp_path / "report.pdf")
    _zh_faces(fonts)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "（一）领导重视，精心组织。" in text and "对口支援工作总结" in text


def test_the_chinese_report_from_the_servers_converter(make_workbook, converter, tmp_path):
    from xlsummary.report import make_report

    report = make_report(workbook_with_leads(make_workbook))
    pdf = tmp_path / "server.pdf"
    pdf.write_bytes(converter.convert_now(report.data))
    _zh_faces(pdf_fonts(pdf))


def test_the_english_report_from_the_command_line(make_workbook, tmp_path: Path):
    soffice()
    book = make_workbook(example=True, lang="en")
    done = render_pdf_cli(book, "-o", str(tmp_path / "report.pdf"))
    assert done.returncode == 0, done.stderr
    fonts = pdf_fonts(tmp_path / "report.pdf")
    assert "LiberationSerif" in fonts and "LiberationSerif-Bold" in fonts, fonts
    # the unit's Chinese name, in a Times New Roman run, falls back to the SC Song
    assert all(f.startswith(("LiberationSerif", "NotoSerifCJK")) for f in fonts), fonts
