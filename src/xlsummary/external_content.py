"""What in a Word document makes its reader fetch something: found, and cut out.

LibreOffice, asked to turn a .docx into a PDF on the server, fetches a picture
linked by an external relationship (``r:link`` to ``http://…``, or ``file:///…``,
which it then embeds in the PDF: a server-side request forgery and a way to read the
server's files). Word does the same, and also runs the fields that load content:
``INCLUDEPICTURE``, ``INCLUDETEXT`` (``INCLUDE``, ``IMPORT``), ``LINK``, ``DDE``,
``DDEAUTO`` and ``DATABASE``. A document can also carry another whole document
(``altChunk``: HTML or MHT with its own links).

A user's template with any of these is refused when it is read (``render_docx``),
so a report never carries them. The PDF converter still cuts them out of every
document it is given (:func:`for_conversion`), and runs LibreOffice with a profile
that blocks links (``lo_worker``): three layers, each tested alone.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from io import BytesIO

from xlsummary import opc
from xlsummary.xml_safety import XmlProblem, make_parser, parse

#: field codes that load a file, a page, a picture or data when the field updates
LOADING_FIELDS = frozenset(
    {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO", "DATABASE"}
)
#: external relationships a document may keep: a link its reader clicks
KEPT_EXTERNAL = frozenset({"hyperlink"})
#: the elements that use a relationship as a link to click (a hyperlink relationship
#: named by anything else, such as a picture's ``r:link``, is fetched like a picture)
_CLICKED = frozenset({"hyperlink", "hlinkClick", "hlinkHover"})
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships "
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "
# cheap prefilter: a part without any of these holds no field code
_FIELD_HINT = re.compile(rb"instrText|fldSimple")
_INSTR_TEXT = re.compile(rb"<((?:[\w.-]+:)?(?:del)?instrText)\b([^>]*?)(?:/>|>[^<]*</\1\s*>)", re.S)
_FLD_SIMPLE_INSTR = re.compile(
    rb"(<(?:[\w.-]+:)?fldSimple\b[^>]*?\s(?:[\w.-]+:)?instr\s*=\s*)(?:\"[^\"]*\"|'[^']*')", re.S
)


class UnsafeDocument(ValueError):
    """A document whose external content could not be cut out (never one we wrote)."""


def field_instructions(xml: bytes, strict: bool = False) -> list[str]:
    """Every field's instruction in a part, as Word reads it: a simple field's
    ``w:instr``, and a complex field's ``w:instrText`` runs joined from its ``begin``
    to its ``separate`` (nested fields each on their own)."""
    if not _FIELD_HINT.search(xml):
        return []
    found: list[str] = []
    open_fields: list[list[str] | None] = []  # None: past its separator
    in_text = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal in_text
        if not name.startswith(_W):
            return
        local = name[len(_W) :]
        if local == "fldSimple":
            found.append(attrs.get(_W + "instr", ""))
        elif local == "fldChar":
            kind = attrs.get(_W + "fldCharType", "")
            if kind == "begin":
                open_fields.append([])
            elif kind in ("separate", "end") and open_fields:
                current = open_fields[-1]
                if current is not None:
                    found.append("".join(current))
                if kind == "end":
                    open_fields.pop()
                else:
                    open_fields[-1] = None
        elif local in ("instrText", "delInstrText"):
            in_text = True

    def end(name: str) -> None:
        nonlocal in_text
        if name in (_W + "instrText", _W + "delInstrText"):
            in_text = False

    def text(data: str) -> None:
        if in_text:
            if open_fields and open_fields[-1] is not None:
                open_fields[-1].append(data)
            else:  # an instruction outside any field: judged on its own
                found.append(data)

    parser = make_parser(namespaces=True)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parse(parser, xml)
    except XmlProblem:
        if strict:  # a part that cannot be read cannot be shown to be safe
            raise UnsafeDocument("a part with field codes is not well-formed XML") from None
        # otherwise judged on what was read: a damaged part is refused by the template checks
    found += ["".join(f) for f in open_fields if f is not None]
    return found


def loading_fields(xml: bytes, strict: bool = False) -> list[str]:
    """The instructions of the fields in ``xml`` that would load content."""
    found = field_instructions(xml, strict)
    return [i.strip() for i in found if _keyword(i) in LOADING_FIELDS]


# Word reads a field's keyword up to the first character that is not a letter: quotes,
# a backslash or nothing at all may stand around it (``"INCLUDETEXT"``, ``LINK"x"``)
_KEYWORD = re.compile(r"[\s\"'\\]*([A-Za-z]+)")


def _keyword(instruction: str) -> str:
    found = _KEYWORD.match(instruction)
    return found.group(1).upper() if found else ""


def not_clicked(xml: bytes) -> set[str]:
    """The relationship ids a part uses other than as a link to click."""
    found: set[str] = set()

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(" ")[2] not in _CLICKED:
            found.update(v for k, v in attrs.items() if k.startswith(_R))

    parser = make_parser(namespaces=True)
    parser.StartElementHandler = start
    with contextlib.suppress(XmlProblem):  # a damaged part is refused elsewhere
        parse(parser, xml)
    return found


def blocked_relationship(rel: dict[str, str], not_clicked_ids: set[str] = frozenset()) -> bool:
    """An external target other than a hyperlink that is clicked (not a picture's
    link dressed as a hyperlink), or an embedded other document."""
    kind = opc.kind(rel)
    if kind == "aFChunk":
        return True
    return opc.is_external(rel) and (
        kind not in KEPT_EXTERNAL or rel.get("Id", "") in not_clicked_ids
    )


def _uses(archive: zipfile.ZipFile, source: str, rels: list[dict[str, str]]) -> set[str]:
    if not any(opc.is_external(r) and opc.kind(r) in KEPT_EXTERNAL for r in rels):
        return set()
    try:
        return not_clicked(archive.read(source))
    except KeyError:
        return set()


def for_conversion(docx: bytes) -> bytes:
    """``docx`` without external relationships (but hyperlinks), embedded documents
    or content-loading field codes (a field keeps the result Word last showed), ready
    for LibreOffice. Returned unchanged, without a copy, when there is nothing to cut."""
    archive = zipfile.ZipFile(BytesIO(docx))
    changed: dict[str, bytes] = {}
    for info in archive.infolist():
        name = info.filename
        if name.endswith(".rels"):
            content = archive.read(info)
            rels = opc.relationships(content)
            uses = _uses(archive, opc.source_of(name), rels)
            kept = [rel for rel in rels if not blocked_relationship(rel, uses)]
            if len(kept) != len(rels):
                changed[name] = opc.xml_list("Relationships", opc.NS_RELS, "Relationship", kept)
        else:  # any part, whatever its name: a header may be stored as extra/h.dat
            content = archive.read(info)
            if loading_fields(content, strict=True):
                # every instruction of the part goes: the fields keep their results
                cut = _INSTR_TEXT.sub(rb"<\1\2/>", content)
                cut = _FLD_SIMPLE_INSTR.sub(rb'\1""', cut)
                if loading_fields(cut):
                    raise UnsafeDocument(f"{name}: a field that loads content remains")
                changed[name] = cut
    if not changed:
        return docx
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as rewritten:
        for info in archive.infolist():
            rewritten.writestr(info, changed.get(info.filename) or archive.read(info))
    return out.getvalue()
