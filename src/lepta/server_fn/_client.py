"""Calling a server function from the browser: one HTTP request to its endpoint.

Arguments go as JSON (a POST) or in the query string (a GET); the answer is JSON:
the result, or `{"error": {...}}` that becomes the same ServerError subclass the
server raised. The request itself is made by the loader (`leptaBridge.call`), which
hands back one string, so no JavaScript object has to cross into Python.
"""

from __future__ import annotations

import json
from typing import Any, AsyncIterator

from ._errors import ServerError, error_from_json
from ._form import to_query


async def call_remote(function: Any, arguments: dict[str, Any]) -> Any:
    status, redirect, body = await _request(function, arguments)
    return _outcome(status, redirect, body)


async def stream_remote(function: Any, arguments: dict[str, Any]) -> AsyncIterator[Any]:
    """A streaming function's chunks as they arrive (newline-delimited JSON)."""
    import js  # type: ignore[import-not-found]

    url, method, body = _encode(function, arguments)
    handle = await js.leptaBridge.open(url, method, body)
    head = str(handle)
    status_text, _, stream_id = head.partition("\n")
    status = int(status_text)
    if status >= 400:
        text = str(await js.leptaBridge.read(stream_id, True))
        raise _error(status, text)
    pending = ""
    while True:
        chunk = await js.leptaBridge.read(stream_id, False)
        if chunk is None:
            break
        pending += str(chunk)
        while "\n" in pending:
            line, _, pending = pending.partition("\n")
            if line:
                yield json.loads(line)
    if pending.strip():
        yield json.loads(pending)


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

        js.location.assign(redirect)  # a server function asked the page to go elsewhere
    if status >= 400:
        raise _error(status, body)
    return json.loads(body) if body else None


def _error(status: int, body: str) -> ServerError:
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    return error_from_json(data, status)
