"""The page in a real headless Chromium (Debian's, driven by Playwright; no browser
download): upload the example workbook, see the issues, download DOCX and PDF, and
read those files back. A screenshot of the page is saved in the test's folder."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import docx
import pytest

from tests.conftest import fill
from tests.servers import Server
from xlsummary.web import Settings

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def page(tmp_path: Path):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required in CI: scripts/test.sh installs it")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    server = Server(Settings())
    with server, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(accept_downloads=True, locale="zh-CN")
        tab = context.new_page()
        # a script or style the page's content security policy blocks is a console error
        tab.console_errors = []
        tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
        tab.goto(f"http://127.0.0.1:{server.port}/")
        yield tab
        browser.close()


def test_upload_check_and_download(page, make_workbook, tmp_path: Path):
    from playwright.sync_api import expect

    assert page.locator("h1").inner_text() == "工作总结 · 统计表检查与报告生成"
    bad = fill(make_workbook(example=True, name="有错误的统计表.xlsx"), {"月度统计!E8": "约80"})
    page.set_input_files("#file", str(bad))
    page.wait_for_selector("#issue-table")
    rows = page.locator("#issue-table tr").all_inner_texts()
    assert "E8" in rows[1] and "约80" in rows[1] and rows[1].startswith("错误")
    assert "发现 1 个错误" in page.locator("#status").inner_text()
    page.click("#docx")  # refused without draft: the message says why
    expect(page.locator("#render")).to_contain_text("错误")
    page.check("#draft")
    with page.expect_download() as download:
        page.click("#docx")
    draft = download.value
    assert draft.suggested_filename == "某某市人民医院2023年对口支援工作总结（草稿）.docx"
    saved = tmp_path / draft.suggested_filename
    draft.save_as(saved)
    assert docx.Document(saved).sections[0].header.paragraphs[0].text == "草 稿"

    good = make_workbook(example=True, name="统计表.xlsx")
    page.set_input_files("#file", str(good))
    expect(page.locator("#status")).to_contain_text("未发现问题")
    figures = page.locator("#figure-table tr").all_inner_texts()
    assert figures[5].split("\t") == ["手术例数", "例", "33", "28", "+17.9%"]
    page.uncheck("#draft")
    with page.expect_download() as download:
        page.click("#pdf")
    pdf = download.value
    assert pdf.suggested_filename == "某某市人民医院2023年对口支援工作总结.pdf"
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as download:
        page.click("#docx")
    report = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert report.paragraphs[0].text == "某某市人民医院2023年对口支援工作总结"
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    assert (tmp_path / "page.png").stat().st_size > 10_000

    # the page ran under its strict policy (no inline script but its own, no eval)
    # (the one error is the refused render above: a 422 the page shows as a message)
    assert [e for e in page.console_errors if "422" not in e] == [], page.console_errors

    page.click("#lang")
    assert page.locator("h1").inner_text().startswith("Work summary")
    with page.expect_download() as download:
        page.click("#blank")
    assert download.value.suggested_filename.endswith(".xlsx")
