"""Server functions over HTTP: their endpoints.

    POST /_lepta/fn/todos.add_todo     JSON or a form's fields in, JSON out

A request is refused before anything else when it comes from another site (403:
its `Origin` or `Sec-Fetch-Site` says so, as Go's CrossOriginProtection and
Django's origin check decide; same-origin pages need no token) or is too large
(413). Its arguments are read (JSON, URL-encoded fields with nested names, or the
query string of a GET), held to the app's limits (422 for arguments nested too
deep or too long a list; see `_limits`) and validated from the function's hints
(422 naming each bad field; the function does not run). A call from a page of an
earlier build whose function has changed or is gone gets a 409 `StaleClient`, and
the page reloads (see `_skew`). A `ServerError` raised by the function is
answered with its status and message; any other exception is a 500 that shows the
traceback in development only.

A form posted without JavaScript (it asks for HTML, not JSON) gets HTML back: on
success a 303 to the page it came from (Post/Redirect/Get) or to where the function
redirected; on an error, that page rendered again with the error and the submitted
values in the action's state (see lepta.server_fn.ActionForm).
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from ..reactive import Owner, provide_context, spawn
from ..server_fn import ServerError, ServerFunction, ValidationError
from ..server_fn._errors import ServerFnNotFound
from ..server_fn._form import FormError, nest
from ..server_fn._function import registry
from ..server_fn._local import shape_of, validate, validate_json
from ..server_fn._request import enter, leave
from ..server_fn._submission import PAGE_FIELD, FormSubmission
from ..server_fn._unavailable import unavailable
from ._limits import check_arguments, check_field_names, check_json_arguments, too_large
from ._skew import CHANGED, UNKNOWN, Builds, stale

log = logging.getLogger("lepta")

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Renders the page at a path again with a failed form submission in its context.
PageRenderer = Callable[[Request, str, FormSubmission], Awaitable[Response]]


class TooLarge(Exception):
    pass


class FunctionEndpoints:
    """The ASGI endpoint answering every server function of the process."""

    def __init__(
        self,
        body_limit: int,
        production: bool,
        render_page: PageRenderer,
        context: list[Any] | None = None,
        *,
        depth_limit: int = 32,
        items_limit: int = 10000,
        builds: Builds | None = None,
    ) -> None:
        self.body_limit = body_limit
        self.production = production
        self.render_page = render_page
        self.context = context if context is not None else []  # read with use_context
        self.depth_limit = depth_limit  # how deep arguments may nest
        self.items_limit = items_limit  # the most items in one of their lists or objects
        self.builds = builds  # the current build and earlier ones' signatures

    async def handle(self, request: Request) -> Response:
        """Answer a request to a server function."""
        scope = request.scope
        path = scope["path"][len(scope.get("root_path", "")) :]
        function = registry.get(path)
        headers = read_headers(scope)
        verdict = self.builds.verdict(headers.get("build"), function) if self.builds else ""
        if verdict == CHANGED or (function is None and verdict == UNKNOWN):
            return error_response(stale(function.name if function else path))
        if function is None:
            return error_response(
                ServerFnNotFound(
                    "no server function at %s: the page may be older than the server "
                    "(reload it), or the address is wrong" % path
                )
            )
        if request.method not in (function.method, "HEAD" if function.method == "GET" else ""):
            return error_response(
                ServerError(
                    "%s takes %s requests, not %s"
                    % (function.name, function.method, request.method),
                    status=405,
                ),
                headers={"Allow": function.method},
            )
        if request.method not in SAFE_METHODS and not same_origin(headers):
            return error_response(
                ServerError(
                    "cross-site request refused: server functions answer the app's own pages",
                    status=403,
                )
            )
        plain_form = is_plain_form(headers)
        data: Any = None  # the arguments as sent (a form's, for showing them again)
        try:
            if content_kind(headers) == "application/json":
                body = await self.body(request, headers)
                check_json_arguments(function.name, body, self.depth_limit, self.items_limit)
                arguments = validate_json(function, body)
            else:
                data = await self.arguments(request, function, headers)
                check_arguments(function.name, data, self.depth_limit, self.items_limit)
                arguments = validate(function, data)
        except TooLarge:
            return error_response(too_large(self.body_limit))
        except ServerError as error:
            if verdict == UNKNOWN and error.status == 422:  # most likely an earlier build's
                return error_response(stale(function.name))
            if plain_form:
                return await self.form_failed(request, function, data, error)
            return error_response(error)
        if function.streaming:
            return self.stream(request, function, arguments)
        request_scope, token = enter(request)
        try:
            result = await self.run(function.fn(**arguments))  # type: ignore[misc]
            body = shape_of(function).result.dump_json(result)
        except ServerError as error:
            if plain_form:
                return await self.form_failed(request, function, data, error)
            return error_response(error)
        except Exception as exc:
            outage = unavailable(exc)  # a database down, say: a 503, try again
            if outage is None:
                log.exception("server function %s failed", function.name)
                return self.failure(exc)
            log.warning("server function %s: %s: %s", function.name, type(exc).__name__, exc)
            if plain_form:
                return await self.form_failed(request, function, data, outage)
            return error_response(outage)
        finally:
            leave(token)
        options = request_scope.response
        if plain_form:
            response: Response = RedirectResponse(
                options.redirect_to or back(request, data), status_code=303
            )
            options.redirect_to = None
        else:
            response = Response(body, media_type="application/json")
            if options.redirect_to:
                response.headers["X-Lepta-Redirect"] = options.redirect_to
        options.apply(response)
        return response

    async def run(self, call: Awaitable[Any]) -> Any:
        """Await `call` under an owner holding the app's context (`use_context` finds
        it across awaits), disposed afterwards."""
        if not self.context:
            return await call
        task, owner = self.start(call)
        try:
            return await task
        finally:
            owner.dispose()

    def start(self, call: Awaitable[Any]) -> tuple[Any, Owner]:
        """`call` as a task under a new owner holding the app's context (for the
        caller to dispose when the task is over)."""
        owner = Owner(server=True)
        with owner:
            for value in self.context:
                provide_context(value)
            task = spawn(call)
        return task, owner

    async def arguments(
        self, request: Request, function: ServerFunction, headers: dict[str, str]
    ) -> Any:
        """The request's arguments, not yet validated (JSON is read by `validate_json`)."""
        if request.method in SAFE_METHODS:
            query = request.scope["query_string"].decode("latin-1")
            return self.nest(function, parse_qsl(query, keep_blank_values=True))
        body = await self.body(request, headers)
        kind = content_kind(headers)
        if not body and not kind:
            return {}  # no arguments at all (a form with no fields posts nothing)
        if kind == "application/x-www-form-urlencoded":
            pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            return self.nest(function, pairs)
        if kind == "multipart/form-data":
            form = await _replayed(request, body).form()  # (the body is read already)
            try:
                pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
            finally:  # files are not arguments: their temporary files go at once
                await form.close()
            return self.nest(function, pairs)
        raise ServerError(
            "send the arguments of %s as JSON (application/json) or as a form "
            "(application/x-www-form-urlencoded), not %r" % (function.name, kind or "nothing"),
            status=415,
        )

    def nest(self, function: ServerFunction, pairs: list[tuple[str, str]]) -> Any:
        """A form's or a query's fields as nested arguments (names too deep refused)."""
        check_field_names(function.name, pairs, self.depth_limit)
        try:
            return nest(pairs)
        except FormError as exc:
            raise ValidationError(str(exc), fields={"(form)": str(exc)}) from None

    async def body(self, request: Request, headers: dict[str, str]) -> bytes:
        """The request's body, or TooLarge past the limit (said or sent)."""
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.body_limit:
            raise TooLarge()
        chunks = []
        size = 0
        receive = request.receive
        while True:  # the ASGI messages themselves: cheaper than request.stream()
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.body_limit:
                raise TooLarge()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def stream(
        self, request: Request, function: ServerFunction, arguments: dict[str, Any]
    ) -> Response:
        """A streaming function's chunks, one JSON line each. The generator runs in a
        task of its own, under an owner holding the app's context; a queue of one
        keeps it no more than a chunk ahead of the client."""
        chunk = shape_of(function).chunk
        assert chunk is not None and function.fn is not None
        fn = function.fn
        done = object()

        async def lines() -> AsyncIterator[bytes]:
            queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=1)

            async def produce() -> None:
                try:
                    async for item in fn(**arguments):
                        await queue.put(chunk.dump_json(item) + b"\n")
                except Exception:  # the status went out already: the stream just ends
                    log.exception("server function %s failed while streaming", function.name)
                await queue.put(done)  # (not when cancelled: nobody reads any more)

            _, token = enter(request)
            task, owner = self.start(produce())
            leave(token)
            try:
                while (line := await queue.get()) is not done:
                    yield line
            finally:
                task.cancel()  # the client left early: stop the generator
                owner.dispose()

        return StreamingResponse(
            lines(), media_type="application/x-ndjson", headers={"X-Accel-Buffering": "no"}
        )

    def failure(self, exc: BaseException) -> Response:
        """A 500 for an exception no one meant for the caller."""
        error = ServerError("the server failed to answer; the error has been logged", status=500)
        body = {"error": error.to_json()}
        if not self.production:
            body["error"]["traceback"] = "".join(
                traceback.format_exception(type(exc), exc, exc.__traceback__)
            )
            body["error"]["message"] = "%s: %s" % (type(exc).__name__, exc)
        return JSONResponse(body, status_code=500)

    async def form_failed(
        self, request: Request, function: ServerFunction, data: Any, error: ServerError
    ) -> Response:
        """A form posted without JavaScript failed: the page it came from, again, with
        the error and what was typed."""
        values = data if isinstance(data, dict) else {}
        submission = FormSubmission(function.endpoint, values, error)
        response = await self.render_page(request, back(request, data), submission)
        if 300 <= response.status_code < 400:  # the page now sends elsewhere: follow it
            response.status_code = 303  # (a GET, as after any form post)
            return response
        response.status_code = error.status
        return response


