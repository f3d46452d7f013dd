"""Time a whole report (read, validate, total, context, render, save) against a plain
openpyxl + docxtpl script and against the floor of merely unzipping the workbook and
re-zipping the template, in one run, on workbooks of 20, 200 and 1000 indicators.

Usage: python benchmarks/bench_render.py [--repeat N]

  floor       read every member of the workbook zip, then write every member of the
              template into a new zip (no parsing at all)
  naive       openpyxl.load_workbook + a dict built in Python + DocxTemplate.render +
              save: what a first script would do, filling the same template
  xlsummary   xlsummary.report.render_report: the CLI's `render`, warm (the template is
              compiled once per file and reused, as in a server or the Excel add-in)

  no charts   the same, with the template's two charts left unfilled: ``charts`` is
              what filling them costs (chart XML and embedded workbooks, XlsxWriter)

and, last, ``xlsummary render`` of the bundled example as a new process (median of 5).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from docxtpl import DocxTemplate

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbooks import bytecode_note, cold_command, median_ms, synthetic_workbook
from xlsummary.render_docx import load_template
from xlsummary.report import default_template, render_report

TODAY = dt.date(2024, 1, 5)


def floor(workbook: Path, template: Path, out: Path) -> None:
    with zipfile.ZipFile(workbook) as archive:
        for name in archive.namelist():
            archive.read(name)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))


def naive(workbook: Path, template: Path, out: Path) -> None:
    """A straightforward script: read cells with openpyxl, sum in Python, docxtpl."""
    wb = openpyxl.load_workbook(workbook, data_only=True)
    info = {row[0].value: row[1].value for row in wb["基本信息"].iter_rows(min_row=3, max_row=12)}
    rows = []
    for row in wb["月度统计"].iter_rows(min_row=4, values_only=True):
        if not row[0]:
            continue
        months = [v if isinstance(v, int | float) else 0 for v in row[3:15]]
        total, prior = sum(months), row[15] or 0
        yoy = f"{(total - prior) / prior * 100:+.1f}%" if prior else "—"
        rows.append(
            {
                "name": row[0],
                "unit": "",
                "total": f"{total:,.0f}",
                "prior": f"{prior:,.0f}",
                "yoy": yoy,
                "months": [f"{v:,.0f}" for v in months],
            }
        )
    sections = []
    for k, row in enumerate(wb["叙述"].iter_rows(min_row=4, values_only=True)):
        if row[0]:
            sections.append(
                {
                    "heading": f"{k + 1}、{row[1]}",
                    "paragraphs": str(row[2] or "").split("\n"),
                    "key_figures_here": row[0] == "results",
                }
            )
    context = {
        "title": f"{info['报告单位']}{info['年度']}年工作总结",
        "draft": False,
        "draft_note": "",
        "sections": sections,
        "key_figures": rows,
        "indicators": rows,
        "issues": [],
        "unit": info["报告单位"],
        "date": str(info["填报日期"]),
        "year": str(info["年度"]),
        "charts": {"yoy": {"series": []}, "monthly": {"series": []}},  # no charts drawn
    }
    document = DocxTemplate(template)
    document.render(context, autoescape=True)
    document.save(out)


def untagged(template: Path, folder: Path) -> Path:
    """The template without its chart tags, which docxtpl alone would read as a field
    (the naive script shows the template's placeholder charts as they are)."""
    from xlsummary.charts import TAG

    out = folder / "untagged.docx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = TAG.sub("", data.decode("utf-8")).encode("utf-8")
            dst.writestr(item, data)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    template = default_template("zh")
    header = (
        f"{'indicators':>10} {'floor':>9} {'naive':>10} {'xlsummary':>10} "
        f"{'vs naive':>9} {'vs floor':>9} {'no charts':>10} {'charts':>8}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain = untagged(template, folder)
        for n in (20, 200, 1000):
            workbook = synthetic_workbook(n, folder)
            out = folder / f"report-{n}.docx"
            figures = {
                "floor": median_ms(lambda w=workbook, o=out: floor(w, template, o), args.repeat),
                "naive": median_ms(
                    lambda w=workbook, o=out: naive(w, plain, o), max(3, args.repeat // 4)
                ),
                "xlsummary": median_ms(
                    lambda w=workbook, o=out: render_report(w, o, force=True, today=TODAY),
                    args.repeat,
                ),
            }
            compiled = load_template(template)  # the cached one render_report uses
            slots, compiled.slots = compiled.slots, []
            try:
                figures["no charts"] = median_ms(
                    lambda w=workbook, o=out: render_report(w, o, force=True, today=TODAY),
                    args.repeat,
                )
            finally:
                compiled.slots = slots
            print(
                f"{n:>10} {figures['floor']:>7.1f}ms {figures['naive']:>8.1f}ms "
                f"{figures['xlsummary']:>8.1f}ms "
                f"{figures['naive'] / figures['xlsummary']:>8.1f}x "
                f"{figures['xlsummary'] / figures['floor']:>8.1f}x "
                f"{figures['no charts']:>8.1f}ms "
                f"{figures['xlsummary'] - figures['no charts']:>+6.1f}ms"
            )
        from xlsummary.generate import generate_workbook

        example = folder / "example.xlsx"
        example.write_bytes(generate_workbook("hospital", None, "zh", True))
        seconds, peak = cold_command(["render", str(example), "--force", "-o", str(out)])
        print(
            f"\ncold `xlsummary render` of the example: {seconds:.2f} s wall, {peak:.0f} MiB, {bytecode_note()}"
        )


if __name__ == "__main__":
    main()
