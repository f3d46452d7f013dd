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
    assert "发现1个错误" in page.locator("#status").inner_text()
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


def tab_to(page, element_id: str, presses: int = 30) -> None:
    """Move the focus with the Tab key alone until ``element_id`` has it."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with Tab")


def test_keyboard_only_upload_announces_the_check(page, make_workbook):
    """No mouse: Tab to the drop zone, Enter (then Space) opens the file chooser, and the
    check's result is said in the page's one polite live region."""
    from playwright.sync_api import expect

    good = make_workbook(example=True, name="统计表.xlsx")
    bad = fill(make_workbook(example=True, name="有错误.xlsx"), {"月度统计!E8": "约80"})
    # every control has a name a screen reader says
    assert page.get_by_label("统计表类型").evaluate("e => e.id") == "profile"
    drop = page.get_by_role("button", name="把.xlsx文件拖到这里，或点击选择文件")
    assert drop.evaluate("e => e.id") == "drop"
    # Playwright intercepts file choosers only once a listener exists, and a listener
    # added by expect_file_chooser may come after the key press (the puppeteer#6040
    # race: the chooser then opens unseen): listen from the start
    page.on("filechooser", lambda _chooser: None)
    tab_to(page, "drop")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring not in ("", "none")  # the focus is visible
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(good))
    status = page.locator("[role=status][aria-live=polite]")
    assert status.count() >= 1 and status.first.get_attribute("id") == "status"
    expect(page.locator("#status")).to_contain_text("未发现问题")
    assert "统计表.xlsx" in page.locator("#status").inner_text()
    assert page.evaluate("document.activeElement.id") == "drop"
    with page.expect_file_chooser() as chooser:
        page.keyboard.press(" ")
    chooser.value.set_files(str(bad))
    expect(page.locator("#status")).to_contain_text("发现1个错误")
    assert "有错误.xlsx" in page.locator("#status").inner_text()


def test_check_says_which_workbook_was_checked(page, make_workbook):
    from playwright.sync_api import expect

    page.set_input_files("#file", str(make_workbook(example=True, name="统计表.xlsx")))
    expect(page.locator("#status")).to_contain_text("未发现问题")
    assert page.locator("#checked").inner_text() == (
        "已检查：统计表.xlsx（某某市人民医院，2023年，全年，医院对口支援）"
    )
    page.click("#lang")
    assert page.locator("#checked").inner_text() == (
        "Checked: 统计表.xlsx (某某市人民医院, 2023, Full year, Hospital partner support)"
    )


def test_report_in_the_workbooks_language_unless_one_is_picked(page, make_workbook):
    """A Chinese workbook checked on the English page is still a Chinese report; the
    report's language is the user's only when they pick one."""
    page.click("#lang")
    assert page.locator("h1").inner_text().startswith("Work summary")
    page.set_input_files("#file", str(make_workbook(example=True, name="统计表.xlsx")))
    page.wait_for_selector("#figure-table")
    with page.expect_download() as download:
        page.click("#docx")
    report = docx.Document(download.value.path())
    assert report.paragraphs[0].text == "某某市人民医院2023年对口支援工作总结"
    assert page.get_by_label("Report language").evaluate("e => e.id") == "report-lang"
    page.select_option("#report-lang", "en")
    with page.expect_download() as download:
        page.click("#docx")
    report = docx.Document(download.value.path())
    assert report.paragraphs[0].text.startswith("某某市人民医院 partner support work summary")


def test_english_page_shows_figures_in_english(page, make_workbook):
    page.click("#lang")
    page.set_input_files("#file", str(make_workbook(example=True, name="统计表.xlsx")))
    page.wait_for_selector("#figure-table")
    rows = [r.split("\t") for r in page.locator("#figure-table tr").all_inner_texts()]
    assert rows[0] == ["Indicator", "Unit", "This period", "Prior year", "YoY"]
    assert ["Operations", "operations", "33", "28", "+17.9%"] in rows
    assert ["Patient satisfaction", "%", "97.0", "95.4", "+1.6 pts"] in rows
    import re

    assert re.findall(r"[\u4e00-\u9fff]+", "".join(r[0] + r[1] + r[4] for r in rows)) == []


def test_refused_render_shows_the_errors_and_offers_a_draft(page, make_workbook, tmp_path):
    from playwright.sync_api import expect

    bad = fill(make_workbook(example=True, name="有错误.xlsx"), {"月度统计!E8": "约80"})
    page.set_input_files("#file", str(bad))
    page.wait_for_selector("#issue-table")
    page.click("#docx")
    expect(page.locator("#render")).to_contain_text("未生成报告")
    assert "E8" in page.locator("#render").inner_text()  # which error stops it
    make_draft = page.get_by_role("button", name="生成草稿")
    with page.expect_download() as download:
        make_draft.click()
    assert download.value.suggested_filename.endswith("（草稿）.docx")
    assert page.locator("#draft").is_checked()


def test_pdf_shows_progress_and_disables_the_buttons(page, make_workbook):
    """While the PDF converts the buttons are disabled, a progress bar shows and the
    section is aria-busy; afterwards (success or refusal) all is back."""
    page.set_input_files("#file", str(make_workbook(example=True, name="统计表.xlsx")))
    page.wait_for_selector("#figure-table")
    # every state the page passes through, recorded as it changes (no race with timing)
    page.evaluate(
        """() => {
        window.seen = [];
        const snap = () => window.seen.push({
          pdf: document.getElementById("pdf").disabled,
          docx: document.getElementById("docx").disabled,
          busy: document.getElementById("step3").getAttribute("aria-busy"),
          bar: !!document.getElementById("progress") &&
               getComputedStyle(document.getElementById("progress")).display !== "none" &&
               !document.getElementById("progress").hidden,
        });
        new MutationObserver(snap).observe(document.body,
          {attributes: true, subtree: true, childList: true});
      }"""
    )
    with page.expect_download():
        page.click("#pdf")
    seen = page.evaluate("window.seen")
    assert {"pdf": True, "docx": True, "busy": "true", "bar": True} in seen
    assert page.locator("#pdf").is_enabled() and page.locator("#docx").is_enabled()
    assert page.locator("#step3").get_attribute("aria-busy") == "false"
    assert page.locator("#progress").is_hidden()

    from playwright.sync_api import expect

    bad = fill(make_workbook(example=True, name="有错误.xlsx"), {"月度统计!E8": "约80"})
    page.set_input_files("#file", str(bad))
    page.wait_for_selector("#issue-table")
    page.click("#pdf")
    expect(page.locator("#render")).to_contain_text("未生成报告")
    assert page.locator("#pdf").is_enabled() and page.locator("#progress").is_hidden()


def _luminance(css: str) -> float:
    import re

    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_drop_zone_border_contrast(page):
    """WCAG 1.4.11: a control's boundary at least 3:1 against what is around it."""
    border, ground = page.evaluate(
        """() => [getComputedStyle(document.getElementById("drop")).borderTopColor,
                  getComputedStyle(document.getElementById("drop").closest("section"))
                    .backgroundColor]"""
    )
    light, dark = sorted((_luminance(border), _luminance(ground)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 3, (border, ground)


def test_results_read_on_a_390px_phone(page, make_workbook, tmp_path):
    """Nothing wider than the phone: a wide table scrolls in its own box."""
    page.set_viewport_size({"width": 390, "height": 844})
    for lang, cell in (("zh", "月度统计!E8"), ("en", "Monthly!E8")):
        bad = fill(make_workbook(example=True, lang=lang), {cell: "约80"})
        page.set_input_files("#file", str(bad))
        page.wait_for_selector("#issue-table")
        page.click("#docx")  # the refusal, with its issues
        page.wait_for_selector("#render .error")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, lang
        page.click("#lang")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, lang
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)


def test_last_years_workbook_beside_the_current_one(page, tmp_path: Path):
    """Choosing last year's workbook checks the current one again against it, and the
    report compares with last year's same quarter."""
    from playwright.sync_api import expect

    from tests.test_prior_year import workbook

    last, last_data = workbook(tmp_path, "2022.xlsx", year=2022, scale=0.9)
    this, _ = workbook(tmp_path, "2023.xlsx", year=2023, period="q3")
    page.set_input_files("#file", str(this))
    expect(page.locator("#issues")).to_contain_text("像是上年全年的数")
    assert (
        page.get_by_label("上年统计表（可选：上年同期按上年各月计算）").evaluate("e => e.id")
        == "prior"
    )
    page.set_input_files("#prior", str(last))
    # the column still holds the whole year: now each such cell is named, with last year's
    expected = sum(last_data["tallies"]["outpatient"]["months"][6:9])
    expect(page.locator("#issues")).to_contain_text(f"计算为{expected}")
    expect(page.locator("#issues")).not_to_contain_text("像是上年全年的数")
    with page.expect_download() as download:
        page.click("#docx")
    report = docx.Document(download.value.path())
    rows = [[c.text for c in r.cells] for t in report.tables for r in t.rows]
    assert any(r[0] == "门诊人次" and "14,120" in r for r in rows)  # the entered figure wins
    assert page.console_errors == []
