"""Time the same work at two commits, interleaved in one run: did a change slow it down?

Usage: python benchmarks/bench_commits.py BASE [OTHER] [--rounds N] [--repeat N]

Each commit is checked out into a temporary git worktree; a fresh Python process per
commit and round imports xlsummary from that worktree and times, warm, on workbooks
of 20, 200 and 1000 indicators (made once, by the current tree):

  check    read + validate + total (``check_workbook``)
  report   the whole report, file to file (``render_report``: the CLI's ``render``)

and, as a new process each (what an office worker waits for), ``xlsummary check`` and
``xlsummary render`` of the 20-indicator workbook: "cold check", "cold render".

Rounds alternate between the commits (A B A B …) so that a machine whose speed drifts
during the run treats both alike; the table gives the median over rounds of each
round's median, and the best round (the least disturbed by the rest of the machine).
OTHER defaults to the working tree (uncommitted changes included).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZES = (20, 200, 1000)

# run in the child, with the commit's src first on sys.path
_CHILD = r"""
import datetime as dt, json, statistics, sys, time
from pathlib import Path
from xlsummary.check import check_workbook
from xlsummary.report import render_report
folder, repeat = Path(sys.argv[1]), int(sys.argv[2])
def median_ms(func):
    func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter(); func(); samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000
out = {}
for n in json.loads(sys.argv[3]):
    workbook = folder / f"synthetic-{n}.xlsx"
    report = folder / f"out-{n}.docx"
    out[f"check {n}"] = median_ms(lambda: check_workbook(workbook))
    out[f"report {n}"] = median_ms(
        lambda: render_report(workbook, report, force=True, today=dt.date(2024, 1, 5))
    )
import subprocess
workbook = folder / "synthetic-20.xlsx"
for name, args in (("cold check", ["check", str(workbook)]),
                   ("cold render", ["render", str(workbook), "--force", "-o", str(folder / "c.docx")])):
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "xlsummary.cli", *args], capture_output=True)
        samples.append(time.perf_counter() - start)
    out[name] = statistics.median(samples) * 1000
print(json.dumps(out))
"""


def _worktree(commit: str, folder: Path) -> Path:
    target = folder / commit.replace("/", "_")
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(target), commit],
        check=True,
    )
    return target


def _measure(src: Path, workbooks: Path, repeat: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(workbooks), str(repeat), json.dumps(SIZES)],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("other", nargs="?", default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    from workbooks import synthetic_workbook

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trees = {args.base: _worktree(args.base, folder)}
        other = args.other or "working tree"
        trees[other] = _worktree(args.other, folder) if args.other else ROOT
        try:
            for n in SIZES:
                synthetic_workbook(n, folder)
            rounds: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
            for _ in range(args.rounds):
                for name, tree in trees.items():
                    rounds[name].append(_measure(tree / "src", folder, args.repeat))
        finally:
            for tree in trees.values():
                if tree != ROOT:
                    subprocess.run(
                        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                        check=False,
                    )
    a, b = trees
    head = (
        f"{'':>12} {a[:12]:>12} {b[:12]:>12} {'change':>8}   "
        f"{'best ' + a[:7]:>12} {'best ' + b[:7]:>12} {'change':>8}"
    )
    print(head)
    print("-" * len(head))
    for key in rounds[a][0]:
        first = statistics.median(r[key] for r in rounds[a])
        second = statistics.median(r[key] for r in rounds[b])
        best_a, best_b = min(r[key] for r in rounds[a]), min(r[key] for r in rounds[b])
        print(
            f"{key:>12} {first:>10.1f}ms {second:>10.1f}ms {second / first - 1:>+7.0%}   "
            f"{best_a:>10.1f}ms {best_b:>10.1f}ms {best_b / best_a - 1:>+7.0%}"
        )
    print(f"\n{args.rounds} rounds; cold rows {_bytecode()}")


def _bytecode() -> str:
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return "without .pyc files (PYTHONDONTWRITEBYTECODE is set)"
    return "with .pyc files"


if __name__ == "__main__":
    main()
