"""``pip install xlsummary`` from the wheel (not the source tree) works on its own.

The wheel is built without network (``--no-isolation``), installed without its
dependencies into a fresh venv that borrows them from this environment's
site-packages, and then made to generate and check the example from another folder.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from xlsummary.generate import COMMITTED_TEMPLATES

pytestmark = pytest.mark.slow


def test_wheel_installs_and_runs(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("xlsummary-*.whl")
    members = set(zipfile.ZipFile(wheel).namelist())
    for name, *_ in COMMITTED_TEMPLATES:
        assert f"xlsummary/workbook_templates/{name}" in members
    assert {
        "xlsummary/profiles/hospital.toml",
        "xlsummary/examples/hospital.toml",
        "xlsummary/docx_templates/report-zh.docx",
        "xlsummary/docx_templates/report-en.docx",
        "xlsummary/excel/xlsummary.xlam",
        "xlsummary/pdf/fonts.conf",  # LibreOffice's fonts, read from the installed package
    } <= members
    assert not any(m.startswith("tests/") for m in members)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=300,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    Path(site.strip(), "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import xlsummary; print(xlsummary.__file__)"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(venv)), where
    cli = venv / "bin" / "xlsummary"
    subprocess.run(
        [str(cli), "new", "--example", "-o", "示例.xlsx"], cwd=work, check=True, timeout=120
    )
    checked = subprocess.run(
        [str(cli), "check", "示例.xlsx"], cwd=work, capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stderr
    assert "结果：未发现问题。" in checked.stdout
    rendered = subprocess.run(
        [str(cli), "render", "示例.xlsx"], cwd=work, capture_output=True, text=True, timeout=120
    )
    assert rendered.returncode == 0, rendered.stderr
    assert (work / "某某市人民医院2023年对口支援工作总结.docx").exists()
