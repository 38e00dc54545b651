"""The ASGI application of a Lepta app.

    from lepta.server import create_app
    app = create_app("examples/counter")         # uvicorn module:app
    # or inside your own Starlette / FastAPI app:
    main_app.mount("/counter", create_app("examples/counter"))

Every page (any path outside `/_lepta/`) is the app's root component rendered on the
server, streamed into a document shell whose loader hydrates it in the browser; the
app's `Routes` choose what the path shows (a path no route matches renders the
fallback with status 404). Pages stream in the mode of the routes the path matches
(`Route(..., ssr=...)`, the most blocking wins), else in the app's `ssr` setting
(see lepta.server.config); gzipped chunk by chunk when the browser accepts it. A page
whose data is all there by its first write (in order: within `in_order_wait_ms`) is
sent as one body, with its length.
`/_lepta/...` serves the client bundle and the runtime's files: precompressed
(brotli or gzip, as the browser accepts), with their own MIME types, cached for a
year (their names change when their content does); anything else there is a 404.

Every response carries security headers (nosniff, a referrer policy, framing by the
app's own pages only; see `_headers`), error responses are never cached, and assets
answer revalidations with 304 (see `_files`). Requests over the app's limits (address,
headers, body) are refused before anything runs (see `_limits`); `/_lepta/health`
answers health checks (see `_health`); each page names its build, so that a call from
a page older than a redeploy can be told apart (see `_skew`).

An exception before the page's first byte gives a 500 page: with the traceback in
development, a generic one when LEPTA_ENV=production. Later ones (a Suspense failing
mid-stream with no ErrorBoundary around it) are logged; the page keeps the fallback.
"""

from __future__ import annotations

import importlib
import logging
import os
import secrets
import sys
import traceback
import zlib
from collections.abc import Sequence
from contextlib import asynccontextmanager
from pathlib import Path, PurePosixPath
from typing import Any, AsyncGenerator, AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import BaseRoute, Route

from ..meta import Head
from ..meta._head import BODY, HTML
from ..meta._render import attributes_html, tags_html, title_html
from ..reactive import LeptaError, provide_context
from ..router import canonical
from ..server_fn._function import DEFAULT_PREFIX, registry
from ..server_fn._request import enter as enter_request
from ..server_fn._submission import FormSubmission
from ..ssr import escape_attr, escape_text
from ..ssr._stream import render_chunks
from ..view import Location, PageNonce
from ._files import FILE_SUFFIXES, PUBLIC, PublicFolder, accepted_encodings, send_file
from ._functions import FORM_TYPES, FunctionEndpoints
from ._headers import SecurityHeaders, page_csp, response_headers
from ._health import health_endpoint
from ._limits import RequestLimits
from ._openapi import openapi_document
from ._prefix import PrefixRoutes
from ._routes import AppRoutes, discover_routes
from ._skew import Builds
from .config import AppConfig, ConfigError, load_config
from .manifest import Manifest, read_manifest


class NotBuiltError(LeptaError, RuntimeError):
    """The app has no client bundle yet."""


