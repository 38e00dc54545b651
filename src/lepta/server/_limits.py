"""Limits on what one request may hold: a clear error instead of work on bad input.

    414  the path and query string are longer than `url_limit` bytes
    431  the request's headers hold more than `header_limit` bytes
    413  the body is larger than `body_limit` bytes (as said by Content-Length, or counted)
    422  a server function's arguments nest deeper than `arg_depth_limit`, or one of
         their lists or objects holds more than `arg_items_limit` items

All are settings under `[tool.lepta]`, with defaults no ordinary app comes near. The
answer is JSON (`{"error": {...}}`, as for every other error of a server function)
to a call of a server function, and a short HTML page to anything else (a page, a
form posted without JavaScript: a person reads it). SecurityHeaders, around this
middleware, gives it the security headers and `Cache-Control: no-store`.

A refused request runs nothing: the limits are checked before the app sees the
request, or (a body without a Content-Length) while it is read, before a server
function is called and before any byte of the answer is sent.

uvicorn's parser refuses a request line and headers larger than its
`h11_max_incomplete_event_size` with a bare 400; `lepta.server.run` sets that above
`url_limit + header_limit` so that the answers here are the ones clients get.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..server_fn import ServerError, ValidationError
from ..ssr import escape_text
from .config import AppConfig

log = logging.getLogger("lepta")

TITLES = {
    413: "Request too large",
    414: "Address too long",
    431: "Headers too large",
}


def too_large(limit: int) -> ServerError:
    """The 413 error for a body over `limit` bytes."""
    return ServerError(
        "the request body is larger than %d bytes (body_limit under [tool.lepta])" % limit,
        status=413,
    )


class RequestLimits:
    """ASGI middleware: refuses a request whose address, headers or body exceed the
    app's limits (414, 431, 413) before the app runs.

    `is_function(path, headers)` tells a call of a server function (answered in
    JSON) from anything else (answered with an HTML page)."""

    def __init__(
        self,
        app: ASGIApp,
        config: AppConfig,
        is_function: Callable[[str, dict[bytes, bytes]], bool],
    ) -> None:
        self.app = app
        self.url_limit = config.url_limit
        self.header_limit = config.header_limit
        self.body_limit = config.body_limit
        self.is_function = is_function

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        error = self.refusal(scope)
        if error is not None:
            await self.answer(scope, error)(scope, receive, send)
            return
        if not _may_have_body(scope["headers"]):  # (most requests: no counting needed)
            await self.app(scope, receive, send)
            return
        limit = self.body_limit
        size = 0
        started = False

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    raise _BodyTooLarge()
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _BodyTooLarge:
            if started:  # (an app that answers before reading its body: nothing to say)
                log.warning("a request body over body_limit arrived after the answer began")
                return
            await self.answer(scope, too_large(limit))(scope, receive, send)

    def refusal(self, scope: Scope) -> ServerError | None:
        """What is wrong with the request's address, headers or declared size, if any."""
        raw = scope.get("raw_path") or scope["path"].encode("utf-8")
        query = scope.get("query_string", b"")
        if len(raw) + (len(query) + 1 if query else 0) > self.url_limit:
            return ServerError(
                "the address is longer than %d bytes of path and query "
                "(url_limit under [tool.lepta])" % self.url_limit,
                status=414,
            )
        headers = scope["headers"]
        # (each header as sent: "name: value\r\n")
        if sum(len(name) + len(value) + 4 for name, value in headers) > self.header_limit:
            return ServerError(
                "the request's headers are larger than %d bytes "
                "(header_limit under [tool.lepta])" % self.header_limit,
                status=431,
            )
        for name, value in headers:
            if name == b"content-length":
                if value.isdigit() and int(value) > self.body_limit:
                    return too_large(self.body_limit)
                break
        return None

    def answer(self, scope: Scope, error: ServerError) -> Response:
        headers = dict(scope["headers"])
        path = scope["path"][len(scope.get("root_path", "")) :]
        extra = {"Connection": "close"} if error.status == 413 else None  # (body unread)
        if self.is_function(path, headers):
            return JSONResponse({"error": error.to_json()}, error.status, headers=extra)
        return error_page(error, extra)


def error_page(error: ServerError, headers: dict[str, str] | None = None) -> Response:
    """A short HTML page saying what `error` says, with its status."""
    title = TITLES.get(error.status, "Bad request")
    return HTMLResponse(
        "<!DOCTYPE html><title>%s</title><h1>%d: %s</h1><p>%s</p>"
        % (title, error.status, title.lower(), escape_text(error.message)),
        status_code=error.status,
        headers=headers,
    )


def _may_have_body(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the request says it sends a body (a length other than 0, or chunks)."""
    for name, value in headers:
        if (name == b"content-length" and value != b"0") or name == b"transfer-encoding":
            return True
    return False


class _BodyTooLarge(Exception):
    """Raised from `receive` when the body passes the limit (caught above)."""


# --- the arguments of a server function --------------------------------------------------
def check_json_arguments(name: str, body: bytes, depth_limit: int, items_limit: int) -> None:
    """ValidationError (422) if the JSON `body` nests deeper than `depth_limit` or has a
    list or object of more than `items_limit` items. Ordinary bodies are cleared by
    counting bytes (no container can be deeper than the brackets opened, nor longer
    than the commas allow); only the others are parsed and walked."""
    opened = body.count(b"[") + body.count(b"{")
    if opened <= depth_limit and body.count(b",") < items_limit:
        return
    try:
        data = json.loads(body)
    except RecursionError:
        raise _too_deep(name, depth_limit, "(body)") from None
    except ValueError:
        return  # not JSON: validation says so
    check_arguments(name, data, depth_limit, items_limit)


def check_arguments(name: str, data: Any, depth_limit: int, items_limit: int) -> None:
    """ValidationError (422) if the arguments `data` (decoded JSON, or a form's nested
    fields) nest deeper than `depth_limit` or have a list or object of more than
    `items_limit` items; the message names the limit, its setting and where."""
    pending: list[tuple[Any, int, str]] = [(data, 1, "")]
    while pending:
        value, depth, where = pending.pop()
        if isinstance(value, dict):
            children: Any = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        else:
            continue
        if depth > depth_limit:
            raise _too_deep(name, depth_limit, where or "(arguments)")
        if len(value) > items_limit:
            raise ValidationError(
                "the arguments of %s hold more than %d items in one list or object, at %s "
                "(arg_items_limit under [tool.lepta])"
                % (name, items_limit, where or "(arguments)"),
                fields={where or "(arguments)": "more than %d items" % items_limit},
            )
        for key, child in children:
            if isinstance(child, (dict, list)):
                pending.append((child, depth + 1, "%s.%s" % (where, key) if where else str(key)))


def check_field_names(name: str, pairs: list[tuple[str, str]], depth_limit: int) -> None:
    """ValidationError (422) if a form field's name (`a[b][c]`) nests deeper than
    `depth_limit`: checked before the fields are nested, which takes a level of
    recursion per bracket."""
    for field, _ in pairs:
        if field.count("[") + 1 > depth_limit:
            where = field.partition("[")[0] or "(form)"
            raise _too_deep(name, depth_limit, where)


def _too_deep(name: str, limit: int, where: str) -> ValidationError:
    return ValidationError(
        "the arguments of %s nest deeper than %d levels, at %s "
        "(arg_depth_limit under [tool.lepta])" % (name, limit, where),
        fields={where: "nested deeper than %d levels" % limit},
    )
