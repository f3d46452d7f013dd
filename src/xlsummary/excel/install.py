"""``xlsummary addin install | remove | status``: put the add-in where Excel loads it.

- Windows: the add-in goes into Excel's startup folder (%APPDATA%\\Microsoft\\Excel\\
  XLSTART) with the interpreter that runs xlsummary written on its own config sheet
  (the conda settings for a conda Python, as ``xlwings config create`` writes them), and
  the worksheet functions' VBA wrappers imported into it, as xlwings' "Import
  Functions" does. That import needs Excel's "Trust access to the VBA project object
  model"; without it we say so, and IT can import ``xlsummary_udfs.bas`` by hand.
- macOS: the same copy, plus xlwings' RunPython setup (``xlwings runpython install``).
  The worksheet functions are Windows-only in xlwings: Mac users get the button and
  the plain workbook, whose formulas need no add-in.
- Elsewhere (Linux: no Excel) it prints what it would do and what it would check, and
  changes nothing.

Before anything is written, ``install`` checks what would break on the user's PC:
the installed xlwings must be the version whose VBA the add-in carries (the VBA
names ``xlwings64-<version>.dll``), and on Windows the DLL must sit where that VBA
looks (:mod:`xlsummary.excel.python_install`). A wrong xlwings refuses the install;
a DLL Excel cannot load leaves the functions out (the button needs no DLL) and says
how to fix it.

Every step that can fail runs before the add-in reaches the startup folder: the
configured copy is written and (on Windows) given its functions by Excel in a
staging folder beside it, then moved in with one rename. A failure anywhere (Excel
missing or broken, the add-in open in Excel) is one sentence, and the machine is left
as it was.

Why the interpreter is on the add-in's own sheet: the settings *file* is named after
the template's ``PROJECT_NAME`` (``~/.myaddin/myaddin.conf``), which every add-in
built from the same xlwings template shares and may overwrite. Earlier versions wrote
there; ``install`` and ``remove`` take our entries out of it (only while they still
hold what we wrote), writing the rest back as VBA reads it: in the ANSI code page with
CRLF line ends on Windows.

What the commands say is the catalogue's (``excel.install.*``, ``excel.remove.*``,
``excel.status.*``, ``excel.python.*`` in :mod:`xlsummary.i18n`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from xlsummary.excel.build_addin import (
    ADDIN_NAME,
    PROJECT_NAME,
    UDF_MODULES,
    settings_of,
    shipped_addin,
    with_settings,
    xlwings_version_of,
)
from xlsummary.excel.python_install import PythonInstall, conda_settings, dll_names
from xlsummary.excel.vba_wrappers import shipped_bas
from xlsummary.i18n import DEFAULT, Msg, text

_MAC_STARTUP = "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
_MAC_SANDBOX_HOME = "Library/Containers/com.microsoft.Excel/Data"
_MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"
_INTERPRETER_KEY = {"win32": "INTERPRETER_WIN", "darwin": "INTERPRETER_MAC"}

#: what imports the functions into the staged add-in (Excel through COM on Windows)
ExcelStep = Callable[[Path, "Outcome", str], None]


@dataclass
class Target:
    """Where things go on one machine, and the Python the add-in will run."""

    platform: str
    startup: Path | None
    legacy_config: Path | None  # the shared settings file earlier versions wrote
    python: PythonInstall
    home: Path

    @property
    def supported(self) -> bool:
        return self.startup is not None

    @property
    def addin(self) -> Path | None:
        return self.startup / ADDIN_NAME if self.startup else None

    @property
    def interpreter(self) -> str:
        return str(self.python.interpreter)


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)  # steps the user has to take
    refused: bool = False  # nothing was changed


def target(
    platform: str | None = None,
    env: dict | None = None,
    home: Path | None = None,
    python: PythonInstall | None = None,
) -> Target:
    platform = platform or sys.platform
    env = os.environ if env is None else env
    home = home or Path.home()
    python = python or PythonInstall.current()
    if platform == "win32":
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        profile = Path(env.get("USERPROFILE") or home)
        return Target(
            platform,
            appdata / "Microsoft" / "Excel" / "XLSTART",
            profile / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf",
            python,
            home,
        )
    if platform == "darwin":
        return Target(
            platform,
            home / _MAC_STARTUP,
            home / _MAC_SANDBOX_HOME / f"{PROJECT_NAME}.conf",
            python,
            home,
        )
    return Target(platform, None, None, python, home)


def addin_version() -> str:
    """The xlwings version whose VBA the shipped add-in carries."""
    return xlwings_version_of(shipped_addin().read_bytes()) or ""


def interpreter_settings(t: Target, env: dict | None = None) -> dict[str, str]:
    """What the add-in's sheet needs to start this Python on this platform."""
    if t.platform == "win32":
        conda = conda_settings(t.python, env)
        if conda:
            return conda
    return {_INTERPRETER_KEY.get(t.platform, "INTERPRETER"): t.interpreter}


