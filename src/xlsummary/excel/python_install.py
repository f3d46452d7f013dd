"""Which Python the add-in will start, and whether Excel can load xlwings' DLL for it.

The add-in's VBA (xlwings' own, compiled, not ours to change) loads
``xlwings64-<version>.dll`` (``xlwings32-…`` in 32-bit Office) for the worksheet
functions from exactly two folders: the interpreter's own and the one above it
(``XLPyLoadDLL``). pip puts the DLLs in its "data" folder, which is that folder for a
python.org install (``C:\\Python311``) and a virtual environment (``venv``, above
``venv\\Scripts\\python.exe``), but not for ``pip install --user`` (and pip's silent
"Defaulting to user installation" when Python sits in Program Files), which puts
them under ``%APPDATA%\\Python``, nor for the Microsoft Store Python, whose
``python.exe`` is an alias in ``WindowsApps``. The button needs no DLL; the
functions do.

So ``install`` and ``status`` look at the installed distribution's own record of its
files (``importlib.metadata``; the RECORD lists the DLLs as data files) and compare
with the two folders the VBA will try. Everything here works on paths and metadata
only, so the checks run (and are tested) on any system against a Windows layout laid
out in a folder.

Conda Pythons are started by xlwings through ``conda activate`` (their DLL
dependencies need it): :func:`conda_settings` gives the two settings xlwings' own
``xlwings config create`` writes for them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

DLL_BITS = ("64", "32")


def dll_names(version: str) -> tuple[str, ...]:
    """The DLL file names the VBA of an add-in built from xlwings ``version`` loads."""
    return tuple(f"xlwings{bits}-{version}.dll" for bits in DLL_BITS)


@dataclass(frozen=True)
class PythonInstall:
    """One Python as the add-in sees it: where ``python.exe`` is, its prefix, the
    xlwings installed for it (None: not installed) and that xlwings' files."""

    interpreter: Path
    prefix: Path
    xlwings_version: str | None
    xlwings_files: tuple[Path, ...] = field(default=())

    @classmethod
    def current(cls) -> PythonInstall:
        return cls.at(Path(sys.executable), Path(sys.prefix), None)

    @classmethod
    def at(cls, interpreter: Path, prefix: Path, search: list[str] | None) -> PythonInstall:
        """The Python at ``interpreter``; its packages looked up on ``search`` (the
        folders of sys.path; None: this process's own)."""
        where = {} if search is None else {"path": search}
        found = next(iter(metadata.distributions(name="xlwings", **where)), None)
        if found is None:
            return cls(interpreter, prefix, None)
        # RECORD paths are relative to site-packages: the DLLs' are ../../xlwings64-….dll
        files = tuple(Path(os.path.normpath(found.locate_file(f))) for f in found.files or ())
        return cls(interpreter, prefix, found.version, files)

    @property
    def is_store_python(self) -> bool:
        """The Microsoft Store Python: its python.exe is an alias in WindowsApps."""
        return any(part.casefold() == "windowsapps" for part in self.interpreter.parts)

    def dll_folders(self) -> tuple[Path, Path]:
        """Where the VBA looks: the interpreter's folder, then the one above."""
        return self.interpreter.parent, self.interpreter.parent.parent

    def installed_dlls(self, version: str) -> list[Path]:
        """The DLLs of ``version`` that pip installed, wherever it put them."""
        wanted = {n.casefold() for n in dll_names(version)}
        return [p for p in self.xlwings_files if p.name.casefold() in wanted]

    def loadable_dll(self, version: str) -> Path | None:
        """The DLL the VBA will find (the 64-bit one first, as 64-bit Office is the
        default), or None."""
        for name in dll_names(version):
            for folder in self.dll_folders():
                if (folder / name).is_file():
                    return folder / name
        return None


def conda_settings(python: PythonInstall, env: dict[str, str] | None = None) -> dict[str, str]:
    """``CONDA PATH`` and ``CONDA ENV`` for a conda Python (empty for any other), as
    ``xlwings config create`` writes them: the conda installation's folder, and the
    environment's name (``base`` for the installation's own Python, a full path for an
    environment outside its ``envs`` folder)."""
    env = os.environ if env is None else env
    prefix = python.prefix
    if not (prefix / "conda-meta").is_dir():
        return {}
    if (prefix / "condabin").is_dir():
        root, name = prefix, "base"
    elif prefix.parent.name.casefold() == "envs" and (prefix.parent.parent / "condabin").is_dir():
        root, name = prefix.parent.parent, prefix.name
    elif env.get("CONDA_EXE"):  # ...\Scripts\conda.exe: the installation is two up
        root, name = Path(env["CONDA_EXE"]).parent.parent, str(prefix)
    else:
        return {}
    return {"CONDA PATH": str(root), "CONDA ENV": name}
