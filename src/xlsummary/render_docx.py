"""Fill a docxtpl Word template with a report context.

docxtpl defines what a template may say: ``{{ field }}``, ``{% ... %}``, and its
paragraph and table-row tags ``{%p ... %}`` / ``{%tr ... %}``, whose meaning lives in
``DocxTemplate.patch_xml`` (it also mends tags that Word split across runs). We use
that preprocessing unchanged, but not docxtpl's rendering pipeline, because profiling
showed where a render's time goes: ``DocxTemplate.render`` + ``save`` parse every part
into python-docx objects, re-parse the rendered body with lxml, rebuild the package
and re-serialize it, on every call. A template is text, so here it is compiled once
(per file and modification time) and each render is one Jinja call per part plus
writing the zip: several times faster. What docxtpl does after Jinja is done here
too where it applies: the ``{_{`` literal-brace escapes, and its "listing" step when
a value carries a line break or tab (our context never does: it is cleaned). A test
renders the shipped templates both ways and compares their text and tables.

Every part that can hold text is rendered: the body, headers, footers, footnotes,
endnotes, comments and the document properties (docxtpl itself skips endnotes and
comments). Fields anywhere else (a chart's title, a SmartArt box) are listed in
``unrendered`` so that ``xlsummary fields`` can say they will not be filled.

A template that uses docxtpl features needing its object model (column loops
``{%tc``, cell colours, column and row spans, ``{{r``/``{{p`` rich text, images,
whose ids docxtpl renumbers) is detected before preprocessing and rendered by docxtpl
itself: slower, but complete. Macro-enabled templates (.docm) are refused; macro
parts smuggled into a .docx (``vbaProject.bin``, its data and key bindings) and an
attached template (which Word would fetch, with its macros, on opening the report)
are dropped with their relationships, and ActiveX controls are refused. A Word
template (.dotx) gives a document (.docx).

Rendering is safe for any context: the Jinja environment is sandboxed, autoescapes
(``A&B <测试>`` comes out literally) and is strict, so a misspelled field is an error
naming it (``figures.surgery.totl``, with the nearest real name), never a silently
blank paragraph. A user's own template is untrusted: compiled with ``trusted=False``
(always inside the worker process of :mod:`xlsummary.untrusted`), every XML part must
be well-formed and free of DTDs, and every rendered part is proven well-formed
before a report is written, so ``|safe`` cannot produce a corrupt document.
"""

from __future__ import annotations

import copy
import difflib
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import missing

from xlsummary import opc
from xlsummary.charts import ChartTagProblem
from xlsummary.docx_charts import (
    ChartSlot,
    fill_slots,
    find_slots,
    has_pictures,
    put_markers,
    renumber_drawings,
)
from xlsummary.errors import EmptyFile, TemplateProblem
from xlsummary.external_content import loading_fields, not_clicked
from xlsummary.i18n import Msg
from xlsummary.input_files import read_input
from xlsummary.limits import DEFAULT, Limits
from xlsummary.office_zip import read_package
from xlsummary.xml_safety import XmlProblem, check_well_formed

