"""Build the ribbon add-in ``xlsummary.xlam`` from the one inside the pinned xlwings.

xlwings ships ``quickstart_addin_ribbon.xlam``: a ribbon add-in whose VBA (the
RunPython machinery) is compiled and signed off by xlwings' own maintainers, matching
the installed xlwings version. We copy it and change only XML parts, with zipfile:

- ``customUI/customUI.xml``: a 工作总结 tab with one large 生成报告 button (its words
  are the catalogue's ``excel.ribbon.*``, in the default language);
- the config sheet ``_myaddin.conf`` becomes ``myaddin.conf`` with the settings
  every unit shares: ``UDF Modules = xlsummary.excel.udfs``, and
  ``ADD_WORKBOOK_TO_PYTHONPATH = False``: with it true, xlwings maps the calling
  workbook's folder into ``sys.path`` before ``main()`` runs, which fails for a
  OneDrive/SharePoint workbook (its URL) and lets a stray ``.py`` beside any workbook
  shadow our modules. ``install`` adds the machine's interpreter to the copy it puts in
  Excel's startup folder (:func:`with_settings`, the same rewrite): the add-in's own
  sheet, so no other add-in built from the same template can change it (they share
  the user settings file ``~/.myaddin/myaddin.conf``);
- a custom document property ``xlsummary.xlwings_version``: the xlwings version whose
  VBA this is (the VBA names ``xlwings64-<version>.dll``), which ``install`` and
  ``status`` compare with the installed xlwings without parsing compiled VBA.

It is never round-tripped through openpyxl (that drops the ribbon and the VBA) and the
binary VBA project is never edited.

How the template works, and why the file is called ``xlsummary.xlam``: its one ribbon
callback, ``RibbonMyAddin.RunMain``, runs ``RunPython "import <file name>;
<file name>.main()"``, so the add-in's file name *is* the Python module that provides
``main()``: ``import xlsummary; xlsummary.main()``. Settings are read from a sheet or
file named after the VBA constant ``PROJECT_NAME``, which is ``myaddin``.
"""

from __future__ import annotations

import io
import re
import zipfile
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from xlsummary.audit import CUSTOM_PART, custom_properties, custom_property_parts
from xlsummary.i18n import DEFAULT, text
from xlsummary.outputs import reproducible_zip

ADDIN_NAME = "xlsummary.xlam"
PROJECT_NAME = "myaddin"  # the template's VBA constant: names the config sheet and file
RIBBON_CALLBACK = "RibbonMyAddin.RunMain"
UDF_MODULES = "xlsummary.excel.udfs"
CONFIG_SHEET_PART = "xl/worksheets/sheet1.xml"
#: the settings on the shipped add-in's sheet (keys as xlwings' VBA reads them)
SHARED_SETTINGS = {"UDF MODULES": UDF_MODULES, "ADD_WORKBOOK_TO_PYTHONPATH": "False"}
VERSION_PROPERTY = "xlsummary.xlwings_version"
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

CUSTOM_UI = """<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">
    <ribbon>
        <tabs>
            <tab id="xlsummaryTab" label={tab}>
                <group id="xlsummaryReport" label={group}>
                    <button id="xlsummaryRender" label={button} size="large"
                        imageMso="FileSaveAsWordDocx" onAction="{callback}"
                        screentip={screentip}
                        supertip={supertip} />
                </group>
            </tab>
        </tabs>
    </ribbon>
</customUI>
"""


def template_addin() -> bytes:
    """The ribbon add-in template of the installed xlwings."""
    return (resources.files("xlwings") / "quickstart_addin_ribbon.xlam").read_bytes()