# ------------------------------------------------------------------- the checks


def _version_problem(t: Target, lang: str) -> str | None:
    wanted, installed = addin_version(), t.python.xlwings_version
    if installed is None:
        return text("excel.install.no_xlwings", lang, interpreter=t.interpreter, wanted=wanted)
    if installed != wanted:
        return text(
            "excel.install.version_mismatch",
            lang,
            installed=installed,
            wanted=wanted,
            interpreter=t.interpreter,
        )
    return None


def _dll_problem(python: PythonInstall, lang: str) -> str | None:
    """Why Excel will not load xlwings' DLL for this Python (None: it will)."""
    version = addin_version()
    steps = Msg("excel.python.venv_steps")
    if python.is_store_python:
        return text("excel.python.store", lang, interpreter=python.interpreter, steps=steps)
    if python.loadable_dll(version):
        return None
    first, second = python.dll_folders()
    dll = dll_names(version)[0]
    found = python.installed_dlls(version)
    if found:
        return text(
            "excel.python.dll_elsewhere",
            lang,
            dll=dll,
            first=first,
            second=second,
            found=found[0].parent,
            steps=steps,
        )
    return text("excel.python.dll_absent", lang, dll=dll, first=first, second=second, steps=steps)


# ------------------------------------------------------------------- install


def install(t: Target, lang: str = DEFAULT, excel_step: ExcelStep | None = None) -> Outcome:
    """Install for ``t``. ``excel_step`` imports the functions into the staged copy
    (default: Excel through COM, on Windows only)."""
    out = Outcome()
    if not t.supported:
        out.todo += [
            text("excel.install.no_excel", lang, platform=t.platform),
            text("excel.install.would_copy", lang, addin=ADDIN_NAME),
            text(
                "excel.install.would_configure",
                lang,
                config=f"{PROJECT_NAME}.conf",
                interpreter=t.interpreter,
            ),
            text("excel.install.would_import", lang),
        ]
        return out
    problem = _version_problem(t, lang)
    if problem:
        return Outcome(todo=[problem], refused=True)
    dll_problem = _dll_problem(t.python, lang) if t.platform == "win32" else None
    settings = interpreter_settings(t)
    if excel_step is None and t.platform == "win32" and sys.platform == "win32":
        excel_step = _import_functions
    t.startup.mkdir(parents=True, exist_ok=True)
    # staged beside the startup folder, never in it: Excel opens every file there
    stage = Path(tempfile.mkdtemp(prefix=".xlsummary-", dir=t.startup.parent))
    try:
        staged = stage / ADDIN_NAME  # the module name comes from the file name
        staged.write_bytes(with_settings(shipped_addin().read_bytes(), settings))
        if dll_problem:
            out.todo += [dll_problem, text("excel.install.functions_skipped", lang)]
        elif excel_step is not None:
            try:
                excel_step(staged, out, lang)
            except Exception as error:  # COM gives no better class: Excel missing or broken
                return Outcome(
                    todo=[text("excel.install.excel_failed", lang, reason=_reason(error))],
                    refused=True,
                )
        elif t.platform == "win32":
            out.todo.append(text("excel.install.import_by_hand", lang, bas=shipped_bas()))
        try:
            _replace(staged, t.addin)
        except OSError as error:  # on Windows: the add-in is open in Excel
            return Outcome(
                todo=[text("excel.install.in_use", lang, addin=t.addin, reason=_reason(error))],
                refused=True,
            )
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    out.done.insert(0, text("excel.install.copied", lang, addin=t.addin))
    out.done.insert(1, _configured(settings, lang))
    _forget_legacy_settings(t, out, lang)
    if t.platform == "darwin":
        if sys.platform == "darwin":
            subprocess.run(
                [sys.executable, "-m", "xlwings.cli", "runpython", "install"], check=False
            )
            out.done.append(text("excel.install.ran_runpython", lang))
        else:
            out.todo.append(text("excel.install.run_runpython", lang))
        out.todo.append(text("excel.install.no_mac_functions", lang))
    out.todo.append(text("excel.install.restart", lang, tab=Msg("excel.ribbon.tab")))
    return out


