"""The server as an attacker meets it, over loopback with raw sockets where a client
library would be too polite: bodies counted as they arrive (chunked too), headers and
bodies that trickle in, templates that loop, a SIGTERM while they run, and every
error, whoever raises it, in the one shape with the security headers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.hostile_files import docx_with
from tests.servers import Server, free_port
from xlsummary.limits import Limits
from xlsummary.report import default_template
from xlsummary.web import Settings

LOOPING = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


@pytest.fixture(scope="module")
def server():
    settings = Settings(
        max_upload=1024 * 1024,
        max_template=1024 * 1024,
        header_timeout=1.0,
        body_timeout=2.0,
        pdf_autostart=False,
    )
    with Server(settings) as http:
        yield http


def connect(http: httpx.Client) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", http.base_url.port), timeout=10)
    return sock


def read_all(sock: socket.socket, timeout: float = 10) -> bytes:
    sock.settimeout(timeout)
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


def test_a_chunked_upload_is_counted_as_it_arrives(server):
    """No Content-Length to refuse: the server stops reading at the limit, answers
    413 and closes, long before the client has sent its 200 MB."""
    sock = connect(server)
    sock.sendall(
        b"POST /api/check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: multipart/form-data; boundary=B\r\n\r\n"
    )
    preamble = b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
    sock.sendall(b"%x\r\n%s\r\n" % (len(preamble), preamble))  # a real upload's start
    chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
    sent = 0
    sock.settimeout(5)
    try:
        while sent < 200 * 1024 * 1024:
            sock.sendall(chunk)
            sent += 65536
    except (BrokenPipeError, ConnectionResetError, TimeoutError):
        pass
    answer = read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"code":"too_large"' in answer.replace(b" ", b"")
    # what the server took in is bounded by what the client got through before the
    # close: the limit (about 2 MB) plus the kernel's socket buffers
    assert sent < 40 * 1024 * 1024, sent


def test_a_declared_oversized_body_is_refused_unread(server):
    sock = connect(server)
    sock.sendall(
        b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: 209715200\r\n"
        b"Content-Type: multipart/form-data; boundary=B\r\n\r\n"
    )
    answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 413") and b"connection: close" in answer.lower()


def test_slow_headers_and_slow_bodies_are_cut_off(server):
    """A byte every quarter second: headers past 1 s and bodies past 2 s get 408 and
    the connection closed, while other requests are answered."""
    slow_headers = connect(server)
    slow_body = connect(server)
    slow_body.sendall(
        b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
        b"Content-Type: multipart/form-data; boundary=B\r\n\r\n"
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
    )
    start = time.monotonic()
    closed: dict[str, float] = {}
    request = b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 100
    for k in range(40):  # 10 s at most
        for name, sock, data in (
            ("headers", slow_headers, request[k : k + 1]),
            ("body", slow_body, b"x"),
        ):
            if name in closed:
                continue
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                closed[name] = time.monotonic() - start
        if len(closed) == 2:
            break
        assert server.get("/api/health").status_code == 200
        time.sleep(0.25)
    answers = {"headers": read_all(slow_headers, 2), "body": read_all(slow_body, 2)}
    for name, answer in answers.items():
        assert answer.startswith(b"HTTP/1.1 408"), (name, answer[:200])
        assert b'"timeout"' in answer
    assert set(closed) == {"headers", "body"}, closed  # both closed by the server
    assert closed["headers"] < 5 and closed["body"] < 6, closed


@pytest.mark.parametrize(
    "first",
    [
        b"GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx",
        b"GET /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n",
    ],
    ids=["a body nobody reads", "a chunked body nobody reads", "a body for a 404"],
)
def test_a_body_the_app_does_not_read_ends_the_connection(server, first):
    """Answered before its body was read, a request must not leave its connection open
    to a body that never ends, or to a next request trickling in past the header
    limit (uvicorn reads and drops unread bodies, and every byte restarts its
    keep-alive timer)."""
    sock = connect(server)
    sock.sendall(first)
    start = time.monotonic()
    sent, closed = 0, False
    while time.monotonic() - start < 8 and not closed:
        try:
            sock.sendall(b"1000\r\n" + b"x" * 4096 + b"\r\n" if b"chunked" in first else b"G")
            sent += 4096
        except (BrokenPipeError, ConnectionResetError):
            closed = True
        time.sleep(0.05)
    sock.close()
    assert closed and time.monotonic() - start < 5
    assert sent < 10 * 1024 * 1024


def test_many_slow_connections_are_all_closed(server):
    """300 connections that never finish their headers: all closed by the header
    limit, and a check is answered meanwhile."""
    socks = [connect(server) for _ in range(300)]
    for sock in socks:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    assert server.get("/api/health").status_code == 200
    time.sleep(2.5)
    still_open = 0
    for sock in socks:
        sock.settimeout(2)
        try:
            sock.sendall(b"X: y\r\n")
            if sock.recv(1) == b"":
                continue
            if not read_all(sock, 2).endswith(b"}"):
                still_open += 1
        except (BrokenPipeError, ConnectionResetError):
            continue
        except TimeoutError:
            still_open += 1
        finally:
            sock.close()
    assert still_open == 0


def error_shape(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "message_en"} <= set(body["error"])
    return body["error"]["code"]


def test_every_error_has_the_one_shape_and_the_headers(server, make_workbook):
    workbook = make_workbook(example=True).read_bytes()
    assert error_shape(server.get("/nowhere")) == "not_found"
    assert error_shape(server.delete("/api/check")) == "method_not_allowed"
    broken = server.post(
        "/api/check",
        content=b"--B\r\nbroken",
        headers={"content-type": "multipart/form-data; boundary=B"},
    )
    assert broken.status_code == 400 and error_shape(broken) == "bad_request"
    year = server.get("/api/workbooks/hospital?year=abc")
    assert year.status_code == 400 and "year" in year.json()["error"]["message"]
    assert "xlsx" not in year.json()["error"]["message"]
    far = server.get("/api/workbooks/hospital?year=3000")
    assert "2100" in far.json()["error"]["message"]
    # a template sent as a form field, not a file, in bytes that are not UTF-8
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
        + workbook
        + b'\r\n--B\r\nContent-Disposition: form-data; name="template"\r\n\r\n\xff\xfe\x00x'
        + b"\r\n--B--\r\n"
    )
    odd = server.post(
        "/api/render", content=body, headers={"content-type": "multipart/form-data; boundary=B"}
    )
    assert odd.status_code == 400, odd.text
    error_shape(odd)
    for response in (server.get("/"), server.get("/api/health"), server.get("/nowhere")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page = server.get("/").headers["content-security-policy"]
    assert "script-src 'sha256-" in page and "unsafe" not in page and "http" not in page
    # interactive docs would load Swagger UI from a CDN: off; the description stays
    assert server.get("/docs").status_code == 404
    assert server.get("/openapi.json").json()["info"]["title"] == "xlsummary"


@pytest.mark.slow
def test_looping_templates_do_not_stop_checks(make_workbook, tmp_path: Path):
    """Six uploaded templates that loop until their limit: they take the template
    workers (two), the rest wait in their queue, and checks answer at once. Stopping
    the server ends the looping workers instead of waiting for their limit."""
    template = docx_with(
        default_template("zh"), tmp_path / "loop.docx", "word/document.xml", "{{ unit }}", LOOPING
    )
    workbook = make_workbook(example=True).read_bytes()
    settings = Settings(
        template_workers=2, limits=Limits(template_seconds=120), pdf_autostart=False
    )
    server = Server(settings)
    results: list[int] = []
    with server as http:

        def render() -> None:
            with httpx.Client(base_url=server.base, timeout=180) as own:
                response = own.post(
                    "/api/render",
                    files={
                        "file": ("x.xlsx", workbook),
                        "template": ("t.docx", template.read_bytes()),
                    },
                )
                results.append(response.status_code)

        threads = [threading.Thread(target=render, daemon=True) for _ in range(6)]
        for t in threads:
            t.start()
        time.sleep(2)  # the workers are looping now
        for _ in range(5):
            start = time.monotonic()
            check = http.post("/api/check", files={"file": ("x.xlsx", workbook)})
            assert check.status_code == 200
            assert time.monotonic() - start < 3
        assert http.get("/api/health").json()["waiting"]["templates"] == 4
        stop_started = time.monotonic()
    # the with block stopped the server: looping workers are killed, not waited for
    assert time.monotonic() - stop_started < 30
    for t in threads:
        t.join(timeout=30)
    assert not worker_processes()


def worker_processes() -> list[str]:
    """Template workers (``python -I -S -c ...``) that are children of this process."""
    found = subprocess.run(
        ["ps", "-o", "pid=,ppid=,args=", "--ppid", str(os.getpid())],
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return [line for line in found if "child_main" in line]


@pytest.mark.slow
def test_sigterm_stops_the_server_while_templates_loop(make_workbook, tmp_path: Path):
    """``xlsummary serve`` as deployed: SIGTERM while templates loop and a PDF
    converter runs, and the process is gone in seconds with nothing left behind."""
    template = docx_with(
        default_template("zh"), tmp_path / "loop.docx", "word/document.xml", "{{ unit }}", LOOPING
    )
    workbook = make_workbook(example=True).read_bytes()
    port = free_port()
    env = {**os.environ, "XLSUMMARY_TEMPLATE_SECONDS": "120", "XLSUMMARY_CONVERSIONS": "1"}
    serve = subprocess.Popen(
        [sys.executable, "-m", "xlsummary.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code in (200, 503):
                    break
            except httpx.TransportError:
                time.sleep(0.2)

        def render() -> None:
            # the server going away mid-request is expected
            with (
                httpx.Client(base_url=base, timeout=180) as own,
                contextlib.suppress(httpx.TransportError),
            ):
                own.post(
                    "/api/render",
                    files={
                        "file": ("x.xlsx", workbook),
                        "template": ("t.docx", template.read_bytes()),
                    },
                )

        for _ in range(3):
            threading.Thread(target=render, daemon=True).start()
        time.sleep(3)
        start = time.monotonic()
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=40)
        assert time.monotonic() - start < 25
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
    # its template workers (its process group) and its LibreOffice (own sessions,
    # named by the converter folder, which carries the server's pid)
    group = subprocess.run(["pgrep", "-g", str(serve.pid)], capture_output=True, text=True)
    office = subprocess.run(
        ["pgrep", "-f", f"xlsummary-lo-{serve.pid}-"], capture_output=True, text=True
    )
    assert group.stdout.strip() == "" and office.stdout.strip() == ""
    assert not list(Path(tempfile.gettempdir()).glob(f"xlsummary-lo-{serve.pid}-*"))


def test_the_body_deadline_ends_with_the_body():
    """Once the whole body is in, the body's time limit no longer applies: an app that
    listens for its client leaving, long after reading the body (a PDF takes
    seconds), still sends its own answer."""
    import asyncio

    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from xlsummary.web.http_limits import BodyLimits, ServerConfig

    async def slow(request: Request) -> PlainTextResponse:
        body = await request.body()
        await asyncio.sleep(1.5)  # past the 1 s body limit
        try:  # as a streaming response listens for the client leaving
            gone = (await asyncio.wait_for(request.receive(), 0.5))["type"] == "http.disconnect"
        except TimeoutError:
            gone = False
        return PlainTextResponse(f"{len(body)} {gone}")

    app = BodyLimits(Starlette(routes=[Route("/", slow, methods=["POST"])]), 1000, 1.0)
    port = free_port()
    server = uvicorn.Server(ServerConfig(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        answer = httpx.post(f"http://127.0.0.1:{port}/", content=b"x" * 10, timeout=10)
        assert (answer.status_code, answer.text) == (200, "10 False")
    finally:
        server.should_exit = True
        thread.join(timeout=20)
