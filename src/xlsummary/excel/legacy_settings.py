"""The settings file earlier versions of xlsummary wrote, and how to take that back.

xlwings' VBA also reads settings from ``%USERPROFILE%\\.myaddin\\myaddin.conf``
(``~/Library/Containers/com.microsoft.Excel/Data/myaddin.conf`` on the Mac), a file
named after the template's ``PROJECT_NAME`` and so shared by every add-in built from
the same xlwings template. xlsummary now writes its settings on the add-in's own
sheet, which wins over that file; earlier versions wrote ``UDF MODULES`` and the
interpreter there, and ``install``/``remove`` take exactly those lines out, leaving
everyone else's as they were.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xlsummary.excel.build_addin import UDF_MODULES
from xlsummary.excel.install_checks import INTERPRETER_KEY, Target
from xlsummary.i18n import text

if TYPE_CHECKING:
    from xlsummary.excel.install import Outcome


def _line_setting(line: str) -> tuple[str, str] | None:
    """One ``"KEY","VALUE"`` line of xlwings' settings file (None: not one)."""
    parts = [p.strip().strip('"') for p in line.split('","')]
    return (parts[0].upper(), parts[1]) if len(parts) == 2 else None


def read_config(path: Path, encoding: str = "utf-8") -> dict[str, str]:
    """xlwings' settings file, key (upper case) -> value."""
    values: dict[str, str] = {}
    if path.is_file():
        for line in path.read_bytes().decode(encoding, errors="replace").splitlines():
            found = _line_setting(line)
            if found:
                values[found[0]] = found[1]
    return values


def forget_legacy_settings(t: Target, out: Outcome, lang: str) -> None:
    """Take what earlier versions wrote out of the shared settings file: ``UDF MODULES``
    naming our functions, and the interpreter key when it names this Python. Every
    other line stays as it was (only its line end becomes CRLF on Windows, which VBA
    reads); a file that cannot be read, decoded or written is left alone, and said."""
    path = t.legacy_config
    if not path.is_file():
        return
    encoding = t.ansi or "utf-8"
    key = INTERPRETER_KEY.get(t.platform, "INTERPRETER")
    try:
        lines = path.read_bytes().decode(encoding).splitlines()
        settings = dict(filter(None, map(_line_setting, lines)))
        if settings.get("UDF MODULES") != UDF_MODULES:
            return
        ours = {("UDF MODULES", UDF_MODULES), (key, t.interpreter)}
        kept = [line for line in lines if _line_setting(line) not in ours]
        if any(line.strip() for line in kept):
            newline = "\r\n" if t.platform == "win32" else "\n"
            path.write_bytes("".join(line + newline for line in kept).encode(encoding))
            out.done.append(text("excel.remove.settings_kept", lang, config=path))
        else:
            path.unlink()
            out.done.append(text("excel.remove.settings_deleted", lang, config=path))
    except (OSError, UnicodeError) as error:
        out.todo.append(
            text(
                "excel.remove.settings_untouched",
                lang,
                config=path,
                reason=str(error).strip() or type(error).__name__,
            )
        )
