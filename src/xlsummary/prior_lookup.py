"""Find last year's workbook of a unit in a folder (``--prior-dir``).

An office keeps each year's workbooks in one folder; the batch and the consolidation
get one folder for all units. A workbook is last year's for ``model`` when its
基本信息 names the same unit (spaces and letter case aside) and the year before. The
folder is read once per process and remembered by the files' names, sizes and times,
so a batch of a thousand units reads it once, not a thousand times; a workbook that
cannot be read is not a candidate (its own check says why).
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

from xlsummary.catalogue import listing
from xlsummary.errors import PriorMismatch, XlsummaryError
from xlsummary.limits import DEFAULT, Limits
from xlsummary.model import Model
from xlsummary.prior_year import unit_key


def workbook_files(folder: Path) -> list[Path]:
    """The workbooks under ``folder``, by the batch's rules (no Excel lock files,
    hidden or temporary files), in a stable order."""
    from xlsummary.workbook_inputs import expand_inputs

    return [found.path for found in expand_inputs([folder])[0]]


def find_prior(folder: str | Path, model: Model, limits: Limits = DEFAULT) -> Path | None:
    """Last year's workbook of ``model``'s unit in ``folder``, or None when there is
    none (or the model has no unit or year to look for). Two candidates are an error:
    which one is meant cannot be guessed."""
    unit = model.info_text("unit")
    if not unit or model.year is None:
        return None
    folder = Path(folder)
    found = folder_index(folder, limits).get((unit_key(unit), model.year - 1), [])
    if len(found) > 1:
        raise PriorMismatch(
            "prior.ambiguous",
            folder=folder,
            unit=unit,
            year=model.year - 1,
            **listing("files", [Path(f).name for f in found]),
        )
    return Path(found[0]) if found else None


def folder_index(folder: Path, limits: Limits = DEFAULT) -> dict[tuple[str, int], list[str]]:
    """(unit, year) -> the folder's workbooks of that unit and year. Remembered in
    this process for the folder as it is listed (every file's name, size and time),
    so that the files are read once; listing the folder is itself remembered for
    ``SCAN_SECONDS``, which a batch calls a thousand times within. The batch and the
    consolidation call this once before their pool forks, so that the workers
    inherit the index instead of each building it."""
    key = (str(folder.resolve()), limits)
    now = time.monotonic()
    scanned = _scans.get(key)
    if scanned is None or now - scanned[0] > SCAN_SECONDS:
        files = workbook_files(folder)
        stamp = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
        _scans[key] = scanned = (now, stamp)
    return _index(scanned[1], limits)


#: how long a folder's listing is taken as it was (a batch, not a server's lifetime)
SCAN_SECONDS = 60.0
_scans: dict[tuple[str, Limits], tuple[float, tuple]] = {}


@functools.lru_cache(maxsize=8)
def _index(stamp: tuple[tuple[str, int, int], ...], limits: Limits) -> dict:
    from xlsummary.model_reader import build_model
    from xlsummary.read_xlsx import read_grids

    out: dict[tuple[str, int], list[str]] = {}
    for path, _size, _mtime in stamp:
        try:
            found = build_model(read_grids(path, limits))
        except XlsummaryError:
            continue
        unit = found.info_text("unit")
        if unit and found.year is not None:
            out.setdefault((unit_key(unit), found.year), []).append(path)
    return out
