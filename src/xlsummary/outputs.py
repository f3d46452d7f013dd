"""Writing files without ever losing a user's work.

Every file xlsummary writes (a workbook, a report) goes through :func:`write_output`:
it refuses to replace an existing file unless asked, writes to a temporary file in
the same folder and renames it into place, so a crash or a full disk never leaves a
half-written file where a good one was. Generated Office files go through
:func:`reproducible_zip` so that the same input gives the same bytes.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from xlsummary.errors import OutputError, OutputExistsError

_FIXED_TIME = (2024, 1, 1, 0, 0, 0)
_FIXED_ISO = "2024-01-01T00:00:00Z"


def write_output(data: bytes, path: str | Path, force: bool = False) -> Path:
    """Write atomically (temp file + rename in the same folder); never overwrite silently."""
    path = Path(path)
    refuse_existing(path, force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=path.parent)
    except OSError as error:
        raise _cannot_write(path, error) from None
    try:
        if hasattr(os, "fchmod"):  # POSIX: mkstemp's 0600 would hide the file from colleagues
            os.fchmod(fd, _new_file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot_write(path, error) from None
        raise
    return path


def refuse_existing(path: Path, force: bool = False) -> None:
    """Fail early, before any work, when ``path`` exists and may not be replaced."""
    if not force and (path.exists() or path.is_symlink()):
        raise OutputExistsError("files.output_exists", path=str(path))


def _cannot_write(path: Path, error: OSError) -> OutputError:
    reason = error.strerror or type(error).__name__
    return OutputError("files.cannot_write", path=str(path), reason=reason)


def _new_file_mode() -> int:
    """0666 minus the process umask, as for a file created by open(); read without
    changing the umask (os.umask would race with other threads of a server)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    return 0o644


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible_zip(data: bytes) -> bytes:
    """Same input, same bytes: fixed zip timestamps and document dates."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + _FIXED_ISO.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)
    return out.getvalue()
