"""Time consolidating 1,000 unit workbooks, against reading them with check_workbook.

Usage: python benchmarks/bench_consolidate.py [--count 1000]

Each figure is one run in a fresh process (so its peak memory is its own), in the
same run as its baseline:

  check loop       check_workbook(path) of every file in a plain loop, nothing kept
                   (the floor: what reading and validating the files costs)
  consolidate 1    consolidate_files(..., workers=1): read, consolidate, write the roll-up
  consolidate N    the same on a process pool of every core

reporting seconds, workbooks per second, and peak memory (ru_maxrss of the process
plus that of its largest child) at a quarter of the count and at the full count: a
flat figure means nothing per unit is kept beyond its small arrays.

The workbooks: 20 hospital workbooks of different figures (tests/unit_workbooks.py),
each copied with a different unit name patched into its 基本信息 sheet, so the set is
made in seconds rather than generated one by one.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
DISTINCT = 20
TOKEN = "UNIT-000000"


def make_set(folder: Path, count: int) -> list[Path]:
    import unit_workbooks as uw
    from xlsummary.generate import generate_workbook

    seeds = []
    for k in range(DISTINCT):
        data = generate_workbook("hospital", None, "zh", example=uw.unit_example(TOKEN, k))
        seeds.append(data)
    paths = []
    for n in range(count):
        data = seeds[n % DISTINCT]
        name = f"UNIT-{n:06d}"
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                body = src.read(info.filename)
                if TOKEN.encode() in body:
                    body = body.replace(TOKEN.encode(), name.encode())
                dst.writestr(info, body)
        path = folder / f"{n // 100:02d}" / f"unit{n:06d}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(out.getvalue())
        paths.append(path)
    return paths


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def child(mode: str, folder: Path, count: int, workers: int) -> None:
    """One measurement, printed as JSON."""
    from xlsummary.check import check_workbook
    from xlsummary.rollup_workbook import consolidate_files

    paths = sorted(folder.rglob("*.xlsx"))[:count]
    start = time.perf_counter()
    if mode == "check":
        for p in paths:
            check_workbook(p)
        included = count
    else:
        out = Path(tempfile.mkdtemp()) / "汇总.xlsx"
        done = consolidate_files(paths, out, unit="某某县卫生健康局", workers=workers)
        included = len(done.rollup.included)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak": peak_mib(), "included": included}))


def measure(mode: str, folder: Path, count: int, workers: int) -> dict:
    command = [sys.executable, __file__, "--child", mode, str(folder), str(count), str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--child", nargs=4, metavar=("MODE", "FOLDER", "COUNT", "WORKERS"))
    args = parser.parse_args()
    if args.child:
        mode, folder, count, workers = args.child
        child(mode, Path(folder), int(count), int(workers))
        return
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        make_set(Path(tmp), args.count)
        made = time.perf_counter() - start
        print(f"{args.count} workbooks made in {made:.1f} s; {cores} cores")
        print(f"{'':16} {'count':>6} {'seconds':>8} {'wb/s':>8} {'peak MiB':>9} {'included':>9}")
        rows = [("check loop", "check", 1), ("consolidate 1", "rollup", 1)]
        rows.append((f"consolidate {cores}", "rollup", cores))
        for label, mode, workers in rows:
            for count in (args.count // 4, args.count):
                r = measure(mode, Path(tmp), count, workers)
                rate = count / r["seconds"]
                print(
                    f"{label:16} {count:>6} {r['seconds']:>8.2f} {rate:>8.0f} "
                    f"{r['peak']:>9.0f} {r['included']:>9}"
                )


if __name__ == "__main__":
    main()
