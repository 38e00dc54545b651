"""The ASGI app of `lepta dev`: the app being developed, and the dev server's endpoints.

Every request goes to the app as `lepta serve` would serve it (the newest good
build of it), except:

    /_lepta/dev/events     the dev server's state, as Server-Sent Events
    /_lepta/dev/client.js  the page's half (client.js): reloads, swaps, the overlay

Each HTML page gets a script element for client.js, with the version of the code it
was rendered by; a page the app failed to render (a 500) becomes a page showing the
error in the overlay. Pages are sent uncompressed, so the script can be put in.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

EVENTS = "/_lepta/dev/events"
CLIENT = "/_lepta/dev/client.js"
CLIENT_JS = Path(__file__).with_name("client.js")
RETRY_MS = 250  # how soon a page reconnects after losing the events stream


@dataclass
class DevError:
    """What the overlay shows: a title and a Python traceback (or a build's message)."""

    title: str
    text: str

    def to_json(self) -> dict[str, str]:
        return {"title": self.title, "text": self.text}


@dataclass
class DevState:
    """What the pages follow. `version` changes when the app's code does."""

    version: int = 0
    style: str = ""  # the stylesheet's URL, "" for none
    error: DevError | None = None

    def to_json(self) -> str:
        error = self.error.to_json() if self.error else None
        return json.dumps({"version": self.version, "style": self.style, "error": error})


@dataclass
class DevApp:
    """The ASGI app `lepta dev` serves: `app` (swapped by `swap`) and its endpoints.

    `startup` and `shutdown` run at the server's start and end (its lifespan)."""

    state: DevState = field(default_factory=DevState)
    app: ASGIApp | None = None  # None until the app has built and imported once
    startup: Any = None  # async callables
    shutdown: Any = None
    listeners: set[asyncio.Queue[str]] = field(default_factory=set)
    running: AsyncExitStack | None = None  # the current app's lifespan

    def publish(self) -> None:
        """Send the state to every open page."""
        message = self.state.to_json()
        for queue in self.listeners:
            queue.put_nowait(message)

    async def swap(self, app: ASGIApp) -> None:
        """Serve `app` from now on: its lifespan (the app's `setup`) starts, then the
        previous app's ends."""
        stack = AsyncExitStack()
        router = getattr(app, "router", None)
        if router is not None:
            await stack.enter_async_context(router.lifespan_context(app))
        previous, self.running, self.app = self.running, stack, app
        if previous is not None:
            await previous.aclose()

    async def close(self) -> None:
        if self.running is not None:
            await self.running.aclose()
            self.running = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
        elif scope["type"] == "http" and scope["path"] == EVENTS:
            await self.events(receive, send)
        elif scope["type"] == "http" and scope["path"] == CLIENT:
            await send_bytes(send, 200, CLIENT_JS.read_bytes(), "text/javascript; charset=utf-8")
        elif self.app is None:
            if scope["type"] == "http":
                error = self.state.error or DevError("Starting", "The app is being built.")
                await self.error_page(scope, send, error)
        else:
            await self.app(scope, receive, Injector(self, scope, send).send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.startup is not None:
                    await self.startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.shutdown is not None:
                    await self.shutdown()
                await self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def events(self, receive: Receive, send: Send) -> None:
        """The state now, then each new state, until the page goes."""
        queue: asyncio.Queue[str] = asyncio.Queue()
        self.listeners.add(queue)
        queue.put_nowait(self.state.to_json())
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        gone = asyncio.ensure_future(_disconnected(receive))
        try:
            await send({"type": "http.response.body", "body": b"retry: %d\n\n" % RETRY_MS,
                        "more_body": True})
            while True:
                waiting = asyncio.ensure_future(queue.get())
                await asyncio.wait({waiting, gone}, return_when=asyncio.FIRST_COMPLETED)
                if gone.done():
                    waiting.cancel()
                    return
                data = waiting.result()
                message = "event: state\ndata: %s\n\n" % data
                await send({"type": "http.response.body", "body": message.encode(),
                            "more_body": True})
        except OSError:  # (the page went while we wrote)
            return
        finally:
            gone.cancel()
            self.listeners.discard(queue)

    def script(self, version: int, nonce: str | None) -> bytes:
        """The script element that puts client.js in a page rendered by `version`."""
        nonce_attribute = ' nonce="%s"' % html.escape(nonce) if nonce else ""
        return (
            '<script type="module" src="%s" data-lepta-dev="%d" data-lepta-dev-events="%s"%s>'
            "</script>" % (CLIENT, version, EVENTS, nonce_attribute)
        ).encode()

    async def error_page(
        self, scope: Scope, send: Send, error: DevError, version: int | None = None
    ) -> None:
        """A page showing `error` in the overlay (and as text, for a page without
        scripts); it loads again when the code changes."""
        data = json.dumps(error.to_json()).replace("<", "\\u003c")
        body = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<title>%s</title>%s</head><body><h1>%s</h1><pre>%s</pre>"
            '<script type="application/json" id="lepta-dev-error">%s</script></body></html>'
            % (
                html.escape(error.title),
                self.script(self.state.version if version is None else version, None).decode(),
                html.escape(error.title),
                html.escape(error.text),
                data,
            )
        ).encode()
        await send_bytes(send, 500, body, "text/html; charset=utf-8")


class Injector:
    """Wraps `send` for one request to the app: puts the dev script into HTML pages,
    and turns the app's 500 pages into error pages with the overlay."""

    def __init__(self, dev: DevApp, scope: Scope, send: Send) -> None:
        self.dev = dev
        self.scope = scope
        self.downstream = send
        self.version = dev.state.version  # (the code that renders this page)
        self.html = False
        self.failed: Message | None = None  # a 500 page's start, held back
        self.body: list[bytes] = []
        self.done = False  # the script is in
        self.nonce: str | None = None  # the page's CSP nonce, which the script needs
        if scope["type"] == "http" and not scope["path"].startswith("/_lepta/"):
            # Pages uncompressed: the script goes into their text.
            headers = scope.get("headers", [])
            scope["headers"] = [(n, v) for n, v in headers if n != b"accept-encoding"]

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            content_type = _header(headers, b"content-type")
            self.html = content_type.startswith(b"text/html")
            if not self.html:
                await self.downstream(message)
                return
            self.nonce = _nonce(_header(headers, b"content-security-policy"))
            headers = [(n, v) for n, v in headers if n.lower() != b"content-length"]
            message = dict(message, headers=headers)
            if message["status"] == 500:
                self.failed = message
                return
            await self.downstream(message)
            return
        if message["type"] != "http.response.body" or not self.html:
            await self.downstream(message)
            return
        body = message.get("body", b"")
        more = message.get("more_body", False)
        if self.failed is not None:
            self.body.append(body)
            if not more:
                await self.send_error(b"".join(self.body))
            return
        if not self.done:
            script = self.dev.script(self.version, self.nonce)
            at = body.find(b"</head>")
            if at >= 0:
                body = body[:at] + script + body[at:]
                self.done = True
            elif not more:
                body += script
                self.done = True
        await self.downstream(dict(message, body=body))

    async def send_error(self, page: bytes) -> None:
        """The app's 500 page (a traceback in a <pre>) as an error page."""
        found = re.search(rb"<pre>(.*?)</pre>", page, re.S)
        text = html.unescape(found.group(1).decode("utf-8", "replace")) if found else ""
        path = self.scope.get("path", "/")
        error = DevError("Error while rendering %s" % path, text or "(no traceback)")
        await self.dev.error_page(self.scope, self.downstream, error, self.version)


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    for key, value in headers:
        if key.lower() == name:
            return bytes(value)
    return b""


def _nonce(policy: bytes) -> str | None:
    found = re.search(rb"'nonce-([A-Za-z0-9+/_=-]+)'", policy)
    return found.group(1).decode() if found else None


async def send_bytes(send: Send, status: int, body: bytes, content_type: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", b"%d" % len(body)),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
