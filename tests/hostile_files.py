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


# --- documents that make their reader fetch something (SSRF, local files) -----------

_PICTURE_LINKED = (
    '<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:extent cx="952500" cy="952500"/><wp:docPr id="900" name="Picture 900"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:nvPicPr><pic:cNvPr id="900" name="x.png"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:link="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
    "</a:graphic></wp:inline></w:drawing></w:r></w:p>"
)


def complex_field(*instruction: str, shown: str = "cached") -> str:
    """A field written as Word writes it: begin, its instruction in runs, separate,
    the result Word last showed, end."""
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{part}</w:instrText></w:r>' for part in instruction
    )
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{shown}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def fetching_docx(source: Path, target: Path, base: str, local_picture: Path) -> Path:
    """``source`` with everything that makes a reader fetch: a picture linked to
    ``base``/rel.png, another linked to a local file, a third through a relationship
    typed as a hyperlink (next to a real hyperlink), an INCLUDEPICTURE field split
    across runs as Word splits it, a simple INCLUDETEXT field, and an INCLUDETEXT of a
    local file. The fields keep a result (``cachedpic``…) that a reader shows."""
    body = (
        _PICTURE_LINKED.format(rid="rIdFetch1")
        + _PICTURE_LINKED.format(rid="rIdFetch2")
        + _PICTURE_LINKED.format(rid="rIdFetch3")  # a picture through a "hyperlink"
        + '<w:p><w:hyperlink r:id="rIdClick"><w:r><w:t>a real link</w:t></w:r></w:hyperlink></w:p>'
        + complex_field(" INCLUDE", f'PICTURE "{base}/field.png" \\d ', shown="cachedpic")
        + complex_field(' INCLUDETEXT "/etc/hostname" ', shown="cachedtext")
        + f"<w:p><w:fldSimple w:instr=' includetext \"{base}/simple.txt\" '>"
        "<w:r><w:t>cachedsimple</w:t></w:r></w:fldSimple></w:p>"
    )
    image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    hyperlink = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
    rels = (
        f'<Relationship Id="rIdFetch1" Type="{image}" Target="{base}/rel.png" '
        'TargetMode="External"/>'
        f'<Relationship Id="rIdFetch2" Type="{image}" Target="{local_picture.as_uri()}" '
        'TargetMode="External"/>'
        f'<Relationship Id="rIdFetch3" Type="{hyperlink}" Target="{base}/hl.png" '
        'TargetMode="External"/>'
        f'<Relationship Id="rIdClick" Type="{hyperlink}" Target="https://example.org/" '
        'TargetMode="External"/></Relationships>'
    )
    return rewrite_zip(
        source,
        target,
        {
            "word/document.xml": lambda d: d.replace(b"<w:body>", b"<w:body>" + body.encode(), 1),
            "word/_rels/document.xml.rels": lambda d: d.replace(
                b"</Relationships>", rels.encode(), 1
            ),
        },
    )


def png(path: Path, width: int = 40, height: int = 30) -> Path:
    """A real, solid red PNG (signature, IHDR, IDAT, IEND), written without Pillow."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xc8\x1e\x1e" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path
