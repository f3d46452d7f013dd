"""A kept-alive LibreOffice converting .docx to .pdf, one job per line on stdin.

Run by the Python that has LibreOffice's UNO bindings (Debian: /usr/bin/python3 with
python3-uno), not necessarily the one running the server, so this file imports only
the standard library and ``uno``. It starts ``soffice`` with its own user profile,
listening on a private pipe, connects, then answers each request line
``{"source": ..., "target": ...}`` with ``{"ok": true}`` or ``{"ok": false, "error": ...}``.
The server kills and restarts it when a job hangs or it dies.
"""

import contextlib
import json
import subprocess
import sys
import time
import uuid


def main() -> None:
    soffice, profile = sys.argv[1], sys.argv[2]
    import uno
    from com.sun.star.beans import PropertyValue

    pipe = f"xlsummary-{uuid.uuid4().hex}"
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
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.monotonic() > deadline or office.poll() is not None:
                print(json.dumps({"ok": False, "error": "LibreOffice did not start"}), flush=True)
                return
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    print(json.dumps({"ok": True, "ready": True}), flush=True)
    try:
        for line in sys.stdin:
            job = json.loads(line)
            try:
                doc = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(job["source"]),
                    "_blank",
                    0,
                    (prop("Hidden", True), prop("ReadOnly", True)),
                )
                try:
                    doc.storeToURL(
                        uno.systemPathToFileUrl(job["target"]),
                        (prop("FilterName", "writer_pdf_Export"),),
                    )
                finally:
                    doc.close(True)
                print(json.dumps({"ok": True}), flush=True)
            except Exception as error:  # one bad document must not end the worker
                print(json.dumps({"ok": False, "error": str(error)}), flush=True)
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        office.terminate()
        try:
            office.wait(timeout=10)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
