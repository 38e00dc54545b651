"""Calling a server function from the browser: one HTTP request to its endpoint.

Arguments go as JSON (a POST) or in the query string (a GET); the answer is JSON:
the result, or `{"error": {...}}` that becomes the same ServerError subclass the
server raised. The request itself is made by the loader (`leptaBridge.call`), which
hands back one string, so no JavaScript object has to cross into Python.
"""

from __future__ import annotations

import json
from typing import Any

from ._errors import ServerError, error_from_json
from ._form import to_query


async def call_remote(function: Any, arguments: dict[str, Any]) -> Any:
    status, redirect, body = await _request(function, arguments)
    return _outcome(status, redirect, body)


def stream_remote(function: Any, arguments: dict[str, Any]) -> Any:
    """A streaming function's chunks as they arrive (newline-delimited JSON), for
    `async for`. (A class, not an async generator: MicroPython has none.)"""
    return _Chunks(function, arguments)


class _Chunks:
    __slots__ = ("arguments", "done", "function", "pending", "ready", "stream_id")

    def __init__(self, function: Any, arguments: dict[str, Any]) -> None:
        self.function = function
        self.arguments = arguments
        self.stream_id: str | None = None
        self.pending = ""  # text received after the last complete line
        self.ready: list[Any] = []  # chunks decoded, not handed out yet
        self.done = False

    def __aiter__(self) -> _Chunks:
        return self

    async def __anext__(self) -> Any:
        import js  # type: ignore[import-not-found]

        if self.stream_id is None:
            url, method, body = _encode(self.function, self.arguments)
            opened = str(await js.leptaBridge.open(url, method, body))
            status, _, self.stream_id = opened.partition("\n")
            if int(status) >= 400:
                text = str(await js.leptaBridge.read(self.stream_id, True))
                raise _error(int(status), text)
        while not self.ready:
            if self.done:
                raise StopAsyncIteration
            piece = await js.leptaBridge.read(self.stream_id, False)
            if piece is None:
                self.done = True
                piece = "\n"  # whatever is left is the last chunk
            self.pending += str(piece)
            while "\n" in self.pending:
                line, _, self.pending = self.pending.partition("\n")
                if line.strip():
                    self.ready.append(json.loads(line))
        return self.ready.pop(0)


async def _request(function: Any, arguments: dict[str, Any]) -> tuple[int, str, str]:
    import js

    url, method, body = _encode(function, arguments)
    answer = str(await js.leptaBridge.call(url, method, body))
    status, _, rest = answer.partition("\n")
    redirect, _, text = rest.partition("\n")
    return int(status), redirect, text


def _encode(function: Any, arguments: dict[str, Any]) -> tuple[str, str, str]:
    if function.method == "GET":
        query = to_query(arguments)
        return function.endpoint + ("?" + query if query else ""), "GET", ""
    return function.endpoint, "POST", json.dumps(arguments)


def _outcome(status: int, redirect: str, body: str) -> Any:
    if redirect:
        import js

        # A server function asked the page to go elsewhere: in the page if a Router's
        # routes match the address, else by loading it.
        js.leptaBridge.router.go(redirect)
    if status >= 400:
        raise _error(status, body)
    return json.loads(body) if body else None


def _error(status: int, body: str) -> ServerError:
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    return error_from_json(data, status)
