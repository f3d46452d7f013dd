"""Python-side time of one Excel function call over a whole tally table.

Usage: python benchmarks/bench_udfs.py [--repeat N]

Each function gets the range values Excel would pass (floats, None, text), read once
from a filled workbook. The baseline, in the same run, is the core alone on a model
that is already built (compute_totals): what remains is turning Excel's values into
the model, which every call must do because worksheet functions keep no state.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbooks import median_ms, synthetic_workbook
from xlsummary.check import check_workbook
from xlsummary.excel.udfs import XLS_ISSUES, XLS_STATUS, XLS_TOTALS
from xlsummary.totals import compute_totals


def values(path: Path, sheet: str, columns: str, first: int, last: int) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[sheet]
    a, b = columns.split(":")
    return [
        [float(c.value) if type(c.value) is int else c.value for c in row]
        for row in ws[f"{a}{first}:{b}{last}"]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    header = (
        f"{'indicators':>10} {'core only':>10} {'XLS_TOTALS':>11} {'XLS_STATUS':>11} "
        f"{'XLS_ISSUES':>11}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for n in (20, 200, 1000):
            path = synthetic_workbook(n, Path(tmp))
            tally = values(path, "月度统计", "A:P", 3, 3 + n + 10)
            catalogue = values(path, "指标", "A:I", 3, 3 + n + 20)
            model = check_workbook(path).model
            call = (tally, catalogue, 1.0, 12.0, 3.0, 3.0)
            figures = [
                median_ms(lambda m=model: compute_totals(m), args.repeat),
                median_ms(lambda c=call: XLS_TOTALS(*c), args.repeat),
                median_ms(lambda c=call: XLS_STATUS(*c), args.repeat),
                median_ms(lambda c=call: XLS_ISSUES(*c), args.repeat),
            ]
            print(f"{n:>10} " + " ".join(f"{f:>9.3f}ms" for f in figures))


if __name__ == "__main__":
    main()
