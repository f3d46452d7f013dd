"""Headers every response carries, so a browser never guesses a type, never frames
the page and never sends the page's address elsewhere; and, on the page, a content
security policy that allows only the page's own script and style (by their SHA-256,
so no ``'unsafe-inline'``) and requests to this server."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# for the JSON API and downloads: nothing in them may run or load anything
_API_CSP = b"default-src 'none'; frame-ancestors 'none'"
#: the same, for a response made outside the middleware (an unexpected error)
COMMON_HEADERS = {k.decode(): v.decode() for k, v in _COMMON} | {
    "content-security-policy": _API_CSP.decode()
}


def page_policy(html: str) -> str:
    """The page's policy, with the hash of each inline ``<script>`` and ``<style>``."""

    def hashes(tag: str) -> str:
        blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)
        return " ".join(
            "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
            for b in blocks
        )

    return (
        f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; "
        "connect-src 'self'; img-src 'self' data: blob:; form-action 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


class SecurityHeaders:
    """Pure ASGI (no BaseHTTPMiddleware: it would buffer and detach streaming bodies)."""

    def __init__(self, app: Any, page_csp: str) -> None:
        self.app, self.page_csp = app, page_csp.encode()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = self.page_csp if scope.get("path") == "/" else _API_CSP

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _COMMON if k not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", csp))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
