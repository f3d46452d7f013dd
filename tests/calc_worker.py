"""A kept-alive LibreOffice Calc that fills workbooks, recalculates them and reads the
results back, one job per line on stdin (run by the Python with LibreOffice's UNO
bindings: Debian's python3 with python3-uno; tests/calc.py starts it).

Recalculating after setting a few cells over UNO costs milliseconds, where a
``soffice --convert-to`` costs a second: so one LibreOffice serves a whole test of
many workbooks and periods. Started like the PDF worker (src/xlsummary/pdf/lo_worker.py):
its own profile, a private pipe, ``{"ready": true}`` once a document has loaded.

A job: ``{"source": path, "cases": [case, ...], "read": [sheet, range]}``, a case
``{"blocks": [[sheet, range, rows], ...], "set": {sheet: {cell: value}}}``. Each
case's blocks and cells are set in that order (None empties a cell; cases add up, as
typing would), the document is recalculated and ``range`` is read; the answer is
``{"ok": true, "results": [rows, ...]}``, rows as ``getDataArray`` gives them
(numbers as floats, text as str, an empty cell as ""). With ``"save": path`` the
document is then stored there as .xlsx.
"""

import contextlib
import json
import subprocess
import sys
import time


def _say(answer: dict) -> None:
    print(json.dumps(answer), flush=True)


def _sheet(doc, name: str):
    sheet = doc.getSheets().getByName(name)
    if sheet.isProtected():  # protected without a password, as generated
        sheet.unprotect("")
    return sheet


def _set(doc, case: dict) -> None:
    for sheet_name, cells, rows in case.get("blocks", ()):
        # one call for a whole block; None is an empty cell
        _sheet(doc, sheet_name).getCellRangeByName(cells).setDataArray(
            tuple(tuple("" if v is None else v for v in row) for row in rows)
        )
    for sheet_name, cells in case.get("set", {}).items():
        sheet = _sheet(doc, sheet_name)
        for address, value in cells.items():
            cell = sheet.getCellRangeByName(address)
            if value is None:
                cell.setFormula("")
            elif isinstance(value, str) and value.startswith("="):
                # Calc keeps no empty text as a value: '=""' stands in for the empty
                # text Excel keeps when ="" is pasted as values
                cell.setFormula(value)
            elif isinstance(value, str):
                cell.setString(value)
            else:
                cell.setValue(float(value))


def main() -> None:
    soffice, profile, pipe = sys.argv[1], sys.argv[2], sys.argv[3]
    import uno
    from com.sun.star.beans import PropertyValue

    office = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(600):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if office.poll() is not None:
                    break
                time.sleep(0.1)
        else:
            context = None
        if office.poll() is not None or context is None:
            _say({"ok": False, "error": "LibreOffice did not start"})
            return
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        hidden = (prop("Hidden", True),)
        blank = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, hidden)
        blank.close(True)
        _say({"ok": True, "ready": True})
        load = (*hidden, prop("MacroExecutionMode", 0), prop("UpdateDocMode", 0))
        for line in sys.stdin:
            job = json.loads(line)
            doc = None
            try:
                doc = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(job["source"]), "_blank", 0, load
                )
                sheet_name, cells = job["read"]
                target = doc.getSheets().getByName(sheet_name).getCellRangeByName(cells)
                results = []
                for case in job["cases"]:
                    _set(doc, case)
                    doc.calculateAll()
                    results.append([list(row) for row in target.getDataArray()])
                if job.get("save"):
                    doc.storeToURL(
                        uno.systemPathToFileUrl(job["save"]),
                        (prop("FilterName", "Calc MS Excel 2007 XML"),),
                    )
                _say({"ok": True, "results": results})
            except Exception as error:
                _say({"ok": False, "error": f"{type(error).__name__}: {error}"})
            finally:
                if doc is not None:
                    with contextlib.suppress(Exception):
                        doc.close(True)
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        office.terminate()
        try:
            office.wait(timeout=10)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main()
