"""Plain-text tables that line up in a terminal when cells mix Chinese and Latin text.

Chinese characters take two terminal columns; ``str.ljust`` counts one. A dozen lines
here beat a rich-text dependency that would double the CLI's start-up time.
"""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def table(rows: list[list[str]], indent: str = "  ", last_free: bool = True) -> list[str]:
    """Left-aligned columns; the last column is left unpadded (it holds long messages)."""
    if not rows:
        return []
    ncols = len(rows[0])
    widths = [max(display_width(r[c]) for r in rows) for c in range(ncols)]
    lines = []
    for row in rows:
        cells = [
            cell if (last_free and c == ncols - 1) else pad(cell, widths[c])
            for c, cell in enumerate(row)
        ]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines
