"""Native Word charts filled with a report's figures, keeping their author's styling.

A chart in a .docx is a DrawingML part (``word/charts/chartN.xml``) that the body
places (``<c:chart r:id>`` inside a ``<w:drawing>``), with an embedded workbook
(``word/embeddings/*.xlsx``, the chart's ``c:externalData``) that Word's "Edit Data"
opens. Word, WPS and LibreOffice draw the chart from the figures cached in the chart
part itself, so both are rewritten: each series' name, categories and values (its
``c:tx``, ``c:cat`` and ``c:val``) in the chart part, and the workbook those cells
point at. Everything else in the chart (its type, colours, fonts, axes, data labels,
legend, the series' own formatting) is the template author's and stays as it is.

A chart is filled when it carries a tag (:data:`xlsummary.charts.TAG`) in its alt
text (``wp:docPr`` description or title) or in its chart title; the tag is removed
from the report (a title made only of the tag becomes the chart's own title, alt text
made only of the tag becomes that title too, so the report stays accessible).

The rewrite follows python-pptx's ``_CategorySeriesXmlRewriter`` (``chart.replace_data``):
extra series are removed from the end, with any plot left empty; missing ones are
cloned from the last series of the last plot, taking the next ``idx``/``order``. We
do not call python-pptx at run time: importing it costs about 100 ms (measured),
every cold ``xlsummary render`` would pay it, and its rewriter works on its own
PresentationML element classes; what it does for a series is three elements, done
here with lxml in the same way. python-pptx does write the shipped templates' charts
(:mod:`xlsummary.docx_template`, at build time). The embedded workbook is written by
XlsxWriter (well kept, fast, and the library python-pptx itself uses for it), in
python-pptx's layout: categories in column A, one series per column from B, names in
row 1, so the chart's ``Sheet1!$B$2:$B$10`` references are what Excel expects.
"""

from __future__ import annotations

import datetime
import html
import io
import posixpath
import re
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from lxml import etree

from xlsummary import opc
from xlsummary.charts import TAG, ChartSpec, ChartTagProblem, chart_data, parse_spec

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = {"c": C, "a": A}
_PACKAGE_REL = "/package"
#: a drawing placed in a text part (Word writes one per chart or picture)
_DRAWING = re.compile(r"<w:drawing\b[^>]*>.*?</w:drawing>", re.S)
_CHART_URI = "drawingml/2006/chart"
_CHART_REF = re.compile(r"<(?:[\w.-]+:)?chart\b[^>]*?\br:id=\"([^\"]+)\"")
_DOCPR = re.compile(r"<wp:docPr\b[^>]*>")
_ATTR = re.compile(r"\b(descr|title)=\"([^\"]*)\"")
_DOCPR_ID = re.compile(r"(<wp:docPr\b[^>]*?\bid=\")(\d+)(\")")
#: series children that come after ``c:val`` in every category chart's sequence
_AFTER_VAL = {f"{{{C}}}{n}" for n in ("shape", "smooth", "bubble3D", "extLst")}
_NOT_CATEGORY = {f"{{{C}}}{n}" for n in ("scatterChart", "bubbleChart")}
#: a cloned series must not repeat its model's identity (Word 2016's c16:uniqueId)
_UNIQUE_ID_EXT = "{C3380CC4-5D6E-409C-BE32-E72D297353CC}"
_EPOCH = datetime.datetime(2000, 1, 1)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


@dataclass(frozen=True, slots=True)
class ChartSlot:
    """A tagged chart: where it is placed, its part, and what it is to show."""

    part: str  # the text part that places it (word/document.xml)
    chart: str  # word/charts/chart1.xml
    written: str  # the tag's words as the author wrote them ("monthly surgery")
    in_title: bool  # the tag is in the chart's title (else in its alt text)
    marker: str  # stands where the tag was in the alt text ("" when it was in the title)
    workbook: str  # the embedded workbook's part name ("" when the chart has none)


