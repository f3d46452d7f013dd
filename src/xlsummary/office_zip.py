"""An Office file (.xlsx, .docx) opened as the bytes of its members, measured by
really inflating them.

A zip's central directory declares every member's size, and a hostile file declares
small sizes for members that inflate to hundreds of MB: a reader that trusts the
declaration, or one that inflates until the stream ends whatever was declared (as
python-calamine's Rust zip reader does), pays in memory. Here every member is
inflated by zlib from its own raw bytes, its output counted and the inflation
stopped as soon as the whole file passes ``Limits.max_unpacked``; a member whose
real size or CRC differs from its declaration is refused as damaged. Office files
only ever store or deflate their members, and are never zip-encrypted: anything
else is refused. The workbook reader, the template loader, the CLI, the Excel add-in
and the server all open Office files through :func:`read_package`.

:func:`stored_zip` packs measured members into a new zip that stores them
uncompressed: python-calamine is given that, never the file as uploaded, so it reads
exactly the bytes that were measured and scanned (no second opinion on duplicate
names, overlapping members or headers that disagree), and inflates nothing.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from xlsummary.errors import CorruptWorkbook, TemplateProblem, XlsummaryError, ZipBomb
from xlsummary.i18n import Msg
from xlsummary.input_files import kind_word
from xlsummary.limits import DEFAULT, Limits

_LOCAL_HEADER = struct.Struct("<4s5H3I2H")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Package:
    """The members of one zip: every entry's ``ZipInfo`` in archive order, and the
    inflated bytes of the ones asked for."""

    source: str
    infos: list[zipfile.ZipInfo]
    members: dict[str, bytes]

    @property
    def names(self) -> list[str]:
        return [info.filename for info in self.infos]


def read_package(
    data: bytes,
    source: str = "",
    *,
    kind: str = "workbook",
    limits: Limits = DEFAULT,
    keep: Callable[[str], bool] | None = None,
) -> Package:
    """Inflate every member of ``data`` (counting), keeping those ``keep`` accepts (all
    by default). Raises ZipBomb past the limits, and the kind's own "damaged" error
    (CorruptWorkbook, TemplateProblem) for anything that is not a sound zip."""
    _check_directory(data, kind, source, limits)
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise damaged(kind, source) from None
    if len(infos) > limits.max_members:
        raise _bomb(kind, source, limits, members=len(infos))
    seen: set[str] = set()
    members: dict[str, bytes] = {}
    budget = limits.max_unpacked
    for info in infos:
        if info.filename in seen:
            raise damaged(kind, source, f"duplicate member {info.filename}")
        seen.add(info.filename)
        wanted = keep is None or keep(info.filename)
        content, size = _inflate(data, info, budget, wanted, kind, source, limits)
        budget -= size
        if wanted:
            members[info.filename] = content
    return Package(source, infos, members)


def _check_directory(data: bytes, kind: str, source: str, limits: Limits) -> None:
    """Refuse absurdly many members from the end record, before the central directory
    is parsed into one object per entry (900,000 tiny entries fit in 47 MB)."""
    end = data.rfind(b"PK\x05\x06", max(len(data) - 65_557, 0))
    if end < 0 or end + 22 > len(data):
        return  # not a zip: zipfile says so
    entries, size = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and data[locator : locator + 4] == b"PK\x06\x07":
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[record : record + 4] == b"PK\x06\x06" and record + 56 <= len(data):
            entries, size = struct.unpack_from("<QQ", data, record + 32)
    # an entry takes 46 bytes and its name: 1 KB an entry is generous
    if entries > limits.max_members or size > limits.max_members * 1024:
        raise _bomb(kind, source, limits, members=max(entries, size // 46))


def _inflate(
    data: bytes,
    info: zipfile.ZipInfo,
    budget: int,
    wanted: bool,
    kind: str,
    source: str,
    limits: Limits,
) -> tuple[bytes, int]:
    """The member's real content (b"" when not wanted) and its real size."""
    if info.flag_bits & 0x1:
        raise damaged(kind, source, f"{info.filename} is zip-encrypted")
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise damaged(kind, source, f"{info.filename}: no local header")
    signature, *_, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise damaged(kind, source, f"{info.filename}: bad local header")
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    raw = memoryview(data)[begin : begin + info.compress_size]
    if len(raw) != info.compress_size:
        raise damaged(kind, source, f"{info.filename}: truncated")
    pieces: list[bytes] = []
    crc = 0
    size = 0
    if info.compress_type == zipfile.ZIP_STORED:
        size = len(raw)
        if size > budget:
            raise _bomb(kind, source, limits)
        crc = zlib.crc32(raw)
        if wanted:
            pieces.append(bytes(raw))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        pending: bytes | memoryview = raw
        try:
            while not inflater.eof:
                piece = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                if not piece and not pending:
                    break  # the stream ends early: caught below
                size += len(piece)
                if size > budget:
                    raise _bomb(kind, source, limits)
                crc = zlib.crc32(piece, crc)
                if wanted:
                    pieces.append(piece)
        except zlib.error:
            raise damaged(kind, source, f"{info.filename}: bad deflate data") from None
        if not inflater.eof:
            raise damaged(kind, source, f"{info.filename}: truncated deflate data")
    else:
        raise damaged(kind, source, f"{info.filename}: compression method {info.compress_type}")
    if size != info.file_size or crc != info.CRC:
        raise damaged(
            kind,
            source,
            f"{info.filename} declares {info.file_size} bytes but holds {size}",
        )
    return (b"".join(pieces) if wanted else b""), size


def stored_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of these members, stored (no compression): cheap to write and to read."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, content in members:
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), content)
    return out.getvalue()


def damaged(kind: str, source: str, detail: str = "") -> XlsummaryError:
    """The kind's own "damaged" error. ``detail`` (what exactly is wrong, in zip terms)
    is for the languages whose catalogue shows it (English does, Chinese does not)."""
    said = Msg("files.detail", {"detail": detail}) if detail else ""
    if kind == "template":
        return TemplateProblem("files.damaged_template", source=source, detail=said)
    return CorruptWorkbook(source, "files.damaged", detail=said)


def _bomb(kind: str, source: str, limits: Limits, members: int | None = None) -> ZipBomb:
    if members is not None:
        return ZipBomb(
            source,
            "files.too_many_parts",
            kind=kind_word(kind),
            members=members,
            limit=limits.max_members,
        )
    mb = limits.max_unpacked / 1024 / 1024
    return ZipBomb(source, "files.unpacks_too_large", kind=kind_word(kind), mb=mb)