def create_app(
    app_dir: str | os.PathLike[str],
    runtime: str | None = None,
    *,
    routes: Sequence[BaseRoute] = (),
    middleware: Sequence[Middleware] = (),
    lifespan: Any = None,
    context: Sequence[Any] = (),
    setup: Any = None,
) -> Starlette:
    """The ASGI app serving the Lepta app in `app_dir`, built by `lepta build`.

    `runtime` picks the build to serve, as for `lepta build` (by default: the
    LEPTA_RUNTIME environment variable, else the app's pyproject.toml).

        app = create_app("examples/counter", runtime="micropython")
        uvicorn.run(app, host="127.0.0.1", port=3000)

    `routes` (Starlette routes, matched before the pages), `middleware` and
    `lifespan` are Starlette's. `context` holds app-wide values (a database engine,
    settings) that pages and server functions read with `use_context(Type)`.

    `setup` (by default the app's `setup = "module:function"` setting) opens what the
    app needs for as long as it serves, and adds to the context what it yields:

        @asynccontextmanager
        async def setup():
            db = Database(os.environ.get("DATABASE_URL", "sqlite:///todos.db"))
            yield [db]                       # use_context(Database) finds it
            await db.close()
    """
    config = load_config(app_dir, runtime)
    manifest = read_manifest(config)
    if manifest is None:
        raise NotBuiltError(
            "%s has no client bundle for runtime %s: run `lepta build %s --runtime %s` "
            "first (`lepta serve` builds it for you)"
            % (config.root, config.runtime, app_dir, config.runtime)
        )
    root = load_component(config)
    app_context = list(context)  # what `setup` yields joins it at start-up
    page = Page(config, manifest, root, app_context)
    page.routes = discover_routes(root, app_context, config.ssr)
    public = PublicFolder(config.root)

    async def index(request: Request) -> Response:
        """A file of the app's `public/` folder, else a page (a missing file that a
        browser asks for by itself, such as /favicon.ico, is a plain 404). A path not
        in its canonical form is redirected to it: "/contacts", not "/contacts/"."""
        path = page_path(request.scope)
        if path != canonical(path):
            query = request.url.query
            target = request.scope.get("root_path", "") + canonical(path)
            return RedirectResponse(target + ("?" + query if query else ""), status_code=308)
        where = Location(path)
        found = public.find(where.segments)
        if found is not None:
            return send_file(request, found, PUBLIC) or not_found()
        decoded = where.decoded_path
        if "." in decoded and PurePosixPath(decoded).suffix.lower() in FILE_SUFFIXES:
            return not_found()
        return await page.respond(request, path)

    builds = Builds(config.site, manifest.build_id)
    builds.remember(registry.values())  # (the app's modules are imported by now)
    functions = FunctionEndpoints(
        config.body_limit,
        config.production,
        page.respond_with,
        app_context,
        depth_limit=config.arg_depth_limit,
        items_limit=config.arg_items_limit,
        builds=builds,
    )
    if setup is None and config.setup:
        setup = load_object(config, config.setup, "setup")

    async def bundle_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in manifest.built_files():
            return not_found()
        return send_file(request, config.site / "_lepta" / name) or not_found()

    runtime_dir = Path(manifest.runtime_path)

    async def runtime_file(request: Request) -> Response:
        if request.path_params["version"] != manifest.runtime_dir:
            return not_found()
        name = request.path_params["name"]
        if name not in manifest.runtime_files:
            return not_found()
        return send_file(request, runtime_dir / name) or not_found()

    async def openapi(request: Request) -> Response:
        if config.production and not config.openapi:
            return not_found()
        document = openapi_document(config.title, list(registry.values()))
        return JSONResponse(document, headers={"Cache-Control": "no-store"})

    async def missing(request: Request, exc: Exception) -> Response:
        return not_found()

    async def missing_file(request: Request) -> Response:
        return not_found()

    health = [Route(config.health, health_endpoint(manifest.build_id))] if config.health else []
    own = [
        Route(DEFAULT_PREFIX + "/{rest:path}", functions.handle, methods=FUNCTION_METHODS),
        Route("/_lepta/openapi.json", openapi),
        Route("/_lepta/runtime/{version}/{name}", runtime_file),
        Route("/_lepta/{name}", bundle_file),
        Route("/_lepta/{rest:path}", missing_file),
    ]
    return Starlette(
        routes=[
            *health,
            *routes,
            *function_routes(functions),
            PrefixRoutes("/_lepta/", own),  # (one test of a page's path for all of them)
            Route("/{path:path}", index),
        ],
        exception_handlers={404: missing},
        middleware=[
            Middleware(SecurityHeaders, headers=response_headers(config)),
            Middleware(RequestLimits, config=config, is_function=is_function_call),
            *middleware,
        ],
        lifespan=_with_setup(setup, app_context, lifespan) if setup is not None else lifespan,
    )


def _with_setup(setup: Any, app_context: list[Any], lifespan: Any) -> Any:
    """A lifespan running the app's `setup` around the given lifespan (if any)."""

    @asynccontextmanager
    async def both(app: Starlette) -> AsyncIterator[Any]:
        async with setup() as values:
            app_context.extend(values or ())
            try:
                if lifespan is None:
                    yield None
                else:
                    async with lifespan(app) as state:
                        yield state
            finally:
                for value in values or ():
                    app_context.remove(value)

    return both


def load_component(config: AppConfig) -> Any:
    """Import the app's root component (its folder goes on `sys.path`)."""
    return load_object(config, config.entry, "app")


