"""Nothing is fetched from outside: a template that links a picture or loads content
through a field is refused, the PDF converter cuts such content out of any document
it is given, and LibreOffice's profile blocks linked content by itself. Each layer is
tested alone, against a listener on 127.0.0.1 that counts every connection."""

from __future__ import annotations

import asyncio
import io
import socket
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest

from tests.conftest import assert_refused, rewrite_zip, run_measured, soffice
from tests.hostile_files import complex_field, docx_with, fetching_docx, png
from xlsummary import opc
from xlsummary.external_content import for_conversion, loading_fields
from xlsummary.pdf.converter import PdfConverter, PoolSettings, _Slot, uno_python
from xlsummary.report import default_template

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


class Listener:
    """A TCP listener on loopback that counts connections (and what they asked)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.sock.settimeout(0.2)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.requests.append(conn.recv(1024).split(b"\r\n")[0])
                except OSError:
                    self.requests.append(b"?")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def local_picture(tmp_path: Path) -> Path:
    """A real PNG on the server's disk, which a PDF must never embed."""
    return png(tmp_path / "secret.png")


@pytest.fixture
def report(make_workbook, tmp_path: Path) -> Path:
    """A real report, as the server renders it."""
    out = tmp_path / "report.docx"
    done = run_measured("render", str(make_workbook(example=True)), "-o", str(out))[0]
    assert done.returncode == 0, done.stderr
    return out


def test_field_instructions_are_read_as_word_reads_them():
    def part(*paragraphs: str) -> bytes:
        return f"<w:document {W_NS}><w:body>{''.join(paragraphs)}</w:body></w:document>".encode()

    split = complex_field(" INCLUDE", 'PICTURE "http://x/a.png" ')
    assert loading_fields(part(split)) == ['INCLUDEPICTURE "http://x/a.png"']
    simple = "<w:p><w:fldSimple w:instr=' link Excel.Sheet.8 \"c:\\\\a.xls\" '/></w:p>"
    assert loading_fields(part(simple)) == ['link Excel.Sheet.8 "c:\\\\a.xls"']
    # fields that load nothing, and a hyperlink whose address says "link"
    harmless = complex_field(" PAGE ") + complex_field(' HYPERLINK "http://x/link" ')
    assert loading_fields(part(harmless)) == []
    # a field nested inside another is judged on its own instruction
    nested = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText> IF 1 = 1 "</w:instrText></w:r>'
        + complex_field(' INCLUDETEXT "/etc/passwd" ')[5:-6]
        + '<w:r><w:instrText>" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert loading_fields(part(nested)) == ['INCLUDETEXT "/etc/passwd"']


@pytest.mark.parametrize(
    "field",
    [
        complex_field(" INCLUDE", 'PICTURE "http://attacker.example/x.png" \\d '),
        complex_field(' INCLUDETEXT "/etc/passwd" '),
        "<w:p><w:fldSimple w:instr=' DDEAUTO cmd \"/c calc\" '/></w:p>",
        # disguised: written by a tag, no space before the quote, a quoted keyword
        complex_field('{{ "INCLUDE" }}PICTURE "http://attacker.example/x.png" '),
        complex_field('INCLUDEPICTURE"http://attacker.example/x.png"'),
        complex_field('"INCLUDETEXT" "/etc/passwd"'),
    ],
    ids=[
        "includepicture split across runs",
        "includetext",
        "ddeauto",
        "keyword written by a tag",
        "no space before the quote",
        "quoted keyword",
    ],
)
def test_templates_with_loading_fields_are_refused(make_workbook, tmp_path: Path, field):
    template = docx_with(
        default_template("zh"),
        tmp_path / "t.docx",
        "word/document.xml",
        "<w:body>",
        "<w:body>" + field,
    )
    out = tmp_path / "out.docx"
    done, peak = run_measured(
        "render", str(make_workbook(example=True)), "-t", str(template), "-o", str(out)
    )
    assert_refused(done, peak, says="读取外部内容的域")
    assert not out.exists()


def test_templates_embedding_another_document_are_refused(make_workbook, tmp_path: Path):
    template = docx_with(
        default_template("zh"),
        tmp_path / "chunk.docx",
        "word/_rels/document.xml.rels",
        "</Relationships>",
        '<Relationship Id="rIdChunk" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/aFChunk" Target="chunk.html"/></Relationships>',
    )
    done, peak = run_measured(
        "render",
        str(make_workbook(example=True)),
        "-t",
        str(template),
        "-o",
        str(tmp_path / "x.docx"),
    )
    assert_refused(done, peak, says="altChunk")