def find_slots(
    texts: Mapping[str, str], contents: Mapping[str, bytes]
) -> tuple[list[ChartSlot], dict[str, str]]:
    """The tagged charts of a template's text parts, and those parts with the tags
    taken out of the alt text (Jinja would read ``{{ chart: x }}`` as a field)."""
    slots: list[ChartSlot] = []
    patched: dict[str, str] = {}
    for part, xml in texts.items():
        if _CHART_URI not in xml:
            continue
        rels = _rels_of(part, contents)
        pieces: list[str] = []
        end = 0
        for drawing in _DRAWING.finditer(xml):
            block = drawing.group(0)
            ref = _CHART_REF.search(block) if _CHART_URI in block else None
            target = rels.get(ref.group(1), "") if ref else ""
            if not target or target not in contents:
                continue
            marker = f"xlsummary-chart-{len(slots)}"
            alt, new_block = _alt_tag(block, marker)
            titled = title_tag(contents[target])
            written = alt if alt is not None else titled
            if written is None:
                continue  # an untagged chart is the author's, left as it is
            in_title = titled is not None
            if alt is None:
                marker = ""
            slots.append(
                ChartSlot(part, target, written, in_title, marker, _workbook_of(target, contents))
            )
            pieces += [xml[end : drawing.start()], new_block]
            end = drawing.end()
        if pieces:
            patched[part] = "".join([*pieces, xml[end:]])
    return slots, patched


def has_pictures(xml: str) -> bool:
    """A drawing that is not a chart (a picture: docxtpl renumbers its ids)."""
    return "<w:drawing" in xml and any(
        _CHART_URI not in drawing.group(0) for drawing in _DRAWING.finditer(xml)
    )


def _alt_tag(block: str, marker: str) -> tuple[str | None, str]:
    """The tag in a drawing's alt text, and the drawing with the marker instead."""
    docpr = _DOCPR.search(block)
    if docpr is None:
        return None, block
    for attr in _ATTR.finditer(docpr.group(0)):
        value = html.unescape(attr.group(2))
        found = TAG.search(value)
        if found:
            rest = (value[: found.start()] + value[found.end() :]).strip()
            # alt text made only of the tag becomes the chart's title in the report
            new_value = html.escape(rest, quote=True) if rest else marker
            new_docpr = docpr.group(0)[: attr.start(2)] + new_value + docpr.group(0)[attr.end(2) :]
            return found.group(1), block[: docpr.start()] + new_docpr + block[docpr.end() :]
    return None, block


def title_tag(chart_xml: bytes) -> str | None:
    """The tag typed in a chart's title (its runs joined: Word may split a title)."""
    if b"chart" not in chart_xml:
        return None
    try:
        root = etree.fromstring(chart_xml, _PARSER)
    except etree.XMLSyntaxError:
        return None
    found = TAG.search(_title_text(root))
    return found.group(1) if found else None


def _title_runs(root: etree._Element) -> list[etree._Element]:
    return root.findall("c:chart/c:title/c:tx/c:rich//a:t", _NS)


def _title_text(root: etree._Element) -> str:
    return "".join(t.text or "" for t in _title_runs(root))


def _rels_of(part: str, contents: Mapping[str, bytes]) -> dict[str, str]:
    folder, name = posixpath.split(part)
    rels = contents.get(posixpath.join(folder, "_rels", name + ".rels"), b"")
    return {
        rel.get("Id", ""): opc.resolve(folder, rel.get("Target", ""))
        for rel in (opc.relationships(rels) if rels else [])
        if not opc.is_external(rel)
    }


def _workbook_of(chart: str, contents: Mapping[str, bytes]) -> str:
    """The embedded workbook a chart's ``c:externalData`` names ("" if none)."""
    folder, name = posixpath.split(chart)
    rels = contents.get(posixpath.join(folder, "_rels", name + ".rels"), b"")
    found = re.search(rb"<(?:\w+:)?externalData\b[^>]*?\br:id=\"([^\"]+)\"", contents[chart])
    if not rels or found is None:
        return ""
    wanted = found.group(1).decode()
    for rel in opc.relationships(rels):
        if rel.get("Id") == wanted and rel.get("Type", "").endswith(_PACKAGE_REL):
            target = opc.resolve(folder, rel.get("Target", ""))
            return target if target in contents else ""
    return ""