def load_object(config: AppConfig, target: str, key: str) -> Any:
    """`module:name` of the app (its folder goes on `sys.path`), or ConfigError saying
    which setting to fix."""
    folder = str(config.root)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    module_name, _, name = target.partition(":")
    setting = '%s = "%s" under [tool.lepta] in %s' % (key, target, config.root / "pyproject.toml")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module_name.startswith(exc.name):
            raise  # the app's module is there, and imports something missing
        raise ConfigError(
            "%s: there is no module %s in %s; name the module that defines it"
            % (setting, module_name, config.root)
        ) from None
    try:
        return getattr(module, name)
    except AttributeError:
        raise ConfigError(
            "%s: %s has no %r; name one defined there" % (setting, module.__file__, name)
        ) from None


class Page:
    """The document shell around the server-rendered body."""

    def __init__(
        self, config: AppConfig, manifest: Manifest, root: Any, context: list[Any]
    ) -> None:
        self.config = config
        self.manifest = manifest
        self.root = root
        self.context = context  # app-wide values, provided to every page
        self.heads: dict[str, str] = {}  # by the prefix the app is mounted at
        self.routes = AppRoutes([], config.ssr)  # each page's streaming mode

    async def respond_with(
        self, request: Request, path: str, submission: FormSubmission
    ) -> Response:
        """The page at `path` (a full path and query, as a Referer gives it), rendered
        again for a form that failed: its action shows `submission`'s error and values."""
        root_path = request.scope.get("root_path", "")
        path, _, query = path.partition("?")
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :]
        page = browser_path(path.encode()) or "/"
        return await self.respond(request, page, query, submission)

    async def respond(
        self,
        request: Request,
        path: str,
        query: str | None = None,
        submission: FormSubmission | None = None,
    ) -> Response:
        """The page at `path` (percent-encoded, below the mount point), streamed; its
        query is the request's unless given."""
        root_path = request.scope.get("root_path", "")
        if query is None:  # (the request's, as `request.url.query` gives it, without the URL)
            query = request.scope.get("query_string", b"").decode()
        location = Location(path, query)
        nonce = secrets.token_urlsafe(18) if self.config.csp else None
        scope, _ = enter_request(request)  # (the whole task: the stream reads it too)
        root = self.root
        context = self.context

        head_tags = Head()

        def view() -> Any:
            for value in context:
                provide_context(value)
            provide_context(location)
            provide_context(head_tags)
            if nonce is not None:
                provide_context(PageNonce(nonce))
            if submission is not None:
                provide_context(submission)
            return root()

        chunks = render_chunks(
            view,
            self.routes.mode_for(path),
            nonce,
            production=self.config.production,
            end="</body></html>",
            wait=self.config.in_order_wait_ms / 1000,
        )
        try:
            first, last = await chunks.__anext__()
        except Exception as exc:
            log.exception("rendering %s failed", path)
            return error_page(exc, self.config.production)
        options = scope.response
        if options.redirect_to is not None:  # a component sent the visitor elsewhere
            await chunks.aclose()
            response: Response = RedirectResponse(options.redirect_to, status_code=302)
            options.redirect_to = None
            options.apply(response)
            return response
        head = self.heads.get(root_path)
        if head is None:
            head = self.heads[root_path] = self.head(root_path)
        headers = {"Vary": "Accept-Encoding", "Cache-Control": "no-store"}
        if nonce is not None:
            attribute = ' nonce="%s"' % nonce
            head = head.replace("<script ", "<script%s " % attribute).replace(
                '<link rel="modulepreload"', '<link%s rel="modulepreload"' % attribute
            )
            headers["Content-Security-Policy"] = page_csp(self.config, nonce)
        head = self.with_meta(head, head_tags, nonce)
        body = (head + first).encode()
        gzip = "gzip" in accepted_encodings(request.headers.get("accept-encoding", ""))
        if gzip:
            headers["Content-Encoding"] = "gzip"
        if last:  # nothing was left to wait for: one body, with its length
            await chunks.aclose()
            if gzip:
                compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: the gzip format
                body = compressor.compress(body) + compressor.flush()
            response = Response(body, media_type=HTML_TYPE, headers=headers)
        else:  # (a proxy such as nginx is to pass each chunk on as it comes)
            response = PageStream(body, chunks, {**headers, **UNBUFFERED}, gzip)
        options.apply(response)
        return response

    def with_meta(self, head: str, tags: Head, nonce: str | None) -> str:
        """The document's start with what the page's meta components asked for: its
        title, its tags (each meta once: the page's viewport or charset replaces the
        default one), the attributes of `<html>` and `<body>`."""
        if not tags.entries:  # (no meta component: the document's start as it is)
            return head
        default_title = "<title>%s</title>" % escape_text(self.config.title)
        extra = tags_html(tags, nonce)
        if 'name="viewport"' in extra:
            head = head.replace(VIEWPORT, "")
        if "<meta charset=" in extra:
            head = head.replace(CHARSET, "", 1)
        head = head.replace(default_title, title_html(tags, self.config.title) + extra)
        html = tags.attrs(HTML)
        html.setdefault("lang", "en")
        head = head.replace('<html lang="en">', "<html%s>" % attributes_html(html.items()))
        body = tags.attrs(BODY)
        if body:
            head = head[: -len("<body>")] + "<body%s>" % attributes_html(body.items())
        return head

    def head(self, root_path: str) -> str:
        m = self.manifest
        base = root_path + "/_lepta/"
        runtime_url = "%sruntime/%s/" % (base, m.runtime_dir)
        return (
            '<!DOCTYPE html><html lang="en"><head>' + CHARSET + VIEWPORT +
            "<title>%s</title>"
            "%s%s"
            '<link rel="preload" href="%s%s" as="fetch" crossorigin>'
            '<script type="module" src="%s%s" data-lepta-runtime="%s" '
            'data-lepta-runtime-url="%s" data-lepta-bundle="%s%s" data-lepta-entry="%s" '
            'data-lepta-heap-mb="%d" data-lepta-base="%s" data-lepta-build="%s"></script>'
            "</head><body>"
            % (
                escape_text(self.config.title),
                self.links(root_path),
                _preloads(m.runtime, runtime_url),
                base,
                m.bundle,
                base,
                m.loader,
                m.runtime,
                escape_attr(runtime_url),
                base,
                m.bundle,
                escape_attr(m.entry),
                self.config.heap_mb,
                escape_attr(browser_path(root_path.encode())),
                escape_attr(m.build_id),
            )
        )

    def links(self, root_path: str) -> str:
        """The favicon (the app's public/favicon.ico, else none, without a request)
        and the app's stylesheet."""
        icon = root_path + "/favicon.ico"
        if not (self.config.root / "public" / "favicon.ico").is_file():
            icon = "data:,"
        links = '<link rel="icon" href="%s">' % escape_attr(icon)
        if self.manifest.style:
            href = "%s/_lepta/%s" % (root_path, self.manifest.style)
            links += '<link rel="stylesheet" href="%s">' % escape_attr(href)
        return links


