"""``xlsummary addin install | remove | status`` on real folders (Excel's startup folder
and the add-in's settings file laid out under a temporary home)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.test_cli import run
from xlsummary.excel.build_addin import shipped_addin
from xlsummary.excel.install import install, read_config, remove, status, target


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_install_and_remove(tmp_path: Path, platform):
    env = {"APPDATA": str(tmp_path / "AppData"), "USERPROFILE": str(tmp_path)}
    t = target(platform, env, tmp_path, interpreter="C:\\Python311\\python.exe")
    t.config.parent.mkdir(parents=True, exist_ok=True)
    t.config.write_text('"SHOW CONSOLE","False"\n', encoding="utf-8")  # someone else's key
    outcome = install(t)
    assert t.addin.read_bytes() == shipped_addin().read_bytes()
    key = "INTERPRETER_WIN" if platform == "win32" else "INTERPRETER_MAC"
    assert read_config(t.config) == {
        "SHOW CONSOLE": "False",
        key: "C:\\Python311\\python.exe",
        "UDF MODULES": "xlsummary.excel.udfs",
    }
    assert any("工作总结" in line for line in outcome.todo)
    if platform == "win32":
        assert t.addin.parent == tmp_path / "AppData" / "Microsoft" / "Excel" / "XLSTART"
        assert any("xlsummary_udfs.bas" in line for line in outcome.todo)
    else:
        assert "Startup/Excel" in str(t.addin) and any("仅支持Windows" in x for x in outcome.todo)
        # Excel is sandboxed on macOS: the VBA's $HOME is its container
        assert t.config == (
            tmp_path / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "myaddin.conf"
        )
    assert "已安装" in status(t)[0]
    remove(t)
    assert not t.addin.exists()
    assert read_config(t.config) == {"SHOW CONSOLE": "False"}  # theirs is kept


def test_linux_only_says_what_it_would_do(tmp_path: Path):
    home = {"HOME": str(tmp_path), "APPDATA": str(tmp_path), "USERPROFILE": str(tmp_path)}
    out = run("addin", "install", "--platform", "linux", env=home)
    assert out.returncode == 0 and "未做任何修改" in out.stdout
    assert run("addin", "status", "--platform", "linux", env=home).returncode == 0
    assert list(tmp_path.iterdir()) == []  # the home it was given is untouched
    # the same command for Windows, with the same home, does write there
    done = run("addin", "install", "--platform", "win32", env=home)
    assert done.returncode == 0 and (tmp_path / "Microsoft" / "Excel" / "XLSTART").is_dir()


def test_status_notices_a_missing_interpreter(tmp_path: Path):
    t = target(
        "win32",
        {"APPDATA": str(tmp_path), "USERPROFILE": str(tmp_path)},
        tmp_path,
        interpreter=str(tmp_path / "gone" / "python.exe"),
    )
    install(t)
    assert any("Python不存在" in line for line in status(t))
    # the real interpreter is what install writes by default
    assert target("win32", {}, tmp_path).interpreter == sys.executable
