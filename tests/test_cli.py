"""The command line, run as a user runs it: a subprocess, real files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import fill


def run(
    *args: str, cwd: Path | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xlsummary.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **env} if env else None,
        timeout=120,
    )


def test_version_and_help():
    from xlsummary import __version__

    assert run("--version").stdout.strip() == f"xlsummary, version {__version__}"
    out = run("--help").stdout
    assert "xlsummary new" in out and "check" in out and "把标准化的 Excel" in out
    assert "--json" in run("check", "--help").stdout


def test_new_then_check_example(tmp_path: Path):
    target = tmp_path / "示例 2023.xlsx"
    made = run("new", "--profile", "hospital", "--example", "-o", str(target))
    assert made.returncode == 0, made.stderr
    assert "已生成" in made.stdout and target.exists()
    checked = run("check", str(target), "--totals")
    assert checked.returncode == 0, checked.stderr
    assert "结果：未发现问题。" in checked.stdout
    assert "手术例数" in checked.stdout and "+17.9%" in checked.stdout
    # never overwrites without --force
    again = run("new", "--profile", "hospital", "-o", str(target))
    assert again.returncode == 2 and "已存在" in again.stderr
    assert "Traceback" not in again.stderr


def test_check_with_errors_exits_1_and_groups_by_sheet(tmp_path: Path):
    target = tmp_path / "bad.xlsx"
    assert run("new", "--example", "-o", str(target)).returncode == 0
    fill(target, {"月度统计!E8": "约80", "基本信息!B11": "abc"})
    checked = run("check", str(target))
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert "基本信息（1）" in lines and "月度统计（1）" in lines
    assert lines.index("基本信息（1）") < lines.index("月度统计（1）")
    row = next(line for line in lines if "E8" in line)
    assert row.split()[:3] == ["错误", "E8", "手术例数"]
    assert lines[-1] == "结果：1个错误，1个警告。请改正错误后再生成报告。"
    english = run("check", str(target), "--lang", "en").stdout
    assert "'约80' is not a number" in english


def test_check_json(tmp_path: Path):
    target = tmp_path / "bad.xlsx"
    run("new", "--example", "-o", str(target))
    fill(target, {"月度统计!H7": -3})
    out = run("check", str(target), "--json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["ok"] is False and data["errors"] == 1 and data["warnings"] == 0
    assert data["issues"] == [
        {
            "severity": "error",
            "code": "negative",
            "sheet": "月度统计",
            "cell": "H7",
            "indicator": "inpatient",
            "message": "“住院人次”的数值-3是负数，应为0或正数。",
            "message_en": "Inpatient admissions: -3 is negative; figures must be 0 or more.",
        }
    ]
    surgery = data["totals"]["indicators"]["surgery"]
    assert surgery["total"] == 33 and surgery["yoy_percent"] == 17.9
    assert data["totals"]["period"] == {"start": 1, "end": 12, "kind": "year", "label": "全年"}
    assert data["info"]["unit"] == "某某市人民医院"


def test_unreadable_files_get_one_sentence(tmp_path: Path):
    (tmp_path / "a.xlsx").write_text("not a workbook")
    cases = {
        str(tmp_path / "missing.xlsx"): "找不到文件",
        str(tmp_path / "a.xlsx"): "不是Excel工作簿",
    }
    for path, expected in cases.items():
        out = run("check", path)
        assert out.returncode == 2
        assert out.stderr.count("\n") == 1 and expected in out.stderr
        assert "Traceback" not in out.stderr
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    unwritable = run("new", "-o", str(blocked / "x.xlsx"))
    assert unwritable.returncode == 2 and "无法写入文件" in unwritable.stderr
    assert "Traceback" not in unwritable.stderr
    unknown = run("new", "--profile", "nope", "-o", str(tmp_path / "x.xlsx"))
    assert unknown.returncode == 2 and "hospital" in unknown.stderr


def test_profiles_command():
    out = run("profiles").stdout
    assert "hospital" in out and "school" in out and "general" in out


def test_render_command(tmp_path: Path):
    target = tmp_path / "示例.xlsx"
    run("new", "--example", "-o", str(target))
    made = run("render", str(target))
    assert made.returncode == 0, made.stderr
    report = tmp_path / "某某市人民医院2023年对口支援工作总结.docx"
    assert made.stdout.strip() == f"已生成报告：{report}" and report.exists()
    again = run("render", str(target))
    assert again.returncode == 2 and "已存在" in again.stderr
    fill(target, {"月度统计!E8": "约80"})
    refused = run("render", str(target), "-o", str(tmp_path / "x.docx"))
    assert refused.returncode == 1 and not (tmp_path / "x.docx").exists()
    assert "E8" in refused.stderr and "手术例数" in refused.stderr and "--draft" in refused.stderr
    draft = run("render", str(target), "--draft", "-o", str(tmp_path / "x.docx"))
    assert draft.returncode == 0 and (tmp_path / "x.docx").exists()
    assert "1个错误" in draft.stdout


def test_check_json_on_an_unreadable_file_prints_one_error_object(tmp_path: Path):
    (tmp_path / "a.xlsx").write_text("not a workbook")
    for path, code in ((tmp_path / "a.xlsx", "not_xlsx"), (tmp_path / "none.xlsx", "not_found")):
        out = run("check", str(path), "--json")
        assert out.returncode == 2
        error = json.loads(out.stdout)["error"]
        assert error["code"] == code and error["message"] and error["message_en"]
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_new_refuses_an_output_that_is_not_an_xlsx(tmp_path: Path):
    for name in ("x.docx", "x"):
        out = run("new", "-o", str(tmp_path / name))
        assert out.returncode == 2 and ".xlsx" in out.stderr
    out = run("new", "-o", str(tmp_path))
    assert out.returncode == 2 and ".xlsx" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_into_a_folder(tmp_path: Path):
    workbook = tmp_path / "示例.xlsx"
    run("new", "--example", "-o", str(workbook))
    folder = tmp_path / "reports"
    folder.mkdir()
    made = run("render", str(workbook), "-o", str(folder))
    assert made.returncode == 0, made.stderr
    assert [p.name for p in folder.iterdir()] == ["某某市人民医院2023年对口支援工作总结.docx"]
    wrong = run("render", str(workbook), "-o", str(tmp_path / "r.pdf"))
    assert wrong.returncode == 2 and ".docx" in wrong.stderr


def test_usage_mistakes_are_one_sentence(tmp_path: Path):
    for args, says in (
        (["render"], "WORKBOOK"),
        (["check", "x.xlsx", "--nope"], "--nope"),
        (["new", "--profile"], "--profile"),
    ):
        out = run(*args)
        assert out.returncode == 2
        assert out.stderr.count("\n") == 1 and says in out.stderr, out.stderr
        assert "Usage:" not in out.stderr and "--help" in out.stderr
    long_name = run("check", str(tmp_path / ("x" * 5000)))
    assert long_name.returncode == 2 and long_name.stderr.count("\n") == 1
    assert "太长" in long_name.stderr


def test_english_output_is_english_throughout(tmp_path: Path):
    """No Chinese punctuation in English messages (file names here are ASCII)."""
    import re

    workbook = tmp_path / "en.xlsx"
    run("new", "--example", "--lang", "en", "-o", str(workbook))
    fill(workbook, {"Monthly!E8": "about 80"})
    (tmp_path / "text.xlsx").write_text("not a workbook")
    runs = [
        run("check", str(workbook)),
        run("render", str(workbook), "-o", str(tmp_path / "r.docx")),
        run("check", str(tmp_path / "text.xlsx"), "--lang", "en"),
        run("check", str(tmp_path / "missing.xlsx"), "--lang", "en"),
        run("fields", "--lang", "en"),
        run("render", str(workbook), "--draft", "-o", str(tmp_path / "d.docx")),
    ]
    chinese = re.compile(r"[（）“”：，。、；！？]")
    for out in runs:
        text = out.stdout + out.stderr
        assert text.strip() and not chinese.search(text), text
