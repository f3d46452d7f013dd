"""``xlsummary batch``: a realistic inbox of unit workbooks (clean ones, one with an
error, a corrupt file, a lock file, a note, the same file name in two folders, two
units whose reports get the same title) run through the real CLI; every report read
back, the logs compared with the files on disk and with each other."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import fill, snapshot, soffice
from xlsummary import batch
from xlsummary.executors import TaskLost, as_list, run_tasks
from xlsummary.generate import generate_workbook, load_example
from xlsummary.outputs import write_output

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
HOSPITAL = "2023年对口支援工作总结"


def run(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", "batch", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **EPOCH, **(env or {})},
        timeout=timeout,
    )


def unit_workbook(path: Path, unit: str, profile: str = "hospital", surgeries: int = 0) -> Path:
    example = load_example(profile)
    example["info"]["unit"] = unit
    if surgeries:
        example["tallies"]["surgery"]["months"][0] = surgeries
    write_output(generate_workbook(profile, None, "zh", example), path)
    return path


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """What a bureau's inbox looks like after a quarter's submissions."""
    root = tmp_path_factory.mktemp("inbox")
    unit_workbook(root / "甲医院" / "统计表.xlsx", "甲县人民医院", surgeries=7)
    unit_workbook(root / "乙医院" / "统计表.xlsx", "乙县人民医院", surgeries=9)
    unit_workbook(root / "school.xlsx", "丙县第一中学", "school")
    unit_workbook(root / "general.xlsx", "丁县卫生健康局", "general")
    # two units that call themselves the same: the same title, the same folder
    unit_workbook(root / "dup-1.xlsx", "戊县中医院", surgeries=1)
    unit_workbook(root / "dup-2.xlsx", "戊县中医院", surgeries=2)
    bad = unit_workbook(root / "bad.xlsx", "己县妇幼保健院")
    fill(bad, {"月度统计!E8": "约80"})
    (root / "corrupt.xlsx").write_bytes(os.urandom(3000))
    (root / "~$统计表.xlsx").write_bytes(b"\x0cuser" + bytes(150))
    (root / "说明.txt").write_text("请在月底前提交。", encoding="utf-8")
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return root


def expected_reports(out: Path) -> dict[str, Path]:
    """Input (as the log shows it, relative to the inbox) -> its report."""
    return {
        "甲医院/统计表.xlsx": out / "甲医院" / f"甲县人民医院{HOSPITAL}.docx",
        "乙医院/统计表.xlsx": out / "乙医院" / f"乙县人民医院{HOSPITAL}.docx",
        "school.xlsx": out / f"丙县第一中学{HOSPITAL}.docx",
        "general.xlsx": out / "丁县卫生健康局2023年工作总结.docx",
        "dup-1.xlsx": out / f"戊县中医院{HOSPITAL}.docx",
        "dup-2.xlsx": out / f"戊县中医院{HOSPITAL}（2）.docx",
    }


def document_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def source_of(path: Path) -> str:
    """The workbook file name the report records in its custom properties."""
    with zipfile.ZipFile(path) as archive:
        custom = archive.read("docProps/custom.xml").decode("utf-8")
    return custom.split('name="xlsummary.source_file"')[1].split("<vt:lpwstr>")[1].split("<")[0]


def relative(log_input: str, inbox: Path) -> str:
    return Path(log_input).relative_to(inbox).as_posix()


def read_logs(out: Path) -> tuple[list[dict], list[dict]]:
    raw = (out / "batch-log.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    return rows, json.loads((out / "batch-log.json").read_text("utf-8"))


def test_a_folder_of_submissions_becomes_reports_and_a_log(inbox: Path, tmp_path: Path):
    out = tmp_path / "报告"
    done = run(str(inbox), "-o", str(out))
    assert done.returncode == 1, done.stderr  # one refused, one failed
    assert "Traceback" not in done.stderr
    reports = expected_reports(out)
    for shown, report in reports.items():
        assert report.is_file(), (shown, sorted(p.name for p in out.rglob("*")))
        title = report.stem.removesuffix("（2）")
        assert title in document_text(report)
        assert source_of(report) == Path(shown).name
    # dup-2 got the （2） whatever the order of finishing: decided in input order
    assert source_of(reports["dup-2.xlsx"]) == "dup-2.xlsx"
    written = {p for p in out.rglob("*") if p.is_file()}
    assert written == set(reports.values()) | {out / "batch-log.csv", out / "batch-log.json"}
    assert not list(out.rglob(".~*"))  # no staging file left

    rows, records = read_logs(out)
    by_input = {relative(r["input"], inbox): r for r in records}
    assert sorted(by_input) == sorted(
        [*reports, "bad.xlsx", "corrupt.xlsx", "~$统计表.xlsx", "说明.txt", ".DS_Store"]
    )
    for shown, report in reports.items():
        record = by_input[shown]
        assert record["outcome"] == "rendered" and record["output"] == str(report)
        assert len(record["sha256"]) == 64 and record["seconds"] > 0
    refused = by_input["bad.xlsx"]
    assert refused["outcome"] == "refused" and refused["output"] == ""
    assert (refused["sheet"], refused["cell"], refused["code"]) == (
        "月度统计",
        "E8",
        "not_a_number",
    )
    assert refused["message_zh"].startswith("月度统计 E8：“约80”不是数字")
    assert refused["message_en"].startswith("月度统计 E8: '约80' is not a number")
    assert refused["errors"] == 1 and len(refused["sha256"]) == 64
    failed = by_input["corrupt.xlsx"]
    assert failed["outcome"] == "failed" and failed["code"] == "not_xlsx"
    assert failed["message_zh"] == f"这不是Excel工作簿（.xlsx）文件：{inbox / 'corrupt.xlsx'}。"
    assert by_input["~$统计表.xlsx"]["outcome"] == "skipped"
    assert by_input["~$统计表.xlsx"]["code"] == "lock"
    assert by_input["说明.txt"]["code"] == "not_workbook"
    assert by_input[".DS_Store"]["code"] == "hidden"
    # the CSV says what the JSON says, field by field
    assert [r["input"] for r in rows] == [r["input"] for r in records]
    for row, record in zip(rows, records, strict=True):
        assert row == {k: str(v) for k, v in record.items()}

    lines = done.stdout.splitlines()
    assert lines[0] == "共11个文件："
    counts = dict(line.split() for line in lines[2:6])
    assert counts == {"已生成": "6", "未生成（有错误）": "1", "失败": "1", "已跳过": "3"}
    bad_line = next(line for line in lines if "bad.xlsx" in line)
    assert "月度统计 E8：“约80”不是数字" in bad_line
    assert any("corrupt.xlsx" in line and "失败" in line for line in lines)
    assert any("~$统计表.xlsx" in line and "锁定文件" in line for line in lines)
    assert lines[-1] == f"日志：{out / 'batch-log.csv'}、{out / 'batch-log.json'}"
    assert done.stderr == ""  # no progress bar when stderr is not a terminal


def test_existing_reports_are_refused_without_force_and_replaced_with_it(inbox, tmp_path):
    out = tmp_path / "out"
    books = [str(inbox / "school.xlsx"), str(inbox / "general.xlsx")]
    assert run(*books, "-o", str(out)).returncode == 0
    before = snapshot(out)
    again = run(*books, "-o", str(out))
    assert again.returncode == 1
    after = snapshot(out)
    reports = [k for k in before if k.endswith(".docx")]
    assert len(reports) == 2 and {k: after[k] for k in reports} == {k: before[k] for k in reports}
    records = json.loads((out / "batch-log.json").read_text("utf-8"))
    assert [r["outcome"] for r in records] == ["refused", "refused"]
    assert all(r["code"] == "output_exists" and "已存在" in r["message_zh"] for r in records)
    assert "--force" in again.stdout
    assert not list(out.glob(".~*"))
    forced = run(*books, "-o", str(out), "--force", env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert forced.returncode == 0, forced.stdout
    rewritten = snapshot(out)
    assert all(rewritten[k] != before[k] for k in reports)


def test_draft_renders_the_workbook_with_errors_and_only_it_as_draft(inbox, tmp_path):
    out = tmp_path / "out"
    done = run(str(inbox / "bad.xlsx"), str(inbox / "school.xlsx"), "-o", str(out), "--draft")
    assert done.returncode == 0, done.stdout
    records = json.loads((out / "batch-log.json").read_text("utf-8"))
    assert [r["outcome"] for r in records] == ["draft", "rendered"]
    draft = Path(records[0]["output"])
    assert draft.name == f"己县妇幼保健院{HOSPITAL}（草稿）.docx"
    assert "草稿" in document_text(draft) and records[0]["errors"] == 1
    assert "草稿" not in Path(records[1]["output"]).name


def test_one_worker_and_two_workers_write_the_same_reports(inbox, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(str(inbox), "-o", str(one), "--workers", "1").returncode == 1
    assert run(str(inbox), "-o", str(two), "--workers", "2").returncode == 1
    reports = {k: v for k, v in snapshot(one).items() if k.endswith(".docx")}
    assert len(reports) == 6
    assert reports == {k: v for k, v in snapshot(two).items() if k.endswith(".docx")}


def test_globs_are_expanded_and_a_file_named_twice_is_converted_once(inbox, tmp_path):
    out = tmp_path / "out"
    # quoted globs as a Windows shell passes them; the same file by a glob and by name
    done = run(
        str(inbox / "*" / "统计表.xlsx"), str(inbox / "甲医院" / "统计表.xlsx"), "-o", str(out)
    )
    assert done.returncode == 0, done.stdout
    records = json.loads((out / "batch-log.json").read_text("utf-8"))
    assert len(records) == 2
    # from a glob: flat in OUTDIR, named after each report
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(
        [f"甲县人民医院{HOSPITAL}.docx", f"乙县人民医院{HOSPITAL}.docx"]
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["{empty}"], "没有找到要转换的统计表"),
        (["{inbox}/*.nothing"], "没有找到要转换的统计表"),
        (["{inbox}", "--executor", "ray://x"], "执行方式应为local或dask://主机:端口"),
        (["{inbox}", "--executor", "dask://nohost"], "执行方式应为local或dask://主机:端口"),
    ],
)
def test_a_batch_that_cannot_run_says_so_in_one_sentence(inbox, tmp_path, args, says):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    args = [a.format(empty=empty, inbox=inbox) for a in args]
    done = run(*args, "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and says in done.stderr, done.stderr
    assert not out.exists()


def test_an_output_folder_that_is_a_file_or_pdf_without_libreoffice(inbox, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("mine")
    done = run(str(inbox / "school.xlsx"), "-o", str(blocked))
    assert done.returncode == 2 and "输出位置应是文件夹" in done.stderr
    assert blocked.read_text() == "mine"
    no_path = tmp_path / "bin"
    no_path.mkdir()
    done = run(
        str(inbox / "school.xlsx"), "-o", str(tmp_path / "o"), "--pdf", env={"PATH": str(no_path)}
    )
    assert done.returncode == 2 and "LibreOffice" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def kill_some(task: batch.Task) -> batch.Outcome:
    """convert_one, except that the worker process dies on a workbook named kill-*."""
    if Path(task.source).name.startswith("kill-"):
        os.kill(os.getpid(), signal.SIGKILL)
    return batch._convert_one_unpatched(task)


def test_a_worker_killed_under_a_workbook_fails_that_workbook_only(inbox, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    for k in range(6):
        unit_workbook(folder / f"unit-{k}.xlsx", f"第{k}单位")
    unit_workbook(folder / "kill-me.xlsx", "被终止单位")
    monkeypatch.setattr(batch, "_convert_one_unpatched", batch.convert_one, raising=False)
    monkeypatch.setattr(batch, "convert_one", kill_some)
    result = batch.convert([folder], tmp_path / "out", workers=2)
    outcomes = {Path(o.input).name: o for o in result.outcomes}
    assert outcomes["kill-me.xlsx"].outcome == "failed"
    assert outcomes["kill-me.xlsx"].code == "worker_died"
    assert "意外退出" in outcomes["kill-me.xlsx"].message_zh
    assert [outcomes[f"unit-{k}.xlsx"].outcome for k in range(6)] == ["rendered"] * 6
    assert len(list((tmp_path / "out").glob("*.docx"))) == 6
    assert not list((tmp_path / "out").glob(".~*"))
    assert result.exit_code == 1


def square_or_die(n: int) -> int:
    if n == 13:
        os.kill(os.getpid(), signal.SIGKILL)
    if n == 7:
        raise ValueError("seven")
    return n * n


def test_run_tasks_keeps_order_by_index_and_loses_only_what_failed():
    items = list(range(40))
    for workers in (1, 2):
        if workers == 1:
            items = [n for n in items if n != 13]  # would kill this very process
        results = as_list(run_tasks(square_or_die, items, workers=workers), len(items))
        for n, result in zip(items, results, strict=True):
            if n == 13:
                assert result == TaskLost("died")
            elif n == 7:
                assert result == TaskLost("raised", "ValueError: seven")
            else:
                assert result == n * n


def test_a_dask_cluster_writes_the_same_reports(inbox, tmp_path):
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local"
    assert run(str(inbox), "-o", str(local), "--workers", "2").returncode == 1
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        done = run(str(inbox), "-o", str(tmp_path / "dask"), "--executor", address)
    assert done.returncode == 1, done.stderr
    reports = {k: v for k, v in snapshot(local).items() if k.endswith(".docx")}
    assert len(reports) == 6
    assert reports == {k: v for k, v in snapshot(tmp_path / "dask").items() if k.endswith(".docx")}
    records = json.loads((tmp_path / "dask" / "batch-log.json").read_text("utf-8"))
    assert sorted(r["outcome"] for r in records).count("rendered") == 6


def test_an_unreachable_dask_scheduler_is_one_sentence(inbox, tmp_path):
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = run(
        str(inbox / "school.xlsx"),
        "-o",
        str(tmp_path / "o"),
        "--executor",
        f"dask://127.0.0.1:{port}",
    )
    assert done.returncode == 2 and "无法连接Dask调度器" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.slow
def test_pdf_reports_through_one_kept_libreoffice(inbox, tmp_path):
    soffice()
    out = tmp_path / "pdf"
    books = [str(inbox / "甲医院" / "统计表.xlsx"), str(inbox / "general.xlsx")]
    done = run(*books, "-o", str(out), "--pdf", "--workers", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.name for p in pdfs] == sorted(
        [f"甲县人民医院{HOSPITAL}.pdf", "丁县卫生健康局2023年工作总结.pdf"]
    )
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF-")
        said = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert pdf.stem in "".join(said.split())


def test_without_dask_the_executor_says_how_to_install_it(inbox, tmp_path):
    """As on a machine without the extra: a ``distributed`` that cannot be imported
    comes first on the path."""
    blocker = tmp_path / "site" / "distributed"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('no dask here')\n")
    path = os.pathsep.join(filter(None, [str(blocker.parent), os.environ.get("PYTHONPATH")]))
    done = run(
        str(inbox / "school.xlsx"),
        "-o",
        str(tmp_path / "o"),
        "--executor",
        "dask://127.0.0.1:8786",
        env={"PYTHONPATH": path},
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert 'pip install "xlsummary[dask]"' in done.stderr
    assert not (tmp_path / "o").exists()
