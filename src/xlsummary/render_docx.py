"""Fill a docxtpl Word template with a report context.

docxtpl defines what a template may say: ``{{ field }}``, ``{% ... %}``, and its
paragraph and table-row tags ``{%p ... %}`` / ``{%tr ... %}``, whose meaning lives in
``DocxTemplate.patch_xml`` (it also mends tags that Word split across runs). We use
that preprocessing unchanged, but not docxtpl's rendering pipeline, because profiling
showed where a render's time goes: ``DocxTemplate.render`` + ``save`` parse every part
into python-docx objects, re-parse the rendered body with lxml, rebuild the package
and re-serialize it, on every call. A template is text, so here it is compiled once
(per file and modification time) and each render is one Jinja call per part plus
writing the zip: for the example that is several times faster, and the document is
the same (a test renders the shipped templates both ways and compares the text).

A template that uses docxtpl features needing its object model (column loops
``{%tc``, cell colours, column spans, images and sub-documents) is rendered by
docxtpl itself; that path is slower but complete.

Rendering is safe for any context: the Jinja environment is sandboxed, autoescapes
(``A&B <测试>`` comes out literally) and uses ``StrictUndefined``, so a misspelled
field is an error naming it, never a silently blank paragraph.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from xlsummary.errors import TemplateProblem

_RENDERED_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes)\.xml|"
    r"docProps/core\.xml)$"
)
# docxtpl features that need its object model (see the module docstring)
_NEEDS_DOCXTPL = re.compile(r"\{%\s*(tc|cellbg|colspan|hm|vm)\b|\{\{\s*(r|p|tc|tr)\s")


def _mark_paragraphs(xml: str) -> str:
    """docxtpl starts every paragraph on a new line before rendering, so that Jinja's
    line numbers point at paragraphs, and joins them again after. The output is the
    same without, so we only do it to locate a syntax error."""
    return xml.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")


def jinja_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )


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
        if not any(info.filename == "word/document.xml" for info, _ in self.members):
            raise TemplateProblem(
                f"这不是 Word（.docx）模板：{source}",
                f"This is not a Word (.docx) template: {source}",
            )
        self.env = jinja_environment()
        self.parts: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        for info, content in self.members:
            if _RENDERED_PARTS.match(info.filename) and b"{" in content:
                xml = _patch(content.decode("utf-8"))
                self.sources[info.filename] = xml
        self.needs_docxtpl = any(_NEEDS_DOCXTPL.search(x) for x in self.sources.values())
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
            try:
                xml = template.render(context)
            except UndefinedError as error:
                raise undefined_problem(self.source, error) from None
            except TemplateError as error:
                raise TemplateProblem(
                    f"Word 模板渲染失败：{error}", f"The Word template failed to render: {error}"
                ) from None
            rendered[name] = xml.encode("utf-8")
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
        try:
            template.render(context, jinja_env=jinja_environment(), autoescape=True)
        except UndefinedError as error:
            raise undefined_problem(self.source, error) from None
        except TemplateSyntaxError as error:
            raise syntax_problem(self.source, "word/document.xml", "", error) from None
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()


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
