"""Build the shipped Word templates (``docx_templates/report-zh.docx``, ``-en.docx``).

The templates are written by code, with python-docx, so that every style, font and
field is deliberate and reviewable; ``python scripts/update_templates.py`` rewrites
them and a test fails when the committed files drift. Staff and IT may still open
the result in Word and edit it: the fields are ordinary docxtpl tags with readable
names (see ``docs/template-fields.md``), and each tag is written in one run so Word
has nothing to split.

The Chinese template follows the conventions of 党政机关公文 (GB/T 9704-2012): A4 with
a 156 × 225 mm text block (margins 37/35/28/26 mm); the title in 小标宋 二号, broken
at word boundaries by the context (``title_lines``) and followed by an empty line;
body text in 仿宋 三号, 28 characters × 22 lines a page; section headings 一、 in 黑体
(outline level 1, so Word's navigation pane lists them); sub-headings such as
（一）加强组织领导, typed by staff at the start of a line of narrative and marked by the
context (``paragraph.lead``), in 楷体; the 附件 line under the body, then the unit's
name 右空二字 and the date under it, its first character two characters right of the
name's (set in each report by :mod:`xlsummary.signature_xml`); the appendix on its own
pages with "附件" in 黑体 三号 at the top left and its title centred on the third line;
page numbers "— 1 —" in 宋体 四号, odd pages right and even pages left, one character
in. The style names are Chinese (公文标题, 一级标题, …) with ASCII style ids.

28 characters: 28 × 16 pt is 448 pt, more than the 442 pt line, so 公文 templates
condense the text. Word can do it with a character grid (``docGrid`` linesAndChars,
``charSpace`` −849), but LibreOffice 7.4 gives each 16 pt character two cells of a
grid finer than 16 pt (measured: 14 characters a line). The template therefore keeps
Word's line grid (``linePitch`` 579: 22 lines) and sets the body's characters at 98 %
of their width (``w:w``), which Word, WPS and LibreOffice all honour: 28 characters
fit. Condensed spacing (``w:spacing`` −0.25 pt) fits them too, but then LibreOffice
drops a full-width mark that falls at a line's end (measured: 2 of 1,492 lost).

Languages are the document's own, not python-docx's defaults (en-US, ja-JP): East-Asian
text is zh-CN (``w:eastAsia`` of the defaults and of ``themeFontLang``) in both
templates, so LibreOffice falls back to simplified faces, never Japanese ones, and
gives “” ‘’ the full width Chinese text needs (Word is told the same by
``w:hint="eastAsia"``). Latin text (digits, letters) is en-US, as Word on a Chinese
Windows writes it: marked zh-CN, LibreOffice's Chinese line breaking splits numbers
(业务培训2 / 14人次). The font table lists the faces the styles use, with their
Windows names (FangSong, SimHei…) as ``w:altName``.
East-Asian fonts are set on ``w:eastAsia`` (python-docx only sets the Latin ones), so
Word and LibreOffice pick the intended Chinese face.

Tables: numbers right-aligned, names left, the header row in the heading face and
repeated on every page, rows never split across pages, cells padded, and the short
key-figures table kept on one page (every row keeps with the next).

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
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from xlsummary.docx_template_charts import (
    CHART_TYPE,
    REL_CHART,
    REL_PACKAGE,
    SHIPPED_CHARTS,
    XLSX_TYPE,
    chart_xml,
    inline_xml,
)
from xlsummary.docx_template_charts import workbook as chart_workbook
from xlsummary.i18n import DEFAULT, text
from xlsummary.outputs import reproducible_zip
from xlsummary.rollup_context import UNIT_COLUMNS

#: Shipped templates: file name -> language.
SHIPPED = {"report-zh.docx": "zh", "report-en.docx": "en"}

_LEFT, _CENTER, _RIGHT = (
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
)


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
    lang: tuple[str, str]  # w:lang's w:val (Latin text) and w:eastAsia
    scale: int = 100  # running text's character width, in percent (w:w)
    east_asian_punctuation: bool = False  # “” ‘’ in the East-Asian face (Word's hint)
    signature_rule: bool = False  # 右空二字, the date two characters right of the name
    # the appendix's columns in mm (name, unit, 12 months, period) on the 257 mm of a
    # landscape page: Latin words are long, and must not break inside
    monthly_widths: tuple[float, ...] = (42, 16, *([15] * 12), 19)


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
        lang=("en-US", "zh-CN"),
        scale=98,
        east_asian_punctuation=True,
        signature_rule=True,
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
        monthly_widths=(56, 22, *([13.5] * 12), 17),
        lang=("en-US", "zh-CN"),
    ),
}

#: The faces a template may name, for its font table: Word shows the table's entries
#: in its font list and substitutes by them when a face is missing. Windows names of
#: the Chinese faces are their ``altName``; 86 is GB2312's charset.
_FONT_TABLE = {
    "Times New Roman": ("", "00", "roman", "variable", "02020603050405020304"),
    "仿宋": ("FangSong", "86", "modern", "fixed", "02010609060101010101"),
    "黑体": ("SimHei", "86", "modern", "fixed", "02010609060101010101"),
    "楷体": ("KaiTi", "86", "modern", "fixed", "02010609060101010101"),
    "宋体": ("SimSun", "86", "auto", "variable", "02010600030101010101"),
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "86", "script", "fixed", "02000000000000000000"),
}

# the column heads of each table, as catalogue keys (prefix + name)
_KEY_HEAD = ("indicator", "unit", "total", "prior", "yoy")
_MONTHLY_HEAD = ("indicator", "unit", *(f"m{m}" for m in range(1, 13)), "total")
_ISSUES_HEAD = ("level", "sheet", "cell", "problem")  # the 校验结果 table's, shared
#: Style ids (ASCII, stable for code and tests) -> catalogue key of the style's name.
STYLE_IDS = {
    "ReportTitle": "title",
    "ReportHeading": "heading",
    "ReportCaption": "caption",
    "AppendixMark": "appendix_mark",
    "AppendixTitle": "appendix_title",
    "TableText": "table",
    "TableHead": "table_head",
    "DraftNote": "draft_note",
    "Signature": "signature",
    "Lead": "lead",
}


def _look(lang: str) -> _Look:
    """The look of ``lang``; a language without one of its own borrows the default's."""
    return _LOOKS.get(lang, _LOOKS[DEFAULT])


