"""A kept-alive LibreOffice converting .docx to .pdf, one job per line on stdin.

Run by the Python that has LibreOffice's UNO bindings (Debian: /usr/bin/python3 with
python3-uno), not necessarily the one running the server, so this file imports only
the standard library and ``uno`` (the server imports it for :func:`pipe_files` and
:func:`harden_profile`, which need nothing else). It starts ``soffice`` with its own
user profile, listening on a private pipe, connects, opens and closes one empty
document (a LibreOffice that just started can answer its first load with nothing),
says ``{"ready": true}``, then answers each line:

- ``{"ping": true}``: ``{"ok": true}`` after a round trip to LibreOffice;
- ``{"source": ..., "target": ...}``: ``{"ok": true}``, or ``{"ok": false, "error": ...,
  "retry": bool}``, ``retry`` when LibreOffice (not the document) failed: it no
  longer answers, or the load returned no document.

The server kills the process group when a job passes its time; on end of input (the
server stopped, or died) it closes LibreOffice and removes LibreOffice's pipes.
"""

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

# Settings of every profile: LibreOffice must not fetch what a document links to
# (a picture at http://… or file:///…: a server-side request forgery, and a way to
# embed the server's files in a PDF), nor run macros.
HARDENING = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def harden_profile(profile: Path) -> None:
    """Write the settings above as the profile's whole registry before every start.
    LibreOffice keeps what it writes there too, but a profile is never trusted to
    still hold them (and starting from them costs no time: measured)."""
    registry = profile / "user" / "registrymodifications.xcu"
    registry.parent.mkdir(parents=True, exist_ok=True)
    registry.write_text(HARDENING, "utf-8")


def pipe_files(profile_url: str, pipe: str = "") -> list[Path]:
    """The socket files LibreOffice leaves in /tmp (its pipe folder is fixed there,
    whatever TMPDIR says): the one it accepts our connection on, and its
    single-instance pipe, named after an MD5 of the profile URL in UTF-16, each byte
    in hex without padding (LibreOffice's desktop/source/app/officeipcthread.cxx)."""
    digest = hashlib.md5(profile_url.encode("utf-16-le")).digest()
    ident = "".join(format(byte, "x") for byte in digest)
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path("/tmp") if os.access("/tmp", os.W_OK) else Path("/var/tmp")
    files = [folder / f"OSL_PIPE_{uid}_SingleOfficeIPC_{ident}"]
    return [*files, folder / f"OSL_PIPE_{uid}_{pipe}"] if pipe else files


def remove_pipes(profile_url: str, pipe: str = "") -> None:
    for path in pipe_files(profile_url, pipe):
        with contextlib.suppress(OSError):
            path.unlink()


def _say(answer: dict) -> None:
    print(json.dumps(answer), flush=True)


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
        while True:  # the server bounds how long this may take
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if office.poll() is not None:
                    _say({"ok": False, "error": "LibreOffice stopped while starting"})
                    return
                time.sleep(0.1)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        hidden = (prop("Hidden", True),)
        blank = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, hidden)
        if blank is None:
            _say({"ok": False, "error": "LibreOffice opened no document"})
            return
        blank.close(True)
        _say({"ok": True, "ready": True})
        # never run a document's macros, never update its links
        load = (
            *hidden,
            prop("ReadOnly", True),
            prop("MacroExecutionMode", 0),
            prop("UpdateDocMode", 0),
        )

        def alive():
            try:
                desktop.getFrames().getCount()
                return True
            except Exception:
                return False

        for line in sys.stdin:
            job = json.loads(line)
            if job.get("ping"):
                _say({"ok": alive()})
                continue
            try:
                doc = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(job["source"]), "_blank", 0, load
                )
            except Exception as error:  # the document, or LibreOffice died: which?
                _say(
                    {"ok": False, "error": f"{type(error).__name__}: {error}", "retry": not alive()}
                )
                continue
            if doc is None:
                _say({"ok": False, "error": "LibreOffice loaded no document", "retry": True})
                continue
            try:
                doc.storeToURL(
                    uno.systemPathToFileUrl(job["target"]),
                    (prop("FilterName", "writer_pdf_Export"),),
                )
                _say({"ok": True})
            except Exception as error:  # a full disk, or LibreOffice died: retried
                _say({"ok": False, "error": f"{type(error).__name__}: {error}", "retry": True})
            finally:
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
        remove_pipes(profile, pipe)


if __name__ == "__main__":
    main()
