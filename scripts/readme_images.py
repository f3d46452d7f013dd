"""The README's pictures of the example report, made from the real output, never by
hand: ``python scripts/readme_images.py`` (needs LibreOffice, the fonts of
scripts/pdf_setup.sh and poppler-utils).

It generates the filled hospital example workbook, renders its PDF through the
command line (``xlsummary render --pdf``: the same converter and fonts as the
server), and writes

- ``docs/images/report-page1.png``: page 1;
- ``docs/images/key-figures.png``: the key-figure table, found by its caption and
  the heading after it (``pdftotext -bbox``) and cut out with ``pdftoppm``.

Run it again after changing the template or the fonts; the images are docs assets,
committed with the change.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
PAGE_DPI = 90  # an A4 page 745 px wide: readable on GitHub without zooming
TABLE_DPI = 144  # the table at twice the page's resolution
PAD = 10.0  # points around the table's text: its borders and a margin


def _run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:3])}… failed:\n{done.stderr}")
    return done.stdout


def make_pdf(folder: Path) -> tuple[Path, Path]:
    """The example workbook and its PDF, both made through the command line."""
    workbook = folder / "示例-医院对口支援-2023.xlsx"
    cli = (sys.executable, "-m", "xlsummary.cli")
    _run(*cli, "new", "--profile", "hospital", "--example", "-o", str(workbook))
    pdf = folder / "report.pdf"
    _run(*cli, "render", "--pdf", str(workbook), "-o", str(pdf))
    return workbook, pdf


def table_bounds(workbook: Path, pdf: Path) -> tuple[int, float, float, float, float]:
    """(page, x, y, width, height) in points of the key-figure table: from its
    caption down to the heading of the section after it (or the page's foot)."""
    from xlsummary.i18n import text
    from xlsummary.report import plan_report

    plan = plan_report(workbook)
    sections = plan.context["sections"]
    here = next(k for k, s in enumerate(sections) if s["key_figures_here"])
    after = sections[here + 1]["heading"] if here + 1 < len(sections) else None
    caption = text("templates.docx.key_caption", plan.lang)
    xhtml = _run("pdftotext", "-bbox", str(pdf), "-")
    xhtml = re.sub(r"<!DOCTYPE[^>]*>", "", xhtml, count=1)  # ElementTree fetches no DTD
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = ET.fromstring(xhtml).iter("{http://www.w3.org/1999/xhtml}page")
    for number, page in enumerate(pages, 1):
        words = page.findall("h:word", ns)
        starts = [k for k, w in enumerate(words) if w.text == caption]
        if not starts:
            continue
        boxes = [{k: float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")} for w in words]
        foot = float(page.get("height")) * 0.9  # the page number below
        end = foot
        table = []
        for word, box in zip(words[starts[0] :], boxes[starts[0] :], strict=True):
            if word.text == after or box["yMin"] > foot:
                end = box["yMin"]
                break
            table.append(box)
        # the table is as wide as the text: the page's widest lines give its edges
        x0 = min(b["xMin"] for b in boxes if b["yMax"] < foot) - PAD
        x1 = max(b["xMax"] for b in boxes if b["yMax"] < foot) + PAD
        y0 = min(b["yMin"] for b in table) - PAD
        y1 = min(max(b["yMax"] for b in table) + PAD, end - 2)
        return number, x0, y0, x1 - x0, y1 - y0
    sys.exit(f"the caption {caption!r} is not in {pdf}")


def png(pdf: Path, page: int, dpi: int, target: Path, box=None) -> None:
    args = ["pdftoppm", "-png", "-singlefile", "-r", str(dpi), "-f", str(page), "-l", str(page)]
    if box is not None:
        scale = dpi / 72
        x, y, w, h = (round(v * scale) for v in box)
        args += ["-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
    _run(*args, str(pdf), str(target.with_suffix("")))


def main(out: Path = IMAGES) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        workbook, pdf = make_pdf(Path(folder))
        page, *box = table_bounds(workbook, pdf)
        png(pdf, 1, PAGE_DPI, out / "report-page1.png")
        png(pdf, page, TABLE_DPI, out / "key-figures.png", box)
    for name in ("report-page1.png", "key-figures.png"):
        print(f"{out / name}: {(out / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else IMAGES)  # a folder: for the test
