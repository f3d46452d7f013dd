"""``xlsummary render --pdf``: the report as PDF from the command line, through the
server's converter; the output judged before any work, and one clear sentence
(exit 2) where LibreOffice is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import soffice


def render(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", "render", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.mark.slow
def test_the_pdf_goes_beside_the_workbook_under_the_reports_name(make_workbook, tmp_path):
    soffice()
    book = make_workbook(example=True)
    done = render("--pdf", str(book))
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "某某市人民医院2023年对口支援工作总结.pdf"
    assert done.stdout.strip() == f"已生成报告：{pdf}"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "开展手术33例，同比增长17.9%" in "".join(text.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([book.name, pdf.name])
    # again: refused, the first PDF kept; with --force replaced
    before = pdf.read_bytes()
    again = render("--pdf", str(book))
    assert again.returncode == 2 and "已存在" in again.stderr and pdf.read_bytes() == before
    forced = render("--pdf", "--force", str(book), "-o", str(tmp_path))
    assert forced.returncode == 0, forced.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_pdf_must_be_named_pdf(make_workbook, tmp_path: Path):
    book = make_workbook(example=True)
    done = render("--pdf", str(book), "-o", str(tmp_path / "report.docx"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"错误：PDF文件名应以.pdf结尾：{tmp_path / 'report.docx'}"
    assert not (tmp_path / "report.docx").exists()


def test_without_libreoffice_one_sentence_and_exit_2(make_workbook, tmp_path: Path):
    """No soffice on the PATH (an empty folder): the catalogued sentence, no traceback,
    no file; the Word report still works."""
    book = make_workbook(example=True)
    empty = tmp_path / "bin"
    empty.mkdir()
    done = render("--pdf", str(book), "-o", str(tmp_path / "r.pdf"), path=str(empty))
    assert done.returncode == 2
    assert done.stderr.startswith("错误：本机未找到LibreOffice（soffice），无法生成PDF。")
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "r.pdf").exists()
    english = render("--pdf", "--lang", "en", str(book), path=str(empty))
    assert english.returncode == 2
    assert english.stderr.startswith("Error: LibreOffice (soffice) was not found")
    word = render(str(book), "-o", str(tmp_path / "r.docx"), path=str(empty))
    assert word.returncode == 0 and (tmp_path / "r.docx").exists()


@pytest.mark.slow
def test_the_readme_pictures_are_one_command(tmp_path: Path):
    """scripts/readme_images.py makes both pictures from the real PDF: page 1 at 90 dpi
    and the key-figure table, wider than high, cut inside
    the page."""
    import struct

    from tests.conftest import ROOT

    soffice()
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_images.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr

    def size(name: str) -> tuple[int, int]:
        head = (tmp_path / name).read_bytes()[:24]
        assert head.startswith(b"\x89PNG")
        return struct.unpack(">II", head[16:24])

    assert size("report-page1.png") == (745, 1053)  # A4 at 90 dpi
    width, height = size("key-figures.png")
    assert 600 < width < 1000 and 300 < height < width
