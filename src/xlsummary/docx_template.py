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

from xlsummary.outputs import reproducible_zip

#: Shipped templates: file name -> language.
SHIPPED = {"report-zh.docx": "zh", "report-en.docx": "en"}


@dataclass(frozen=True)
class _Look:
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


_LOOKS = {
    "zh": _Look(
        "Times New Roman", "仿宋", "方正小标宋简体", "黑体", "楷体", "仿宋", 16, 22, 10.5, 28.95, 2
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
    ),
}

_TEXT = {
    "zh": {
        "key_caption": "主要指标完成情况",
        "key_head": ("指标", "单位", "本期合计", "上年同期", "同比"),
        "appendix": "附件",
        "monthly_caption": "{% if year %}{{ year }}年{% endif %}月度统计明细",
        "monthly_head": ("指标", "单位", *[f"{m}月" for m in range(1, 13)], "本期合计"),
        "issues_caption": "统计表校验问题清单（草稿附件）",
        "issues_head": ("级别", "工作表", "单元格", "问题"),
        "draft_mark": "草 稿",
        "page": ("— ", " —"),
    },
    "en": {
        "key_caption": "Key figures",
        "key_head": ("Indicator", "Unit", "Period total", "Prior year", "YoY"),
        "appendix": "Appendix",
        "monthly_caption": "Monthly figures{% if year %}, {{ year }}{% endif %}",
        "monthly_head": (
            "Indicator",
            "Unit",
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
            "Total",
        ),
        "issues_caption": "Issues found in the workbook (draft appendix)",
        "issues_head": ("Level", "Sheet", "Cell", "Problem"),
        "draft_mark": "DRAFT",
        "page": ("- ", " -"),
    },
}


def _fonts(element, latin: str, east_asian: str) -> None:
    # get_or_add_* keep the schema's element order, which Word insists on
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


class _Builder:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.look = _LOOKS[lang]
        self.t = _TEXT[lang]
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
            bold=self.lang == "en",
        )
        self._style(
            "Report Heading",
            "Normal",
            lk.heading,
            lk.body_size,
            line=lk.line,
            bold=self.lang == "en",
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
            bold=self.lang == "en",
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
        lead.font.bold = self.lang == "en"
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
        before, after = self.t["page"]
        for text in (before, None, after):
            run = paragraph.add_run()
            run.font.size = Pt(14 if self.lang == "zh" else 10)
            _fonts(run._r, self.look.latin, "宋体" if self.lang == "zh" else self.look.latin)
            if text is not None:
                run.text = text
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
        run = paragraph.add_run("{% if draft %}" + self.t["draft_mark"] + "{% endif %}")
        run.font.size = Pt(16)
        run.font.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        _fonts(run._r, self.look.latin, self.look.heading)

    # ------------------------------------------------------------------ content
    def para(self, text: str, style: str = "Normal"):
        return self.doc.add_paragraph(text, style=style)

    def tag(self, text: str) -> None:
        """A docxtpl paragraph tag ({%p ... %}): the paragraph disappears on render."""
        self.doc.add_paragraph(text, style="Normal")

    def table(self, head: tuple[str, ...], cells: list[str], loop: str, widths: list[float]):
        """A header row and one docxtpl row loop ({%tr for ... %})."""
        table = self.doc.add_table(rows=4, cols=len(head))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        rows = table.rows
        for c, text in enumerate(head):
            cell = rows[0].cells[c]
            cell.paragraphs[0].style = self.doc.styles["Table Text"]
            cell.paragraphs[0].add_run(text).bold = True
        rows[1].cells[0].paragraphs[0].text = "{%tr " + loop + " %}"
        for c, text in enumerate(cells):
            rows[2].cells[c].paragraphs[0].text = text
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
        t = self.t
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
        self.para(t["key_caption"], "Report Caption")
        self.table(
            t["key_head"],
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
        self.para(t["appendix"], "Report Heading").paragraph_format.first_line_indent = Pt(0)
        self.para(t["monthly_caption"], "Report Caption")
        months = [f"{{{{ f.months[{m}] }}}}" for m in range(12)]
        self.table(
            t["monthly_head"],
            ["{{ f.name }}", "{{ f.unit }}", *months, "{{ f.total }}"],
            "for f in indicators",
            [40, 14, *([15] * 12), 20],
        )
        self.tag("{%p if draft and issues %}")
        self.para(t["issues_caption"], "Report Caption")
        self.table(
            t["issues_head"],
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
