"""Bounded load on loopback: concurrent clients render the example through the API.

Usage: python benchmarks/bench_server.py [--clients 4] [--requests 40]

Starts `xlsummary serve` on a free loopback port, then for DOCX and for PDF runs
``--clients`` threads that together send ``--requests`` renders of the bundled example
workbook, and prints p50/p95 latency, errors and the peak memory of the server with
its LibreOffice processes. Then, in the same run, the kept-alive LibreOffice's time
per PDF against a cold ``soffice --convert-to pdf`` of the same report. Every loop is
bounded in count and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from xlsummary.check import check_model
from xlsummary.generate import generate_workbook
from xlsummary.model import build_model
from xlsummary.read_xlsx import read_grids_from_bytes
from xlsummary.render_docx import load_template
from xlsummary.report import default_template, render_context
from xlsummary.web.pdf import PdfConverter


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
            except (OSError, IndexError):
                continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def load(base: str, workbook: bytes, fmt: str, clients: int, requests: int, pid: int):
    latencies: list[float] = []
    errors = 0
    peak = 0.0
    lock = threading.Lock()
    todo = iter(range(requests))
    done = threading.Event()

    def client() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=120) as http:
            while True:
                with lock:
                    if next(todo, None) is None:
                        return
                start = time.perf_counter()
                response = http.post(
                    "/api/render", files={"file": ("x.xlsx", workbook)}, data={"format": fmt}
                )
                with lock:
                    latencies.append(time.perf_counter() - start)
                    errors += response.status_code != 200

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    return statistics.median(latencies), p95, errors, peak, len(latencies) / elapsed


def pdf_times(docx: bytes, repeat: int = 5) -> tuple[float, float]:
    async def kept() -> float:
        converter = PdfConverter(slots=1)
        try:
            await converter.convert(docx)  # start LibreOffice once
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                await converter.convert(docx)
                samples.append(time.perf_counter() - start)
            return statistics.median(samples)
        finally:
            converter.close()

    soffice = shutil.which("soffice")
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "r.docx"
        source.write_bytes(docx)
        for k in range(repeat):
            start = time.perf_counter()
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                capture_output=True,
                timeout=120,
                check=True,
            )
            if k:  # the first run also creates the profile: leave it out
                samples.append(time.perf_counter() - start)
    return asyncio.run(kept()), statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    workbook = generate_workbook("hospital", example=True)
    port = free_port()
    env = dict(os.environ, XLSUMMARY_CONVERSIONS="2")
    server = subprocess.Popen(
        [sys.executable, "-m", "xlsummary.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/api/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        print(f"{args.clients} clients, {args.requests} renders each format, loopback")
        print(f"{'format':>6} {'p50':>8} {'p95':>8} {'errors':>7} {'req/s':>7} {'peak MB':>8}")
        for fmt in ("docx", "pdf"):
            p50, p95, errors, peak, rate = load(
                base, workbook, fmt, args.clients, args.requests, server.pid
            )
            print(
                f"{fmt:>6} {p50 * 1000:>6.0f}ms {p95 * 1000:>6.0f}ms {errors:>7} "
                f"{rate:>7.1f} {peak:>8.0f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = check_model(build_model(read_grids_from_bytes(workbook, "example")))
    docx = load_template(default_template("zh")).render(
        render_context(result, today=dt.date(2024, 1, 5))
    )
    kept, cold = pdf_times(docx)
    print(
        f"PDF of the example: kept-alive LibreOffice {kept * 1000:.0f} ms, "
        f"cold soffice --convert-to {cold * 1000:.0f} ms ({cold / kept:.1f}x)"
    )


if __name__ == "__main__":
    main()
