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

A template that uses docxtpl features needing its object model (column loops
``{%tc``, cell colours, column and row spans, ``{{r``/``{{p`` rich text, images,
whose ids docxtpl renumbers) is detected before preprocessing and rendered by docxtpl
itself: slower, but complete. Macro-enabled templates (.docm) are refused; a Word
template (.dotx) gives a document (.docx).

Rendering is safe for any context: the Jinja environment is sandboxed, autoescapes
(``A&B <测试>`` comes out literally) and uses ``StrictUndefined``, so a misspelled
field is an error naming it, never a silently blank paragraph.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from xlsummary.errors import TemplateProblem

_RENDERED_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes)\.xml|"
    r"docProps/core\.xml)$"
)
# docxtpl features that need its object model (see the module docstring), looked for in
# the template as stored, before patch_xml rewrites them into plain Jinja
_NEEDS_DOCXTPL = re.compile(
    r"\{%-?\s*(tc|cellbg|colspan|hm|vm)\b|\{\{-?\s*(r|p|tc|tr)\s|<w:drawing|<w:pict|<w:object"
)
_MAIN_TYPES = {
    "document.main+xml": None,
    "template.main+xml": "document.main+xml",  # .dotx: the output is a document
}
_LISTING_CHARS = ("\n", "\t", "\a", "\f")


def _mark_paragraphs(xml: str) -> str:
    """docxtpl starts every paragraph on a new line before rendering, so that Jinja's
    line numbers point at paragraphs, and joins them again after. The output is the
    same without, so we only do it to locate a syntax error."""
    return xml.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")


class ReportEnvironment(SandboxedEnvironment):
    """The sandbox, plus a bound on the two operators that can make one expression
    cost minutes or gigabytes (``7 ** 10**8``, ``'x' * 3000000000``). Intercepted
    operators are also never folded at compile time, where no limit would apply."""

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
    return ReportEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


def _patch(xml: str) -> str:
    from docxtpl import DocxTemplate

    # patch_xml is pure text processing: it reads nothing from the instance
    return DocxTemplate.patch_xml(None, xml)  # type: ignore[arg-type]


class CompiledTemplate:
    """A .docx template ready to render many times."""

    def __init__(self, data: bytes, source: str = "") -> None:
        self.source = source
        self.data = data
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            self.members = [(info, archive.read(info.filename)) for info in archive.infolist()]
        except (zipfile.BadZipFile, OSError, EOFError):
            raise TemplateProblem(
                f"Word 模板文件已损坏或不是 .docx 文件：{source}",
                f"The Word template is damaged or not a .docx file: {source}",
            ) from None
        contents = dict((info.filename, content) for info, content in self.members)
        types = contents.get("[Content_Types].xml", b"").decode("utf-8", "replace")
        main = next((t for t in _MAIN_TYPES if f"wordprocessingml.{t}" in types), None)
        if "word/document.xml" not in contents or main is None:
            raise TemplateProblem(
                f"这不是 Word 文档模板（.docx 或 .dotx；不支持含宏的 .docm）：{source}",
                f"Not a Word template (.docx or .dotx; macro-enabled .docm is not supported): "
                f"{source}",
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
        raw = []
        for info, content in self.members:
            if _RENDERED_PARTS.match(info.filename) and b"{" in content:
                text = content.decode("utf-8")
                raw.append(text)
                self.sources[info.filename] = _patch(text)
        self.needs_docxtpl = any(_NEEDS_DOCXTPL.search(x) for x in raw)
        self.brace_escapes = any("{_" in x or "_}" in x for x in raw)
        if not self.needs_docxtpl:
            for name, xml in self.sources.items():
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

    def render(self, context: dict[str, Any]) -> bytes:
        if self.needs_docxtpl:
            return self._render_with_docxtpl(context)
        rendered = {}
        for name, template in self.parts.items():
            xml = _guarded(self.source, template.render, context)
            if self.brace_escapes:  # docxtpl's way to write literal {{ }} in a template
                xml = (
                    xml.replace("{_{", "{{")
                    .replace("}_}", "}}")
                    .replace("{_%", "{%")
                    .replace("%_}", "%}")
                )
            if _has_listing_chars(xml):
                xml = _resolve_listing(xml)
            rendered[name] = xml.encode("utf-8")
        if self.content_types is not None:
            rendered["[Content_Types].xml"] = self.content_types
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for info, content in self.members:
                archive.writestr(
                    info,
                    rendered.get(info.filename, content),
                    compress_type=zipfile.ZIP_DEFLATED,
                    compresslevel=1,
                )
        return out.getvalue()

    def _render_with_docxtpl(self, context: dict[str, Any]) -> bytes:
        from docxtpl import DocxTemplate

        template = DocxTemplate(io.BytesIO(self.data))
        _guarded(
            self.source, template.render, context, jinja_env=jinja_environment(), autoescape=True
        )
        # docxtpl renders document properties with the autoescaping environment and
        # python-docx escapes them again on saving: undo the first escape
        props = template.docx.core_properties
        for name in (
            "author",
            "category",
            "comments",
            "content_status",
            "identifier",
            "keywords",
            "language",
            "subject",
            "title",
            "version",
        ):
            value = getattr(props, name)
            if value and "&" in value:
                setattr(props, name, html.unescape(value))
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()


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


def _guarded(source: str, render, *args, **kwargs):
    """Run a render; every way a template can fail becomes one TemplateProblem."""
    try:
        return render(*args, **kwargs)
    except UndefinedError as error:
        raise undefined_problem(source, error) from None
    except TemplateSyntaxError as error:
        raise syntax_problem(source, "word/document.xml", "", error) from None
    except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as error:
        # {{ year + 1 }}, {{ x // 0 }}, sandbox refusals (SecurityError is a TemplateError)
        raise TemplateProblem(
            f"Word 模板“{source}”计算出错：{error}。模板只应放置字段，不要在其中计算。",
            f"The Word template {source} failed while rendering: {error}. Templates should "
            "place fields, not compute.",
        ) from None


def syntax_problem(source: str, part: str, xml: str, error: TemplateSyntaxError) -> TemplateProblem:
    """A Jinja syntax error, with the template text around it (markup stripped)."""
    near = ""
    if xml and error.lineno:
        lines = xml.splitlines()[max(error.lineno - 2, 0) : error.lineno + 1]
        near = " ".join(re.sub(r"<[^>]+>", "", line) for line in lines).strip()[:120]
    where = f"（附近文字：“{near}”）" if near else ""
    return TemplateProblem(
        f"Word 模板“{source}”的 {part} 中有语法错误：{error.message}{where}。"
        "请检查 {{ }} 与 {% %} 是否成对、拼写是否正确。",
        f"Template syntax error in {source} ({part}): {error.message}"
        + (f" near {near!r}" if near else ""),
    )


def undefined_problem(source: str, error: UndefinedError) -> TemplateProblem:
    return TemplateProblem(
        f"Word 模板“{source}”使用了报告中没有的字段：{error.message}。"
        "请对照 docs/template-fields.md 改正字段名，或运行 xlsummary fields 检查模板。",
        f"The Word template {source} uses a field the report does not provide: "
        f"{error.message}. See docs/template-fields.md or run 'xlsummary fields'.",
    )


@lru_cache(maxsize=16)
def _compiled(path: str, mtime_ns: int, size: int) -> CompiledTemplate:
    return CompiledTemplate(Path(path).read_bytes(), path)


def load_template(path: str | Path) -> CompiledTemplate:
    """The compiled template of a file, reused while the file is unchanged."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise TemplateProblem(
            f"找不到 Word 模板：{path}", f"Word template not found: {path}"
        ) from None
    return _compiled(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