def config_sheet(settings: dict[str, str]) -> bytes:
    """The config sheet: one row per setting, key in A and value in B, as inline
    strings. xlwings' VBA reads keys from A1 down to the first blank cell."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{escape(key)}</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
        "</row>"
        for r, (key, value) in enumerate(settings.items(), start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{_NS_MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheetPr codeName="Sheet2"/><dimension ref="A1:B{max(len(settings), 1)}"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15.75"/>'
        '<cols><col min="1" max="1" width="30" customWidth="1"/>'
        f'<col min="2" max="2" width="60" customWidth="1"/></cols><sheetData>{rows}'
        "</sheetData></worksheet>"
    ).encode()


def settings_of(addin: bytes) -> dict[str, str]:
    """An add-in's config sheet as xlwings' VBA reads it: keys (upper case) from A1 down
    to the first blank cell, each with the text beside it. Read with calamine, which
    knows every way a sheet stores text (inline, as we write it; shared strings, as
    Excel saves it after the functions are imported)."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(addin))
    rows = book.get_sheet_by_name(f"{PROJECT_NAME}.conf").to_python(skip_empty_area=False)
    out = {}
    for row in rows:
        key = str(row[0]).strip() if row and row[0] is not None else ""
        if not key:
            break
        value = row[1] if len(row) > 1 else ""
        out[key.upper()] = "" if value is None else str(value)
    return out


def xlwings_version_of(addin: bytes) -> str | None:
    """The xlwings version whose VBA an add-in built here carries (None for any other
    file, such as an add-in from before this property)."""
    return properties_of(addin).get(VERSION_PROPERTY)


def with_settings(
    addin: bytes, settings: dict[str, str], properties: dict[str, str] | None = None
) -> bytes:
    """The add-in with its config sheet holding ``settings`` (after the shared ones)
    and the custom ``properties`` added, everything else byte for byte."""
    parts = {CONFIG_SHEET_PART: config_sheet(SHARED_SETTINGS | settings)}
    if properties:
        with zipfile.ZipFile(io.BytesIO(addin)) as package:
            names = set(package.namelist())
            existing = {
                name: package.read(name)
                for name in ("[Content_Types].xml", "_rels/.rels", CUSTOM_PART)
                if name in names
            }
        parts |= custom_property_parts(properties, existing)
    return _rewritten(addin, parts)


def properties_of(addin: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(addin)) as package:
        names = set(package.namelist())
        return custom_properties(package.read(CUSTOM_PART) if CUSTOM_PART in names else b"")


def _rewritten(data: bytes, parts: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, parts.pop(item.filename, None) or source.read(item.filename))
        for name, content in parts.items():  # parts the file did not have
            target.writestr(zipfile.ZipInfo(name, date_time=item.date_time), content)
    return reproducible_zip(out.getvalue())


def custom_ui(lang: str = DEFAULT) -> str:
    """The ribbon's XML: the tab, its group and button, worded in ``lang``."""
    words = {
        name: quoteattr(text(f"excel.ribbon.{name}", lang))
        for name in ("tab", "group", "button", "screentip", "supertip")
    }
    return CUSTOM_UI.format(callback=RIBBON_CALLBACK, **words)


def build_addin(template: bytes | None = None) -> bytes:
    import xlwings

    data = template or template_addin()
    package = zipfile.ZipFile(io.BytesIO(data))
    workbook = package.read("xl/workbook.xml").replace(
        f'name="_{PROJECT_NAME}.conf"'.encode(), f'name="{PROJECT_NAME}.conf"'.encode()
    )
    # the template remembers where its author saved it: not our business
    workbook = re.sub(rb"<mc:AlternateContent.*?</mc:AlternateContent>", b"", workbook)
    existing = {name: package.read(name) for name in ("[Content_Types].xml", "_rels/.rels")}
    parts = {
        "customUI/customUI.xml": custom_ui().encode("utf-8"),
        "xl/workbook.xml": workbook,
        CONFIG_SHEET_PART: config_sheet(SHARED_SETTINGS),
        **custom_property_parts({VERSION_PROPERTY: xlwings.__version__}, existing),
    }
    return _rewritten(data, parts)


def shipped_addin() -> Path:
    return Path(str(resources.files("xlsummary.excel"))) / ADDIN_NAME
