"""Time batch conversion of many generated unit workbooks, in one run: a plain loop
calling ``make_report`` and writing each file (the baseline), ``batch.convert`` with
one worker (in this process), with every core (the process pool), and on a Dask
LocalCluster of two worker processes; then the pool again on a quarter of the
workbooks, to see whether memory grows with the count.

Usage: python benchmarks/bench_batch.py [--count 1000]

Each measurement runs in a fresh Python process (so that peak memory is its own):
wall seconds of the call alone (imports done before), reports per second, and peak
resident memory of that process and of its children (``ru_maxrss`` of RUSAGE_SELF
and RUSAGE_CHILDREN; for Dask, the largest worker's, asked of each worker). The
workbooks are generated once, in a temporary folder, by the same executor
(``run_tasks``), as units of the three profiles with their own names and figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PROFILES = ("hospital", "school", "general")


def make_unit(spec: tuple[int, str]) -> None:
    """One unit's workbook: a profile's example with its own unit name and figures."""
    from xlsummary.catalogue import load_profile
    from xlsummary.generate import generate_workbook, load_example
    from xlsummary.outputs import write_output

    k, folder = spec
    profile = PROFILES[k % len(PROFILES)]
    example = load_example(profile)
    example["info"]["unit"] = f"第{k:04d}号单位"
    rng = random.Random(k)
    percents = {i.code for i in load_profile(profile).indicators if i.kind == "percent"}
    for code, tally in example["tallies"].items():
        if code in percents:  # they stay within 0–100
            continue
        tally["months"] = [m + rng.randint(0, 2) if type(m) is int else m for m in tally["months"]]
    path = Path(folder) / f"group-{k // 100:02d}" / f"unit-{k:04d}.xlsx"
    write_output(generate_workbook(profile, None, "zh", example), path, force=True)


def generate(count: int, folder: Path) -> list[Path]:
    from xlsummary.executors import run_tasks

    lost = [r for _, r in run_tasks(make_unit, [(k, str(folder)) for k in range(count)]) if r]
    assert not lost, lost[:3]
    return sorted(folder.rglob("*.xlsx"))


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def cpu_seconds() -> float:
    """User + system time of this process and its children: what a report costs,
    whatever else the machine is doing at the time (wall time is not)."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def phase(name: str, listing: Path, out: Path, count: int) -> dict:
    """One measurement, in this (fresh) process."""
    files = listing.read_text("utf-8").split("\n")[:count]
    extra: dict = {}
    cpu_before = cpu_seconds()
    if name == "loop":
        from xlsummary.outputs import write_output
        from xlsummary.report import make_report

        start = time.perf_counter()
        for path in files:
            report = make_report(Path(path))
            write_output(report.data, out / report.name)
        seconds = time.perf_counter() - start
    elif name == "dask":
        from distributed import LocalCluster

        from xlsummary.batch import convert

        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            address = cluster.scheduler_address.replace("tcp://", "dask://")
            start = time.perf_counter()
            result = convert(files, out, executor=address)
            seconds = time.perf_counter() - start
            with cluster.get_client() as client:
                peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
                cpus = client.run(cpu_seconds)
            extra["worker_peak_mib"] = max(peaks.values()) / 1024
            extra["worker_cpu"] = sum(cpus.values())
        assert result.counts()["rendered"] == count, result.counts()
    else:
        from xlsummary.batch import convert

        workers = 1 if name == "batch-1" else os.cpu_count()
        start = time.perf_counter()
        result = convert(files, out, workers=workers)
        seconds = time.perf_counter() - start
        assert result.counts()["rendered"] == count, result.counts()
    written = len(list(out.glob("*.docx")))
    assert written == count, (written, count)
    cpu = cpu_seconds() - cpu_before + extra.pop("worker_cpu", 0.0)
    return {"seconds": seconds, "peak_mib": peak_mib(), "cpu": cpu, **extra}


def measure(name: str, listing: Path, root: Path, count: int) -> dict:
    out = root / f"out-{name}-{count}"
    out.mkdir()
    command = [sys.executable, __file__, "--phase", name, str(listing), str(out), str(count)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    shutil.rmtree(out, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--phase", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, listing, out, count = args.phase
        print(json.dumps(phase(name, Path(listing), Path(out), int(count))))
        return
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    count = args.count
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as folder:
        root = Path(folder)
        start = time.perf_counter()
        files = generate(count, root / "in")
        print(f"{count} workbooks generated in {time.perf_counter() - start:.1f} s")
        listing = root / "files.txt"
        listing.write_text("\n".join(map(str, files)), "utf-8")
        rows = [
            ("plain loop: make_report + write (baseline)", "loop", count),
            ("batch --workers 1 (in process)", "batch-1", count),
            (f"batch, process pool ({os.cpu_count()} workers)", "batch-all", count),
            ("batch, Dask LocalCluster (2 workers)", "dask", count),
            (f"batch, process pool, {count // 4} workbooks", "batch-all", count // 4),
        ]
        print(
            f"\n{'':46} {'workbooks':>9} {'wall s':>7} {'reports/s':>9} {'CPU ms/report':>13}"
            f" {'peak MiB':>9}"
        )
        for label, name, n in rows:
            got = measure(name, listing, root, n)
            peak = f"{got['peak_mib']:.0f}"
            if "worker_peak_mib" in got:
                peak += f" (+ worker {got['worker_peak_mib']:.0f})"
            cpu = got["cpu"] / n * 1000
            print(
                f"{label:46} {n:>9} {got['seconds']:>7.2f} {n / got['seconds']:>9.1f}"
                f" {cpu:>13.1f} {peak:>9}"
            )
    print(
        "\nCPU ms/report: user + system time of the measured process, its children and (Dask)"
        " the cluster's workers, per report; wall time depends on what else the machine runs."
        "\npeak MiB: this process + its largest child (ru_maxrss of RUSAGE_SELF + RUSAGE_CHILDREN);"
        " for Dask, the client's process and the largest worker's own peak"
    )


if __name__ == "__main__":
    main()