#: parts that hold text a report shows (rendered when they contain a tag)
_TEXT_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml|"
    r"docProps/(core|app|custom)\.xml)$"
)
#: the ones docxtpl's own pipeline renders
_DOCXTPL_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
# a tag start, possibly split by Word's run markup: what patch_xml mends
_TAG_START = re.compile(r"\{(?:<[^<>]*>)*[{%]")
# docxtpl features that need its object model (see the module docstring), looked for in
# the template as stored, before patch_xml rewrites them into plain Jinja
_NEEDS_DOCXTPL = re.compile(
    r"\{%-?\s*(tc|cellbg|colspan|hm|vm)\b|\{\{-?\s*(r|p|tc|tr)\s|<w:pict|<w:object"
)
_MAIN_TYPES = {
    "document.main+xml": None,
    "template.main+xml": "document.main+xml",  # .dotx: the output is a document
}
_LISTING_CHARS = ("\n", "\t", "\a", "\f")
#: what :meth:`CompiledTemplate.render` may call to add parts to a filled document
Finish = Callable[[Mapping[str, bytes]], Mapping[str, bytes]]
_CONTENT_TYPES = "[Content_Types].xml"
_MACRO_TYPES = {
    "application/vnd.ms-office.vbaproject",
    "application/vnd.ms-word.vbadata+xml",
    "application/vnd.ms-word.keymapcustomizations+xml",
}
# relationships that bring macros in: the project, its data, key bindings, and the
# attached template (a remote .dotm is the classic way to make Word load macros)
_MACRO_RELS = ("/vbaProject", "/wordVbaData", "/keyMapCustomizations", "/attachedTemplate")
_ATTACHED_TEMPLATE = re.compile(
    rb"<(?:[\w.-]+:)?attachedTemplate\b[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?attachedTemplate\s*>)",
    re.S,
)
_ACTIVEX_TYPES = {"application/vnd.ms-office.activex+xml", "application/vnd.ms-office.activex"}
# external relationships a report may keep: a link the reader clicks, and the attached
# template, which is dropped (below) rather than refused, since Word adds one to
# documents made from a .dotx
_EXTERNAL_KEPT = {"hyperlink", "attachedTemplate"}


def _mark_paragraphs(xml: str) -> str:
    """docxtpl starts every paragraph on a new line before rendering, so that Jinja's
    line numbers point at paragraphs, and joins them again after. The output is the
    same without, so we only do it to locate a syntax error."""
    return xml.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")


class MissingField(UndefinedError):
    """A field the context lacks, with what is needed to name it for staff."""

    def __init__(self, message: str | None = None, *, name: Any = None, owner: Any = None):
        super().__init__(message)
        self.name, self.owner = name, owner


class FieldUndefined(StrictUndefined):
    """StrictUndefined whose error remembers the missing name and where it was looked
    up, so the message can say ``figures.surgery.totl`` and suggest ``total``."""

    __slots__ = ()

    def __init__(self, hint=None, obj=missing, name=None, exc=UndefinedError) -> None:
        super().__init__(hint, obj, name, exc)
        self._undefined_exception = partial(MissingField, name=name, owner=obj)


class ReportEnvironment(SandboxedEnvironment):
    """The sandbox, plus a bound on the two operators that can make one expression
    cost minutes or gigabytes (``7 ** 10**8``, ``'x' * 3000000000``). Intercepted
    operators are also never folded at compile time, where no limit would apply.
    Loops and filters that amplify are bounded by the worker process instead."""

    intercepted_binops = frozenset({"**", "*"})
    MAX_POWER = 1000
    MAX_SEQUENCE = 100_000

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > self.MAX_POWER:
            raise SecurityError("exponent too large for a report template")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and len(seq) * times > self.MAX_SEQUENCE
                ):
                    raise SecurityError("repetition too large for a report template")
        return super().call_binop(context, operator, left, right)


def jinja_environment() -> SandboxedEnvironment:
    return ReportEnvironment(autoescape=True, undefined=FieldUndefined, keep_trailing_newline=True)


def _patch(xml: str) -> str:
    from docxtpl import DocxTemplate

    # patch_xml is pure text processing: it reads nothing from the instance
    return DocxTemplate.patch_xml(None, xml)  # type: ignore[arg-type]


@dataclass
class Analysis:
    """What ``xlsummary fields`` reports about a template (see :func:`analyse`)."""

    used: list[str]
    #: the messages rendering gave, unsaid: each reader picks its language
    problems: list[Msg] = field(default_factory=list)
    unrendered: list[str] = field(default_factory=list)
    #: the charts' tags as written (``monthly surgery``), in the template's order
    charts: list[str] = field(default_factory=list)


