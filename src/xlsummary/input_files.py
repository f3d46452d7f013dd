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
from xlsummary.limits import DEFAULT, Limits

_KIND_ZH = {"workbook": "工作簿", "template": "Word 模板"}
_KIND_EN = {"workbook": "workbook", "template": "Word template"}


def read_input(path: str | Path, kind: str = "workbook", limits: Limits = DEFAULT) -> bytes:
    """The bytes of a regular file, at most ``limits.max_file`` of them."""
    path = Path(path)
    try:
        info = os.stat(path)  # follows symlinks: a loop raises ELOOP here
    except OSError as error:
        raise os_error(path, error, kind) from None
    except ValueError:  # a NUL byte in the name
        raise UnreadableFile(
            str(path), f"文件名无效：{str(path)!r}", f"Not a valid file name: {str(path)!r}"
        ) from None
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
        raise UnreadableFile(
            str(path),
            f"这是一个文件夹，不是{_KIND_ZH[kind]}文件：{path}",
            f"This is a folder, not a {_KIND_EN[kind]} file: {path}",
        )
    raise UnreadableFile(
        str(path),
        f"这不是普通文件（而是管道、设备或套接字），无法作为{_KIND_ZH[kind]}读取：{path}",
        f"This is not a regular file (a pipe, device or socket): {path}",
    )


def too_large(path: Path | str, limit: int, kind: str) -> FileTooLarge:
    mb = limit / 1024 / 1024
    return FileTooLarge(
        str(path),
        f"{_KIND_ZH[kind]}文件太大（超过 {mb:g} MB）：{path}。",
        f"The {_KIND_EN[kind]} file is too large (over {mb:g} MB): {path}.",
    )


def os_error(path: Path, error: OSError, kind: str = "workbook") -> FileError:
    """One sentence for anything the system refuses, in the user's words."""
    if isinstance(error, FileNotFoundError):
        return FileNotFound(str(path), f"找不到文件：{path}", f"File not found: {path}")
    if isinstance(error, IsADirectoryError):
        return UnreadableFile(
            str(path),
            f"这是一个文件夹，不是{_KIND_ZH[kind]}文件：{path}",
            f"This is a folder, not a {_KIND_EN[kind]} file: {path}",
        )
    if isinstance(error, PermissionError):
        return UnreadableFile(
            str(path), f"没有权限读取文件：{path}", f"No permission to read: {path}"
        )
    if error.errno == errno.ELOOP:
        return UnreadableFile(
            str(path),
            f"文件路径中的符号链接构成了循环，无法打开：{path}",
            f"The path goes round a loop of symbolic links: {path}",
        )
    if error.errno == errno.ENAMETOOLONG:
        return UnreadableFile(
            str(path), f"文件路径太长：{path}", f"The file path is too long: {path}"
        )
    reason = error.strerror or type(error).__name__
    return UnreadableFile(
        str(path),
        f"无法读取文件：{path}（{reason}）。",
        f"Cannot read {path} ({reason}).",
    )
