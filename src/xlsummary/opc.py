"""The package parts every Office file has: content types and relationships.

Read with the DTD-refusing expat parser of :mod:`xlsummary.xml_safety` and written
back minimal, so that a template's macros can be dropped (``render_docx``) and a
report's external links cut before LibreOffice opens it (``external_content``) by
the same few functions.
"""

from __future__ import annotations

import contextlib
import posixpath
from collections.abc import Callable
from xml.sax.saxutils import quoteattr

from xlsummary.xml_safety import XmlProblem, make_parser, parse

NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def resolve(base: str, target: str) -> str:
    """A relationship's target as a part name, from the folder of its source part."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def source_of(rels: str) -> str:
    """The part a ``.rels`` part belongs to: ``word/_rels/document.xml.rels`` →
    ``word/document.xml``."""
    folder, name = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), name.removesuffix(".rels"))


def content_types(xml: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """(type by extension, type by part name) of ``[Content_Types].xml``."""
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "Default":
            defaults[attrs.get("Extension", "").lower()] = attrs.get("ContentType", "")
        elif local == "Override":
            overrides[attrs.get("PartName", "")] = attrs.get("ContentType", "")

    _parse_flat(xml, start)
    return defaults, overrides


def relationships(xml: bytes) -> list[dict[str, str]]:
    """The attributes of each ``Relationship`` of a ``.rels`` part."""
    rels: list[dict[str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "Relationship":
            rels.append(dict(attrs))

    _parse_flat(xml, start)
    return rels


def is_external(rel: dict[str, str]) -> bool:
    return rel.get("TargetMode", "").lower() == "external"


def kind(rel: dict[str, str]) -> str:
    """``image``, ``hyperlink``, ``oleObject``…: the last step of the type's URI."""
    return rel.get("Type", "").rpartition("/")[2]


def _parse_flat(xml: bytes, start: Callable[[str, dict[str, str]], None]) -> None:
    parser = make_parser(namespaces=True)
    parser.StartElementHandler = start
    # a damaged package part is refused by the untrusted checks, and kept as is otherwise
    with contextlib.suppress(XmlProblem):
        parse(parser, xml)


def xml_list(root: str, ns: str, element: str, items: list[dict[str, str]]) -> bytes:
    return xml_elements(root, ns, [(element, item) for item in items])


def xml_elements(root: str, ns: str, items: list[tuple[str, dict[str, str]]]) -> bytes:
    body = "".join(
        f"<{tag} " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>"
        for tag, attrs in items
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{root} xmlns="{ns}">'
        f"{body}</{root}>"
    ).encode()
