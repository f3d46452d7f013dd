"""Many workbooks, in one run: batch rendering and consolidation of the same 1,000
generated unit workbooks, each beside its baseline.

Usage: python benchmarks/bench_many.py [--count 1000]

Rows (each in a fresh Python process, so that its peak memory is its own):

  batch
    plain loop            make_report + write each file, one by one (the baseline)
    --workers 1           batch.convert in this process
    process pool          batch.convert on every core
    Dask LocalCluster     batch.convert on a local Dask cluster of 2 worker processes
    ... at a quarter      the pool again on a quarter of the workbooks: memory flat?
  consolidate
    check loop            check_workbook of every file, nothing kept (the baseline: what
                          reading and validating costs)
    --workers 1           consolidate_files in this process
    process pool          consolidate_files on every core
    Dask LocalCluster     consolidate_files on a local Dask cluster of 2 workers
    ... at a quarter      the pool again on a quarter of the workbooks

Figures: wall seconds of the call alone (imports done before), workbooks per second,
CPU milliseconds per workbook (user + system of the process, its children and, for
Dask, the cluster's workers: what a workbook costs whatever else the machine runs),
and peak resident memory (ru_maxrss of the process + its largest child; for Dask the
client's and the largest worker's). The workbooks: 20 hospital units of different
figures (tests/unit_workbooks.py), each copied with its own unit name patched into its
基本信息 sheet, so that the set is made in seconds; a county's hospitals, one profile.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DISTINCT = 20
TOKEN = "UNIT-000000"
BUREAU = "某某县卫生健康局"


def make_set(folder: Path, count: int) -> list[Path]:
    from tests import unit_workbooks as uw
    from xlsummary.generate import generate_workbook

    seeds = [
        generate_workbook("hospital", None, "zh", example=uw.unit_example(TOKEN, k))
        for k in range(DISTINCT)
    ]
    paths = []
    for n in range(count):
        name = f"UNIT-{n:06d}".encode()
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(seeds[n % DISTINCT])) as src,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for info in src.infolist():
                dst.writestr(info, src.read(info.filename).replace(TOKEN.encode(), name))
        path = folder / f"{n // 100:02d}" / f"unit{n:06d}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(out.getvalue())
        paths.append(path)
    return paths


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def cpu_seconds() -> float:
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run(job: str, files: list[str], out: Path, executor: str, workers: int | None) -> int:
    """The measured call; returns how many workbooks it handled as expected."""
    if job == "render-loop":
        from xlsummary.outputs import write_output
        from xlsummary.report import make_report

        for path in files:
            report = make_report(Path(path))
            write_output(report.data, out / f"{Path(path).stem}.docx")
        return len(files)
    if job == "check-loop":
        from xlsummary.check import check_workbook

        return sum(1 for path in files if check_workbook(path).errors == 0)
    if job == "batch":
        from xlsummary.batch import convert

        result = convert(files, out, executor=executor, workers=workers)
        return result.counts()["rendered"]
    from xlsummary.rollup_workbook import consolidate_files

    done = consolidate_files(
        files, out / "汇总.xlsx", unit=BUREAU, executor=executor, workers=workers
    )
    return len(done.rollup.included)


def phase(job: str, where: str, listing: Path, out: Path, count: int) -> dict:
    """One measurement, in this (fresh) process."""
    import importlib

    for module in ("xlsummary.check", "xlsummary.report"):  # imports are not measured
        importlib.import_module(module)

    files = listing.read_text("utf-8").split("\n")[:count]
    extra: dict = {}
    cpu_before = cpu_seconds()
    if where == "dask":
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            address = cluster.scheduler_address.replace("tcp://", "dask://")
            start = time.perf_counter()
            handled = _run(job, files, out, address, None)
            seconds = time.perf_counter() - start
            with cluster.get_client() as client:
                peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
                extra["worker_cpu"] = sum(client.run(cpu_seconds).values())
            extra["worker_peak_mib"] = max(peaks.values()) / 1024
    else:
        workers = 1 if where == "one" else os.cpu_count()
        start = time.perf_counter()
        handled = _run(job, files, out, "local", workers)
        seconds = time.perf_counter() - start
    assert handled == count, (job, where, handled, count)
    cpu = cpu_seconds() - cpu_before + extra.pop("worker_cpu", 0.0)
    return {"seconds": seconds, "peak_mib": peak_mib(), "cpu": cpu, **extra}


def measure(job: str, where: str, listing: Path, root: Path, count: int) -> dict:
    out = root / f"out-{job}-{where}-{count}"
    out.mkdir()
    command = [sys.executable, __file__, "--phase", job, where, str(listing), str(out), str(count)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    shutil.rmtree(out, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"{job} {where} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--phase", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        job, where, listing, out, count = args.phase
        print(json.dumps(phase(job, where, Path(listing), Path(out), int(count))))
        return
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    count, cores = args.count, os.cpu_count() or 1
    quarter = count // 4
    with tempfile.TemporaryDirectory(prefix="bench-many-") as folder:
        root = Path(folder)
        start = time.perf_counter()
        files = make_set(root / "in", count)
        print(f"{count} workbooks made in {time.perf_counter() - start:.1f} s; {cores} cores")
        listing = root / "files.txt"
        listing.write_text("\n".join(map(str, files)), "utf-8")
        rows = [
            ("batch (DOCX)", None, None, None),
            ("  plain loop: make_report + write (baseline)", "render-loop", "one", count),
            ("  batch --workers 1 (in process)", "batch", "one", count),
            (f"  batch, process pool ({cores} workers)", "batch", "all", count),
            ("  batch, Dask LocalCluster (2 workers)", "batch", "dask", count),
            (f"  batch, process pool, {quarter} workbooks", "batch", "all", quarter),
            ("consolidate", None, None, None),
            ("  check_workbook loop (baseline)", "check-loop", "one", count),
            ("  consolidate --workers 1 (in process)", "consolidate", "one", count),
            (f"  consolidate, process pool ({cores} workers)", "consolidate", "all", count),
            ("  consolidate, Dask LocalCluster (2 workers)", "consolidate", "dask", count),
            (f"  consolidate, process pool, {quarter} workbooks", "consolidate", "all", quarter),
        ]
        print(
            f"\n{'':50} {'workbooks':>9} {'wall s':>7} {'per s':>7} {'CPU ms each':>11}"
            f" {'peak MiB':>9}"
        )
        for label, job, where, n in rows:
            if job is None:
                print(label)
                continue
            got = measure(job, where, listing, root, n)
            peak = f"{got['peak_mib']:.0f}"
            if "worker_peak_mib" in got:
                peak += f" (+ worker {got['worker_peak_mib']:.0f})"
            print(
                f"{label:50} {n:>9} {got['seconds']:>7.2f} {n / got['seconds']:>7.1f}"
                f" {got['cpu'] / n * 1000:>11.1f} {peak:>9}"
            )
    print(
        "\nCPU ms each: user + system time of the measured process, its children and (Dask)"
        " the cluster's workers, per workbook; wall time depends on what else the machine runs."
        "\npeak MiB: the process + its largest child (ru_maxrss of RUSAGE_SELF + RUSAGE_CHILDREN);"
        " for Dask, the client's process and the largest worker's own peak."
    )


if __name__ == "__main__":
    main()
