"""``xlsummary addin install | remove | status`` on real folders: Excel's startup folder
under a temporary home, and Windows Pythons laid out as pip leaves them (python.exe,
site-packages with xlwings' dist-info and RECORD, the DLLs where pip's data scheme puts
them), read through the same ``importlib.metadata`` the command uses."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from tests.test_cli import run
from xlsummary import __version__
from xlsummary.excel.addin_status import status
from xlsummary.excel.build_addin import (
    settings_of,
    shipped_addin,
    with_settings,
    xlwings_version_of,
)
from xlsummary.excel.install import INSTALLED_BY_PROPERTY, Outcome, install, remove
from xlsummary.excel.install_checks import target
from xlsummary.excel.legacy_settings import read_config
from xlsummary.excel.python_install import PythonInstall

VERSION = xlwings_version_of(shipped_addin().read_bytes())
STORE = "PythonSoftwareFoundation.Python.3.11_qbz5n2kfra8p0"


def fake_python(root: Path, layout: str, version: str = VERSION) -> PythonInstall:
    """A Windows Python with xlwings ``version`` installed, as pip lays it out."""
    prefix = root / "Python311"
    if layout == "python.org":  # C:\Python311: data files beside python.exe
        exe, site, data = prefix / "python.exe", prefix / "Lib/site-packages", prefix
    elif layout == "user":  # Python in Program Files, pip install --user
        prefix = root / "Program Files/Python311"
        exe = prefix / "python.exe"
        site = root / "AppData/Roaming/Python/Python311/site-packages"
        data = root / "AppData/Roaming/Python"
    elif layout == "venv":
        prefix = root / "xlsummary-venv"
        exe, site, data = prefix / "Scripts/python.exe", prefix / "Lib/site-packages", prefix
    elif layout == "store":
        prefix = root / "Program Files/WindowsApps" / STORE
        exe = root / "AppData/Local/Microsoft/WindowsApps" / STORE / "python.exe"
        packages = root / "AppData/Local/Packages" / STORE / "LocalCache/local-packages"
        site, data = packages / "Python311/site-packages", packages
    elif layout == "conda":
        prefix = root / "miniconda3/envs/work"
        (root / "miniconda3/condabin").mkdir(parents=True)
        (prefix / "conda-meta").mkdir(parents=True)
        exe, site, data = prefix / "python.exe", prefix / "Lib/site-packages", prefix
    else:
        raise ValueError(layout)
    exe.parent.mkdir(parents=True, exist_ok=True)
    exe.write_bytes(b"MZ")
    info = site / f"xlwings-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: xlwings\nVersion: {version}\n")
    data.mkdir(parents=True, exist_ok=True)
    record = [f"xlwings-{version}.dist-info/METADATA,,", "xlwings/__init__.py,,"]
    for bits in ("32", "64"):
        dll = data / f"xlwings{bits}-{version}.dll"
        dll.write_bytes(b"MZ")
        record.append(f"{Path(os.path.relpath(dll, site)).as_posix()},,")
    (info / "RECORD").write_text("\n".join(record) + "\n")
    return PythonInstall.at(exe, prefix, [str(site)])


def windows(tmp_path: Path, python: PythonInstall):
    env = {"APPDATA": str(tmp_path / "AppData/Roaming"), "USERPROFILE": str(tmp_path)}
    return target("win32", env, tmp_path, python)


def installed_settings(t) -> dict[str, str]:
    return settings_of(t.addin.read_bytes())


def test_the_fake_layouts_are_what_pip_records(tmp_path: Path):
    python = fake_python(tmp_path, "user")
    assert python.xlwings_version == VERSION
    assert python.installed_dlls(VERSION) == [
        tmp_path / f"AppData/Roaming/Python/xlwings32-{VERSION}.dll",
        tmp_path / f"AppData/Roaming/Python/xlwings64-{VERSION}.dll",
    ]


@pytest.mark.parametrize("layout", ["python.org", "venv"])
def test_install_where_excel_finds_the_dll(tmp_path: Path, layout):
    python = fake_python(tmp_path, layout)
    t = windows(tmp_path, python)
    found = status(t)
    assert found.problems == []
    assert f"Excel将从{python.loadable_dll(VERSION)}加载" in found.lines[-1]
    outcome = install(t)
    assert not outcome.refused
    # every key xlwings' VBA would otherwise take from a settings file another add-in
    # may write: ours wins, on the add-in's own sheet
    assert installed_settings(t) == {
        "UDF MODULES": "xlsummary.excel.udfs",
        "ADD_WORKBOOK_TO_PYTHONPATH": "False",
        "INTERPRETER_WIN": str(python.interpreter),
        "CONDA PATH": "",
        "CONDA ENV": "",
        "PYTHONPATH": "",
        "USE UDF SERVER": "False",
        "DEBUG UDFS": "False",
        "SHOW CONSOLE": "False",
        "LICENSE_KEY": "",
    }
    # the rest of the add-in is the shipped one, part for part
    with (
        zipfile.ZipFile(io.BytesIO(shipped_addin().read_bytes())) as a,
        zipfile.ZipFile(t.addin) as b,
    ):
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name not in ("xl/worksheets/sheet1.xml", "docProps/custom.xml"):
                assert a.read(name) == b.read(name), name
    assert any("xlsummary_udfs.bas" in line for line in outcome.todo)  # no COM here
    assert status(t).problems == []
    assert sorted(p.name for p in t.startup.parent.iterdir()) == ["XLSTART"]  # no staging left


@pytest.mark.parametrize("layout", ["user", "store"])
def test_a_dll_excel_cannot_load_is_named_with_its_fix(tmp_path: Path, layout):
    python = fake_python(tmp_path, layout)
    t = windows(tmp_path, python)
    [problem] = status(t).problems
    if layout == "user":
        assert f"pip把它装在了{tmp_path / 'AppData/Roaming/Python'}" in problem
        assert str(python.interpreter.parent) in problem
    else:
        assert "Microsoft Store版Python" in problem and "python.org" in problem
    venv = tmp_path / "xlsummary-venv"
    assert f'"{python.interpreter}" -m venv "{venv}"' in problem
    assert f'"{venv / "Scripts/xlsummary.exe"}" addin install' in problem
    # the button still gets installed; the functions, which would fail, are left out
    outcome = install(t)
    assert not outcome.refused and t.addin.is_file()
    assert problem == f"问题：{outcome.todo[0]}" and "未导入工作表函数" in outcome.todo[1]
    assert not any("xlsummary_udfs.bas" in line for line in outcome.todo)


def test_conda_gets_the_settings_xlwings_writes(tmp_path: Path):
    python = fake_python(tmp_path, "conda")
    t = windows(tmp_path, python)
    install(t)
    settings = installed_settings(t)
    assert settings["CONDA PATH"] == str(tmp_path / "miniconda3")
    assert settings["CONDA ENV"] == "work"
    # plain "python" is what makes the VBA start it through conda activate (and load
    # the DLL from the environment); a path from some settings file would not
    assert settings["INTERPRETER_WIN"] == "python"
    lines = status(t).lines
    assert any("conda环境：work" in line for line in lines)


def test_another_xlwings_refuses_and_changes_nothing(tmp_path: Path):
    python = fake_python(tmp_path, "python.org", version="0.37.9")
    t = windows(tmp_path, python)
    outcome = install(t)
    assert outcome.refused and outcome.done == []
    [line] = outcome.todo
    assert f"已安装的xlwings是0.37.9，而加载项由xlwings {VERSION}生成" in line
    assert f'"{python.interpreter}" -m pip install xlwings=={VERSION}' in line
    assert not (tmp_path / "AppData").exists()
    assert "问题：已安装的xlwings是0.37.9，而加载项需要" in status(t).problems[0]


def test_no_xlwings_refuses(tmp_path: Path):
    exe = tmp_path / "Python311/python.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"MZ")
    t = windows(tmp_path, PythonInstall.at(exe, exe.parent, [str(tmp_path / "empty")]))
    outcome = install(t)
    assert outcome.refused and "没有安装xlwings" in outcome.todo[0]


def test_a_failing_excel_leaves_the_machine_as_it_was(tmp_path: Path):
    python = fake_python(tmp_path, "python.org")
    t = windows(tmp_path, python)

    def excel_without_com(addin: Path, out: Outcome, lang: str) -> None:
        assert addin.name == "xlsummary.xlam" and addin.parent != t.startup
        raise OSError("(-2147221005, '无效的类字符串', None, None)")  # only WPS installed

    # a PC where Excel never ran: not even its folder is left behind
    outcome = install(t, excel_step=excel_without_com)
    assert outcome.refused and outcome.done == []
    assert outcome.todo == [
        "无法用Excel导入工作表函数（(-2147221005, '无效的类字符串', None, None)），"
        "未做任何修改。请确认这台电脑装有能正常打开的Microsoft Excel（WPS不能运行本加载项），"
        "再运行“xlsummary addin install”。"
    ]
    assert not (tmp_path / "AppData").exists()
    # a PC with an add-in installed before: it stays, and nothing is added beside it
    t.startup.mkdir(parents=True)
    t.addin.write_bytes(b"the add-in installed before")
    assert install(t, excel_step=excel_without_com).refused
    assert t.addin.read_bytes() == b"the add-in installed before"
    assert sorted(p.name for p in t.startup.parent.iterdir()) == ["XLSTART"]


def test_what_excel_saves_is_what_gets_installed(tmp_path: Path):
    """The functions are imported into the staged copy; that copy, as Excel saved it,
    is the one moved into the startup folder."""
    t = windows(tmp_path, fake_python(tmp_path, "python.org"))

    def excel(addin: Path, out: Outcome, lang: str) -> None:
        with zipfile.ZipFile(addin, "a") as package:  # as the imported module would
            package.writestr("xl/imported-by-excel.txt", "xlwings_udfs")
        out.done.append("imported")

    outcome = install(t, excel_step=excel)
    assert "imported" in outcome.done
    assert zipfile.ZipFile(t.addin).read("xl/imported-by-excel.txt") == b"xlwings_udfs"
    assert not any("xlsummary_udfs.bas" in line for line in outcome.todo)


def excel_saved(addin: bytes) -> bytes:
    """The add-in as Excel saves it: the sheet's text as shared strings."""
    with zipfile.ZipFile(io.BytesIO(addin)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    strings: list[str] = []

    def shared(match: re.Match) -> str:
        strings.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    inline = r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>'
    parts["xl/worksheets/sheet1.xml"] = re.sub(inline, shared, sheet).encode()
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{x}</t></si>" for x in strings)
        + "</sst>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


def test_status_reads_the_add_in_as_excel_saved_it(tmp_path: Path):
    t = windows(tmp_path, fake_python(tmp_path, "conda"))
    install(t)
    t.addin.write_bytes(excel_saved(t.addin.read_bytes()))
    assert b"inlineStr" not in zipfile.ZipFile(t.addin).read("xl/worksheets/sheet1.xml")
    assert installed_settings(t)["CONDA ENV"] == "work"
    found = status(t)
    assert found.problems == [] and any("conda环境：work" in line for line in found.lines)


def test_an_add_in_in_use_is_neither_replaced_nor_removed(tmp_path: Path):
    """Excel holds the installed add-in open: the replace and the delete fail, which
    here a folder in its place makes happen (root ignores permissions)."""
    t = windows(tmp_path, fake_python(tmp_path, "python.org"))
    (t.addin / "held").mkdir(parents=True)
    legacy = '"UDF MODULES","xlsummary.excel.udfs"\r\n'
    t.legacy_config.parent.mkdir(parents=True)
    t.legacy_config.write_text(legacy, newline="")
    outcome = install(t)
    assert outcome.refused and outcome.done == []
    assert outcome.todo[0].startswith(f"无法替换{t.addin}（") and "未做任何修改" in outcome.todo[0]
    assert t.legacy_config.read_bytes().decode() == legacy
    outcome = remove(t)
    assert outcome.refused and outcome.done == []
    assert "请先关闭所有Excel窗口，再运行“xlsummary addin remove”" in outcome.todo[0]
    assert (t.addin / "held").is_dir() and t.legacy_config.read_bytes().decode() == legacy


def test_settings_an_earlier_version_shared_are_taken_back(tmp_path: Path):
    python = fake_python(tmp_path, "python.org")
    t = windows(tmp_path, python)
    t.legacy_config.parent.mkdir(parents=True)
    t.legacy_config.write_text(
        '"SHOW CONSOLE", "True"\n"UDF MODULES","xlsummary.excel.udfs"\n'
        f'"INTERPRETER_WIN","{python.interpreter}"\n"temp dir","D:\\临时"\n',
        encoding="utf-8",
    )
    install(t)
    # everyone else's lines stay as they were, with the line ends VBA reads on Windows
    kept = '"SHOW CONSOLE", "True"\r\n"temp dir","D:\\临时"\r\n'
    assert t.legacy_config.read_bytes().decode() == kept
    remove(t)
    assert not t.addin.exists() and t.legacy_config.read_bytes().decode() == kept
    # a settings file that is not ours is never touched
    theirs = '"UDF MODULES","their.udfs"\n"INTERPRETER_WIN","C:\\Other\\python.exe"\n'
    t.legacy_config.write_text(theirs)
    install(t)
    remove(t)
    assert t.legacy_config.read_text() == theirs
    assert read_config(t.legacy_config)["UDF MODULES"] == "their.udfs"


def test_a_settings_file_that_cannot_be_decoded_is_left_alone(tmp_path: Path):
    """Written in another code page than the one VBA reads: left as it is, and said."""
    t = windows(tmp_path, fake_python(tmp_path, "python.org"))
    t.legacy_config.parent.mkdir(parents=True)
    data = '"UDF MODULES","xlsummary.excel.udfs"\r\n"TEMP DIR","D:\\临时"\r\n'.encode("gbk")
    t.legacy_config.write_bytes(data)
    outcome = install(t)  # no code page to ask here: read as UTF-8, which GBK is not
    assert not outcome.refused and t.addin.is_file()
    assert t.legacy_config.read_bytes() == data
    assert any(f"未能清理共用设置文件{t.legacy_config}" in line for line in outcome.todo)


def test_a_dll_path_the_ansi_code_page_cannot_write(tmp_path: Path):
    """LoadLibraryA gets the path in the system code page: a Chinese user name on an
    English Windows (cp1252) cannot be written there."""
    python = fake_python(tmp_path / "张三", "python.org")
    t = windows(tmp_path, python)
    assert status(t).problems == []  # no code page to ask: nothing to say
    t.ansi = "cp1252"
    [problem] = status(t).problems
    assert "非Unicode程序语言" in problem and str(python.loadable_dll(VERSION)) in problem
    t.ansi = "gbk"
    assert status(t).problems == []


def test_mac_install_and_the_runpython_script(tmp_path: Path):
    exe = tmp_path / "opt/python3.11"
    python = fake_python(tmp_path, "venv")
    python = PythonInstall(exe, python.prefix, python.xlwings_version, python.xlwings_files)
    t = target("darwin", {}, tmp_path, python)
    outcome = install(t)
    assert "Startup/Excel" in str(t.addin) and any("仅支持Windows" in x for x in outcome.todo)
    assert installed_settings(t)["INTERPRETER_MAC"] == str(exe)
    script = (
        tmp_path / f"Library/Application Scripts/com.microsoft.Excel/xlwings-{VERSION}.applescript"
    )
    problems = status(t).problems
    assert any(str(script) in p for p in problems)  # the button needs it
    script.parent.mkdir(parents=True)
    script.write_text("on VbaHandler(x)\nend VbaHandler\n")
    exe.parent.mkdir(parents=True, exist_ok=True)
    exe.write_bytes(b"")
    assert status(t).problems == []


def test_status_notices_a_missing_interpreter_and_an_old_add_in(tmp_path: Path):
    python = fake_python(tmp_path, "python.org")
    t = windows(tmp_path, python)
    install(t)
    python.interpreter.unlink()
    assert any("Python不存在" in line for line in status(t).problems)
    assert not any("不是这个xlsummary" in line for line in status(t).problems)
    # installed by another xlsummary (same xlwings), and by one from before the
    # properties: both said
    installed = t.addin.read_bytes()
    by_another = {INSTALLED_BY_PROPERTY: "0.0.1"}
    t.addin.write_bytes(with_settings(installed, installed_settings(t), by_another))
    older = f"不是这个xlsummary（{__version__}）安装的"
    assert any(older in line for line in status(t).problems)
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(installed)) as src, zipfile.ZipFile(data, "w") as dst:
        for item in src.infolist():
            if item.filename != "docProps/custom.xml":
                dst.writestr(item, src.read(item.filename))
    t.addin.write_bytes(data.getvalue())
    assert any(older in line for line in status(t).problems)
    t.addin.write_bytes(b"not a zip")
    assert any("无法读取已安装的加载项" in line for line in status(t).problems)


