"""Hostile and broken files, built as an attacker (or a broken tool) would build them:
real zips, real XML, only the dangerous part changed."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from tests.conftest import rewrite_zip

INFO_SHEET = "xl/worksheets/sheet2.xml"  # 基本信息, a sheet the reader reads
TALLY_SHEET = "xl/worksheets/sheet4.xml"


def with_cells(source: Path, target: Path, cells: bytes, sheet: str = INFO_SHEET) -> Path:
    """The workbook with ``cells`` (rows of cell XML) added at the end of a sheet."""
    return rewrite_zip(
        source, target, {sheet: lambda xml: xml.replace(b"</sheetData>", cells + b"</sheetData>")}
    )


def with_parts(source: Path, target: Path, parts: dict[str, bytes], types: bytes = b"") -> Path:
    """The file with new parts added (and content types, when given)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "[Content_Types].xml" and types:
                content = content.replace(b"</Types>", types + b"</Types>")
            dst.writestr(item, content)
        for name, content in parts.items():
            dst.writestr(name, content)
    return target


def shared_strings_declaring(source: Path, target: Path, declared: int) -> Path:
    """A shared-string table that declares ``declared`` strings and holds one."""
    rel = (
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    )
    rewrite_zip(
        source,
        target,
        {
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                b"</Relationships>", rel + b"</Relationships>"
            )
        },
    )
    sst = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" count="1" uniqueCount="%d"><si><t>a</t></si></sst>' % declared
    )
    data = target.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/sharedStrings.xml", sst)
    return target


def inflating_member(source: Path, target: Path, member: str, size: int, declare: int | None):
    """The file with ``member`` replaced by ``size`` bytes of zeros (a few hundred KB
    once deflated), its declared size set to ``declare`` (a lie) or left true."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != member:
                dst.writestr(item, src.read(item.filename))
                continue
            info = zipfile.ZipInfo(member, item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w") as out:
                chunk = b"\0" * (1024 * 1024)
                for _ in range(size // len(chunk)):
                    out.write(chunk)
    if declare is not None:
        _declare_size(target, member, declare)
    return target


def _declare_size(path: Path, member: str, declared: int) -> None:
    """Rewrite the uncompressed size the zip declares for ``member``, in its local
    header and in the central directory."""
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    end = data.rfind(b"PK\x05\x06")
    position = struct.unpack_from("<I", data, end + 16)[0]
    while data[position : position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        if bytes(data[position + 46 : position + 46 + name_length]).decode() == member:
            struct.pack_into("<I", data, position + 24, declared)
        position += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))


def many_members(source: Path, target: Path, count: int) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        for k in range(count):
            dst.writestr(f"xl/media/pad{k}.bin", b"")
    return target


def docx_with(source: Path, target: Path, part: str, old: str, new: str) -> Path:
    def edit(data: bytes) -> bytes:
        text = data.decode()
        assert old in text, old
        return text.replace(old, new, 1).encode()

    return rewrite_zip(source, target, {part: edit})


def edited(
    source: Path, target: Path, replace: dict | None = None, add: dict | None = None
) -> Path:
    """The file with some parts rewritten (name -> function of the old bytes) and some
    parts added (name -> bytes)."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename in replace:
                content = replace[item.filename](content)
            dst.writestr(item.filename, content)
        for name, content in add.items():
            dst.writestr(name, content)
    return target