class CompiledTemplate:
    """A .docx template ready to render many times."""

    def __init__(
        self, data: bytes, source: str = "", *, trusted: bool = True, limits: Limits = DEFAULT
    ) -> None:
        self.source = source
        self.trusted = trusted
        if not data:
            raise EmptyFile(source, "files.empty")
        package = read_package(data, source, kind="template", limits=limits)
        members = [(info, package.members[info.filename]) for info in package.infos]
        contents = {info.filename: content for info, content in members}
        types = contents.get(_CONTENT_TYPES, b"").decode("utf-8", "replace")
        main = next((t for t in _MAIN_TYPES if f"wordprocessingml.{t}" in types), None)
        if "word/document.xml" not in contents or main is None:
            raise TemplateProblem("templates.not_word", source=source)
        if not trusted:
            for info, content in members:
                if _is_xml(info.filename):
                    self._check_part(info.filename, content, rendered=False)
        _refuse_loading_fields(members, source)
        members, stripped = _without_macros(members, source)
        members, self.slots = _chart_slots(members, source)
        stripped = stripped or bool(self.slots)
        self.members = members
        self.members_by_name = {info.filename: content for info, content in members}
        self.data = _zip(members) if stripped else data
        types = next((c for i, c in members if i.filename == _CONTENT_TYPES), b"").decode(
            "utf-8", "replace"
        )
        self.content_types = (
            types.replace(
                f"wordprocessingml.{main}", f"wordprocessingml.{_MAIN_TYPES[main]}"
            ).encode("utf-8")
            if _MAIN_TYPES[main]
            else None
        )
        self.env = jinja_environment()
        self.parts: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.unrendered: list[str] = []
        charted = {slot.chart for slot in self.slots if slot.in_title}
        raw = []
        for info, content in self.members:
            name = info.filename
            if not _is_xml(name) or b"{" not in content:
                continue
            text = _decode(name, content, source)
            if _TEXT_PARTS.match(name):
                raw.append(text)
                self.sources[name] = _patch(text)
            elif _TAG_START.search(text) and name not in charted:
                self.unrendered.append(name)
        self.needs_docxtpl = any(_NEEDS_DOCXTPL.search(x) or has_pictures(x) for x in raw)
        self.brace_escapes = any("{_" in x or "_}" in x for x in raw)
        for name, xml in self.sources.items():
            if not self.needs_docxtpl or not _DOCXTPL_PARTS.match(name):
                self.parts[name] = self._compile(name, xml)

    def _compile(self, part: str, xml: str):
        try:
            return self.env.from_string(xml)
        except TemplateSyntaxError:
            # compile again with one paragraph per line, as docxtpl does, only to say
            # where the error is (rendering never needs those newlines)
            marked = _mark_paragraphs(xml)
            try:
                self.env.from_string(marked)
            except TemplateSyntaxError as error:
                raise syntax_problem(self.source, part, marked, error) from None
            raise
        except RecursionError:
            raise _too_deep(self.source) from None

    def render(self, context: dict[str, Any], finish: Finish | None = None) -> bytes:
        """The filled document. ``finish`` may add or replace parts once the template's
        own are filled (the report's record of origin), in the same one pass that
        writes the zip: given the filled package's parts by name, it returns parts."""
        if self.needs_docxtpl:
            return self._render_with_docxtpl(context, finish)
        rendered = self._render_parts(context)
        rendered.update(self._charts(context, {**self.members_by_name, **rendered}))
        if finish is not None:
            contents = dict(self.members_by_name)
            rendered.update(finish({**contents, **rendered}))
        return _zip(self.members, rendered)

    def _render_parts(self, context: dict[str, Any]) -> dict[str, bytes]:
        """The compiled parts rendered, and the content types of a .dotx made a .docx's."""
        rendered = {} if self.content_types is None else {_CONTENT_TYPES: self.content_types}
        for name, template in self.parts.items():
            xml = _guarded(self.source, self.sources, context, template.render, context)
            if self.brace_escapes:  # docxtpl's way to write literal {{ }} in a template
                xml = (
                    xml.replace("{_{", "{{")
                    .replace("}_}", "}}")
                    .replace("{_%", "{%")
                    .replace("%_}", "%}")
                )
            if _has_listing_chars(xml):
                xml = _resolve_listing(xml)
            try:
                data = xml.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate made by an expression
                raise TemplateProblem(
                    "templates.unsaveable", source=self.source, part=name
                ) from None
            if not self.trusted:
                self._check_part(name, data, rendered=True)
            rendered[name] = data
        return rendered

    def _render_with_docxtpl(self, context: dict[str, Any], finish: Finish | None = None) -> bytes:
        template = _strict_docxtpl()(io.BytesIO(self.data))
        template.xlsummary_check = partial(self._check_part, "word/document.xml", rendered=True)
        _guarded(
            self.source,
            self.sources,
            context,
            template.render,
            context,
            jinja_env=jinja_environment(),
            autoescape=True,
        )
        out = io.BytesIO()
        template.save(out)
        # the parts docxtpl leaves alone (endnotes, comments) or renders only in part
        # (document properties), filled here from the template's own text
        rendered = self._render_parts(context)
        saved = zipfile.ZipFile(io.BytesIO(out.getvalue()))
        members = [(info, saved.read(info.filename)) for info in saved.infolist()]
        rendered.update(self._charts(context, {i.filename: c for i, c in members}))
        if not self.trusted:
            for info, content in members:
                if _DOCXTPL_PARTS.match(info.filename):
                    self._check_part(info.filename, content, rendered=True)
        if finish is not None:
            rendered.update(finish({**{i.filename: c for i, c in members}, **rendered}))
        return _zip(members, rendered)

    def _charts(self, context: Mapping[str, Any], filled: Mapping[str, bytes]) -> dict[str, bytes]:
        """The tagged charts filled, and the parts placing them with their alt text."""
        if not self.slots:
            return {}
        try:
            parts, markers = fill_slots(self.slots, context, self.members_by_name)
        except ChartTagProblem as problem:
            hint = problem.params.get("hint")
            raise TemplateProblem(
                f"templates.chart.{problem.key}",
                source=self.source,
                **{**problem.params, "hint": _hint(hint)},
            ) from None
        for name in {slot.part for slot in self.slots}:
            xml = put_markers(filled[name].decode("utf-8"), markers)
            parts[name] = renumber_drawings(xml).encode("utf-8")
        return parts

    def _check_part(self, name: str, data: bytes | str, *, rendered: bool) -> None:
        """Refuse a part that is not well-formed XML, or holds a DTD; once filled, also
        one with a field that loads content (a keyword a tag wrote, ``{{ "INCLUDE" }}``)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            check_well_formed(data)
        except XmlProblem as problem:
            raise part_problem(self.source, name, data, problem, rendered) from None
        if rendered:
            _refuse_loading_fields([(zipfile.ZipInfo(name), data)], self.source)


def part_problem(
    source: str, part: str, data: bytes, problem: XmlProblem, rendered: bool
) -> TemplateProblem:
    if problem.dtd:
        return TemplateProblem("templates.dtd", source=source, part=part)
    return TemplateProblem(
        "templates.invalid_after_fill" if rendered else "templates.damaged_part",
        source=source,
        part=part,
        line=problem.line,
        reason=problem.reason,
        near=_near(problem.near(data)),
    )


def _near(text: str) -> Msg | str:
    """The words around a problem, as each language quotes them (nothing when none)."""
    return Msg("templates.near", {"near": text}) if text else ""


@lru_cache(maxsize=1)
def _strict_docxtpl():
    """docxtpl's DocxTemplate, except that the rendered body is proven well-formed
    before docxtpl parses it with lxml's *recovering* parser, which would silently
    drop whatever a broken tag spoils."""
    from docxtpl import DocxTemplate

    class StrictDocxTemplate(DocxTemplate):
        xlsummary_check = None

        def fix_tables(self, xml):
            if self.xlsummary_check is not None:
                self.xlsummary_check(xml)
            return super().fix_tables(xml)

    return StrictDocxTemplate


def analyse(compiled: CompiledTemplate, contexts: list[dict[str, Any]]) -> Analysis:
    """The fields a template uses, and the problems rendering it with each context
    gives (a misspelled nested field shows only then); parts with tags that are not
    rendered are listed."""
    from jinja2 import meta

    used: set[str] = set()
    for name, xml in compiled.sources.items():
        try:
            used |= meta.find_undeclared_variables(compiled.env.parse(xml))
        except TemplateSyntaxError as error:
            raise syntax_problem(compiled.source, name, xml, error) from None
        except RecursionError:
            raise _too_deep(compiled.source) from None
    problems: list[Msg] = []
    for context in contexts:
        try:
            compiled.render(context)
        except TemplateProblem as problem:
            said = Msg(problem.key, problem.params)
            if said not in problems:  # the draft and the final report often fail alike
                problems.append(said)
    charts = [slot.written for slot in compiled.slots]
    return Analysis(sorted(used), problems, list(compiled.unrendered), charts)


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _decode(name: str, content: bytes, source: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise TemplateProblem("templates.not_utf8", source=source, part=name) from None


def _zip(members: list[tuple[zipfile.ZipInfo, bytes]], replace: Mapping[str, bytes] = {}) -> bytes:
    """The members, with the parts in ``replace`` instead (those it names that are not
    members are added at the end, stamped with the first member's time, so the same
    input gives the same bytes)."""
    out = io.BytesIO()
    names = {info.filename for info, _ in members}
    stamp = members[0][0].date_time if members else (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name in replace:
            if name not in names:
                members = [*members, (zipfile.ZipInfo(name, stamp), b"")]
        for info, content in members:
            archive.writestr(
                # a copy: writestr records sizes and offsets in the ZipInfo it is given,
                # and a compiled template is rendered by many threads at once
                copy.copy(info),
                replace.get(info.filename, content),
                compress_type=zipfile.ZIP_DEFLATED,
                compresslevel=1,
            )
    return out.getvalue()


def _refuse_loading_fields(members: list[tuple[zipfile.ZipInfo, bytes]], source: str) -> None:
    """A field that loads a file, a page or a picture (``INCLUDEPICTURE``…) makes the
    template refused: Word and LibreOffice would fetch it for every report."""
    for info, content in members:
        if not info.filename.endswith(".rels"):  # any part: a header may be extra/h.dat
            found = loading_fields(content)
            if found:
                raise TemplateProblem(
                    "templates.loading_field", source=source, field=_short(found[0], 60)
                )


def _without_macros(
    members: list[tuple[zipfile.ZipInfo, bytes]], source: str
) -> tuple[list[tuple[zipfile.ZipInfo, bytes]], bool]:
    """The members minus VBA projects, their data and macro key bindings, and minus
    every relationship and content type that names them, and minus an attached
    template (which Word would fetch, macros and all). ActiveX controls (which the
    document body refers to) and any other external relationship than a hyperlink (a
    linked picture, an OLE object such as Follina's ``mhtml:`` link, a subdocument)
    make the template refused instead."""
    contents = {info.filename: content for info, content in members}
    defaults, overrides = opc.content_types(contents.get(_CONTENT_TYPES, b""))

    def type_of(name: str) -> str:
        ext = name.rpartition(".")[2].lower()
        return overrides.get("/" + name, defaults.get(ext, "")).lower()

    if any(type_of(name) in _ACTIVEX_TYPES for name in contents):
        raise TemplateProblem("templates.activex", source=source)
    dropped = {
        name
        for name in contents
        if type_of(name) in _MACRO_TYPES
        or posixpath.basename(name).lower() in ("vbaproject.bin", "vbadata.xml")
        or name.lower().endswith("/vbaproject.bin.rels")
    }
    changed: dict[str, bytes] = {}

    def clicked_not(rels: str) -> set[str]:  # ids a picture (say) uses: fetched
        return not_clicked(contents.get(opc.source_of(rels), b""))

    for name, content in contents.items():
        if name.endswith(".rels") and name not in dropped:
            rels = opc.relationships(content)
            for rel in rels:
                kind = opc.kind(rel)
                if kind == "aFChunk":
                    raise TemplateProblem("templates.altchunk", source=source)
                if opc.is_external(rel) and (
                    kind not in _EXTERNAL_KEPT
                    or (kind == "hyperlink" and rel.get("Id", "") in clicked_not(name))
                ):
                    raise TemplateProblem(
                        "templates.external_link",
                        source=source,
                        kind=kind,
                        target=_short(rel.get("Target", ""), 60),
                    )
            base = posixpath.dirname(posixpath.dirname(name))
            kept = [
                rel
                for rel in rels
                if not rel.get("Type", "").endswith(_MACRO_RELS)
                and (
                    rel.get("TargetMode") == "External"
                    or opc.resolve(base, rel.get("Target", "")) not in dropped
                )
            ]
            if len(kept) != len(rels):
                changed[name] = opc.xml_list("Relationships", opc.NS_RELS, "Relationship", kept)
    settings = "word/settings.xml"
    if "word/_rels/settings.xml.rels" in changed and settings in contents:
        # the element would point at a relationship that is gone
        changed[settings] = _ATTACHED_TEMPLATE.sub(b"", contents[settings])
    if not dropped and not changed:
        return members, False
    types = [
        ("Default", {"Extension": ext, "ContentType": kind})
        for ext, kind in defaults.items()
        if kind.lower() not in _MACRO_TYPES
    ] + [
        ("Override", {"PartName": part, "ContentType": kind})
        for part, kind in overrides.items()
        if part.lstrip("/") not in dropped
    ]
    changed[_CONTENT_TYPES] = opc.xml_elements("Types", opc.NS_TYPES, types)
    kept_members = [
        (info, changed.get(info.filename, content))
        for info, content in members
        if info.filename not in dropped
    ]
    return kept_members, True


def _has_listing_chars(xml: str) -> bool:
    """A line break, tab, \\a or \\f after the XML declaration (which ends in a newline)."""
    start = xml.find("?>") + 2 if xml.startswith("<?xml") else 0
    while start < len(xml) and xml[start] in "\r\n":
        start += 1
    return any(xml.find(char, start) != -1 for char in _LISTING_CHARS)


def _resolve_listing(xml: str) -> str:
    from docxtpl import DocxTemplate

    # like patch_xml, resolve_listing is text processing that reads nothing from self
    return DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]


def _guarded(source: str, sources: Mapping[str, str], context: Mapping, render, *args, **kw):
    """Run a render; every way a template can fail becomes one TemplateProblem."""
    try:
        return render(*args, **kw)
    except UndefinedError as error:
        raise undefined_problem(source, error, sources, context) from None
    except TemplateSyntaxError as error:
        raise syntax_problem(source, "word/document.xml", "", error) from None
    except RecursionError:
        raise _too_deep(source) from None
    except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as error:
        # {{ year + 1 }}, {{ x // 0 }}, sandbox refusals (SecurityError is a TemplateError)
        raise TemplateProblem(
            "templates.render_failed", source=source, detail=_short(str(error))
        ) from None


def _short(text: str, width: int = 120) -> str:
    """A template's own words in a message, cut to a sentence's length."""
    return text if len(text) <= width else text[:width] + "…"


def _too_deep(source: str) -> TemplateProblem:
    return TemplateProblem("templates.too_deep", source=source)


def syntax_problem(source: str, part: str, xml: str, error: TemplateSyntaxError) -> TemplateProblem:
    """A Jinja syntax error, with the template text around it (markup stripped)."""
    near = ""
    if xml and error.lineno:
        lines = xml.splitlines()[max(error.lineno - 2, 0) : error.lineno + 1]
        near = " ".join(re.sub(r"<[^>]+>", "", line) for line in lines).strip()[:120]
    return TemplateProblem(
        "templates.syntax",
        source=source,
        part=part,
        detail=_short(error.message or ""),
        near=_near(near),
    )


def undefined_problem(
    source: str,
    error: UndefinedError,
    sources: Mapping[str, str] | None = None,
    context: Mapping | None = None,
) -> TemplateProblem:
    """Name the field as the template wrote it (``figures.surgery.totl``), not as Jinja
    saw it (``'dict object' has no attribute 'totl'``), with the nearest real name."""
    name = getattr(error, "name", None)
    owner = getattr(error, "owner", missing)
    if not isinstance(name, str):
        return TemplateProblem(
            "templates.unknown_field", source=source, detail=_short(error.message or "")
        )
    written = _short(_written_as(name, sources or {}) or name, 80)
    known = owner if isinstance(owner, Mapping) else (context if owner is missing else None)
    close = (
        difflib.get_close_matches(name, [str(k) for k in known or ()], n=1, cutoff=0.6)
        if len(name) <= 80
        else []
    )
    return TemplateProblem(
        "templates.unknown_field_named",
        source=source,
        field=written,
        hint=_hint(close[0] if close else None),
    )


def _hint(name: str | None) -> Msg:
    """ ", did you mean …?" when there is a name close to what was written."""
    return Msg("templates.did_you_mean", {"name": name}) if name else Msg("templates.no_suggestion")


def _chart_slots(
    members: list[tuple[zipfile.ZipInfo, bytes]], source: str
) -> tuple[list[tuple[zipfile.ZipInfo, bytes]], list[ChartSlot]]:
    """The template's tagged charts, and its members with the tags out of the alt text."""
    contents = {info.filename: content for info, content in members}
    texts = {
        name: _decode(name, content, source)
        for name, content in contents.items()
        if _TEXT_PARTS.match(name) and b"drawingml/2006/chart" in content
    }
    if not texts:
        return members, []
    slots, patched = find_slots(texts, contents)
    return [
        (info, patched[info.filename].encode("utf-8") if info.filename in patched else content)
        for info, content in members
    ], slots


def _written_as(name: str, sources: Mapping[str, str]) -> str | None:
    """The dotted expression ending in ``name`` as it appears in the templates."""
    env = SandboxedEnvironment()
    for xml in sources.values():
        try:
            tree = env.parse(xml)
        except (TemplateSyntaxError, RecursionError):
            continue
        for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
            last = (
                node.attr
                if isinstance(node, nodes.Getattr)
                else node.arg.value
                if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)
                else node.name
                if isinstance(node, nodes.Name)
                else None
            )
            if last == name:
                text = _dotted(node)
                if text:
                    return text
    return None


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        head = _dotted(node.node)
        return f"{head}.{node.attr}" if head else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        head = _dotted(node.node)
        return f"{head}[{node.arg.value!r}]" if head else None
    return None


@lru_cache(maxsize=16)
def _compiled(path: str, mtime_ns: int, size: int) -> CompiledTemplate:
    return CompiledTemplate(read_input(path, "template"), path)


def load_template(path: str | Path) -> CompiledTemplate:
    """The compiled template of a file we ship (trusted: rendered in this process),
    reused while the file is unchanged. A user's template goes through
    :func:`xlsummary.untrusted.render_untrusted` instead."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise TemplateProblem("templates.not_found", path=str(path)) from None
    return _compiled(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def refinish(data: bytes, finish: Finish) -> bytes:
    """A .docx filled elsewhere (a user's template, in its worker) given what ``finish``
    adds: one more pass over the zip, which the shipped templates avoid by finishing
    as they are filled (:meth:`CompiledTemplate.render`)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    return rezip(members, finish({i.filename: c for i, c in members}))


def rezip(members: list[tuple[zipfile.ZipInfo, bytes]], replace: Mapping[str, bytes]) -> bytes:
    """A package written again with some parts replaced or added (see ``_zip``)."""
    return _zip(members, replace)
