"""The simplified-Chinese faces of Debian's Noto CJK collections, as standalone fonts
that call themselves SC inside a PDF.

fonts-noto-cjk ships each weight as one collection (.ttc) whose JP, KR, SC, TC and
HK faces share a single CFF outline table, named ``NotoSerifCJKjp-Regular`` and so
on; LibreOffice 7.4 names an embedded font after that table, so a PDF set in the SC
face tells ``pdffonts`` it is Japanese. This module copies the SC face's tables out
of the collection, byte for byte, into a file of its own and renames the CFF's
``…CJKjp-…`` strings to ``…CJKsc-…`` (the same length, so no offset moves). Only the
standard library is used, so ``scripts/pdf_setup.sh`` can run this file with the
system's Python before any virtualenv exists::

    python3 src/xlsummary/pdf/sc_faces.py --install     # or: python -m xlsummary.pdf.sc_faces --install

The faces are written only by that setup step, never while converting: they are
about 90 MB. :mod:`xlsummary.pdf.fonts` uses them when all are present.
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
from array import array
from pathlib import Path

# (collection file name, SC family, the file written); the CFF's names in each
FACES = (
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "NotoSerifCJKsc-Regular.otf"),
    ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "NotoSerifCJKsc-Bold.otf"),
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "NotoSansCJKsc-Regular.otf"),
    ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "NotoSansCJKsc-Bold.otf"),
)
SYSTEM_DIR = Path("/usr/local/share/xlsummary/fonts")


def faces_dirs() -> list[Path]:
    """Where the setup writes the faces, in the order they are looked for: a folder for
    the whole machine (written as root), then the user's own. Neither is one that
    fontconfig scans by itself, so only xlsummary's LibreOffice sees them."""
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return [SYSTEM_DIR, Path(data) / "xlsummary" / "fonts"]


def installed() -> Path | None:
    """The folder that holds every extracted face, or None (then the collections'
    faces are used as they are: the same glyphs, a JP name in the PDF)."""
    for folder in faces_dirs():
        if all((folder / name).is_file() for _, _, name in FACES):
            return folder
    return None


def _sum32(data: bytes) -> int:
    """The sfnt checksum: the big-endian 32-bit words of the data, zero-padded."""
    words = array("I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _tables(blob: bytes, offset: int) -> tuple[bytes, dict[bytes, bytes]]:
    """The sfnt version and the raw tables of the font whose offset table is at offset."""
    version, count = struct.unpack_from(">4sH", blob, offset)
    tables = {}
    for i in range(count):
        tag, _, start, length = struct.unpack_from(">4sIII", blob, offset + 12 + 16 * i)
        tables[tag] = blob[start : start + length]
    return version, tables


def _family(name_table: bytes) -> str | None:
    """The typographic family (name 16), else the family (name 1), in Windows English."""
    _, count, strings = struct.unpack_from(">HHH", name_table, 0)
    found: dict[int, str] = {}
    for i in range(count):
        platform, encoding, language, name_id, length, start = struct.unpack_from(
            ">6H", name_table, 6 + 12 * i
        )
        if (platform, encoding, language) == (3, 1, 0x409) and name_id in (1, 16):
            raw = name_table[strings + start : strings + start + length]
            found[name_id] = raw.decode("utf-16-be")
    return found.get(16) or found.get(1)


def sc_face(collection: bytes, family: str) -> bytes:
    """The face of ``family`` in a .ttc, as a standalone font with its CFF named SC."""
    tag, _, count = struct.unpack_from(">4sII", collection, 0)
    if tag != b"ttcf":
        raise ValueError("not a font collection")
    for offset in struct.unpack_from(f">{count}I", collection, 12):
        version, tables = _tables(collection, offset)
        if b"name" in tables and _family(tables[b"name"]) == family:
            break
    else:
        raise ValueError(f"no {family} in the collection")
    tables[b"CFF "] = tables[b"CFF "].replace(b"CJKjp-", b"CJKsc-")
    head = bytearray(tables[b"head"])
    head[8:12] = b"\0\0\0\0"  # checkSumAdjustment, set once the whole file is known
    tables[b"head"] = bytes(head)
    return _sfnt(version, tables)


def _sfnt(version: bytes, tables: dict[bytes, bytes]) -> bytes:
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(
        ">4sHHHH", version, count, power * 16, power.bit_length() - 1, count * 16 - power * 16
    )
    directory, body = [], []
    offset = 12 + 16 * count
    for tag in sorted(tables):
        data = tables[tag]
        directory.append(struct.pack(">4sIII", tag, _sum32(data), offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(directory) + b"".join(body))
    head_at = 12 + 16 * sorted(tables).index(b"head")
    (head_offset,) = struct.unpack_from(">I", font, head_at + 8)
    adjustment = (0xB1B0AFBA - _sum32(bytes(font))) & 0xFFFFFFFF
    struct.pack_into(">I", font, head_offset + 8, adjustment)
    return bytes(font)


def collections() -> dict[str, Path]:
    """The Noto CJK collections installed, by file name, as fontconfig lists them."""
    listing = subprocess.run(
        ["fc-list", ":", "file"], capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in listing.splitlines():
        path = Path(line.strip().rstrip(":"))
        if path.name in {source for source, _, _ in FACES}:
            found.setdefault(path.name, path)
    return found


def install(folder: Path) -> list[Path]:
    """Write every face into folder (each through a temporary file, so a folder never
    holds half a font)."""
    sources = collections()
    missing = [source for source, _, _ in FACES if source not in sources]
    if missing:
        raise SystemExit(f"fonts-noto-cjk is not installed: no {', '.join(missing)}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source, family, name in FACES:
        target = folder / name
        partial = target.with_suffix(".part")
        partial.write_bytes(sc_face(sources[source].read_bytes(), family))
        partial.chmod(0o644)
        partial.replace(target)
        written.append(target)
    # fontconfig's cache for the folder, so no LibreOffice scans 90 MB at its start
    subprocess.run(["fc-cache", str(folder)], capture_output=True, check=False)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--install", action="store_true", help="write the SC faces")
    parser.add_argument("--dir", type=Path, help="where (default: by who runs it)")
    args = parser.parse_args(argv)
    if not args.install:  # a check: the exit status says whether they are installed
        print(installed() or "not installed")
        return 0 if installed() else 1
    folder = args.dir or faces_dirs()[0 if os.geteuid() == 0 else 1]
    for path in install(folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
