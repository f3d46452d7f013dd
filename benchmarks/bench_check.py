"""Time reading + validating + totalling a filled workbook against plain openpyxl.

Usage: python benchmarks/bench_check.py [--repeat N]

Every figure is the median of N warm runs in this process, measured in the same run as
its baselines, on workbooks of 20, 200 and 1000 indicators:

  unzip          read every member of the .xlsx zip (the floor for any reader)
  openpyxl       openpyxl.load_workbook(path) -- the usual way to read a workbook
  openpyxl ro    openpyxl.load_workbook(path, read_only=True, data_only=True) and
                 iterating the values of every sheet
  xlsummary      read_grids + build_model + validate + compute_totals (xlsummary check)
  core only      validate + compute_totals on an already built model (what an Excel
                 function call costs)

and, last, ``xlsummary check`` of the bundled example as a new process (median of 5).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbooks import bytecode_note, cold_command, median_ms, synthetic_workbook
from xlsummary.check import check_workbook
from xlsummary.model_reader import build_model
from xlsummary.read_xlsx import read_grids
from xlsummary.totals import compute_totals
from xlsummary.validate import validate


def unzip(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            archive.read(name)


def openpyxl_read_only(path: Path) -> None:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    header = (
        f"{'indicators':>10} {'unzip':>8} {'openpyxl':>9} {'openpyxl ro':>12} "
        f"{'xlsummary':>10} {'core only':>10} {'vs openpyxl':>12}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for n in (20, 200, 1000):
            path = synthetic_workbook(n, Path(tmp))
            result = check_workbook(path)
            assert len(result.model.catalogue) == n and result.errors == 0, result.issues[:3]
            model = build_model(read_grids(path))
            figures = {
                "unzip": median_ms(lambda p=path: unzip(p), args.repeat),
                "openpyxl": median_ms(lambda p=path: openpyxl.load_workbook(p), args.repeat),
                "openpyxl ro": median_ms(lambda p=path: openpyxl_read_only(p), args.repeat),
                "xlsummary": median_ms(lambda p=path: check_workbook(p), args.repeat),
                "core": median_ms(
                    lambda m=model: (validate(m), compute_totals(m)), args.repeat * 10
                ),
            }
            print(
                f"{n:>10} {figures['unzip']:>7.2f}ms {figures['openpyxl']:>7.2f}ms "
                f"{figures['openpyxl ro']:>10.2f}ms {figures['xlsummary']:>8.2f}ms "
                f"{figures['core']:>8.3f}ms {figures['openpyxl'] / figures['xlsummary']:>10.1f}x"
            )
        from xlsummary.generate import generate_workbook

        example = Path(tmp) / "example.xlsx"
        example.write_bytes(generate_workbook("hospital", None, "zh", True))
        seconds, peak = cold_command(["check", str(example)])
        print(
            f"\ncold `xlsummary check` of the example: {seconds:.2f} s wall, {peak:.0f} MiB, {bytecode_note()}"
        )


if __name__ == "__main__":
    main()