CHARSET = '<meta charset="utf-8">'
UNBUFFERED = {"X-Accel-Buffering": "no"}
HTML_TYPE = "text/html"  # (Starlette adds "; charset=utf-8")
WATCH_AFTER = 0.05  # seconds a page streams before listening for the client leaving
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def _preloads(runtime: str, url: str) -> str:
    """Start fetching the runtime at once, beside the loader, not after it."""
    if runtime == "micropython":
        return (
            '<link rel="modulepreload" href="%smicropython.mjs">'
            '<link rel="preload" href="%smicropython.wasm" as="fetch" crossorigin>' % (url, url)
        )
    return '<link rel="modulepreload" href="%spyodide.mjs">' % url


class PageStream(Response):
    """A page streamed as it renders: its first chunk (the document's start) at once,
    each later chunk of `rest` (see `lepta.ssr._stream.render_chunks`) as it comes,
    gzipped chunk by chunk with `gzip` (flushed after each, so each reaches the
    browser at once). The last chunk ends the body in the same message.

    While it waits for data, a client that leaves (`http.disconnect`) stops the
    rendering: what is pending is cancelled (noticed from WATCH_AFTER seconds on: a
    page done sooner needs no task listening for it)."""

    media_type = HTML_TYPE

    def __init__(
        self,
        first: bytes,
        rest: AsyncGenerator[tuple[str, bool], None],
        headers: dict[str, str],
        gzip: bool,
    ) -> None:
        self.status_code = 200
        self.background = None
        self.first = first
        self.rest = rest
        self.compressor = zlib.compressobj(6, zlib.DEFLATED, 31) if gzip else None
        self.init_headers(headers)

    def encode(self, text: str, last: bool) -> bytes:
        data = text.encode()
        compressor = self.compressor
        if compressor is None:
            return data
        return compressor.compress(data) + compressor.flush(
            zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        import asyncio

        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        await send({"type": "http.response.body", "body": self.encode_first(), "more_body": True})
        task = asyncio.current_task()
        assert task is not None
        done = left = False
        watcher: Any = None

        async def watch() -> None:
            nonlocal left
            try:
                while (await receive())["type"] != "http.disconnect":
                    pass
            except Exception:  # (a server whose receive fails: nothing to watch)
                return
            if not done:
                left = True
                task.cancel()

        def start_watching() -> None:
            nonlocal watcher
            if not done:
                watcher = asyncio.ensure_future(watch())

        # (most pages end sooner: no listening task for them)
        timer = asyncio.get_running_loop().call_later(WATCH_AFTER, start_watching)
        try:
            last = False
            async for chunk, last in self.rest:
                await send(
                    {
                        "type": "http.response.body",
                        "body": self.encode(chunk, last),
                        "more_body": not last,
                    }
                )
                if last:
                    break
            done = True
            if not last:
                await send({"type": "http.response.body", "body": self.encode("", True)})
        except asyncio.CancelledError:
            if not left:
                raise
            task.uncancel()  # the client left: nothing more to send, no error
        finally:
            done = True
            timer.cancel()
            if watcher is not None:
                watcher.cancel()
            await self.rest.aclose()

    def encode_first(self) -> bytes:
        compressor = self.compressor
        if compressor is None:
            return self.first
        return compressor.compress(self.first) + compressor.flush(zlib.Z_SYNC_FLUSH)


FUNCTION_METHODS = ["GET", "HEAD", "POST"]  # (a wrong one gets the function's own 405)


def function_routes(endpoints: FunctionEndpoints) -> list[Route]:
    """Routes for the server functions declared at endpoints of their own (outside the
    `/_lepta/fn/` prefix, which one route answers)."""
    return [
        Route(path, endpoints.handle, methods=FUNCTION_METHODS)
        for path in sorted(registry)
        if not path.startswith(DEFAULT_PREFIX + "/")
    ]


def is_function_call(path: str, headers: dict[bytes, bytes]) -> bool:
    """Whether a request to `path` (below the mount point) calls a server function
    from code, which reads errors as JSON (a form posted by the browser itself shows
    them to a person: HTML)."""
    if path not in registry and not path.startswith(DEFAULT_PREFIX + "/"):
        return False
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind.decode("latin-1") not in FORM_TYPES or b"application/json" in headers.get(
        b"accept", b""
    )


def page_path(scope: Any) -> str:
    """The request's path below the app's mount point, percent-encoded as the browser's
    `location.pathname` shows it (so `/a%2Fb` stays apart from `/a/b`)."""
    root_path = scope.get("root_path", "")
    raw = scope.get("raw_path")
    if raw is None:  # a server that does not give the raw path: encode the decoded one
        raw = scope["path"].encode("utf-8")
    path = browser_path(raw)
    prefix = browser_path(root_path.encode("utf-8"))
    if root_path and path.startswith(prefix):
        path = path[len(prefix) :]
    return path or "/"


# Bytes a browser percent-encodes in a URL's path (the WHATWG path percent-encode set).
_ENCODED_IN_PATH = set(range(0x21)) | set(range(0x7F, 0x100)) | set(b'"#<>?`{}')
_ENCODED_BYTES = bytes(sorted(_ENCODED_IN_PATH))


def browser_path(raw: bytes) -> str:
    """A path's bytes as `location.pathname` shows them: escapes kept as they are,
    spaces, controls and non-ASCII bytes percent-encoded."""
    if len(raw.translate(None, _ENCODED_BYTES)) == len(raw):  # (most paths: none to encode)
        return raw.decode("ascii")
    return "".join("%%%02X" % b if b in _ENCODED_IN_PATH else chr(b) for b in raw)


def error_page(exc: BaseException, production: bool) -> Response:
    """The 500 page: the traceback in development, nothing of it in production."""
    if production:
        detail = "<p>The server could not render this page. The error has been logged.</p>"
    else:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        detail = "<pre>%s</pre>" % escape_text(text)
    return HTMLResponse(
        "<!DOCTYPE html><title>Server error</title><h1>500: server error</h1>" + detail,
        status_code=500,
    )


log = logging.getLogger("lepta")


def not_found() -> Response:
    return HTMLResponse(
        "<!DOCTYPE html><title>Not found</title><h1>404: nothing here</h1>", status_code=404
    )
