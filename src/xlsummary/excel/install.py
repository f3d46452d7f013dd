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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xlsummary import __version__
from xlsummary.excel.build_addin import (
    ADDIN_NAME,
    PROJECT_NAME,
    UDF_MODULES,
    VERSION_PROPERTY,
    properties_of,
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
#: the xlsummary version that installed a copy: status tells an older one
INSTALLED_BY_PROPERTY = "xlsummary.installed_by"

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
    #: the code page VBA's ANSI calls use (LoadLibraryA, Open … For Input): "mbcs" on
    #: Windows itself; None where there is none to ask (a layout checked elsewhere)
    ansi: str | None = None

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
            "mbcs" if sys.platform == "win32" else None,
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


#: settings the VBA reads that would otherwise come from a settings file some other
#: add-in may write: pinned on the installed copy's sheet to what xlsummary needs
_PINNED = {
    "CONDA PATH": "",
    "CONDA ENV": "",
    "PYTHONPATH": "",
    "USE UDF SERVER": "False",
    "DEBUG UDFS": "False",
    "SHOW CONSOLE": "False",
    "LICENSE_KEY": "",
}


def interpreter_settings(t: Target, env: dict | None = None) -> dict[str, str]:
    """What the installed copy's sheet says, so that no settings file can change which
    Python runs: the interpreter, and the other keys xlwings' VBA reads. A conda Python
    is started by xlwings through ``conda activate``, which it does when the interpreter
    is plain ``python`` and both conda settings are given."""
    key = _INTERPRETER_KEY.get(t.platform, "INTERPRETER")
    conda = conda_settings(t.python, env) if t.platform == "win32" else {}
    if conda:
        return {key: "python", **_PINNED, **conda}
    return {key: t.interpreter, **_PINNED}


# ------------------------------------------------------------------- the checks


def _version_problem(python: PythonInstall, lang: str, prefix: str = "excel.install") -> str | None:
    """Why the add-in cannot run with this Python's xlwings (None: it can)."""
    wanted, installed = addin_version(), python.xlwings_version
    if installed is None:
        return text(f"{prefix}.no_xlwings", lang, interpreter=python.interpreter, wanted=wanted)
    if installed != wanted:
        return text(
            f"{prefix}.version_mismatch",
            lang,
            installed=installed,
            wanted=wanted,
            interpreter=python.interpreter,
        )
    return None


def _dll_problem(t: Target, python: PythonInstall, lang: str) -> str | None:
    """Why Excel will not load xlwings' DLL for this Python (None: it will)."""
    version = addin_version()
    venv = t.home / "xlsummary-venv"
    steps = Msg(
        "excel.python.venv_steps",
        {
            "python": python.interpreter,
            "venv": venv,
            "venv_python": venv / "Scripts" / "python.exe",
            "venv_xlsummary": venv / "Scripts" / "xlsummary.exe",
        },
    )
    if python.is_store_python:
        return text("excel.python.store", lang, interpreter=python.interpreter, steps=steps)
    dll = python.loadable_dll(version)
    if dll is not None:
        if t.ansi and not _encodable(str(dll), t.ansi):
            return text("excel.python.dll_not_ansi", lang, dll=dll, steps=steps)
        return None
    first, second = python.dll_folders()
    name = dll_names(version)[0]
    found = python.installed_dlls(version)
    if found:
        return text(
            "excel.python.dll_elsewhere",
            lang,
            dll=name,
            first=first,
            second=second,
            found=found[0].parent,
            steps=steps,
        )
    return text(
        "excel.python.dll_absent",
        lang,
        dll=name,
        first=first,
        second=second,
        interpreter=python.interpreter,
        version=version,
    )


def _encodable(path: str, encoding: str) -> bool:
    """Whether VBA's ANSI LoadLibraryA can be given ``path``: a Chinese user name
    under an English Windows cannot."""
    try:
        path.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


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
    problem = _version_problem(t.python, lang)
    if problem:
        return Outcome(todo=[problem], refused=True)
    dll_problem = _dll_problem(t, t.python, lang) if t.platform == "win32" else None
    settings = interpreter_settings(t)
    if excel_step is None and t.platform == "win32" and sys.platform == "win32":
        excel_step = _import_functions
    made = _make_folders(t.startup)
    # staged beside the startup folder, never in it: Excel opens every file there
    stage = Path(tempfile.mkdtemp(prefix=".xlsummary-", dir=t.startup.parent))
    try:
        staged = stage / ADDIN_NAME  # the module name comes from the file name
        staged.write_bytes(
            with_settings(
                shipped_addin().read_bytes(), settings, {INSTALLED_BY_PROPERTY: __version__}
            )
        )
        refusal = None
        if dll_problem:
            out.todo += [dll_problem, text("excel.install.functions_skipped", lang)]
        elif excel_step is not None:
            try:
                excel_step(staged, out, lang)
            except Exception as error:  # COM gives no better class: Excel missing or broken
                refusal = text("excel.install.excel_failed", lang, reason=_reason(error))
        elif t.platform == "win32":
            out.todo.append(text("excel.install.import_by_hand", lang, bas=shipped_bas()))
        if refusal is None:
            try:
                _replace(staged, t.addin)
            except OSError as error:  # on Windows: the add-in is open in Excel
                refusal = text("excel.install.in_use", lang, addin=t.addin, reason=_reason(error))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if refusal is not None:
        for folder in reversed(made):  # the machine as it was: folders made go too
            folder.rmdir()
        return Outcome(todo=[refusal], refused=True)
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


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the ones created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    for path in missing:
        path.mkdir()
    return missing


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
    if settings.get("CONDA ENV"):
        return text(
            "excel.install.configured_conda",
            lang,
            env=settings["CONDA ENV"],
            path=settings["CONDA PATH"],
        )
    interpreter = settings.get("INTERPRETER_WIN") or settings.get("INTERPRETER_MAC", "")
    return text("excel.install.configured", lang, interpreter=interpreter)


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


def _line_setting(line: str) -> tuple[str, str] | None:
    """One ``"KEY","VALUE"`` line of xlwings' settings file (None: not one)."""
    parts = [p.strip().strip('"') for p in line.split('","')]
    return (parts[0].upper(), parts[1]) if len(parts) == 2 else None


def read_config(path: Path, encoding: str = "utf-8") -> dict[str, str]:
    """xlwings' settings file, key (upper case) -> value."""
    values: dict[str, str] = {}
    if path.is_file():
        for line in path.read_bytes().decode(encoding, errors="replace").splitlines():
            found = _line_setting(line)
            if found:
                values[found[0]] = found[1]
    return values


def _forget_legacy_settings(t: Target, out: Outcome, lang: str) -> None:
    """Take what earlier versions wrote out of the shared settings file: ``UDF MODULES``
    naming our functions, and the interpreter key when it names this Python. Every
    other line stays as it was (only its line end becomes CRLF on Windows, which VBA
    reads); a file that cannot be read, decoded or written is left alone, and said."""
    path = t.legacy_config
    if not path.is_file():
        return
    encoding = t.ansi or "utf-8"
    key = _INTERPRETER_KEY.get(t.platform, "INTERPRETER")
    try:
        lines = path.read_bytes().decode(encoding).splitlines()
        settings = dict(filter(None, map(_line_setting, lines)))
        if settings.get("UDF MODULES") != UDF_MODULES:
            return
        ours = {("UDF MODULES", UDF_MODULES), (key, t.interpreter)}
        kept = [line for line in lines if _line_setting(line) not in ours]
        if any(line.strip() for line in kept):
            newline = "\r\n" if t.platform == "win32" else "\n"
            path.write_bytes("".join(line + newline for line in kept).encode(encoding))
            out.done.append(text("excel.remove.settings_kept", lang, config=path))
        else:
            path.unlink()
            out.done.append(text("excel.remove.settings_deleted", lang, config=path))
    except (OSError, UnicodeError) as error:
        out.todo.append(
            text("excel.remove.settings_untouched", lang, config=path, reason=_reason(error))
        )


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
    problems: list[str] = []

    def problem(found: str | None) -> None:
        if found:
            problems.append(text("excel.status.problem", lang, problem=found))

    problem(_version_problem(t.python, lang, "excel.status"))
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
        found = _dll_problem(t, t.python, lang)
        lines.append(found or text("excel.python.dll_ok", lang, dll=_loadable(t.python)))
        if found and not t.python.installed_dlls(wanted):
            lines.append(text("excel.status.no_windows_dll_here", lang))
        return Status(lines, problems)
    state = "excel.status.installed" if t.addin.exists() else "excel.status.not_installed"
    lines.insert(0, text("excel.status.addin", lang, addin=t.addin, state=Msg(state)))
    if not t.addin.exists():  # what install would find
        _check_loading(t, t.python, lines, problem, lang)
        return Status(lines, problems)
    try:
        data = t.addin.read_bytes()
        settings, properties = settings_of(data), properties_of(data)
    except Exception as error:  # a damaged file: zip, XML or calamine errors alike
        problem(text("excel.status.unreadable", lang, reason=_reason(error)))
        return Status(lines, problems)
    if (
        properties.get(VERSION_PROPERTY) != wanted
        or properties.get(INSTALLED_BY_PROPERTY) != __version__
    ):
        problem(text("excel.status.old_addin", lang, version=__version__))
    python = t.python
    configured = settings.get(_INTERPRETER_KEY[t.platform], "")
    if settings.get("CONDA ENV"):
        lines.append(
            text(
                "excel.status.conda",
                lang,
                env=settings["CONDA ENV"],
                path=settings.get("CONDA PATH", ""),
            )
        )
    else:
        lines.append(
            text(
                "excel.status.settings",
                lang,
                interpreter=configured or Msg("excel.status.not_set"),
            )
        )
        if not configured or not Path(configured).exists():
            problem(text("excel.status.python_missing", lang))
        elif Path(configured) != python.interpreter:
            # another Python than this one: only its folders can be looked at
            lines.append(text("excel.status.other_python", lang, current=python.interpreter))
            python = PythonInstall(Path(configured), Path(configured).parent, None)
    _check_loading(t, python, lines, problem, lang)
    return Status(lines, problems)


def _check_loading(
    t: Target, python: PythonInstall, lines: list[str], problem: Callable, lang: str
) -> None:
    """Windows: will Excel load the DLL for ``python``; macOS: is RunPython's script
    where the add-in's VBA calls it."""
    if t.platform == "win32":
        found = _dll_problem(t, python, lang)
        if found:
            problem(found)
        else:
            lines.append(text("excel.python.dll_ok", lang, dll=_loadable(python)))
    else:
        script = t.home / _MAC_SCRIPTS / f"xlwings-{addin_version()}.applescript"
        if not script.is_file():
            problem(text("excel.status.applescript_missing", lang, script=script))


def _loadable(python: PythonInstall) -> Path | None:
    return python.loadable_dll(addin_version())
