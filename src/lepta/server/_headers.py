"""Security headers on every response of a Lepta app.

By default every response says:

    X-Content-Type-Options: nosniff                 (no guessing a file's type)
    Referrer-Policy: strict-origin-when-cross-origin
    X-Frame-Options: SAMEORIGIN                     (framed by the app's own pages only)

With `csp = true` the framing rule is `frame-ancestors 'self'` in the page's
Content-Security-Policy instead of X-Frame-Options. Who may frame the app is set by
`frame_ancestors` (a CSP source list: "'self'", "'none'", "*" for anyone, or
origins), and any header can be added, changed or removed (with `false`) in
`[tool.lepta.headers]`. Error responses (status 400 and above) are never cached.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import AppConfig

# Under CSP: only scripts carrying the page's nonce run, and what they load (the
# runtime's modules); WebAssembly may compile; no plugins; no <base> hijacking.
CSP = (
    "script-src 'nonce-%s' 'strict-dynamic' 'wasm-unsafe-eval'; "
    "object-src 'none'; base-uri 'none'"
)


def response_headers(config: AppConfig) -> dict[str, str]:
    """The headers every response of the app carries, as configured."""
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    frame = config.frame_ancestors
    if not config.csp:  # pages with a CSP say it there (see page_csp)
        if frame == "'self'":
            headers["X-Frame-Options"] = "SAMEORIGIN"
        elif frame == "'none'":
            headers["X-Frame-Options"] = "DENY"
        elif frame != "*":  # a list of origins: only CSP can say it
            headers["Content-Security-Policy"] = "frame-ancestors %s" % frame
    for name, value in config.headers:
        for known in list(headers):
            if known.lower() == name.lower():
                del headers[known]
        if value is not None:
            headers[name] = value
    return headers


def page_csp(config: AppConfig, nonce: str) -> str:
    """The Content-Security-Policy of a page rendered with `nonce` (`csp = true`)."""
    policy = CSP % nonce
    if config.frame_ancestors != "*":
        policy += "; frame-ancestors %s" % config.frame_ancestors
    return policy


class SecurityHeaders:
    """ASGI middleware: adds `headers` to each response that does not set them itself,
    and `Cache-Control: no-store` to error responses."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in headers.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = self.amend(list(message.get("headers", [])), message["status"])
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def amend(self, raw: list[Any], status: int) -> list[Any]:
        present = {name.lower() for name, _ in raw}
        for name, value in self.headers:
            if name not in present:
                raw.append((name, value))
        if status >= 400:
            raw = [(n, v) for n, v in raw if n.lower() != b"cache-control"]
            raw.append((b"cache-control", b"no-store"))
        return raw
