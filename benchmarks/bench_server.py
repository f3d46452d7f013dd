"""Bounded load on loopback: concurrent clients render the example through the API.

Usage: python benchmarks/bench_server.py [--clients 4] [--requests 40]
       [--soak-clients 50] [--soak-requests 200] [--kills 2]

Starts `xlsummary serve` on a free loopback port, then for DOCX and for PDF runs
``--clients`` threads that together send ``--requests`` renders of the bundled example
workbook, and prints p50/p95 latency, errors and the peak memory of the server with
its LibreOffice processes. Then the soak: ``--soak-requests`` PDF renders from
``--soak-clients`` clients at once, first undisturbed (the baseline), then with a
converter's LibreOffice killed ``--kills`` times mid-run, each on a fresh server;
it prints p50/p95/p99, the requests that failed (any answer but 200, except a
deliberate 503 with Retry-After, counted apart), peak memory, and LibreOffice's
files in the temporary folder before and after. Last, the kept-alive LibreOffice's
time per PDF against a cold ``soffice --convert-to pdf`` of the same report. Every
loop is bounded in count and each server is stopped at the end.
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
from collections.abc import Callable
from pathlib import Path

import httpx

from xlsummary.check import check_model
from xlsummary.generate import generate_workbook
from xlsummary.model_reader import build_model
from xlsummary.pdf import PdfConverter, PoolSettings
from xlsummary.read_xlsx import read_grids_from_bytes
from xlsummary.render_docx import load_template
from xlsummary.report import default_template, render_context


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


def drive(
    base: str,
    workbook: bytes,
    fmt: str,
    clients: int,
    requests: int,
    pid: int,
    beside: Callable[[list, threading.Event], None] | None = None,
) -> tuple[list[float], list[tuple[int, bool]], float, float]:
    """``requests`` renders from ``clients`` threads at once, sampling the peak memory
    of ``pid`` and its descendants, with ``beside`` (given the answers so far and a
    stop event) running alongside. Returns the sorted latencies, each answer's
    (status, has Retry-After), the peak in MB and the seconds taken."""
    latencies: list[float] = []
    answers: list[tuple[int, bool]] = []
    peak = 0.0
    lock = threading.Lock()
    todo = iter(range(requests))
    done = threading.Event()

    def client() -> None:
        with httpx.Client(base_url=base, timeout=300) as http:
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
                    answers.append((response.status_code, "retry-after" in response.headers))

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(pid))
            time.sleep(0.2)

    helpers = [threading.Thread(target=sample)]
    if beside is not None:
        helpers.append(threading.Thread(target=beside, args=(answers, done)))
    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    try:
        for t in helpers + threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        elapsed = time.perf_counter() - start
        done.set()
        for t in helpers:
            t.join()
    return sorted(latencies), answers, peak, elapsed


def load(base: str, workbook: bytes, fmt: str, clients: int, requests: int, pid: int):
    latencies, answers, peak, elapsed = drive(base, workbook, fmt, clients, requests, pid)
    errors = sum(code != 200 for code, _ in answers)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    return statistics.median(latencies), p95, errors, peak, len(latencies) / elapsed


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "xlsummary.cli", "serve", "--port", str(port)],
        env=dict(os.environ, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            health = httpx.get(base + "/api/health").json()
            if all(c["state"] == "idle" for c in health["converters"]):
                break
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.1)
    return server, base


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=60)


def leftovers() -> int:
    """LibreOffice's and the converters' files in the temporary folder."""
    tmp = Path(tempfile.gettempdir())
    return sum(len(list(tmp.glob(p))) for p in ("lu*.tmp", "OSL_PIPE_*", "xlsummary-lo-*"))


def kill_a_converter(base: str) -> None:
    """SIGKILL the soffice.bin of the first converter that has one."""
    for converter in httpx.get(base + "/api/health").json()["converters"]:
        if converter["pid"]:
            found = subprocess.run(
                ["pgrep", "-g", str(converter["pid"]), "soffice.bin"],
                capture_output=True,
                text=True,
            ).stdout.split()
            for pid in found:
                os.kill(int(pid), 9)
            if found:
                return


def soak(workbook: bytes, clients: int, requests: int, kills: int) -> dict:
    before = leftovers()
    server, base = start_server({"XLSUMMARY_CONVERSIONS": "2"})

    def killer(answers: list, done: threading.Event) -> None:
        for k in range(kills):
            target = requests * (k + 1) // (kills + 1)
            while len(answers) < target and not done.is_set():
                time.sleep(0.05)
            if not done.is_set():
                kill_a_converter(base)

    try:
        latencies, statuses, peak, _ = drive(
            base, workbook, "pdf", clients, requests, server.pid, killer
        )
        converters = httpx.get(base + "/api/health").json()["converters"]
    finally:
        stop_server(server)

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * q))]

    deliberate = sum(1 for code, retry in statuses if code == 503 and retry)
    return {
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "failed": sum(1 for code, _ in statuses if code != 200) - deliberate,
        "deliberate": deliberate,
        "peak": peak,
        "restarts": sum(c["restarts"] for c in converters),
        "before": before,
        "after": leftovers(),
    }


def pdf_times(docx: bytes, repeat: int = 5) -> tuple[float, float]:
    async def kept() -> float:
        converter = PdfConverter(PoolSettings(slots=1))
        try:
            await converter.convert(docx)  # start LibreOffice once
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                await converter.convert(docx)
                samples.append(time.perf_counter() - start)
            return statistics.median(samples)
        finally:
            await converter.aclose()

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
    parser.add_argument("--soak-clients", type=int, default=50)
    parser.add_argument("--soak-requests", type=int, default=200)
    parser.add_argument("--kills", type=int, default=2)
    args = parser.parse_args()
    workbook = generate_workbook("hospital", example=True)
    server, base = start_server({"XLSUMMARY_CONVERSIONS": "2"})
    try:
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
        stop_server(server)
    print(
        f"\nsoak: {args.soak_requests} PDF renders, {args.soak_clients} clients at once, "
        "2 converters, a fresh server each"
    )
    print(
        f"{'run':>22} {'p50':>7} {'p95':>7} {'p99':>7} {'failed':>7} {'503+RA':>7} "
        f"{'restarts':>8} {'peak MB':>8} {'tmp before':>10} {'after':>6}"
    )
    for name, kills in (("baseline (no kill)", 0), (f"converter killed {args.kills}x", args.kills)):
        r = soak(workbook, args.soak_clients, args.soak_requests, kills)
        print(
            f"{name:>22} {r['p50']:>6.1f}s {r['p95']:>6.1f}s {r['p99']:>6.1f}s {r['failed']:>7} "
            f"{r['deliberate']:>7} {r['restarts']:>8} {r['peak']:>8.0f} {r['before']:>10} "
            f"{r['after']:>6}"
        )
    result = check_model(build_model(read_grids_from_bytes(workbook, "example")))
    docx = load_template(default_template("zh")).render(
        render_context(result, today=dt.date(2024, 1, 5))
    )
    kept, cold = pdf_times(docx)
    print(
        f"\nPDF of the example: kept-alive LibreOffice {kept * 1000:.0f} ms, "
        f"cold soffice --convert-to {cold * 1000:.0f} ms ({cold / kept:.1f}x)"
    )


if __name__ == "__main__":
    main()
