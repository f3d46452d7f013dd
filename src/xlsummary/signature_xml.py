"""The signature block's indents, set in the filled document itself.

GB/T 9704 puts the unit's name 右空二字 and the date under it two characters right of
the name's start, so both indents depend on what the name and the date say
(:func:`xlsummary.page_layout.signature_indents`). Word wants them as numbers in the
paragraphs' ``w:ind`` (a template tag in an attribute makes a template Word will not
open), so the template carries a plain 右空二字 on both paragraphs, and this step, run
on every report as its parts are zipped, sets the real indents on the two consecutive
paragraphs that say the unit's name and the date and carry a right indent. They are
found by what they say, not by their style: LibreOffice and WPS rename styles when
they save a template, and a user's template made from the shipped one keeps the rule.
A template whose signature has no right indent (the English one signs flush right)
is left as it is.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping
from typing import AnyStr

from xlsummary.page_layout import signature_indents

DOCUMENT = "word/document.xml"
_PARAGRAPH = re.compile(r"<w:p[ >](?:(?!<w:p[ >]).)*?</w:p>", re.S)
_IND = re.compile(r"<w:ind\b[^>]*\bw:right=\"[^\"]*\"[^>]*/>")
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


def _text(paragraph: str) -> str:
    return html.unescape("".join(_TEXT.findall(paragraph)))


def _paragraph_start(xml: AnyStr, before: int) -> int:
    """Where the paragraph holding ``before`` starts (0 when none does)."""
    opened, spaced = ("<w:p>", "<w:p ") if isinstance(xml, str) else (b"<w:p>", b"<w:p ")
    return max(xml.rfind(opened, 0, before), xml.rfind(spaced, 0, before), 0)


def _around(xml: AnyStr, date: AnyStr) -> tuple[int, int] | None:
    """The span of the paragraph with the last mention of ``date`` and the one before
    it (a title or a table may name the unit too, the signature comes last)."""
    at = xml.rfind(date)
    if at < 0:
        return None
    end = xml.find(b"</w:p>" if isinstance(xml, bytes) else "</w:p>", at)
    return _paragraph_start(xml, _paragraph_start(xml, at)), end + len("</w:p>")


def _with_indent(paragraph: str, chars: str, twips: str) -> str:
    def indent(match: re.Match[str]) -> str:
        tag = re.sub(r'\bw:rightChars="[^"]*"', f'w:rightChars="{chars}"', match.group())
        return re.sub(r'\bw:right="[^"]*"', f'w:right="{twips}"', tag)

    return _IND.sub(indent, paragraph, count=1)


def place_signature(xml: str, unit: str, date: str) -> str:
    """``xml`` (a filled document part) with the indents of the paragraphs saying
    ``unit`` and, right under it, ``date`` set."""
    if not unit or not date:
        return xml
    span = _around(xml, html.escape(date, quote=False))
    if span is None:
        return xml
    start, end = span
    window = xml[start:end]
    found = list(_PARAGRAPH.finditer(window))
    for first, second in itertools.pairwise(found):
        name, when = first.group(), second.group()
        if window[first.end() : second.start()].strip():
            continue
        if _text(name) != unit or _text(when) != date:
            continue
        if not (_IND.search(name) and _IND.search(when)):
            return xml  # a signature without a right indent: flush right by design
        got = signature_indents(unit, date)
        placed = (
            _with_indent(name, got["unit_chars"], got["unit_twips"])
            + window[first.end() : second.start()]
            + _with_indent(when, got["date_chars"], got["date_twips"])
        )
        a, b = start + first.start(), start + second.end()
        return xml[:a] + placed + xml[b:]
    return xml


def signature_parts(parts: Mapping[str, bytes], unit: str, date: str) -> dict[str, bytes]:
    """The document part with its signature placed (nothing when it has none)."""
    data = parts.get(DOCUMENT)
    if data is None or not unit or not date:
        return {}
    # only the two paragraphs are decoded: the part is megabytes at 1000 indicators
    span = _around(data, html.escape(date, quote=False).encode())
    if span is None:
        return {}
    start, end = span
    window = data[start:end].decode("utf-8")
    placed = place_signature(window, unit, date)
    if placed == window:
        return {}
    return {DOCUMENT: data[:start] + placed.encode("utf-8") + data[end:]}
