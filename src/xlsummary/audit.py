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
import io
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from xlsummary import __version__, opc
from xlsummary.xml_safety import XmlProblem, make_parser, parse

CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
_NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# the format id every user-defined property has (Word's own value)
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
#: our properties' names: stable identifiers that tools can read
NAMES = (
    "xlsummary.source_file",
    "xlsummary.source_sha256",
    "xlsummary.version",
    "xlsummary.made",
)


@dataclass(frozen=True)
class Audit:
    source_file: str
    source_sha256: str
    made: _dt.datetime
    version: str = __version__

    def properties(self) -> dict[str, str]:
        values = (
            self.source_file,
            self.source_sha256,
            self.version,
            self.made.isoformat(timespec="seconds"),
        )
        return dict(zip(NAMES, values, strict=True))


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
    """The parts of a filled .docx (given by name) that record ``audit``: the custom
    properties, and the content type and package relationship that make Word and
    LibreOffice read them."""
    theirs = _properties(parts.get(CUSTOM_PART, b""))
    ours = audit.properties()
    kept = [(name, kind, value) for name, kind, value in theirs if name not in ours]
    return {
        CUSTOM_PART: _custom_xml([*kept, *((n, "lpwstr", v) for n, v in ours.items())]),
        "[Content_Types].xml": _with_type(parts.get("[Content_Types].xml", b"")),
        "_rels/.rels": _with_relationship(parts.get("_rels/.rels", b"")),
    }


def with_audit(data: bytes, audit: Audit) -> bytes:
    """A .docx filled elsewhere (a user's template, in its worker) with ``audit``
    recorded: one more pass over the zip, which the shipped templates avoid by
    recording it as they are filled (:func:`audit_parts`)."""
    from xlsummary.render_docx import rezip

    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    return rezip(members, audit_parts(audit, {i.filename: c for i, c in members}))


def _properties(xml: bytes) -> list[tuple[str, str, str]]:
    """(name, value type, value text) of each custom property a part holds."""
    found: list[tuple[str, str, str]] = []
    if not xml:
        return found
    current: dict[str, str] = {}
    depth = [0]

    def start(name: str, attrs: dict[str, str]) -> None:
        depth[0] += 1
        ns, _, local = name.rpartition(" ")
        if local == "property" and ns == _NS_CUSTOM:
            current.clear()
            current["name"] = attrs.get("name", "")
        elif ns == _NS_VT and "name" in current and "kind" not in current:
            current["kind"], current["value"] = local, ""

    def chars(data: str) -> None:
        if "kind" in current:
            current["value"] += data

    def end(name: str) -> None:
        depth[0] -= 1
        if name.rpartition(" ")[2] == "property" and "name" in current:
            if "kind" in current:
                found.append((current["name"], current["kind"], current["value"]))
            current.clear()

    parser = make_parser(namespaces=True)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parse(parser, xml)
    except XmlProblem:  # a damaged part of a user's template: replaced by ours
        return []
    return found


def _custom_xml(properties: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f'<property fmtid={quoteattr(_FMTID)} pid="{pid}" name={quoteattr(name)}>'
        f"<vt:{kind}>{escape(value)}</vt:{kind}></property>"
        for pid, (name, kind, value) in enumerate(properties, start=2)
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
