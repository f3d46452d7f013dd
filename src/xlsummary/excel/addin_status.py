"""``xlsummary addin status``: where the add-in is, which Python it runs, and every
problem ``install`` would find, each said as the problem and its fix.

On Windows and macOS it reads the installed copy (its settings sheet, as Excel may
have saved it, and the properties recording which xlwings and xlsummary made it); on
Linux, with no Excel, it says what it would check on Windows for this Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xlsummary import __version__
from xlsummary.excel.build_addin import VERSION_PROPERTY, properties_of, settings_of, shipped_addin
from xlsummary.excel.install import INSTALLED_BY_PROPERTY
from xlsummary.excel.install_checks import (
    INTERPRETER_KEY,
    MAC_SCRIPTS,
    Target,
    addin_version,
    dll_problem,
    version_problem,
)
from xlsummary.excel.python_install import PythonInstall, dll_names
from xlsummary.i18n import DEFAULT, Msg, text


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

    problem(version_problem(t.python, lang, "excel.status"))
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
        found = dll_problem(t, t.python, lang)
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
        problem(
            text("excel.status.unreadable", lang, reason=str(error).strip() or type(error).__name__)
        )
        return Status(lines, problems)
    if (
        properties.get(VERSION_PROPERTY) != wanted
        or properties.get(INSTALLED_BY_PROPERTY) != __version__
    ):
        problem(text("excel.status.old_addin", lang, version=__version__))
    python = t.python
    configured = settings.get(INTERPRETER_KEY[t.platform], "")
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
        found = dll_problem(t, python, lang)
        if found:
            problem(found)
        else:
            lines.append(text("excel.python.dll_ok", lang, dll=_loadable(python)))
    else:
        script = t.home / MAC_SCRIPTS / f"xlwings-{addin_version()}.applescript"
        if not script.is_file():
            problem(text("excel.status.applescript_missing", lang, script=script))


def _loadable(python: PythonInstall) -> Path | None:
    return python.loadable_dll(addin_version())
