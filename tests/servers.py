"""The server as it runs for staff: uvicorn with the server's own configuration
(header time limit, bounded shutdown), on a free loopback port, in a thread."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn

from xlsummary.web import Settings, create_app
from xlsummary.web.http_limits import ServerConfig


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.app = create_app(settings)
        config = ServerConfig(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            header_timeout=settings.header_timeout,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> httpx.Client:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=120)
        return self.client

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the server did not stop"