def error_response(error: ServerError, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": error.to_json()}, status_code=error.status, headers=headers)


# The request headers a server-function answer depends on, read in one pass.
_READ = {
    b"content-type": "content-type",
    b"content-length": "content-length",
    b"sec-fetch-site": "sec-fetch-site",
    b"origin": "origin",
    b"host": "host",
    b"accept": "accept",
    b"x-lepta-build": "build",  # the build of the page calling (see _skew)
}


def read_headers(scope: Any) -> dict[str, str]:
    """The headers of `_READ` the request has (ASGI gives names in lower case)."""
    found = {}
    for name, value in scope["headers"]:
        key = _READ.get(name)
        if key is not None:
            found[key] = value.decode("latin-1")
    return found


def _replayed(request: Request, body: bytes) -> Request:
    """The request again, with `body` (already read from the client) as its body."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


def content_kind(headers: dict[str, str]) -> str:
    """The media type of the body, without parameters: "application/json"."""
    return headers.get("content-type", "").split(";")[0].strip().lower()


def is_plain_form(headers: dict[str, str]) -> bool:
    """A form posted by the browser itself (no JavaScript): it asks for HTML."""
    kind = content_kind(headers)
    return kind in FORM_TYPES and "application/json" not in headers.get("accept", "")


def same_origin(headers: dict[str, str]) -> bool:
    """Whether a state-changing request comes from the app's own pages (or from no
    browser at all: a script or a test client sends neither header)."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


def back(request: Request, data: Any) -> str:
    """The page a form came from: as its ActionForm names it, else its Referer (if on
    this site), else the root."""
    page = data.get(PAGE_FIELD) if isinstance(data, dict) else None
    if isinstance(page, str) and page.startswith("/") and not page.startswith("//"):
        return str(request.scope.get("root_path", "")) + page
    referer = request.headers.get("referer", "")
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc.lower() != request.headers.get("host", "").lower():
        return "/"
    if not referer:
        return str(request.scope.get("root_path", "")) + "/"
    return str(parts.path) + ("?" + parts.query if parts.query else "")