def slot_data(slot: ChartSlot, context: Mapping[str, Any]) -> dict[str, Any]:
    """What a slot shows: the context's own chart for a plain ``monthly``/``yoy``."""
    spec: ChartSpec = parse_spec(slot.written)
    if not spec.codes and spec.kind in context.get("charts", {}):
        return context["charts"][spec.kind]
    return chart_data(spec, context)


def fill_slots(
    slots: list[ChartSlot], context: Mapping[str, Any], contents: Mapping[str, bytes]
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The rewritten chart parts and workbooks, and each alt-text marker's text."""
    parts: dict[str, bytes] = {}
    markers: dict[str, str] = {}
    for slot in slots:
        data = slot_data(slot, context)
        parts[slot.chart] = fill_chart(contents[slot.chart], data, slot)
        if slot.workbook:
            parts[slot.workbook] = embedded_workbook(data)
        if slot.marker:
            markers[slot.marker] = html.escape(data["title"], quote=True)
    return parts, markers


def put_markers(xml: str, markers: Mapping[str, str]) -> str:
    for marker, value in markers.items():
        xml = xml.replace(marker, value)
    return xml


def renumber_drawings(xml: str) -> str:
    """Unique ``wp:docPr`` ids, as docxtpl gives them: a chart repeated by a loop
    would otherwise repeat its id, which Word reports as a damaged document."""
    ids = _DOCPR_ID.findall(xml)
    if len({i[1] for i in ids}) == len(ids):
        return xml
    counter = iter(range(1, len(ids) + 1))
    return _DOCPR_ID.sub(lambda m: f"{m.group(1)}{next(counter)}{m.group(3)}", xml)


def fill_chart(chart_xml: bytes, data: Mapping[str, Any], slot: ChartSlot) -> bytes:
    """The chart part with the data's series, categories and title."""
    try:
        root = etree.fromstring(chart_xml, _PARSER)
    except etree.XMLSyntaxError as error:
        raise ChartTagProblem(
            "damaged", tag=slot.written, part=slot.chart, reason=str(error)
        ) from None
    plot_area = root.find("c:chart/c:plotArea", _NS)
    if plot_area is None:
        raise ChartTagProblem("damaged", tag=slot.written, part=slot.chart, reason="c:plotArea")
    if any(child.tag in _NOT_CATEGORY for child in plot_area):
        raise ChartTagProblem("not_category", tag=slot.written)
    series = list(data["series"]) or [{"name": "", "values": [], "format": "General"}]
    categories = list(data["categories"])
    sers = _adjust_series(plot_area, len(series))
    for column, (ser, one) in enumerate(zip(sers, series, strict=True), start=1):
        _rewrite_series(ser, one, categories, column)
    if slot.in_title:
        _retitle(root, data["title"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _all_series(plot_area: etree._Element) -> list[etree._Element]:
    return [ser for chart in plot_area for ser in chart.findall("c:ser", _NS)]


def _adjust_series(plot_area: etree._Element, wanted: int) -> list[etree._Element]:
    sers = _all_series(plot_area)
    if not sers:
        raise ChartTagProblem("damaged", tag="", part="", reason="c:ser")
    for ser in sers[wanted:]:
        parent = ser.getparent()
        parent.remove(ser)
        if parent.find("c:ser", _NS) is None:
            plot_area.remove(parent)
    last = sers[min(wanted, len(sers)) - 1]
    next_idx = 1 + max(int(s.find("c:idx", _NS).get("val", "0")) for s in _all_series(plot_area))
    for _ in range(wanted - len(sers)):
        clone = deepcopy(last)
        clone.find("c:idx", _NS).set("val", str(next_idx))
        clone.find("c:order", _NS).set("val", str(next_idx))
        for ext in clone.findall("c:extLst/c:ext", _NS):
            if ext.get("uri") == _UNIQUE_ID_EXT:
                ext.getparent().remove(ext)
        last.addnext(clone)
        last, next_idx = clone, next_idx + 1
    return _all_series(plot_area)


def _rewrite_series(
    ser: etree._Element, one: Mapping[str, Any], categories: list[str], column: int
) -> None:
    letter = _column_letter(column)
    n = len(categories)
    last_row = n + 1
    tx = _element(
        "tx",
        _str_ref(f"Sheet1!${letter}$1", [one["name"]]),
    )
    cat = _element("cat", _str_ref(f"Sheet1!$A$2:$A${last_row}", categories))
    val = _element(
        "val", _num_ref(f"Sheet1!${letter}$2:${letter}${last_row}", one["values"], one["format"], n)
    )
    old = {child.tag: child for child in ser}
    _replace(ser, old.get(f"{{{C}}}tx"), tx, after=ser.find("c:order", _NS))
    for name in ("xVal", "yVal"):
        if f"{{{C}}}{name}" in old:
            ser.remove(old[f"{{{C}}}{name}"])
    old_cat = old.get(f"{{{C}}}cat")
    old_val = old.get(f"{{{C}}}val")
    if old_cat is not None:
        old_cat.addprevious(cat)
        ser.remove(old_cat)
    else:
        _insert_before_tail(ser, cat)
    if old_val is not None:
        old_val.addprevious(val)
        ser.remove(old_val)
    else:
        cat.addnext(val)


def _replace(
    ser: etree._Element, old: etree._Element | None, new: etree._Element, after: etree._Element
) -> None:
    if old is not None:
        old.addprevious(new)
        ser.remove(old)
    elif after is not None:
        after.addnext(new)
    else:
        ser.insert(0, new)


def _insert_before_tail(ser: etree._Element, element: etree._Element) -> None:
    for child in ser:
        if child.tag in _AFTER_VAL:
            child.addprevious(element)
            return
    ser.append(element)


def _element(name: str, *children: etree._Element) -> etree._Element:
    element = etree.Element(f"{{{C}}}{name}", nsmap={"c": C})
    element.extend(children)
    return element


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str):
    child = etree.SubElement(parent, f"{{{C}}}{name}", attrs)
    if text is not None:
        child.text = text
    return child


def _str_ref(formula: str, labels: list[str]) -> etree._Element:
    ref = etree.Element(f"{{{C}}}strRef", nsmap={"c": C})
    _sub(ref, "f", formula)
    cache = _sub(ref, "strCache")
    _sub(cache, "ptCount", val=str(len(labels)))
    for i, label in enumerate(labels):
        _sub(_sub(cache, "pt", idx=str(i)), "v", label)
    return ref


def _num_ref(formula: str, values: list, number_format: str, n: int) -> etree._Element:
    ref = etree.Element(f"{{{C}}}numRef", nsmap={"c": C})
    _sub(ref, "f", formula)
    cache = _sub(ref, "numCache")
    _sub(cache, "formatCode", number_format)
    _sub(cache, "ptCount", val=str(n))
    for i, value in enumerate(values):
        if value is not None:  # no figure: a gap, as an empty cell is in Excel
            _sub(_sub(cache, "pt", idx=str(i)), "v", _number(value))
    return ref


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _retitle(root: etree._Element, title: str) -> None:
    """The chart title's text without its tag; the chart's own title if nothing is left."""
    runs = _title_runs(root)
    if not runs:
        return
    text = _title_text(root)
    found = TAG.search(text)
    rest = (text[: found.start()] + text[found.end() :]).strip() if found else text
    runs[0].text = rest or title
    for run in runs[1:]:
        run.text = ""


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def embedded_workbook(data: Mapping[str, Any]) -> bytes:
    """The workbook behind the chart, laid out as its references say."""
    import xlsxwriter  # only reports with charts pay for importing it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"created": _EPOCH})  # the same figures give the same bytes
    sheet = book.add_worksheet("Sheet1")
    series = data["series"]
    sheet.set_column(0, 0, min(40, max([8, *(len(c) * 2 for c in data["categories"])])))
    for column, one in enumerate(series, start=1):
        number = book.add_format({"num_format": one["format"]})
        sheet.write_string(0, column, one["name"])
        sheet.set_column(column, column, 12)
        for row, value in enumerate(one["values"], start=1):
            if value is not None:
                sheet.write_number(row, column, value, number)
    for row, label in enumerate(data["categories"], start=1):
        sheet.write_string(row, 0, label)
    book.close()
    return out.getvalue()
