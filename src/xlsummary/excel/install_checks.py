"""What would break the add-in on a user's PC, checked before ``install`` writes
anything and reported by ``status``: where things go on this machine (:class:`Target`),
the xlwings version against the one the add-in's VBA was built from (that VBA names
``xlwings64-<version>.dll``), and whether Excel will load xlwings' DLL for the Python
(:mod:`xlsummary.excel.python_install` finds where pip put it).

Each check returns the sentence to show (the catalogue's ``excel.install.*``,
``excel.status.*``, ``excel.python.*``), or None when all is well.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from xlsummary.excel.build_addin import ADDIN_NAME, PROJECT_NAME, shipped_addin, xlwings_version_of
from xlsummary.excel.python_install import PythonInstall, dll_names
from xlsummary.i18n import Msg, text

_MAC_STARTUP = "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
_MAC_SANDBOX_HOME = "Library/Containers/com.microsoft.Excel/Data"
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"
INTERPRETER_KEY = {"win32": "INTERPRETER_WIN", "darwin": "INTERPRETER_MAC"}


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


def version_problem(python: PythonInstall, lang: str, prefix: str = "excel.install") -> str | None:
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


def dll_problem(t: Target, python: PythonInstall, lang: str) -> str | None:
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
