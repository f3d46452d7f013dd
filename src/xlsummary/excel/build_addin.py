"""Build the ribbon add-in ``xlsummary.xlam`` from the one inside the pinned xlwings.

xlwings ships ``quickstart_addin_ribbon.xlam``: a ribbon add-in whose VBA (the
RunPython machinery) is compiled and signed off by xlwings' own maintainers, matching
the installed xlwings version. We copy it and change only XML parts, with zipfile:

- ``customUI/customUI.xml``: a 工作总结 tab with one large 生成报告 button (its words
  are the catalogue's ``excel.ribbon.*``, in the default language);
- the config sheet ``_myaddin.conf`` becomes ``myaddin.conf`` with the one setting
  every unit shares: ``UDF Modules = xlsummary.excel.udfs``. The interpreter is
  machine-specific and goes into the user's config file at install time (an empty
  value on the sheet would shadow it, so the sheet has none).

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
from xml.sax.saxutils import quoteattr

from xlsummary.i18n import DEFAULT, text
from xlsummary.outputs import reproducible_zip

ADDIN_NAME = "xlsummary.xlam"
PROJECT_NAME = "myaddin"  # the template's VBA constant: names the config sheet and file
RIBBON_CALLBACK = "RibbonMyAddin.RunMain"
UDF_MODULES = "xlsummary.excel.udfs"

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


def _config_sheet() -> bytes:
    """The enabled config sheet: one row, UDF Modules, as inline strings."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr codeName="Sheet2"/><dimension ref="A1:B1"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15.75"/>'
        '<cols><col min="1" max="1" width="14.75" customWidth="1"/>'
        '<col min="2" max="2" width="24" customWidth="1"/></cols><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>UDF Modules</t></is></c>'
        f'<c r="B1" t="inlineStr"><is><t>{UDF_MODULES}</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()


def custom_ui(lang: str = DEFAULT) -> str:
    """The ribbon's XML: the tab, its group and button, worded in ``lang``."""
    words = {
        name: quoteattr(text(f"excel.ribbon.{name}", lang))
        for name in ("tab", "group", "button", "screentip", "supertip")
    }
    return CUSTOM_UI.format(callback=RIBBON_CALLBACK, **words)


def build_addin(template: bytes | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(template or template_addin()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "customUI/customUI.xml":
                data = custom_ui().encode("utf-8")
            elif item.filename == "xl/workbook.xml":
                data = data.replace(
                    f'name="_{PROJECT_NAME}.conf"'.encode(), f'name="{PROJECT_NAME}.conf"'.encode()
                )
                # the template remembers where its author saved it: not our business
                data = re.sub(rb"<mc:AlternateContent.*?</mc:AlternateContent>", b"", data)
            elif item.filename == "xl/worksheets/sheet1.xml":
                data = _config_sheet()
            target.writestr(item, data)
    return reproducible_zip(out.getvalue())


def shipped_addin() -> Path:
    return Path(str(resources.files("xlsummary.excel"))) / ADDIN_NAME
