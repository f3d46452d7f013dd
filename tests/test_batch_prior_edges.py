"""An adversarial review of ``xlsummary batch`` and last year's workbook (issue #15):
each test here reproduces a problem found by attacking them as a user or an attacker
would, through the real CLI and real files, and stays as its regression test."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from tests.test_batch import EPOCH, run, unit_workbook


def session_processes(sid: int) -> list[int]:
    """The processes still alive in session ``sid`` (a batch and its pool's workers)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def staged(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if p.is_file()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("whole_group", [False, True], ids=["batch", "batch-and-workers"])
def test_sigterm_stops_the_batch_and_its_workers_and_leaves_no_staging_file(
    tmp_path: Path, whole_group: bool
):
    """``kill PID`` (or a service manager, a CI time-out) used to kill the batch
    without its clean-up: its pool's workers lived on as orphans, blocked for ever,
    and hundreds of hidden staging reports stayed in OUTDIR. Killing the whole group
    left the workers' half-written temporary files."""
    inbox = tmp_path / "inbox"
    first = unit_workbook(inbox / "u0000.xlsx", "甲县人民医院")
    for k in range(1, 1200):
        shutil.copyfile(first, inbox / f"u{k:04}.xlsx")
    out = tmp_path / "out"
    command = ["batch", str(inbox), "-o", str(out), "--workers", "2", "-q"]
    batch = subprocess.Popen(
        [sys.executable, "-m", "xlsummary.cli", *command],
        env={**os.environ, **EPOCH},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        while not (out.is_dir() and staged(out)) and batch.poll() is None:
            time.sleep(0.02)  # until workers are writing reports
        assert batch.poll() is None, "the batch finished before it could be stopped"
        if whole_group:
            os.killpg(batch.pid, signal.SIGTERM)
        else:
            batch.send_signal(signal.SIGTERM)
        batch.wait(timeout=120)
        for _ in range(500):  # workers that got the signal too are exiting
            if not session_processes(batch.pid):
                break
            time.sleep(0.02)
        assert session_processes(batch.pid) == []
    finally:
        for pid in session_processes(batch.pid):
            os.kill(pid, signal.SIGKILL)
    assert batch.returncode != 0
    assert b"Traceback" not in batch.stderr.read()
    assert staged(out) == []
    assert not list(out.glob("*.docx"))  # a stopped batch names no report


def test_log_csv_cells_that_excel_would_run_as_formulas_are_neutralised(tmp_path: Path):
    """A file named ``=HYPERLINK(…).xlsx`` (or ``+…``, ``-…``, ``@…``) appeared in
    batch-log.csv as a cell Excel evaluates as a formula when the log is opened; the
    CSV is for people and Excel, so such cells start with an apostrophe. The JSON log
    keeps the names exactly."""
    inbox = tmp_path / "inbox"
    names = ['=HYPERLINK("http://example.com","x").xlsx', "+1+1.xlsx", "-2+3.xlsx", "@SUM(1).xlsx"]
    first = unit_workbook(inbox / names[0], "甲县人民医院")
    for name in names[1:]:
        shutil.copyfile(first, inbox / name)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", "batch", "-o", str(out), "--", *names],
        capture_output=True,
        text=True,
        cwd=inbox,
        env={**os.environ, **EPOCH},
    )
    assert done.returncode == 0, done.stderr
    with (out / "batch-log.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["input"] for r in rows] == [f"'{n}" for n in names]
    for row in rows:
        assert not any(cell[:1] in "=+-@\t\r" for cell in row.values() if cell), row
    logged = json.loads((out / "batch-log.json").read_text("utf-8"))
    assert [r["input"] for r in logged] == names


def test_titles_that_differ_only_in_unicode_normalisation_get_different_names(
    tmp_path: Path,
):
    """``Café`` typed on a Mac (NFD) and on Windows (NFC) is one name for macOS's file
    systems: the second report replaced the first there, as two titles differing in
    case would have (those were already told apart)."""
    inbox = tmp_path / "inbox"
    unit_workbook(inbox / "nfc.xlsx", unicodedata.normalize("NFC", "Café医院"))
    unit_workbook(inbox / "nfd.xlsx", unicodedata.normalize("NFD", "Café医院"))
    out = tmp_path / "out"
    done = run(str(inbox), "-o", str(out), "--workers", "1")
    assert done.returncode == 0, done.stderr
    reports = sorted(out.glob("*.docx"))
    assert len(reports) == 2
    assert len({unicodedata.normalize("NFC", p.name).casefold() for p in reports}) == 2
    logged = json.loads((out / "batch-log.json").read_text("utf-8"))
    assert sorted(Path(r["output"]).name for r in logged) == [p.name for p in reports]


@pytest.mark.parametrize("prior", ["missing.xlsx", "notes.xlsx"])
def test_a_prior_that_cannot_be_read_stops_the_batch_before_it_starts(tmp_path: Path, prior: str):
    """``--prior`` names one file for every input: missing or not a workbook, it used
    to fail every input with the same sentence (which did not say it was last year's
    file), exit 1, after creating OUTDIR. It is a batch that cannot run: exit 2, one
    sentence, nothing written."""
    inbox = tmp_path / "inbox"
    unit_workbook(inbox / "a.xlsx", "甲县人民医院")
    unit_workbook(inbox / "b.xlsx", "乙县人民医院")
    (tmp_path / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "out"
    done = run(str(inbox), "-o", str(out), "--prior", str(tmp_path / prior))
    assert done.returncode == 2, done.stdout + done.stderr
    assert prior in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_the_web_api_says_which_upload_a_file_error_is_about(tmp_path: Path):
    """Each year's workbook is usually called 统计表.xlsx: "这不是Excel工作簿：统计表.xlsx"
    did not say whether the current workbook or last year's was wrong. An error about
    the ``prior`` upload names that field; one about ``file`` has no ``field``."""
    from tests.servers import Server
    from xlsummary.web import Settings

    this = unit_workbook(tmp_path / "this.xlsx", "甲县人民医院").read_bytes()
    with Server(Settings(max_upload=200_000)) as client:

        def error(file: bytes, prior: bytes) -> dict:
            files = {"file": ("统计表.xlsx", file), "prior": ("统计表.xlsx", prior)}
            answer = client.post("/api/check", files=files)
            assert answer.status_code >= 400
            return answer.json()["error"]

        assert error(this, b"not a workbook")["field"] == "prior"
        assert error(this, b"x" * 300_000)["field"] == "prior"  # too large
        assert error(this, this)["field"] == "prior"  # the same year
        assert "field" not in error(b"not a workbook", this)
