"""The fonts LibreOffice sets a report in: the template's Windows faces (方正小标宋简体,
仿宋, 黑体, 楷体, 宋体, Times New Roman) bound by name to free fonts from Debian.

Without this, LibreOffice on a server that lacks those faces falls back by language
to one sans-serif face (Noto Sans CJK JP) for all of them, so the PDF loses the
公文's look: a Song title and body, Hei headings, Kai leads. ``fonts.conf`` (package
data) includes the system's configuration and binds each face and its usual aliases
strongly; every ``soffice`` the converter starts gets it through ``FONTCONFIG_FILE``
(:func:`font_env`). When the setup has extracted the SC faces from the Noto CJK
collections (:mod:`xlsummary.pdf.sc_faces`), a small configuration around it puts
those in place of the collections' SC faces, so the PDF names them SC too.
docs/pdf.md says which fonts and why.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from html import escape
from importlib import resources
from pathlib import Path

from xlsummary.pdf.sc_faces import FACES, installed


def fonts_conf() -> Path:
    """The shipped configuration, as a file fontconfig can read (package data: a
    real file in a wheel and in a source checkout alike)."""
    return Path(str(resources.files("xlsummary.pdf") / "fonts.conf"))


def sc_conf(folder: Path) -> str:
    """The shipped configuration, with the extracted faces in folder winning over the
    collections' faces of the same families: fontconfig would otherwise pick between
    two fonts of one name and style by its own order. Each extracted file is accepted
    by name, which protects it from the rejection of its family."""
    accept = "".join(
        f'<pattern><patelt name="file"><string>{escape(str(folder / name))}</string>'
        "</patelt></pattern>"
        for _, _, name in FACES
    )
    reject = "".join(
        f'<pattern><patelt name="family"><string>{family}</string></patelt></pattern>'
        for family in sorted({family for _, family, _ in FACES})
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <include>{escape(str(fonts_conf()))}</include>\n"
        f"  <dir>{escape(str(folder))}</dir>\n"
        f"  <selectfont><acceptfont>{accept}</acceptfont>"
        f"<rejectfont>{reject}</rejectfont></selectfont>\n"
        "</fontconfig>\n"
    )


_written: dict[str, Path] = {}


def _conf_file(text: str) -> Path:
    """A private file holding text, written once per process (again if it vanished,
    as a temporary folder's contents may under a long-running server)."""
    path = _written.get(text)
    if path is None or not path.is_file():
        folder = Path(tempfile.mkdtemp(prefix="xlsummary-fonts-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "fonts.conf"
        path.write_text(text, encoding="utf-8")
        _written[text] = path
    return path


def font_env() -> dict[str, str]:
    """The environment entries that make a LibreOffice use the configuration: with the
    extracted SC faces when they are all installed, else with the collections' faces
    (the same glyphs; a JP name in the PDF)."""
    folder = installed()
    if folder is None:
        return {"FONTCONFIG_FILE": str(fonts_conf())}
    return {"FONTCONFIG_FILE": str(_conf_file(sc_conf(folder)))}
