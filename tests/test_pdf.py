"""A real office suite opens the report: LibreOffice converts it to PDF, and the PDF's
text holds the title and the figures."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import libreoffice_convert
from xlsummary.report import render_report

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_converts_to_pdf(make_workbook, tmp_path: Path, lang):
    done = render_report(
        make_workbook(example=True, lang=lang), tmp_path / "report.docx", today=dt.date(2024, 1, 5)
    )
    pdf = libreoffice_convert(done.path, tmp_path / "pdf", "pdf", tmp_path / "lo-profile")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is required: scripts/test.sh installs it")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    if lang == "zh":
        assert "某某市人民医院2023年对口支援工作总结" in squeezed
        assert "开展手术33例，同比增长17.9%" in squeezed
        assert "2023年12月28日" in squeezed
    else:
        assert "partnersupportworksummary,2023" in squeezed
    assert "15,058" in squeezed
    # every part of the report is there, in order, whatever fonts decide the page
    # breaks: key figures, signature, then the monthly appendix with its last row
    appendix = "附件2023年月度统计明细" if lang == "zh" else "AppendixMonthlyfigures,2023"
    signature = "2023年12月28日" if lang == "zh" else "28December2023"
    assert squeezed.index("15,058") < squeezed.index(signature) < squeezed.index(appendix)
    assert "97.497.697.297.897.0" in squeezed[squeezed.index(appendix) :]
