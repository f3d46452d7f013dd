"""``xlsummary addin install | remove``: put the add-in where Excel loads it, and take
it away. (``status``: :mod:`xlsummary.excel.addin_status`.)

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

Before anything is written, ``install`` checks what would break on the user's PC
(:mod:`xlsummary.excel.install_checks`): the installed xlwings must be the version
whose VBA the add-in carries (the VBA names ``xlwings64-<version>.dll``), and on
Windows the DLL must sit where that VBA looks. A wrong xlwings refuses the install;
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
there; ``install`` and ``remove`` take those lines back out
(:mod:`xlsummary.excel.legacy_settings`).

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
from xlsummary.excel.build_addin import ADDIN_NAME, PROJECT_NAME, shipped_addin, with_settings
from xlsummary.excel.install_checks import (
    INTERPRETER_KEY,
    Target,
    dll_problem,
    version_problem,
)
from xlsummary.excel.legacy_settings import forget_legacy_settings
from xlsummary.excel.python_install import conda_settings
from xlsummary.excel.vba_wrappers import shipped_bas
from xlsummary.i18n import DEFAULT, Msg, text

#: the xlsummary version that installed a copy: status tells an older one
INSTALLED_BY_PROPERTY = "xlsummary.installed_by"

#: what imports the functions into the staged add-in (Excel through COM on Windows)
ExcelStep = Callable[[Path, "Outcome", str], None]


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)  # steps the user has to take
    refused: bool = False  # nothing was changed


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
    key = INTERPRETER_KEY.get(t.platform, "INTERPRETER")
    conda = conda_settings(t.python, env) if t.platform == "win32" else {}
    if conda:
        return {key: "python", **_PINNED, **conda}
    return {key: t.interpreter, **_PINNED}


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
    problem = version_problem(t.python, lang)
    if problem:
        return Outcome(todo=[problem], refused=True)
    cannot_load = dll_problem(t, t.python, lang) if t.platform == "win32" else None
    settings = interpreter_settings(t)
    if excel_step is None and t.platform == "win32" and sys.platform == "win32":
        excel_step = _import_functions
    made = []
    try:
        made = _make_folders(t.startup)
        refusal = _stage_and_place(t, settings, cannot_load, excel_step, out, lang)
    except OSError as error:  # a locked-down profile, a full disk
        refusal = text("excel.install.cannot_write", lang, folder=t.startup, reason=_reason(error))
    if refusal is not None:
        for folder in reversed(made):  # the machine as it was: folders made go too
            folder.rmdir()
        return Outcome(todo=[refusal], refused=True)
    out.done.insert(0, text("excel.install.copied", lang, addin=t.addin))
    out.done.insert(1, _configured(settings, lang))
    forget_legacy_settings(t, out, lang)
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


def _stage_and_place(
    t: Target,
    settings: dict[str, str],
    cannot_load: str | None,
    excel_step: ExcelStep | None,
    out: Outcome,
    lang: str,
) -> str | None:
    """The configured copy, staged beside the startup folder (never in it: Excel
    opens every file there), given its functions, then moved in. Returns why not."""
    stage = Path(tempfile.mkdtemp(prefix=".xlsummary-", dir=t.startup.parent))
    try:
        staged = stage / ADDIN_NAME  # the module name comes from the file name
        addin = shipped_addin().read_bytes()
        staged.write_bytes(with_settings(addin, settings, {INSTALLED_BY_PROPERTY: __version__}))
        if cannot_load:
            out.todo += [cannot_load, text("excel.install.functions_skipped", lang)]
        elif excel_step is not None:
            try:
                excel_step(staged, out, lang)
            except Exception as error:  # COM gives no better class: Excel missing or broken
                return text("excel.install.excel_failed", lang, reason=_reason(error))
        elif t.platform == "win32":
            out.todo.append(text("excel.install.import_by_hand", lang, bas=shipped_bas()))
        try:
            _replace(staged, t.addin)
        except OSError as error:  # on Windows: the add-in is open in Excel
            return text("excel.install.in_use", lang, addin=t.addin, reason=_reason(error))
        return None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the ones created, outermost first
    (none left behind when one cannot be made)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    made: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            made.append(path)
    except OSError:
        for path in reversed(made):
            path.rmdir()
        raise
    return made


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
    forget_legacy_settings(t, out, lang)
    if not out.done:
        out.done.append(text("excel.remove.nothing", lang))
    return out