def _replace(source: Path, target_path: Path, tries: int = 6) -> None:
    """os.replace, given a few seconds on Windows, where the Excel that just saved the
    staged copy may hold it a moment after quitting."""
    for attempt in range(tries):
        try:
            os.replace(source, target_path)
            return
        except PermissionError:
            if attempt == tries - 1:
                raise
            time.sleep(0.5)


def _configured(settings: dict[str, str], lang: str) -> str:
    if "CONDA ENV" in settings:
        return text(
            "excel.install.configured_conda",
            lang,
            env=settings["CONDA ENV"],
            path=settings["CONDA PATH"],
        )
    return text("excel.install.configured", lang, interpreter=next(iter(settings.values())))


def _reason(error: BaseException) -> str:
    return str(error).strip() or type(error).__name__


def _import_functions(addin: Path, out: Outcome, lang: str) -> None:  # pragma: no cover
    """xlwings' "Import Functions" on the staged add-in, in an Excel of its own (Windows
    only; an Excel started through COM loads nothing from the startup folder)."""
    import xlwings as xw

    app = xw.App(visible=False, add_book=False)
    try:
        book = app.books.open(str(addin))
        try:
            components = book.api.VBProject.VBComponents
        except Exception:
            out.todo.append(text("excel.install.vba_refused", lang, bas=shipped_bas()))
            return
        for component in components:
            if component.Name == "xlwings_udfs":
                components.Remove(component)
        components.Import(str(shipped_bas()))
        try:
            _describe_functions(app, book)
        except Exception as error:  # the wrappers are in: keep them, say what is missing
            out.todo.append(text("excel.install.describe_failed", lang, reason=_reason(error)))
        book.save()
        out.done.append(text("excel.install.imported", lang))
    finally:
        app.quit()


def _describe_functions(app, book) -> None:  # pragma: no cover - Windows only
    """The Function Wizard's description, category and argument help, as xlwings'
    import_udfs sets them (Application.MacroOptions)."""
    from xlsummary.excel import udfs

    for name in ("XLS_TOTALS", "XLS_YOY", "XLS_STATUS", "XLS_ISSUES", "XLS_FIGURE"):
        func = getattr(udfs, name)
        args = getattr(func, "__xlfunc__", {}).get("args", [])
        docs = [a.get("doc", "")[:255] for a in args]
        app.api.MacroOptions(
            f"'{book.name}'!{name}",
            Description=(func.__doc__ or "")[:255],
            Category=udfs.CATEGORY,
            ArgumentDescriptions=docs or None,
        )


# ------------------------------------------------------------------- remove


def remove(t: Target, lang: str = DEFAULT) -> Outcome:
    out = Outcome()
    if not t.supported:
        out.todo.append(text("excel.remove.no_excel", lang, platform=t.platform))
        return out
    if t.addin.exists():
        try:
            t.addin.unlink()
        except OSError as error:  # on Windows: open in Excel
            return Outcome(
                todo=[text("excel.remove.in_use", lang, addin=t.addin, reason=_reason(error))],
                refused=True,
            )
        out.done.append(text("excel.remove.deleted", lang, addin=t.addin))
    _forget_legacy_settings(t, out, lang)
    if not out.done:
        out.done.append(text("excel.remove.nothing", lang))
    return out


# ------------------------------------------------------------------- the old settings file


def _encoding(platform: str) -> str:
    """What VBA's ``Open ... For Input`` reads: the ANSI code page on Windows."""
    return "mbcs" if platform == "win32" and sys.platform == "win32" else "utf-8"


def read_config(path: Path, platform: str = "") -> dict[str, str]:
    """xlwings' settings file: one ``"KEY","VALUE"`` pair per line."""
    values: dict[str, str] = {}
    if path.is_file():
        content = path.read_bytes().decode(_encoding(platform), errors="replace")
        for line in content.splitlines():
            parts = [p.strip().strip('"') for p in line.split('","')]
            if len(parts) == 2:
                values[parts[0].upper()] = parts[1]
    return values


def write_config(path: Path, values: dict[str, str], platform: str) -> None:
    newline = "\r\n" if platform == "win32" else "\n"
    content = "".join(f'"{k}","{v}"{newline}' for k, v in values.items())
    path.write_bytes(content.encode(_encoding(platform), errors="replace"))


