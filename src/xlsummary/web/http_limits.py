"""What a request may cost the server before the app sees it: its size and its time.

``Content-Length`` is only a claim, and a chunked body makes none, so the body is
counted as it arrives (:class:`BodyLimits`, an ASGI middleware): past the limit the
request is answered 413 there and then, its connection closed, and the app is told
the client left; what the client still sends is never read. The whole body must
also arrive within ``body_timeout`` (408): a client sending a byte every quarter
second would otherwise hold its connection, and a thread, forever.

Headers come before any ASGI app runs, so their time limit lives in the HTTP
protocol itself: :class:`HeaderTimeoutProtocol` is uvicorn's h11 protocol with a
timer from the connection's opening (or the end of the previous response) to the end
of the request's headers, closing the connection with 408 when it fires (uvicorn's
own keep-alive timer is cancelled by the first byte, so it cannot). :class:`ServerConfig`
puts it in place, with a bounded graceful shutdown, for ``xlsummary serve`` and the
tests.
nginx in front does the same with ``client_header_timeout``, ``client_body_timeout``
and ``client_max_body_size`` (docs/server.md).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from xlsummary.web import errors
from xlsummary.web.errors import RequestProblem


def too_large(limit: int) -> RequestProblem:
    return RequestProblem("too_large", "web.body_too_large", mb=limit // 1024 // 1024)


def too_slow() -> RequestProblem:
    return RequestProblem("timeout")


class BodyLimits:
    """Count a request body's bytes and time as they arrive (see the module doc)."""

    def __init__(self, app: Any, max_body: int, body_timeout: float) -> None:
        self.app, self.max_body, self.body_timeout = app, max_body, body_timeout

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            await _answer(send, too_large(self.max_body))
            return
        received = 0
        deadline = time.monotonic() + self.body_timeout
        answered = False
        started = False
        complete = False  # the whole body is in: later receives wait for a disconnect

        async def counted_receive() -> dict:
            nonlocal received, answered, complete
            if answered:
                return {"type": "http.disconnect"}
            if complete:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                message = None
                problem = too_slow()
            else:
                if message["type"] != "http.request":
                    return message
                received += len(message.get("body", b""))
                if received <= self.max_body:
                    complete = not message.get("more_body", False)
                    return message
                problem = too_large(self.max_body)
            if not started:
                await _answer(send, problem)
            answered = True
            return {"type": "http.disconnect"}  # the app stops reading

        async def guarded_send(message: dict) -> None:
            nonlocal started
            if answered:
                return  # we answered already: the app's late reply goes nowhere
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted_receive, guarded_send)


async def _answer(send: Any, problem: RequestProblem) -> None:
    body = json.dumps(errors.body(problem), ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),  # the rest of the body is never read
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _raw_408() -> bytes:
    body = json.dumps(errors.body(too_slow()), ensure_ascii=False).encode("utf-8")
    return (
        b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        b"connection: close\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a time limit on each request's headers
    (``config.header_timeout``, from :class:`ServerConfig`)."""

    _header_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        limit = getattr(self.config, "header_timeout", 10.0)
        self._header_timer = self.loop.call_later(limit, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if self.conn.our_state is h11.IDLE:
                self.transport.write(_raw_408())
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the headers are in
            self._disarm()
        elif self._header_timer is None and not self.transport.is_closing():
            self._arm()  # a new request began on this connection

    def on_response_complete(self) -> None:
        unread = self.conn.their_state not in (h11.IDLE, h11.DONE)
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if unread:
            # answered before its body was read (a 404, a 413): uvicorn would read
            # and drop the rest, past every limit; the connection ends instead
            self.transport.close()
        elif self.conn.their_state is h11.IDLE:
            self._arm()  # the next request on this connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


class ServerConfig(uvicorn.Config):
    """The uvicorn configuration the server runs with: h11 with the header limit, and
    at most 10 s of graceful shutdown (then running requests are cancelled). A class
    of its own (not a closure) so that ``--workers N`` can hand it to its processes."""

    def __init__(self, app: Any, *, header_timeout: float = 10.0, **options: Any) -> None:
        self.header_timeout = header_timeout
        options.setdefault("timeout_graceful_shutdown", 10)
        super().__init__(app, http=HeaderTimeoutProtocol, **options)
