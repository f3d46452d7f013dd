"""The fonts LibreOffice sets a report in: the template's Windows faces (方正小标宋简体,
仿宋, 黑体, 楷体, 宋体, Times New Roman) bound by name to free fonts from Debian.

Without this, LibreOffice on a server that lacks those faces falls back by language
to one sans-serif face (Noto Sans CJK JP) for all of them, so the PDF loses the
公文's look: a Song title and body, Hei headings, Kai leads. ``fonts.conf`` (package
data) includes the system's configuration and binds each face and its usual aliases
strongly; every ``soffice`` the converter starts gets it through ``FONTCONFIG_FILE``
(:func:`font_env`). docs/pdf.md says which fonts and why.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def fonts_conf() -> Path:
    """The shipped configuration, as a file fontconfig can read (package data: a
    real file in a wheel and in a source checkout alike)."""
    return Path(str(resources.files("xlsummary.pdf") / "fonts.conf"))


def font_env() -> dict[str, str]:
    """The environment entries that make a LibreOffice use the configuration."""
    return {"FONTCONFIG_FILE": str(fonts_conf())}
