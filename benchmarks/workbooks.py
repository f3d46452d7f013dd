"""What the benchmarks share: synthetic filled workbooks of any size, and timing."""

from __future__ import annotations

import dataclasses
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from xlsummary.catalogue import load_profile
from xlsummary.generate import generate_workbook, load_example
from xlsummary.outputs import write_output


def synthetic_workbook(n: int, folder: Path) -> Path:
    """A hospital-style workbook with ``n`` indicators and twelve filled months each."""
    base = load_profile("hospital")
    rng = random.Random(n)
    indicators = []
    for k in range(n):
        template = base.indicators[k % len(base.indicators)]
        suffix = "" if k < len(base.indicators) else f"_{k}"
        indicators.append(
            dataclasses.replace(
                template,
                code=template.code + suffix,
                name_zh=template.name_zh + suffix,
                name_en=template.name_en + suffix,
                # the charts show the profile's own marked few, as a real catalogue would
                chart=template.chart and not suffix,
            )
        )
    profile = dataclasses.replace(base, indicators=tuple(indicators))
    example = load_example("hospital")
    tallies = {}
    for ind in indicators:
        if ind.kind == "percent":
            months = [round(rng.uniform(90, 99), 1) for _ in range(12)]
        elif ind.kind == "amount":
            months = [round(rng.uniform(0, 30), 2) for _ in range(12)]
        else:
            months = [rng.randint(0, 400) for _ in range(12)]
        tallies[ind.code] = {"months": months, "prior": months[0] * 11}
        if ind.kind == "percent":
            tallies[ind.code]["prior"] = 95.0
    data = {"info": example["info"], "narrative": example["narrative"], "tallies": tallies}
    path = folder / f"synthetic-{n}.xlsx"
    write_output(generate_workbook(profile, None, "zh", data), path, force=True)
    return path


def median_ms(func: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` warm calls (one call first: imports, caches)."""
    func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def cold_command(args: list[str], repeat: int = 5) -> tuple[float, float]:
    """Median wall seconds and peak MiB of ``xlsummary ARGS`` as a new process each
    time (after one unmeasured run, so the files are in the OS cache and, unless
    PYTHONDONTWRITEBYTECODE is set, bytecode is written, as after pip install)."""
    import subprocess
    import sys

    script = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], capture_output=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [sys.executable, "-c", script, sys.executable, "-m", "xlsummary.cli", *args]
    subprocess.run(command, capture_output=True)
    runs = []
    for _ in range(repeat):
        seconds, peak = subprocess.run(command, capture_output=True, text=True).stdout.split()
        runs.append((float(seconds), int(peak) / 1024))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def bytecode_note() -> str:
    import os

    return (
        "without .pyc files (PYTHONDONTWRITEBYTECODE is set)"
        if os.environ.get("PYTHONDONTWRITEBYTECODE")
        else "with .pyc files"
    )
