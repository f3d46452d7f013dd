"""Build the shipped Word templates (``docx_templates/report-zh.docx``, ``-en.docx``).

The templates are written by code, with python-docx, so that every style, font and
field is deliberate and reviewable; ``python scripts/update_templates.py`` rewrites
them and a test fails when the committed files drift. Staff and IT may still open
the result in Word and edit it: the fields are ordinary docxtpl tags with readable
names (see ``docs/template-fields.md``), and each tag is written in one run so Word
has nothing to split.

The Chinese template follows the conventions of 党政机关公文 (GB/T 9704-2012): A4 with
margins of 37/35/28/26 mm, the title in 小标宋 二号, body text in 仿宋 三号 with 22
lines a page (exact line spacing of 28.95 pt; 27 characters fit a line at these
margins), section headings 一、 in 黑体, and page numbers "— 1 —" in 宋体 四号 in the
footer. Sub-headings such as （一）加强组织领导 are typed by staff at the start of a line
of narrative; the context marks them (``paragraph.lead``) and they are set in 楷体.
East-Asian fonts are set on ``w:eastAsia`` (python-docx only sets the Latin ones), so
Word and LibreOffice pick the intended Chinese face.

What differs between the languages is held in two places: the words the template
prints (captions, table heads, the draft mark) are catalogue entries
(``templates.docx.*`` in :mod:`xlsummary.i18n`), and the typography (faces, sizes,
bold, line spacing, the page number's dashes) is one :class:`_Look` per language in
``_LOOKS``. A new language is a catalogue and a look, not a branch in the builder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from xlsummary.i18n import DEFAULT, text
from xlsummary.outputs import reproducible_zip

#: Shipped templates: file name -> language.
SHIPPED = {"report-zh.docx": "zh", "report-en.docx": "en"}


@dataclass(frozen=True)
class _Look:
    """A language's typography: what its reports' conventions ask for, not its words."""

    latin: str
    body: str
    title: str
    heading: str
    heading2: str
    table: str
    body_size: float
    title_size: float
    table_size: float
    line: float | None  # exact line spacing in pt, None = single
    indent_chars: int  # first-line indent in characters
    bold: bool  # titles, headings, captions and leads in bold (公文 sets them by face)
    page_size: float  # the footer's page number
    page_font: str | None  # its East-Asian face (None: the Latin one)
    page: tuple[str, str]  # what stands before and after the page number


_LOOKS = {
    "zh": _Look(
        "Times New Roman",
        "仿宋",
        "方正小标宋简体",
        "黑体",
        "楷体",
        "仿宋",
        16,
        22,
        10.5,
        28.95,
        2,
        bold=False,
        page_size=14,
        page_font="宋体",
        page=("— ", " —"),
    ),
    "en": _Look(
        "Times New Roman",
        "Times New Roman",
        "Times New Roman",
        "Times New Roman",
        "Times New Roman",
        "Times New Roman",
        12,
        18,
        9,
        None,
        0,
        bold=True,
        page_size=10,
        page_font=None,
        page=("- ", " -"),
    ),
}

# the column heads of each table, as catalogue keys (prefix + name)
_KEY_HEAD = ("indicator", "unit", "total", "prior", "yoy")
_MONTHLY_HEAD = ("indicator", "unit", *(f"m{m}" for m in range(1, 13)), "total")
_ISSUES_HEAD = ("level", "sheet", "cell", "problem")  # the 校验结果 table's, shared


def _look(lang: str) -> _Look:
    """The look of ``lang``; a language without one of its own borrows the default's."""
    return _LOOKS.get(lang, _LOOKS[DEFAULT])


def _fonts(element, latin: str, east_asian: str) -> None:
    # get_or_add_* keep the schema's element order, which Word insists on
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


