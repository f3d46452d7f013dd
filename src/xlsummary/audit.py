"""The report's record of where it came from, in its document properties.

An auditor holding a report should be able to tell which workbook file it was made
from, by which xlsummary and when, without trusting the report's text: so every
report carries custom document properties (``docProps/custom.xml``, which Word shows
under 文件 → 信息 → 属性 → 高级属性 → 自定义 and LibreOffice under 文件 → 属性 →
自定义属性): the workbook's file name (without its folders; empty when it was
uploaded without a name), the SHA-256 of its bytes (empty when it was read from the
open Excel, which gives values, not the file), the xlsummary version and the time the
report was made, ISO 8601 with its offset from UTC.

Written after the template is filled, for the shipped and a user's own templates
alike; properties a template already has are kept, except ours, which are replaced.
The time is a parameter so that the same input can give the same bytes (tests, and
reproducible builds through ``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from xlsummary import __version__, opc
from xlsummary.xml_safety import XmlProblem, check_well_formed, xml_text

CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
_NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# the format id every user-defined property has (Word's own value)
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_PID = re.compile(r'\spid="[^"]*"')
#: our properties' names: stable identifiers that tools can read
NAMES = (
    "xlsummary.source_file",
    "xlsummary.source_sha256",
    "xlsummary.version",
    "xlsummary.made",
)
#: recorded only when 上年同期 was computed from last year's workbook
PRIOR_NAMES = ("xlsummary.prior_file", "xlsummary.prior_sha256")


@dataclass(frozen=True)
class Audit:
    source_file: str
    source_sha256: str
    made: _dt.datetime
    version: str = __version__
    prior_file: str = ""
    prior_sha256: str = ""

    def properties(self) -> dict[str, str]:
        values = (
            self.source_file,
            self.source_sha256,
            self.version,
            self.made.isoformat(timespec="seconds"),
        )
        out = dict(zip(NAMES, values, strict=True))
        if self.prior_file:
            out.update(zip(PRIOR_NAMES, (self.prior_file, self.prior_sha256), strict=True))
        return out


def made_time(made: _dt.datetime | None = None) -> _dt.datetime:
    """When a report is made: ``made`` if given (a naive time is taken as local), else
    ``SOURCE_DATE_EPOCH`` (UTC) if set, else now, with the local offset."""
    if made is not None:
        return made if made.tzinfo is not None else made.astimezone()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.UTC)
        except (ValueError, OverflowError, OSError):
            from xlsummary.errors import UsageError

            raise UsageError(
                "files.env_not_a_number", name="SOURCE_DATE_EPOCH", raw=epoch
            ) from None
    return _dt.datetime.now().astimezone().replace(microsecond=0)


def audit_parts(audit: Audit, parts: Mapping[str, bytes]) -> dict[str, bytes]:
    """The parts of a filled .docx (given by name) that record ``audit``."""
    return custom_property_parts(audit.properties(), parts)


def custom_property_parts(ours: Mapping[str, str], parts: Mapping[str, bytes]) -> dict[str, bytes]:
    """The parts of an Office file (given by name) that carry the text properties
    ``ours``: the custom properties, and the content type and package relationship
    that make Word, Excel and LibreOffice read them. The file's other custom
    properties are kept."""
    kept = _their_properties(parts.get(CUSTOM_PART, b""), set(ours))
    body = kept + [
        f'<property fmtid={quoteattr(_FMTID)} pid="0" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(xml_text(value))}</vt:lpwstr></property>"
        for name, value in ours.items()
    ]
    return {
        CUSTOM_PART: _custom_xml(body),
        "[Content_Types].xml": _with_type(parts.get("[Content_Types].xml", b"")),
        "_rels/.rels": _with_relationship(parts.get("_rels/.rels", b"")),
    }


def _their_properties(xml: bytes, ours: set[str]) -> list[str]:
    """A template's own custom properties, each kept as it is written (a vector, a
    date, a link to a bookmark…), but those named as ours, which are replaced."""
    return [
        etree.tostring(prop, encoding="unicode")
        for prop in _property_elements(xml)
        if prop.get("name", "") not in ours
    ]


def custom_properties(xml: bytes) -> dict[str, str]:
    """The text of each custom property of a ``docProps/custom.xml`` (empty when the
    part is missing or damaged)."""
    return {prop.get("name", ""): "".join(prop.itertext()) for prop in _property_elements(xml)}


def _property_elements(xml: bytes) -> list[etree._Element]:
    """The property elements of a custom.xml part; none when it is missing or damaged
    (a damaged part is then replaced by ours)."""
    if not xml:
        return []
    try:
        check_well_formed(xml)  # refuses a DTD, like every part we read
        root = etree.fromstring(
            xml, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        )
    except (XmlProblem, etree.XMLSyntaxError):
        return []
    return list(root.iterfind(f"{{{_NS_CUSTOM}}}property"))


def _custom_xml(properties: list[str]) -> bytes:
    """The part, its properties numbered anew: a pid is unique and from 2 on."""
    body = "".join(
        _PID.sub(f' pid="{pid}"', prop, count=1) for pid, prop in enumerate(properties, start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_NS_CUSTOM}" xmlns:vt="{_NS_VT}">{body}</Properties>'
    ).encode()


def _with_type(xml: bytes) -> bytes:
    defaults, overrides = opc.content_types(xml)
    overrides["/" + CUSTOM_PART] = _CUSTOM_TYPE
    items = [("Default", {"Extension": e, "ContentType": t}) for e, t in defaults.items()]
    items += [("Override", {"PartName": p, "ContentType": t}) for p, t in overrides.items()]
    return opc.xml_elements("Types", opc.NS_TYPES, items)


def _with_relationship(xml: bytes) -> bytes:
    rels = [r for r in opc.relationships(xml) if r.get("Type") != _CUSTOM_REL]
    taken = {r.get("Id", "") for r in rels}
    number = 1
    while f"rId{number}" in taken:
        number += 1
    rels.append({"Id": f"rId{number}", "Type": _CUSTOM_REL, "Target": CUSTOM_PART})
    return opc.xml_list("Relationships", opc.NS_RELS, "Relationship", rels)