def test_linux_says_what_it_would_do_and_check(tmp_path: Path):
    home = {"HOME": str(tmp_path), "APPDATA": str(tmp_path), "USERPROFILE": str(tmp_path)}
    out = run("addin", "install", "--platform", "linux", env=home)
    assert out.returncode == 0 and "未做任何修改" in out.stdout
    checked = run("addin", "status", "--platform", "linux", env=home)
    assert checked.returncode == 0
    assert f"已安装的xlwings：{VERSION}（加载项需要{VERSION}）" in checked.stdout
    assert f"Excel会在以下两个文件夹中查找xlwings64-{VERSION}.dll" in checked.stdout
    assert list(tmp_path.iterdir()) == []  # the home it was given is untouched
    # the same command for Windows, with the same home, does write there
    done = run("addin", "install", "--platform", "win32", env=home)
    assert (tmp_path / "Microsoft" / "Excel" / "XLSTART" / "xlsummary.xlam").is_file()
    assert done.returncode == 0


def test_a_startup_folder_that_cannot_be_made_changes_nothing(tmp_path: Path):
    t = windows(tmp_path, fake_python(tmp_path, "python.org"))
    blocked = tmp_path / "AppData/Roaming/Microsoft"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where Office keeps its folder")
    outcome = install(t)
    assert outcome.refused and outcome.todo[0].startswith(f"无法写入{t.startup}（")
    assert sorted(p.name for p in blocked.parent.iterdir()) == ["Microsoft"]
    assert blocked.read_text() == "a file where Office keeps its folder"