class _Builder:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.look = _look(lang)
        self.doc = Document()
        self._styles()
        section = self.doc.sections[0]
        self._page(section, landscape=False)
        self._footer(section)
        self._header(section)

    # ------------------------------------------------------------------ styles
    def _style(
        self,
        name: str,
        base: str | None,
        font: str,
        size: float,
        *,
        align=None,
        indent: int | None = None,
        bold: bool = False,
        line: float | None = None,
        before: float = 0,
        after: float = 0,
        color: RGBColor | None = None,
        keep_with_next: bool = False,
    ):
        styles = self.doc.styles
        style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
        if base:
            style.base_style = styles[base]
        style.font.size = Pt(size)
        style.font.bold = bold
        if color is not None:
            style.font.color.rgb = color
        _fonts(style.element, self.look.latin, font)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = keep_with_next or None
        if line:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(line)
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align is not None:
            fmt.alignment = align
        if indent is not None:
            ind = style.element.get_or_add_pPr().get_or_add_ind()
            # firstLineChars: an indent in characters, as Chinese typesetting counts it
            ind.set(qn("w:firstLineChars"), str(indent * 100))
            ind.set(qn("w:firstLine"), str(int(indent * size * 20)))
        return style

    def _styles(self) -> None:
        lk = self.look
        self._style(
            "Normal",
            None,
            lk.body,
            lk.body_size,
            line=lk.line,
            indent=lk.indent_chars,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            after=0 if lk.line else 6,
        )
        self._style(
            "Report Title",
            "Normal",
            lk.title,
            lk.title_size,
            indent=0,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line=None,
            before=12,
            after=24,
            bold=lk.bold,
        )
        self._style(
            "Report Heading",
            "Normal",
            lk.heading,
            lk.body_size,
            line=lk.line,
            bold=lk.bold,
            keep_with_next=True,
            before=0 if lk.line else 12,
        )
        self._style(
            "Report Caption",
            "Normal",
            lk.heading,
            lk.body_size - 2,
            indent=0,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line=None,
            before=6,
            after=6,
            bold=lk.bold,
            keep_with_next=True,
        )
        self._style(
            "Table Text",
            "Normal",
            lk.table,
            lk.table_size,
            indent=0,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line=None,
        )
        self._style(
            "Draft Note",
            "Normal",
            lk.heading2,
            lk.body_size,
            indent=0,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line=None,
            after=12,
            color=RGBColor(0xC0, 0x00, 0x00),
        )
        lead = self.doc.styles.add_style("Lead", WD_STYLE_TYPE.CHARACTER)
        lead.font.bold = lk.bold
        _fonts(lead.element, lk.latin, lk.heading2)
        self._style(
            "Signature", "Normal", lk.body, lk.body_size, indent=0, align=WD_ALIGN_PARAGRAPH.RIGHT
        )

    # ------------------------------------------------------------------ page
    def _page(self, section, landscape: bool) -> None:
        width, height = Mm(210), Mm(297)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        if landscape:
            section.top_margin = section.bottom_margin = Mm(20)
            section.left_margin = section.right_margin = Mm(20)
        else:
            section.top_margin, section.bottom_margin = Mm(37), Mm(35)
            section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(20)

    def _footer(self, section) -> None:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Pt(0)
        lk = self.look
        before, after = lk.page
        for words in (before, None, after):
            run = paragraph.add_run()
            run.font.size = Pt(lk.page_size)
            _fonts(run._r, lk.latin, lk.page_font or lk.latin)
            if words is not None:
                run.text = words
                continue
            for kind, instr in (("begin", None), (None, " PAGE "), ("end", None)):
                if kind:
                    fld = OxmlElement("w:fldChar")
                    fld.set(qn("w:fldCharType"), kind)
                    run._r.append(fld)
                else:
                    code = OxmlElement("w:instrText")
                    code.set(qn("xml:space"), "preserve")
                    code.text = instr
                    run._r.append(code)

    def _header(self, section) -> None:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        run = paragraph.add_run("{% if draft %}" + self.words("draft_mark") + "{% endif %}")
        run.font.size = Pt(16)
        run.font.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        _fonts(run._r, self.look.latin, self.look.heading)

    # ------------------------------------------------------------------ content
    def words(self, key: str, **params: str) -> str:
        """The template's words for ``key`` (under ``templates.docx.``) in its language."""
        return text(f"templates.docx.{key}", self.lang, **params)

    def head(self, prefix: str, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(text(f"{prefix}.{name}", self.lang) for name in names)

    def para(self, content: str, style: str = "Normal"):
        return self.doc.add_paragraph(content, style=style)

    def tag(self, content: str) -> None:
        """A docxtpl paragraph tag ({%p ... %}): the paragraph disappears on render."""
        self.doc.add_paragraph(content, style="Normal")

    def table(self, head: tuple[str, ...], cells: list[str], loop: str, widths: list[float]):
        """A header row and one docxtpl row loop ({%tr for ... %})."""
        table = self.doc.add_table(rows=4, cols=len(head))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        rows = table.rows
        for c, label in enumerate(head):
            cell = rows[0].cells[c]
            cell.paragraphs[0].style = self.doc.styles["Table Text"]
            cell.paragraphs[0].add_run(label).bold = True
        rows[1].cells[0].paragraphs[0].text = "{%tr " + loop + " %}"
        for c, content in enumerate(cells):
            rows[2].cells[c].paragraphs[0].text = content
        rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
        for row in rows:
            for c, cell in enumerate(row.cells):
                cell.width = Mm(widths[c])
                cell.paragraphs[0].style = self.doc.styles["Table Text"]
        # fixed column widths: Word and LibreOffice both honour the grid, not cell widths
        table.autofit = False
        for col, grid in zip(
            table.columns, table._tbl.tblGrid.findall(qn("w:gridCol")), strict=True
        ):
            grid.set(qn("w:w"), str(int(Mm(widths[col._index]).twips)))
        # repeat the header row on every page
        trpr = rows[0]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        trpr.append(header)
        return table

    def build(self) -> bytes:
        self.para("{{ title }}", "Report Title")
        self.tag("{%p if draft %}")
        self.para("{{ draft_note }}", "Draft Note")
        self.tag("{%p endif %}")
        self.tag("{%p for section in sections %}")
        self.para("{{ section.heading }}", "Report Heading")
        self.tag("{%p for paragraph in section.paragraphs %}")
        body = self.doc.add_paragraph(style="Normal")
        body.add_run("{{ paragraph.lead }}", style="Lead")
        body.add_run("{{ paragraph.text }}")
        self.tag("{%p endfor %}")
        self.tag("{%p if section.key_figures_here and key_figures %}")
        self.para(self.words("key_caption"), "Report Caption")
        self.table(
            self.head("label.figures", _KEY_HEAD),
            ["{{ f.name }}", "{{ f.unit }}", "{{ f.total }}", "{{ f.prior }}", "{{ f.yoy }}"],
            "for f in key_figures",
            [52, 22, 30, 30, 26],
        )
        self.tag("{%p endif %}")
        self.tag("{%p endfor %}")
        self.para("")
        self.para("{{ unit }}", "Signature")
        self.para("{{ date }}", "Signature")
        # appendix on landscape pages: twelve months need the width
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page(section, landscape=True)
        appendix = self.para(self.words("appendix"), "Report Heading")
        appendix.paragraph_format.first_line_indent = Pt(0)
        caption = self.words(
            "monthly_caption", if_year="{% if year %}", year="{{ year }}", end_if="{% endif %}"
        )
        self.para(caption, "Report Caption")
        months = [f"{{{{ f.months[{m}] }}}}" for m in range(12)]
        self.table(
            self.head("templates.docx.monthly_head", _MONTHLY_HEAD),
            ["{{ f.name }}", "{{ f.unit }}", *months, "{{ f.total }}"],
            "for f in indicators",
            [40, 14, *([15] * 12), 20],
        )
        self.tag("{%p if draft and issues %}")
        self.para(self.words("issues_caption"), "Report Caption")
        self.table(
            self.head("label.head", _ISSUES_HEAD),
            ["{{ i.severity }}", "{{ i.sheet }}", "{{ i.cell }}", "{{ i.message }}"],
            "for i in issues",
            [16, 24, 26, 190],
        )
        self.tag("{%p endif %}")
        buffer = io.BytesIO()
        self.doc.core_properties.author = "xlsummary"
        self.doc.core_properties.title = "{{ title }}"
        self.doc.save(buffer)
        return reproducible_zip(buffer.getvalue())


def build_report_template(lang: str = "zh") -> bytes:
    """The .docx bytes of the shipped report template for ``lang``."""
    return _Builder(lang).build()
