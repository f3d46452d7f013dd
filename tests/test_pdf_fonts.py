"""The PDF keeps the 公文's faces: the real LibreOffice, given xlsummary's font
configuration, sets the template's Windows faces (方正小标宋简体, 仿宋, 黑体, 楷体, 宋体,
Times New Roman) and their usual aliases in the free fonts chosen for them, in their
simplified-Chinese form, from the command line and from the server's converters.

What a PDF says of its fonts is read back with ``pdffonts``. Noto's CJK collections
(fonts-noto-cjk) share one CFF table, named JP, among their JP, SC, TC, KR and HK
faces, and LibreOffice names an embedded font after that table; the setup
(scripts/pdf_setup.sh) therefore extracts the SC faces into fonts of their own,
named SC (:mod:`xlsummary.pdf.sc_faces`), and the reports' PDFs must name those.
The glyphs are checked too: 骨 and 直 are drawn differently in the SC and JP faces,
so a page set in 仿宋 must rasterize exactly like one set in Noto Serif CJK SC and
unlike one set in Noto Serif CJK JP.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.conftest import fill, soffice
from xlsummary.pdf import PdfConverter, PoolSettings, sc_faces
from xlsummary.pdf.fonts import font_env, fonts_conf

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


def _no_jp(fonts: list[str]) -> None:
    """Nothing in the PDF calls itself Japanese (the extracted SC faces are used)."""
    assert not any("jp" in f.lower() for f in fonts), (fonts, "run scripts/pdf_setup.sh")
    assert not any("DejaVu" in f for f in fonts), fonts


def _zh_faces(fonts: list[str]) -> None:
    assert any(f.startswith("NotoSerifCJKsc-Bold") for f in fonts), fonts  # the title
    assert any(f.startswith("NotoSerifCJKsc-Regular") for f in fonts), fonts  # body
    assert any(f.startswith("UKaiCN") for f in fonts), fonts  # the （一） leads
    assert any(f.startswith("NotoSansCJKsc-Regular") for f in fonts), fonts  # 一、 headings
    assert any(f.startswith("LiberationSerif") for f in fonts), fonts  # figures, Latin
    _no_jp(fonts)


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
    assert all(f.startswith(("LiberationSerif", "NotoSerifCJKsc-")) for f in fonts), fonts
    _no_jp(fonts)


def _directory(font: bytes, at: int = 0) -> dict[bytes, tuple[int, bytes]]:
    """tag -> (checksum recorded, the table's bytes), read from the sfnt directory at
    offset ``at`` (0 in a font file; a face's offset in a collection)."""
    (count,) = struct.unpack_from(">H", font, at + 4)
    found = {}
    for i in range(count):
        tag, checksum, start, length = struct.unpack_from(">4sIII", font, at + 12 + 16 * i)
        found[tag] = (checksum, font[start : start + length])
    return found


def _sum32(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def test_the_extracted_faces_are_whole_fonts_named_sc(tmp_path: Path):
    written = sc_faces.install(tmp_path)
    assert [p.name for p in written] == [name for _, _, name in sc_faces.FACES]
    for path, (source, family, _) in zip(written, sc_faces.FACES, strict=True):
        font = path.read_bytes()
        query = subprocess.run(
            ["fc-query", "-f", "%{family[0]}|%{style[0]}|%{postscriptname}|%{fontformat}", path],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        style = "Bold" if "Bold" in source else "Regular"
        assert query == f"{family}|{style}|{path.stem}|CFF"
        tables = _directory(font)
        for tag, (checksum, data) in tables.items():
            if tag == b"head":  # its checksum is taken with checkSumAdjustment at 0
                data = data[:8] + b"\0\0\0\0" + data[12:]
            assert checksum == _sum32(data), tag
        assert _sum32(font) == 0xB1B0AFBA  # head.checkSumAdjustment balances the file
        cff = tables[b"CFF "][1]
        assert b"CJKjp-" not in cff and path.stem.encode() in cff
        # every table is the collection's SC face's (found by fontconfig), byte for byte
        ttc = sc_faces.collections()[source]
        listing = subprocess.run(
            ["fc-query", "-f", "%{index}|%{family[0]}\n", ttc], capture_output=True, text=True
        ).stdout
        index = next(
            int(line.split("|")[0])
            for line in listing.split("\n")[:-1]
            if line.split("|")[1] == family
        )
        collection = ttc.read_bytes()
        (offset,) = struct.unpack_from(">I", collection, 12 + 4 * index)
        original = _directory(collection, offset)
        assert original.keys() == tables.keys()
        for tag, (_, data) in original.items():
            if tag == b"CFF ":
                assert data.replace(b"CJKjp-", b"CJKsc-") == cff
            elif tag == b"head":
                assert data[:8] + data[12:] == tables[tag][1][:8] + tables[tag][1][12:]
            else:
                assert data == tables[tag][1], tag


def test_without_the_extracted_faces_the_shipped_configuration_is_used(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(sc_faces, "SYSTEM_DIR", tmp_path / "none")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert font_env() == {"FONTCONFIG_FILE": str(fonts_conf())}
    folder = tmp_path / "data" / "xlsummary" / "fonts"
    sc_faces.install(folder)
    conf = font_env()["FONTCONFIG_FILE"]
    assert conf != str(fonts_conf())
    env = {"FONTCONFIG_FILE": conf, "PATH": "/usr/bin:/bin"}
    resolve = {"仿宋": "NotoSerifCJKsc-Regular", "方正小标宋简体": "NotoSerifCJKsc-Bold"}
    resolve |= {"黑体": "NotoSansCJKsc-Regular", "黑体:bold": "NotoSansCJKsc-Bold"}
    for face, stem in resolve.items():
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", face], capture_output=True, text=True, env=env
        ).stdout
        assert found == str(folder / f"{stem}.otf"), face
    # the collections' other faces are still there (the JP face for the tests above)
    found = subprocess.run(
        ["fc-match", "-f", "%{family[0]}|%{file}", "Noto Serif CJK JP"],
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    assert found.startswith("Noto Serif CJK JP|") and found.endswith(".ttc")
