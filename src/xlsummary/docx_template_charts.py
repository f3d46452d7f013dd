"""The shipped templates' two charts, written at build time with python-pptx.

python-pptx's ``ChartXmlWriter`` writes a complete, valid DrawingML chart part (axes,
plot, series with their cell references) for any chart type; a chart part is the same
in a Word document as in a presentation, so we take its XML and give it a report's
look: a title (holding the chart's tag, replaced by the real title in each report), a
legend under the plot, the template's faces at 五号 (10.5 pt) instead of python-pptx's
18 pt, and values on the columns. Only the builder imports python-pptx (a test
dependency): a report fills these charts with :mod:`xlsummary.docx_charts`.

The figures stored in the template are placeholders (指标一, 指标二…), as the
template's fields are: every report replaces them.
"""

from __future__ import annotations

from lxml import etree

from xlsummary.docx_charts import A, C, embedded_workbook
from xlsummary.i18n import text

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REL_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
REL_PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
#: the shipped charts: tag -> python-pptx chart type name
SHIPPED_CHARTS = {"yoy": "COLUMN_CLUSTERED", "monthly": "LINE_MARKERS"}


def placeholder_data(kind: str, lang: str) -> dict:
    """Figures that look like a chart and are obviously not a report's."""
    names = [text("templates.docx.chart_sample", lang, n=k) for k in (1, 2, 3)]
    if kind == "yoy":
        return {
            "title": f"{{{{ chart: {kind} }}}}",
            "categories": names,
            "series": [
                {"name": text(f"report.chart.{w}", lang), "values": v, "format": "#,##0"}
                for w, v in (("total", [30, 20, 40]), ("prior", [25, 22, 30]))
            ],
        }
    months = [text(f"report.month.{m}", lang) for m in range(1, 7)]
    return {
        "title": f"{{{{ chart: {kind} }}}}",
        "categories": months,
        "series": [
            {"name": name, "values": [k * 10 + m for m in range(6)], "format": "#,##0"}
            for k, name in enumerate(names[:2], start=1)
        ],
    }


def chart_xml(kind: str, lang: str, latin: str, east_asian: str, title_face: str) -> bytes:
    """The chart part of a shipped chart, with an ``r:id`` of ``rId1`` for its workbook."""
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE

    data = placeholder_data(kind, lang)
    chart_data = CategoryChartData(number_format="#,##0")
    chart_data.categories = data["categories"]
    for one in data["series"]:
        chart_data.add_series(one["name"], one["values"])
    xml = ChartXmlWriter(getattr(XL_CHART_TYPE, SHIPPED_CHARTS[kind]), chart_data).xml
    root = etree.fromstring(xml.encode("utf-8"))
    ns = {"c": C, "a": A}
    chart = root.find("c:chart", ns)
    deleted = chart.find("c:autoTitleDeleted", ns)
    deleted.set("val", "0")
    deleted.addprevious(_title(data["title"], lang, latin, title_face))
    for old in chart.findall("c:legend", ns):  # python-pptx's line chart has one, right
        chart.remove(old)
    legend = etree.fromstring(
        f'<c:legend xmlns:c="{C}"><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
    )
    chart.find("c:plotArea", ns).addnext(legend)
    if chart.find("c:plotVisOnly", ns) is None:
        legend.addnext(etree.fromstring(f'<c:plotVisOnly xmlns:c="{C}" val="1"/>'))
    if kind == "yoy":  # each column's figure above it
        bars = chart.find("c:plotArea/c:barChart", ns)
        labels = etree.fromstring(
            f'<c:dLbls xmlns:c="{C}"><c:showLegendKey val="0"/><c:showVal val="1"/>'
            '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
            '<c:showBubbleSize val="0"/></c:dLbls>'
        )
        bars.findall("c:ser", ns)[-1].addnext(labels)
    for old in root.findall("c:txPr", ns):
        root.remove(old)
    root.append(_text_properties(lang, latin, east_asian, 1050))
    root.append(
        etree.fromstring(
            f'<c:externalData xmlns:c="{C}" xmlns:r="{R}" r:id="rId1">'
            '<c:autoUpdate val="0"/></c:externalData>'
        )
    )
    _order(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def workbook(kind: str, lang: str) -> bytes:
    return embedded_workbook(placeholder_data(kind, lang))


def _order(root: etree._Element) -> None:
    """chartSpace's children in the schema's order (txPr, then externalData)."""
    order = ["date1904", "lang", "roundedCorners", "AlternateContent", "style", "clrMapOvr"]
    order += ["pivotSource", "protection", "chart", "spPr", "txPr", "externalData"]
    order += ["printSettings", "userShapes", "extLst"]
    children = sorted(root, key=lambda e: order.index(etree.QName(e).localname))
    for child in children:
        root.append(child)


def _fonts(latin: str, east_asian: str) -> str:
    return f'<a:latin typeface="{latin}"/><a:ea typeface="{east_asian}"/>'


def _text_properties(lang: str, latin: str, east_asian: str, size: int) -> etree._Element:
    return etree.fromstring(
        f'<c:txPr xmlns:c="{C}" xmlns:a="{A}"><a:bodyPr/><a:lstStyle/><a:p><a:pPr>'
        f'<a:defRPr sz="{size}">{_fonts(latin, east_asian)}</a:defRPr></a:pPr>'
        f'<a:endParaRPr lang="{_lang(lang)}"/></a:p></c:txPr>'
    )


def _title(words: str, lang: str, latin: str, face: str) -> etree._Element:
    return etree.fromstring(
        f'<c:title xmlns:c="{C}" xmlns:a="{A}"><c:tx><c:rich><a:bodyPr/><a:lstStyle/>'
        f'<a:p><a:pPr><a:defRPr sz="1200" b="0">{_fonts(latin, face)}</a:defRPr></a:pPr>'
        f'<a:r><a:rPr lang="{_lang(lang)}" sz="1200" b="0">{_fonts(latin, face)}</a:rPr>'
        f"<a:t>{words}</a:t></a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title>'
    )


def _lang(lang: str) -> str:
    return text("templates.docx.chart_lang", lang)


def inline_xml(rid: str, docpr_id: int, tag: str, width_emu: int, height_emu: int) -> str:
    """The ``w:drawing`` that places a chart in a run, tagged in its alt text."""
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    return (
        f'<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:wp="{wp}" xmlns:a="{A}" xmlns:c="{C}" xmlns:r="{R}">'
        '<wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{docpr_id}" name="Chart {docpr_id}" descr="{{{{ chart: {tag} }}}}"/>'
        "<wp:cNvGraphicFramePr/>"
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing>'
    )
