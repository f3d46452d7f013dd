"""Reading a file a user names (a workbook, a Word template) without hanging or
crashing on whatever that name turns out to be.

The path is looked at before it is opened: a folder, a FIFO (opening one for reading
waits for a writer forever), a device or a socket is refused by its type, and a
symlink loop by the system's own error. The file is then opened non-blocking and
looked at again through the open descriptor, so that a file swapped for something
else in between is caught too, and read no further than the size limit. Every
``OSError`` becomes one :class:`~xlsummary.errors.FileError` sentence.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from xlsummary.errors import FileError, FileNotFound, FileTooLarge, UnreadableFile
from xlsummary.i18n import Msg
from xlsummary.limits import DEFAULT, Limits


def kind_word(kind: str) -> Msg:
    """The word for a kind of file (``workbook``, ``template``) inside a sentence: a
    message of its own, so that each language says it its own way."""
    return Msg(f"files.kind.{kind}")


def read_input(path: str | Path, kind: str = "workbook", limits: Limits = DEFAULT) -> bytes:
    """The bytes of a regular file, at most ``limits.max_file`` of them."""
    path = Path(path)
    try:
        info = os.stat(path)  # follows symlinks: a loop raises ELOOP here
    except OSError as error:
        raise os_error(path, error, kind) from None
    except ValueError:  # a NUL byte in the name
        raise UnreadableFile(str(path), "files.bad_name") from None
    _refuse_special(path, info, kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise os_error(path, error, kind) from None
    try:
        info = os.fstat(fd)
        _refuse_special(path, info, kind)
        if info.st_size > limits.max_file:
            raise too_large(path, limits.max_file, kind)
        chunks = []
        left = limits.max_file + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as error:
        raise os_error(path, error, kind) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limits.max_file:  # it grew while being read
        raise too_large(path, limits.max_file, kind)
    return data


def _refuse_special(path: Path, info: os.stat_result, kind: str) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile(str(path), "files.folder", kind=kind_word(kind))
    raise UnreadableFile(str(path), f"files.not_regular.{kind}")


def too_large(path: Path | str, limit: int, kind: str) -> FileTooLarge:
    mb = limit / 1024 / 1024
    return FileTooLarge(str(path), "files.too_large", kind=kind_word(kind), mb=mb)


def os_error(path: Path, error: OSError, kind: str = "workbook") -> FileError:
    """One sentence for anything the system refuses, in the user's words."""
    if isinstance(error, FileNotFoundError):
        return FileNotFound(str(path), "files.not_found")
    if isinstance(error, IsADirectoryError):
        return UnreadableFile(str(path), "files.folder", kind=kind_word(kind))
    if isinstance(error, PermissionError):
        return UnreadableFile(str(path), "files.no_permission")
    if error.errno == errno.ELOOP:
        return UnreadableFile(str(path), "files.symlink_loop")
    if error.errno == errno.ENAMETOOLONG:
        return UnreadableFile(str(path), "files.path_too_long")
    reason = error.strerror or type(error).__name__
    return UnreadableFile(str(path), "files.cannot_read", reason=reason)
