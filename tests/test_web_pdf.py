"""PDF through the real LibreOffice, over loopback, with LibreOffice killed while idle
and while converting, stopped (SIGSTOP), started on a broken profile, or not
starting at all: every request gets its PDF or a deliberate 503 with Retry-After,
the next PDF works, and nothing is left in the temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import soffice
from tests.servers import Server
from xlsummary.pdf import PdfConverter, uno_python
from xlsummary.web import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def needs_libreoffice() -> None:
    soffice()
    if uno_python() is None:
        pytest.fail("LibreOffice's UNO bindings are required: scripts/test.sh installs python3-uno")


@pytest.fixture
def workbook(make_workbook) -> bytes:
    return make_workbook(example=True).read_bytes()


def leftovers() -> set[str]:
    """What LibreOffice and the converter may leave in the temporary folders."""
    folders = {Path(tempfile.gettempdir()), Path("/tmp")}
    return {
        str(p)
        for folder in folders
        for pattern in ("lu*.tmp", "OSL_PIPE_*", "xlsummary-lo-*")
        for p in folder.glob(pattern)
    }


def pdf(http: httpx.Client, workbook: bytes) -> httpx.Response:
    return http.post(
        "/api/render", files={"file": ("统计表.xlsx", workbook)}, data={"format": "pdf"}
    )


def converter(http: httpx.Client) -> dict:
    (state,) = http.get("/api/health").json()["converters"]
    return state


def wait_until(check, timeout: float = 60, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not reached in time")


def office_pids(http: httpx.Client) -> list[int]:
    """soffice.bin of the one converter (the worker's process group)."""
    group = wait_until(lambda: converter(http)["pid"])
    found = subprocess.run(
        ["pgrep", "-g", str(group), "soffice.bin"], capture_output=True, text=True
    )
    return [int(p) for p in found.stdout.split()]


def signal_office(http: httpx.Client, sig: int) -> None:
    pids = wait_until(lambda: office_pids(http))
    for pid in pids:
        os.kill(pid, sig)


def assert_pdf(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"%PDF")


def test_a_user_never_sees_the_converter_fail(workbook):
    before = leftovers()
    settings = Settings(conversions=1, request_timeout=10, pdf_watch_interval=1)
    server = Server(settings)
    with server as http:
        wait_until(lambda: converter(http)["state"] == "idle")  # started with the server
        assert_pdf(pdf(http, workbook))

        # killed while idle: the watchdog finds it, or the job's ping does
        signal_office(http, signal.SIGKILL)
        assert_pdf(pdf(http, workbook))

        # stopped while idle: it answers no ping, and is replaced
        signal_office(http, signal.SIGSTOP)
        assert_pdf(pdf(http, workbook))

        # killed while converting: the job runs again on a new LibreOffice (stopped
        # first, and seen busy while stopped, so the kill surely lands mid-conversion)
        results: list[httpx.Response] = []
        busy = threading.Thread(target=lambda: results.append(pdf(http, workbook)))
        busy.start()
        wait_until(lambda: converter(http)["state"] == "busy", step=0.01)
        signal_office(http, signal.SIGSTOP)
        assert converter(http)["state"] == "busy"
        signal_office(http, signal.SIGKILL)
        busy.join(timeout=120)
        assert_pdf(results[0])

        # stopped while converting: past its time, a deliberate 503, then PDFs again
        results.clear()
        busy = threading.Thread(target=lambda: results.append(pdf(http, workbook)))
        busy.start()
        wait_until(lambda: converter(http)["state"] == "busy", step=0.01)
        signal_office(http, signal.SIGSTOP)
        busy.join(timeout=120)
        (stopped,) = results
        assert stopped.status_code == 503, stopped.text
        assert stopped.json()["error"]["code"] == "pdf_failed"
        assert int(stopped.headers["retry-after"]) > 0
        assert_pdf(pdf(http, workbook))

        health = http.get("/api/health")
        assert health.status_code == 200 and health.json()["pdf"] is True
        state = converter(http)
        assert state["conversions"] == 5 and state["restarts"] >= 4
        root = server.app.state.pdf.root
    assert not root.exists()
    assert leftovers() <= before, leftovers() - before


def test_a_broken_profile_is_replaced(workbook):
    """A profile LibreOffice itself cannot start with (its configuration and
    extension folders are files) fails, is thrown away, and the request still gets
    its PDF from a fresh one."""
    server = Server(Settings(conversions=1, pdf_autostart=False))
    with server as http:
        pool: PdfConverter = server.app.state.pdf
        pool._queue()
        (slot,) = pool._slots
        (slot.profile / "user").mkdir(parents=True)
        for name in ("config", "extensions"):
            (slot.profile / "user" / name).write_text("not a folder")
        broken = slot.profile
        assert_pdf(pdf(http, workbook))
        assert slot.profile != broken and not broken.exists()
        assert_pdf(pdf(http, workbook))


def test_no_converter_can_start(workbook):
    """LibreOffice that cannot start at all: health says so with 503, PDF requests
    get a deliberate 503 with Retry-After, DOCX and checks keep working."""
    server = Server(Settings(conversions=1, pdf_watch_interval=1))
    server.app.state.pdf.binary = "/bin/false"  # an installation that exits at once
    with server as http:
        health = wait_until(lambda: (h := http.get("/api/health")).status_code == 503 and h)
        body = health.json()
        assert body["pdf"] is False and body["converters"][0]["state"] == "failed"
        assert health.headers["retry-after"]
        refused = pdf(http, workbook)
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "pdf_failed"
        assert refused.headers["retry-after"]
        docx = http.post("/api/render", files={"file": ("x.xlsx", workbook)})
        assert docx.status_code == 200


def test_a_failed_converter_is_not_handed_out(workbook):
    """One converter that cannot start beside one that can: while the first backs
    off, every request goes to the second."""
    server = Server(Settings(conversions=2, pdf_autostart=False, pdf_watch_interval=1))
    with server as http:
        pool: PdfConverter = server.app.state.pdf
        pool._queue()
        pool._slots[0].soffice = "/bin/false"  # this one's LibreOffice exits at once
        codes = [pdf(http, workbook).status_code for _ in range(8)]
        assert codes.count(200) >= 7, codes  # the first may meet the broken one
        assert codes[1:] == [200] * 7, codes
        body = http.get("/api/health").json()
        assert body["pdf"] is True
        assert sorted(c["state"] for c in body["converters"]) == ["failed", "idle"]


def test_the_queue_is_bounded(workbook):
    """One converter, one place in the queue: the others are told when to come back."""
    settings = Settings(conversions=1, queue_size=1, queue_timeout=30)
    with Server(settings) as http:
        wait_until(lambda: converter(http)["state"] == "idle")
        results: list[httpx.Response] = []
        threads = [
            threading.Thread(target=lambda: results.append(pdf(http, workbook))) for _ in range(6)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        codes = sorted(r.status_code for r in results)
        assert len(results) == 6 and 200 in codes and 503 in codes, codes
        for refused in (r for r in results if r.status_code == 503):
            assert refused.json()["error"]["code"] == "pdf_busy"
            assert int(refused.headers["retry-after"]) >= 1
        assert_pdf(pdf(http, workbook))


def test_folders_of_a_killed_server_are_removed():
    """A server killed with SIGKILL cannot clean up; the next one removes its folder
    and LibreOffice's pipes."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = Path(tempfile.gettempdir()) / f"xlsummary-lo-{dead.pid}-test"
    (stale / "profile-0-0" / "user").mkdir(parents=True)
    (stale / "tmp-0" / "lu123.tmp").parent.mkdir()
    (stale / "tmp-0" / "lu123.tmp").write_text("")
    pipe = Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{stale.name}-0-1"
    pipe.write_text("")
    live = PdfConverter()
    try:
        assert not stale.exists() and not pipe.exists()
        assert live.root.exists()
    finally:
        live.close()
    assert not live.root.exists()
