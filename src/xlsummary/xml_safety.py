"""XML from files users hand us, parsed by a real parser that refuses DTDs.

Office files never contain a document type declaration. One in a template would be
copied into the report (which Word then cannot open), and internal entities are the
classic way to make a parser expand a few bytes into gigabytes. So every parser
made here stops at the first ``<!DOCTYPE``, and :func:`check_well_formed` is how a
rendered part is proven to be XML before a report is written.

This is pyexpat directly (the parser behind ``xml.etree`` and defusedxml): the sheet
scanner needs its streaming handlers anyway, and refusing a DTD is one handler.
"""

from __future__ import annotations

import pyexpat
import re


class XmlProblem(Exception):
    """Not well-formed XML, or XML with a DTD. ``offset`` is the byte where it broke."""

    def __init__(self, reason: str, line: int, column: int, offset: int, dtd: bool = False):
        super().__init__(f"{reason} (line {line}, column {column})")
        self.reason, self.line, self.column, self.offset, self.dtd = (
            reason,
            line,
            column,
            offset,
            dtd,
        )

    def near(self, data: bytes, width: int = 60) -> str:
        """The text around the break, markup stripped, for a message staff can use."""
        start = max(self.offset - width, 0)
        around = data[start : self.offset + width].decode("utf-8", "replace")
        around = re.sub(r"^[^<]*>", "", around)  # a tag cut by the window's start
        return re.sub(r"<[^>]*(?:>|$)", "", around).strip()[:width]


class _Dtd(Exception):
    pass


def _refuse_dtd(*_args: object) -> None:
    raise _Dtd


def make_parser(namespaces: bool = False) -> pyexpat.XMLParserType:
    """An expat parser that raises on a DTD (see :func:`parse`). It reads UTF-8 only,
    whatever the document declares: python-calamine and the template renderer read
    the bytes as UTF-8, so a part in another encoding would say one thing to the
    parser and another to them; read as UTF-8 it fails to parse instead (a UTF-16
    byte order mark, which expat honours over any setting, is refused by
    :func:`parse`)."""
    parser = pyexpat.ParserCreate(encoding="UTF-8", namespace_separator=" " if namespaces else None)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.buffer_text = True
    return parser


#: deeper than any Office part nests (Word's tables in tables stay far below)
MAX_DEPTH = 256
#: more elements than any part a report or a workbook needs, outside its sheets: a
#: bound on the time a crafted part costs (about a second and a half here)
MAX_ELEMENTS = 1_000_000


class _TooMuch(Exception):
    pass


def parse(
    parser: pyexpat.XMLParserType,
    data: bytes,
    max_depth: int = MAX_DEPTH,
    max_elements: int = MAX_ELEMENTS,
) -> None:
    """Feed all of ``data``; any failure becomes an :class:`XmlProblem`. Exceptions a
    handler raises on purpose (to stop early, or to refuse) pass through. Nesting past
    ``max_depth`` (expat keeps a record per open element, and twelve million of them
    fit in 100 KB of zip) and elements past ``max_elements`` are refused as they
    happen."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # expat would honour the BOM
        raise XmlProblem("not UTF-8 (UTF-16 byte order mark)", 1, 0, 0)
    start, end = parser.StartElementHandler, parser.EndElementHandler
    depth = 0
    count = 0

    def opened(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, count
        depth += 1
        count += 1
        if depth > max_depth or count > max_elements:
            raise _TooMuch
        if start is not None:
            start(name, attrs)

    def closed(name: str) -> None:
        nonlocal depth
        depth -= 1
        if end is not None:
            end(name)

    parser.StartElementHandler, parser.EndElementHandler = opened, closed
    try:
        parser.Parse(data, True)
    except _TooMuch:
        raise XmlProblem(
            f"more than {max_elements} elements, or nested deeper than {max_depth}",
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber,
            parser.CurrentByteIndex,
        ) from None
    except _Dtd:
        raise XmlProblem(
            "document type declaration (DTD)",
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber,
            parser.CurrentByteIndex,
            dtd=True,
        ) from None
    except pyexpat.ExpatError as error:
        raise XmlProblem(
            pyexpat.ErrorString(error.code),
            error.lineno,
            error.offset,
            parser.CurrentByteIndex,
        ) from None


def check_well_formed(data: bytes) -> None:
    """Raise :class:`XmlProblem` unless ``data`` is well-formed XML without a DTD."""
    parse(make_parser(), data)


_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` as XML 1.0 can hold it: control characters dropped, and a lone surrogate
    (a file name that was not UTF-8, as Python decodes it) made U+FFFD."""
    return _NOT_XML_TEXT.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)