def _forget_legacy_settings(t: Target, out: Outcome, lang: str) -> None:
    """Take what earlier versions wrote out of the shared settings file: ``UDF MODULES``
    naming our functions and the interpreter key, when it names this Python."""
    path = t.legacy_config
    values = read_config(path, t.platform)
    if values.get("UDF MODULES") != UDF_MODULES:
        return
    key = _INTERPRETER_KEY.get(t.platform, "INTERPRETER")
    kept = {
        k: v
        for k, v in values.items()
        if k != "UDF MODULES" and not (k == key and v == t.interpreter)
    }
    if kept:
        write_config(path, kept, t.platform)
        out.done.append(text("excel.remove.settings_kept", lang, config=path))
    else:
        path.unlink()
        out.done.append(text("excel.remove.settings_deleted", lang, config=path))


# ------------------------------------------------------------------- status


@dataclass
class Status:
    lines: list[str]
    problems: list[str]

    def all(self) -> list[str]:
        return self.lines + self.problems


def status(t: Target, lang: str = DEFAULT) -> Status:
    """Where things are and what will break, as ``install`` would check it."""
    wanted = addin_version()
    installed_xlwings = t.python.xlwings_version or Msg("excel.status.not_set")
    lines = [text("excel.status.xlwings", lang, version=installed_xlwings, wanted=wanted)]
    problems = []
    version_problem = _version_problem(t, lang)
    if version_problem:
        problems.append(version_problem)
    if not t.supported:
        lines.insert(0, text("excel.status.no_excel", lang, platform=t.platform))
        lines.insert(1, text("excel.status.shipped", lang, addin=shipped_addin()))
        first, second = t.python.dll_folders()
        lines.append(
            text(
                "excel.status.windows_would_check",
                lang,
                dll=dll_names(wanted)[0],
                first=first,
                second=second,
            )
        )
        problem = _dll_problem(t.python, lang)
        lines.append(problem or text("excel.python.dll_ok", lang, dll=_loadable(t.python)))
        return Status(lines, problems)
    state = "excel.status.installed" if t.addin.exists() else "excel.status.not_installed"
    lines.insert(0, text("excel.status.addin", lang, addin=t.addin, state=Msg(state)))
    if not t.addin.exists():  # what install would find
        _check_loading(t, t.python, lines, problems, lang)
        return Status(lines, problems)
    try:
        data = t.addin.read_bytes()
        settings, version = settings_of(data), xlwings_version_of(data)
    except (OSError, zipfile.BadZipFile, KeyError, ParseError) as error:
        problems.append(text("excel.status.unreadable", lang, reason=_reason(error)))
        return Status(lines, problems)
    if version is None or version != wanted:
        problems.append(text("excel.status.old_addin", lang))
    python = t.python
    if "CONDA ENV" in settings:
        lines.append(
            text(
                "excel.status.conda",
                lang,
                env=settings["CONDA ENV"],
                path=settings.get("CONDA PATH", ""),
            )
        )
    else:
        configured = settings.get(_INTERPRETER_KEY[t.platform], "")
        lines.append(
            text(
                "excel.status.settings",
                lang,
                interpreter=configured or Msg("excel.status.not_set"),
            )
        )
        if not configured or not Path(configured).exists():
            problems.append(text("excel.status.python_missing", lang))
        elif Path(configured) != python.interpreter:  # checked for the Python it names
            python = PythonInstall(
                Path(configured), python.prefix, python.xlwings_version, python.xlwings_files
            )
    _check_loading(t, python, lines, problems, lang)
    return Status(lines, problems)


def _check_loading(
    t: Target, python: PythonInstall, lines: list[str], problems: list[str], lang: str
) -> None:
    """Windows: will Excel load the DLL for ``python``; macOS: is RunPython's script
    where the add-in's VBA calls it."""
    if t.platform == "win32":
        problem = _dll_problem(python, lang)
        if problem:
            problems.append(problem)
        else:
            lines.append(text("excel.python.dll_ok", lang, dll=_loadable(python)))
    else:
        script = t.home / _MAC_SCRIPTS / f"xlwings-{addin_version()}.applescript"
        if not script.is_file():
            problems.append(text("excel.status.applescript_missing", lang, script=script))


def _loadable(python: PythonInstall) -> Path | None:
    return python.loadable_dll(addin_version())