def test_for_conversion_cuts_what_fetches(report: Path, tmp_path: Path, local_picture: Path):
    hostile = fetching_docx(report, tmp_path / "h.docx", "http://127.0.0.1:9", local_picture)
    cut = for_conversion(hostile.read_bytes())
    with zipfile.ZipFile(io.BytesIO(cut)) as archive:
        rels = opc.relationships(archive.read("word/_rels/document.xml.rels"))
        body = archive.read("word/document.xml")
    assert [r["Id"] for r in rels if opc.is_external(r)] == ["rIdClick"]  # the real link
    assert loading_fields(body) == []
    for shown in (b"cachedpic", b"cachedtext", b"cachedsimple"):
        assert shown in body  # what the fields last showed stays
    # a document with nothing to cut is handed over as it is
    assert for_conversion(report.read_bytes()) == report.read_bytes()


def _images(pdf: Path) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    return len(listing.stdout.splitlines()[2:])


def _needs_uno() -> None:
    soffice()
    if uno_python() is None:
        pytest.fail("LibreOffice's UNO bindings are required: scripts/test.sh installs python3-uno")


@pytest.mark.slow
def test_the_converter_fetches_nothing(report, tmp_path, listener, local_picture):
    """Through the pool the server uses: the document is cut before LibreOffice."""
    _needs_uno()
    hostile = fetching_docx(report, tmp_path / "h.docx", listener.base, local_picture)

    async def convert() -> bytes:
        converter = PdfConverter(PoolSettings(slots=1))
        try:
            return await converter.convert(hostile.read_bytes())
        finally:
            await converter.aclose()

    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(asyncio.run(convert()))
    assert listener.requests == []
    assert _images(pdf) == 0  # the local picture is not in the PDF
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "cachedpic" in text and "对口支援" in text


@pytest.mark.slow
def test_the_profile_alone_blocks_linked_pictures(report, tmp_path, listener, local_picture):
    """LibreOffice itself, handed the uncut document: its profile refuses the links.
    (Without the profile's settings LibreOffice 7.4 fetches rel.png several times
    and embeds the local picture: checked when this test was written.)"""
    _needs_uno()
    hostile = fetching_docx(report, tmp_path / "h.docx", listener.base, local_picture)
    root = tmp_path / "converter"
    slot = _Slot(0, root, uno_python(), soffice())
    try:
        slot.start(120)
        slot.convert(hostile, tmp_path / "h.pdf", 120)
    finally:
        slot.stop()
    assert listener.requests == []
    assert _images(tmp_path / "h.pdf") == 0


def test_a_picture_linked_through_a_hyperlink_relationship_is_refused(make_workbook, tmp_path):
    """A picture's ``r:link`` naming a relationship typed as a hyperlink is fetched like
    any linked picture: refused, while a real hyperlink is the reader's own click."""
    from tests.hostile_files import _PICTURE_LINKED

    hyperlink = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
    rel = (
        f'<Relationship Id="rIdHl" Type="{hyperlink}" Target="http://127.0.0.1:9/x.png" '
        'TargetMode="External"/></Relationships>'
    )
    template = rewrite_zip(
        default_template("zh"),
        tmp_path / "t.docx",
        {
            "word/document.xml": lambda d: d.replace(
                b"<w:body>", b"<w:body>" + _PICTURE_LINKED.format(rid="rIdHl").encode(), 1
            ),
            "word/_rels/document.xml.rels": lambda d: d.replace(
                b"</Relationships>", rel.encode(), 1
            ),
        },
    )
    done, peak = run_measured(
        "render",
        str(make_workbook(example=True)),
        "-t",
        str(template),
        "-o",
        str(tmp_path / "x.docx"),
    )
    assert_refused(done, peak, says="链接了外部内容")


def test_a_header_stored_under_another_name_is_checked(make_workbook, tmp_path: Path):
    """Word finds parts by their relationships, not their names."""
    header = (
        f"<w:hdr {W_NS}>" + complex_field(' INCLUDETEXT "/etc/passwd" ') + "</w:hdr>"
    ).encode()
    template = rewrite_zip(default_template("zh"), tmp_path / "t.docx", {})
    with zipfile.ZipFile(template, "a") as archive:
        archive.writestr("extra/header9.dat", header)
    done, peak = run_measured(
        "render",
        str(make_workbook(example=True)),
        "-t",
        str(template),
        "-o",
        str(tmp_path / "x.docx"),
    )
    assert_refused(done, peak, says="读取外部内容的域")
    cut = for_conversion(template.read_bytes())
    with zipfile.ZipFile(io.BytesIO(cut)) as archive:
        assert loading_fields(archive.read("extra/header9.dat")) == []
