"""What the guards against hostile files cost, and what a hostile file costs with them.

Usage: python benchmarks/bench_guards.py [--repeat N]

Part 1, medians of N warm runs on synthetic workbooks of 20, 200 and 1000 indicators,
each against its baseline in the same run:

  calamine       python-calamine on the file as it is, every sheet the reader needs:
                 what the first release did, unguarded
  guarded read   xlsummary.read_xlsx.read_grids: inflate counting, scan the sheets,
                 calamine on the measured parts (plus formulas and error values)
  scan (plain)   sheet_scan on the sheets as written (the regular-expression proof)
  scan (exact)   the same sheets through the expat path, which other spellings take

Part 2, a user's template: the shipped template rendered in this process (warm,
compiled once) against the same template through the worker process
(xlsummary.untrusted.render_untrusted: a new process per report).

Part 3, each hostile file through ``xlsummary check`` / ``render --template`` as a
subprocess: wall time to the refusal and the peak resident memory of the command and
its worker (RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import python_calamine

from tests.hostile_files import TALLY_SHEET, docx_with, inflating_member, with_cells
from workbooks import median_ms, synthetic_workbook
from xlsummary.check import check_workbook
from xlsummary.limits import DEFAULT, Limits
from xlsummary.read_xlsx import read_grids
from xlsummary.render_docx import load_template
from xlsummary.report import default_template, render_context
from xlsummary.sheet_scan import _Scanner, scan_sheet
from xlsummary.untrusted import render_untrusted

SHEETS = ("说明", "基本信息", "指标", "月度统计", "叙述")
PARTS = [f"xl/worksheets/sheet{k}.xml" for k in range(1, 6)]


def unguarded(path: Path) -> None:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    for sheet in SHEETS:
        book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def part1(repeat: int, folder: Path) -> None:
    header = (
        f"{'indicators':>10} {'calamine':>9} {'guarded read':>13} {'scan (plain)':>13} "
        f"{'scan (exact)':>13}"
    )
    print(header)
    print("-" * len(header))
    for n in (20, 200, 1000):
        path = synthetic_workbook(n, folder)
        with zipfile.ZipFile(path) as archive:
            sheets = [archive.read(part) for part in PARTS]
        figures = {
            "calamine": median_ms(lambda p=path: unguarded(p), repeat),
            "guarded": median_ms(lambda p=path: read_grids(p), repeat),
            "plain": median_ms(
                lambda s=sheets: [scan_sheet(x, "s", "b", DEFAULT) for x in s], repeat
            ),
            "exact": median_ms(
                lambda s=sheets: [_Scanner("s", "b", DEFAULT).run(x) for x in s],
                max(3, repeat // 3),
            ),
        }
        print(
            f"{n:>10} {figures['calamine']:>7.1f}ms {figures['guarded']:>11.1f}ms "
            f"{figures['plain']:>11.1f}ms {figures['exact']:>11.1f}ms"
        )


def part2(repeat: int, folder: Path) -> None:
    workbook = synthetic_workbook(20, folder)
    context = render_context(check_workbook(workbook), today=dt.date(2024, 1, 5))
    template = default_template("zh")
    data = template.read_bytes()
    inside = median_ms(lambda: load_template(template).render(context), repeat)
    worker = median_ms(lambda: render_untrusted(data, str(template), context), max(3, repeat // 4))
    print(
        f"\nshipped template, 20 indicators: in this process {inside:.1f} ms, "
        f"in the worker process {worker:.0f} ms"
    )


def measured(*args: str, env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak MiB and the last stderr line of one CLI run."""
    import os

    script = (
        "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True,"
        " text=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "print(p.stderr.strip().splitlines()[-1] if p.stderr.strip() else '')"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, sys.executable, "-m", "xlsummary.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    seconds = time.perf_counter() - start
    peak, _, said = done.stdout.partition("\n")
    return seconds, int(peak) / 1024, said.strip()


def part3(folder: Path) -> None:
    from xlsummary.generate import generate_workbook

    good = folder / "good.xlsx"
    good.write_bytes(generate_workbook("hospital", None, "zh", True))
    far = with_cells(good, folder / "far.xlsx", b"<row r='9'><c r='XFD1048576'><v>1</v></c></row>")
    bomb = inflating_member(good, folder / "bomb.xlsx", TALLY_SHEET, 300 * 2**20, 2000)
    zh = default_template("zh")
    nested = docx_with(
        zh,
        folder / "nested.docx",
        "word/document.xml",
        "{{ unit }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    )
    center = docx_with(
        zh, folder / "center.docx", "word/document.xml", "{{ unit }}", "{{ unit|center(10**9) }}"
    )
    limits = Limits()
    cases = [
        ("far cell in single quotes", ["check", str(far)]),
        ("member declaring 2 KB, inflating to 300 MB", ["check", str(bomb)]),
        (
            f"nested range() loops (limit {limits.template_seconds:g} s)",
            ["render", str(good), "-t", str(nested), "-o", str(folder / "n.docx")],
        ),
        (
            f"center(10**9) (limit {limits.template_memory // 2**20} MiB)",
            ["render", str(good), "-t", str(center), "-o", str(folder / "c.docx")],
        ),
        ("baseline: check of the example", ["check", str(good)]),
    ]
    print(f"\n{'hostile file':<46} {'refused in':>10} {'peak':>9}")
    for name, args in cases:
        seconds, peak, said = measured(*args)
        print(f"{name:<46} {seconds:>9.2f}s {peak:>6.0f} MiB   {said[:60]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        part1(args.repeat, folder)
        part2(args.repeat, folder)
        part3(folder)


if __name__ == "__main__":
    main()