def _fonts(element, latin: str, east_asian: str, hint: bool = False) -> None:
    # get_or_add_* keep the schema's element order, which Word insists on
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    if hint:  # Word: “” ‘’ … in the East-Asian face, full width
        fonts.set(qn("w:hint"), "eastAsia")


_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)  # CT_PPr's sequence: Word rejects a paragraph whose properties are out of order


def _ppr(pPr, tag: str, **attrs: str):
    """``pPr``'s property ``tag`` (``w:`` omitted), made where the schema puts it."""
    element = pPr.find(qn(f"w:{tag}"))
    if element is None:
        element = OxmlElement(f"w:{tag}")
        later = _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]
        pPr.insert_element_before(element, *(f"w:{t}" for t in later))
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


class _Builder:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.look = _look(lang)
        self.doc = Document()
        self.charts = 0
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._styles()
        section = self.doc.sections[0]
        self._page(section, landscape=False)
        self._footers(section)
        self._headers(section)

    # ------------------------------------------------------------------ styles
    def _style(
        self,
        style_id: str,
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
        outline: int | None = None,
        scale: int = 100,
        grid: bool = True,
    ):
        styles = self.doc.styles
        if style_id == "Normal":
            style = styles["Normal"]
        else:
            style = styles.add_style(self.words(f"style.{STYLE_IDS[style_id]}"), 1)
            style.style_id = style_id
            style.quick_style = True
        if base:
            style.base_style = styles[base] if base == "Normal" else self._by_id(base)
        style.font.size = Pt(size)
        style.font.bold = bold
        if color is not None:
            style.font.color.rgb = color
        _fonts(style.element, self.look.latin, font, hint=self.look.east_asian_punctuation)
        rPr = style.element.get_or_add_rPr()
        if scale != 100:  # w:w, the characters' width in percent
            width = rPr.find(qn("w:w"))
            if width is None:
                width = OxmlElement("w:w")
                later = ("kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr")
                later += ("shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang")
                later += ("eastAsianLayout", "specVanish", "oMath")
                rPr.insert_element_before(width, *(f"w:{t}" for t in later))
            width.set(qn("w:val"), str(scale))
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
        if not grid:  # tables, captions and titles keep their own line height
            _ppr(style.element.get_or_add_pPr(), "snapToGrid", val="0")
        if outline is not None:  # Word's navigation pane and table of contents
            _ppr(style.element.get_or_add_pPr(), "outlineLvl", val=str(outline))
        return style

    def _by_id(self, style_id: str):
        return next(s for s in self.doc.styles if s.style_id == style_id)

    def _styles(self) -> None:
        lk = self.look
        self._defaults()
        self._style(
            "Normal",
            None,
            lk.body,
            lk.body_size,
            line=lk.line,
            indent=lk.indent_chars,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            after=0 if lk.line else 6,
            scale=lk.scale,
        )
        self._style(
            "ReportTitle",
            "Normal",
            lk.title,
            lk.title_size,
            indent=0,
            align=_CENTER,
            line=None,
            bold=lk.bold,
            keep_with_next=True,
            grid=False,
        )
        self._style(
            "ReportHeading",
            "Normal",
            lk.heading,
            lk.body_size,
            line=lk.line,
            bold=lk.bold,
            keep_with_next=True,
            before=0 if lk.line else 12,
            outline=0,
            scale=lk.scale,
        )
        self._style(
            "ReportCaption",
            "Normal",
            lk.heading,
            lk.body_size - 2,
            indent=0,
            align=_CENTER,
            line=None,
            before=6,
            after=6,
            bold=lk.bold,
            keep_with_next=True,
            grid=False,
        )
        self._style(
            "AppendixMark",
            "Normal",
            lk.heading,
            lk.body_size,
            indent=0,
            align=_LEFT,
            line=lk.line,
            bold=lk.bold,
            keep_with_next=True,
        )
        self._style(
            "AppendixTitle",
            "ReportTitle",
            lk.title,
            lk.title_size,
            indent=0,
            align=_CENTER,
            line=None,
            bold=lk.bold,
            before=lk.line or 12,  # GB/T 9704: on the third line, one empty line under 附件
            after=12,
            keep_with_next=True,
            outline=0,
            grid=False,
        )
        self._style(
            "TableText",
            "Normal",
            lk.table,
            lk.table_size,
            indent=0,
            align=_CENTER,
            # an exact line: digits (Latin face) and Chinese (East-Asian face, taller
            # ascent) then share one baseline across a row's cells
            line=round(lk.table_size * 1.3, 1),
            grid=False,
        )
        self._style(
            "TableHead",
            "TableText",
            lk.heading,
            lk.table_size,
            indent=0,
            align=_CENTER,
            line=None,
            bold=lk.bold,
            grid=False,
        )
        self._style(
            "DraftNote",
            "Normal",
            lk.heading2,
            lk.body_size,
            indent=0,
            align=_CENTER,
            line=None,
            after=12,
            color=RGBColor(0xC0, 0x00, 0x00),
            grid=False,
        )
        lead = self.doc.styles.add_style(self.words("style.lead"), WD_STYLE_TYPE.CHARACTER)
        lead.style_id = "Lead"
        lead.font.bold = lk.bold
        _fonts(lead.element, lk.latin, lk.heading2)
        self._style(
            "Signature",
            "Normal",
            lk.body,
            lk.body_size,
            indent=0,
            align=_RIGHT,
            scale=lk.scale,
        )

    def _defaults(self) -> None:
        """The document's languages, everywhere python-docx wrote its own."""
        val, east_asian = self.look.lang
        for lang in self.doc.styles.element.iter(qn("w:lang")):
            lang.set(qn("w:val"), val)
            lang.set(qn("w:eastAsia"), east_asian)
        settings = self.doc.settings.element
        theme_lang = settings.find(qn("w:themeFontLang"))
        theme_lang.set(qn("w:val"), val)
        theme_lang.set(qn("w:eastAsia"), east_asian)

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
        # the page number's dash 7 mm under the text block: its line starts about 7 mm
        # below, so the footer's foot is the bottom margin less 7 mm and one line
        section.footer_distance = Mm(22) if not landscape else Mm(8)
        section.header_distance = Mm(15) if not landscape else Mm(8)
        if self.look.line:  # the line grid: 22 lines of 28.95 pt (579 twips)
            grid = section._sectPr.find(qn("w:docGrid"))
            grid.set(qn("w:type"), "lines")
            grid.set(qn("w:linePitch"), str(round(self.look.line * 20)))

    def _footers(self, section) -> None:
        """Page numbers on the outer side, one character in: odd pages on the right,
        even pages on the left (GB/T 9704 7.5)."""
        lk = self.look
        one_char = Pt(lk.page_size)
        for footer, align in ((section.footer, _RIGHT), (section.even_page_footer, _LEFT)):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if align == _RIGHT:
                fmt.right_indent = one_char
            else:
                fmt.left_indent = one_char
            before, after = lk.page
            for words in (before, None, after):
                run = paragraph.add_run()
                run.font.size = Pt(lk.page_size)
                _fonts(run._r, lk.latin, lk.page_font or lk.latin)
                if words is not None:
                    run.text = words
                    continue
                for kind in ("begin", "instr", "end"):
                    if kind == "instr":
                        code = OxmlElement("w:instrText")
                        code.set(qn("xml:space"), "preserve")
                        code.text = " PAGE "
                        run._r.append(code)
                    else:
                        fld = OxmlElement("w:fldChar")
                        fld.set(qn("w:fldCharType"), kind)
                        run._r.append(fld)

    def _headers(self, section) -> None:
        for header in (section.header, section.even_page_header):
            paragraph = header.paragraphs[0]
            paragraph.alignment = _RIGHT
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
        paragraph = self.doc.add_paragraph(content)
        if style != "Normal":
            paragraph.style = self._by_id(style)
        return paragraph

    def tag(self, content: str) -> None:
        """A docxtpl paragraph tag ({%p ... %}): the paragraph disappears on render."""
        self.doc.add_paragraph(content, style="Normal")

    def table(
        self,
        head: tuple[str, ...],
        cells: list[str],
        loop: str,
        widths: list[float],
        aligns: str,
        keep_together: bool = False,
    ):
        """A header row and one docxtpl row loop ({%tr for ... %}). ``aligns`` has one
        letter per column: l(eft), c(entre) or r(ight)."""
        table = self.doc.add_table(rows=4, cols=len(head))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        rows = table.rows
        text_style, head_style = self._by_id("TableText"), self._by_id("TableHead")
        for c, label in enumerate(head):
            rows[0].cells[c].paragraphs[0].add_run(label)
        rows[1].cells[0].paragraphs[0].text = "{%tr " + loop + " %}"
        for c, content in enumerate(cells):
            rows[2].cells[c].paragraphs[0].text = content
        rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
        where = {"l": _LEFT, "c": _CENTER, "r": _RIGHT}
        for r, row in enumerate(rows):
            for c, cell in enumerate(row.cells):
                cell.width = Mm(widths[c])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                paragraph = cell.paragraphs[0]
                paragraph.style = head_style if r == 0 else text_style
                if r == 2:
                    paragraph.alignment = where[aligns[c]]
                if keep_together and r < 3:  # Word keeps a table whose rows keep with the next
                    paragraph.paragraph_format.keep_with_next = True
            # a row is never split across pages; the header row repeats on each page
            trpr = row._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                trpr.append(OxmlElement("w:tblHeader"))
        # fixed column widths: Word and LibreOffice both honour the grid, not cell widths
        table.autofit = False
        for col, grid in zip(
            table.columns, table._tbl.tblGrid.findall(qn("w:gridCol")), strict=True
        ):
            grid.set(qn("w:w"), str(int(Mm(widths[col._index]).twips)))
        # cells padded: 0.5 mm above and below, 1.5 mm at the sides
        tblPr = table._tbl.tblPr
        margins = OxmlElement("w:tblCellMar")
        for side, twips in (("top", 28), ("left", 85), ("bottom", 28), ("right", 85)):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), str(twips))
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        tblPr.insert_element_before(
            margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
        )
        return table

    def chart(self, kind: str) -> None:
        """A native chart (its part, its embedded workbook, and the paragraph placing
        it), tagged ``{{ chart: kind }}`` in its title and alt text."""
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from docx.oxml import parse_xml

        self.charts += 1
        n, look = self.charts, self.look
        package = self.doc.part.package
        part = Part(PackURI(f"/word/charts/chart{n}.xml"), CHART_TYPE, b"", package)
        sheet = Part(
            PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx"),
            XLSX_TYPE,
            chart_workbook(kind, self.lang),
            package,
        )
        sheet_rid = part.relate_to(sheet, REL_PACKAGE)
        xml = chart_xml(kind, self.lang, look.latin, look.table, look.heading)
        part._blob = xml.replace(b'r:id="rId1"', f'r:id="{sheet_rid}"'.encode())
        rid = self.doc.part.relate_to(part, REL_CHART)
        paragraph = self.doc.add_paragraph(style="Normal")
        layout = paragraph.paragraph_format
        layout.alignment = _CENTER
        layout.first_line_indent = Mm(0)
        # an exact line height (the body's 28.95 pt) would crop the chart to one line
        layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
        layout.space_before = Pt(6)
        run = paragraph.add_run()
        run._r.append(parse_xml(inline_xml(rid, n, kind, Mm(150).emu, Mm(85).emu)))

    def signature(self, field: str) -> None:
        """The unit's name or the date, right-aligned two characters in; the real
        indents (the date two characters right of the name's start, GB/T 9704 7.3.5.2)
        are set in each report by :mod:`xlsummary.signature_xml`, as numbers."""
        paragraph = self.para(field, "Signature")
        if not self.look.signature_rule:  # flush right, as letters in Latin scripts sign
            return
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        # rightChars is Word's, in hundredths of a character; right (twips) is for
        # LibreOffice, which reads only the twips
        ind.set(qn("w:rightChars"), "200")
        ind.set(qn("w:right"), "640")

    def build(self) -> bytes:
        self.tag("{%p for line in title_lines %}")
        self.para("{{ line }}", "ReportTitle")
        self.tag("{%p endfor %}")
        self.para("")  # GB/T 9704: the body starts after an empty line
        self.tag("{%p if draft %}")
        self.para("{{ draft_note }}", "DraftNote")
        self.tag("{%p endif %}")
        self.tag("{%p for section in sections %}")
        self.para("{{ section.heading }}", "ReportHeading")
        self.tag("{%p for paragraph in section.paragraphs %}")
        body = self.doc.add_paragraph(style="Normal")
        body.add_run("{{ paragraph.lead }}", style=self._by_id("Lead"))
        body.add_run("{{ paragraph.text }}")
        self.tag("{%p endfor %}")
        self.tag("{%p if section.key_figures_here and key_figures %}")
        self.para(self.words("key_caption"), "ReportCaption")
        basis = self.words("basis", basis="{{ f.basis }}")
        self.table(
            self.head("label.figures", _KEY_HEAD),
            [
                "{{ f.name }}{% if f.basis %}" + basis + "{% endif %}",
                "{{ f.unit }}",
                "{{ f.total }}{{ f.mark }}",
                "{{ f.prior }}",
                "{{ f.yoy }}{{ f.mark }}",
            ],
            "for f in key_figures",
            [48, 18, 28, 28, 34],  # the 156 mm line, with room for "+1.6个百分点" under 同比
            "lcrrr",
            keep_together=True,
        )
        self.tag("{%p endif %}")
        # a roll-up (xlsummary consolidate) names its leading units under the table
        self.tag("{%p if section.key_figures_here and leaders %}")
        self.tag("{%p for leader in leaders %}")
        self.para("{{ leader.text }}")
        self.tag("{%p endfor %}")
        self.tag("{%p endif %}")
        # the charts of the indicators the catalogue marks (图表), under the table
        for kind in SHIPPED_CHARTS:
            self.tag(f"{{%p if section.key_figures_here and charts.{kind}.series %}}")
            self.chart(kind)
            self.tag("{%p endif %}")
        self.tag("{%p endfor %}")
        self.para("")
        appendix_title = self.words(
            "monthly_caption", if_year="{% if year %}", year="{{ year }}", end_if="{% endif %}"
        )
        self.para(self.words("appendix_line", title=appendix_title))
        self.para("")
        self.signature("{{ unit }}")
        self.signature("{{ date }}")
        # appendix on landscape pages: twelve months need the width
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page(section, landscape=True)
        self.para(self.words("appendix"), "AppendixMark")
        self.para(appendix_title, "AppendixTitle")
        months = [f"{{{{ f.months[{m}] }}}}" for m in range(12)]
        self.table(
            self.head("templates.docx.monthly_head", _MONTHLY_HEAD),
            [
                "{{ f.name }}{% if f.basis %}" + basis + "{% endif %}",
                "{{ f.unit }}",
                *months,
                "{{ f.total }}{{ f.mark }}",
            ],
            "for f in indicators",
            list(self.look.monthly_widths),
            "lc" + "r" * 13,
        )
        self.tag("{%p if rollup %}")
        self.para(self.words("units_caption"), "ReportCaption")
        columns = range(UNIT_COLUMNS)
        self.table(
            (
                self.words("units_head"),
                *(
                    f"{{{{ unit_columns[{k}].name }}}}{{% if unit_columns[{k}].unit %}}"
                    + self.words("units_measure", measure=f"{{{{ unit_columns[{k}].unit }}}}")
                    + "{% endif %}"
                    for k in columns
                ),
            ),
            ["{{ u.name }}", *(f"{{{{ u.figures[{k}] }}}}" for k in columns)],
            "for u in units",
            [sum(self.look.monthly_widths) - 40 * UNIT_COLUMNS, *([40] * UNIT_COLUMNS)],
            "l" + "r" * UNIT_COLUMNS,
        )
        self.tag("{%p endif %}")
        self.tag("{%p if draft and issues %}")
        self.para(self.words("issues_caption"), "ReportCaption")
        self.table(
            self.head("label.head", _ISSUES_HEAD),
            ["{{ i.severity }}", "{{ i.sheet }}", "{{ i.cell }}", "{{ i.message }}"],
            "for i in issues",
            [16, 24, 26, 190],
            "cccl",
        )
        self.tag("{%p endif %}")
        buffer = io.BytesIO()
        self.doc.core_properties.author = "xlsummary"
        self.doc.core_properties.title = "{{ title }}"
        self.doc.core_properties.language = self.look.lang[0]
        self._font_table()
        self._drop_python_docx_leftovers()
        self.doc.save(buffer)
        return reproducible_zip(buffer.getvalue())

    def _drop_python_docx_leftovers(self) -> None:
        """python-docx's default document carries a thumbnail of an empty page (shown by
        Windows Explorer as the report's preview), a 438 kB stylesWithEffects part that
        Word 2013 and later ignore, a bibliography customXml part, and claims to be made
        by "Microsoft Macintosh Word": none of it belongs in a report."""
        part = self.doc.part
        for rid, rel in list(part.rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
                part.drop_rel(rid)
        package = part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                package.rels.pop(rid)
        app = next(
            rel.target_part
            for rel in package.rels.values()
            if rel.reltype.endswith("/extended-properties")
        )
        app._blob = app.blob.replace(b"Microsoft Macintosh Word", b"xlsummary")

    def _font_table(self) -> None:
        """Replace python-docx's font table (Japanese faces) by the faces used here."""
        part = next(
            rel.target_part
            for rel in self.doc.part.rels.values()
            if rel.reltype.endswith("/fontTable")
        )
        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        fonts = []
        for name, (alt, charset, family, pitch, panose) in _FONT_TABLE.items():
            alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
            fonts.append(
                f'<w:font w:name="{name}">{alt_xml}<w:panose1 w:val="{panose}"/>'
                f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
                f'<w:pitch w:val="{pitch}"/></w:font>'
            )
        xml = (
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<w:fonts xmlns:w="{w}">{"".join(fonts)}</w:fonts>'
        )
        part._blob = xml.encode()


def build_report_template(lang: str = "zh") -> bytes:
    """The .docx bytes of the shipped report template for ``lang``."""
    return _Builder(lang).build()
