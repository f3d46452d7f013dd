"""What a batch's INPUTS name: files, folders (recursive) and globs, expanded here
into the workbooks to convert and the files left alone, with the reason.

Globs are expanded by xlsummary itself as well as by the shell: Windows' shells do
not expand them, and a quoted glob reaches the program as written. A workbook found
twice (by a folder and a glob, or through a symlink) is converted once, where it was
first found. Excel's lock files (``~$…``), hidden and temporary files and anything not
named ``.xlsx``/``.xlsm`` are skipped, and listed; a file *named* like a workbook is
given to the reader even if it is not one, so that it fails with the reader's own
reason rather than being quietly skipped. Files under the output folder are ignored
(the batch's own reports and logs, when OUTDIR is inside an input folder).
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path, PurePath

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Found:
    """A workbook to convert: its path as shown to the user, its real path, and the
    folder under OUTDIR its report goes to (its folder relative to an input folder;
    "" for a file named directly or by a glob)."""

    shown: str
    path: Path
    subfolder: str


@dataclass(frozen=True)
class Skipped:
    """A file not converted, and why: ``lock``, ``hidden``, ``temporary`` or
    ``not_workbook`` (the reason's message key is ``batch.skipped.<reason>``)."""

    shown: str
    reason: str


def skip_reason(name: str, is_dir: bool = False) -> str | None:
    if name.startswith("~$"):
        return "lock"
    if name.startswith("."):
        return "hidden"
    if name.startswith("~") or name.endswith(("~", ".tmp", ".bak")):
        return "temporary"
    if is_dir:
        return None
    if not name.lower().endswith(WORKBOOK_SUFFIXES):
        return "not_workbook"
    return None


def expand_inputs(
    inputs: list[str | Path], outdir: Path | None = None
) -> tuple[list[Found], list[Skipped]]:
    """Every workbook and every skipped file the inputs name, in the order given
    (a folder's files sorted by path). A name that is neither a file, a folder nor a
    glob that matches is kept as a workbook: the reader will say it is not found."""
    found: list[Found] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    ignored = _real(outdir) if outdir is not None else None

    def add_file(shown: str, path: Path, subfolder: str) -> None:
        reason = skip_reason(path.name)
        if reason is not None:
            skipped.append(Skipped(shown, reason))
            return
        key = _real(path)
        if key in seen:
            return
        seen.add(key)
        found.append(Found(shown, path, subfolder))

    def add_folder(folder: Path) -> None:
        for root, dirs, files in os.walk(folder):
            here = Path(root)
            if ignored is not None and _inside(_real(here), ignored):
                dirs[:] = []
                continue
            kept = []
            for name in sorted(dirs):
                reason = skip_reason(name, is_dir=True)
                if reason is not None:
                    skipped.append(Skipped(str(here / name) + os.sep, reason))
                else:
                    kept.append(name)
            dirs[:] = kept
            relative = here.relative_to(folder)
            subfolder = "" if relative == Path(".") else relative.as_posix()
            for name in sorted(files):
                add_file(str(here / name), here / name, subfolder)

    for given in inputs:
        text = str(given)
        if not text.strip():  # an empty argument (a blank line of a list) is nothing
            continue
        path = Path(text)
        if path.is_dir():
            add_folder(path)
        elif path.exists() or path.is_symlink() or not (_GLOB_CHARS & set(text)):
            add_file(text, path, "")
        else:
            for match in sorted(glob.glob(text, recursive=True)):
                hit = Path(match)
                if hit.is_dir():
                    add_folder(hit)
                else:
                    add_file(match, hit, "")
    return found, skipped


def _real(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _inside(path: str, folder: str) -> bool:
    return path == folder or PurePath(path).is_relative_to(folder)
