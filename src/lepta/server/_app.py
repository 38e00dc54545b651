"""The ASGI application of a Lepta app.

    from lepta.server import create_app
    app = create_app("examples/counter")         # uvicorn module:app
    # or inside your own Starlette / FastAPI app:
    main_app.mount("/counter", create_app("examples/counter"))

Every page (any path outside `/_lepta/`) is the app's root component rendered on the
server, streamed into a document shell whose loader hydrates it in the browser; the
component finds the path with `use_location()`. Pages stream in the mode set in the
app's settings (`ssr`, `ssr_paths`; see lepta.server.config), gzipped chunk by chunk
when the browser accepts it. `/_lepta/...` serves the client bundle and the runtime's
files: precompressed (brotli or gzip, as the browser accepts), with their own MIME
types, cached for a year (their names change when their content does); anything
else there is a 404.

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
from pathlib import Path
from typing import Any, AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from ..reactive import provide_context
from ..ssr import escape_attr, escape_text, render_to_stream
from ..view import Location
from .config import AppConfig, load_config
from .manifest import Manifest, read_manifest

MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".bin": "application/octet-stream",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
}
FOREVER = "public, max-age=31536000, immutable"
# With `csp = true`: only scripts carrying the page's nonce run, and what they load
# (the runtime's modules); WebAssembly may compile; no plugins; no <base> hijacking.
CSP = (
    "script-src 'nonce-%s' 'strict-dynamic' 'wasm-unsafe-eval'; "
    "object-src 'none'; base-uri 'none'"
)


class NotBuiltError(RuntimeError):
    """The app has no client bundle yet."""


def create_app(app_dir: str | os.PathLike[str], runtime: str | None = None) -> Starlette:
    """The ASGI app serving the Lepta app in `app_dir`, built by `lepta build`.

    `runtime` picks the build to serve, as for `lepta build` (by default: the
    LEPTA_RUNTIME environment variable, else the app's pyproject.toml).

        app = create_app("examples/counter", runtime="micropython")
        uvicorn.run(app, host="127.0.0.1", port=3000)
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
    page = Page(config, manifest)

    async def index(request: Request) -> Response:
        return await page.respond(request, root)

    async def bundle_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in (manifest.loader, manifest.bundle):
            return not_found()
        return send_file(request, config.site / "_lepta" / name)

    runtime_dir = Path(manifest.runtime_path)

    async def runtime_file(request: Request) -> Response:
        if request.path_params["version"] != manifest.runtime_dir:
            return not_found()
        name = request.path_params["name"]
        if name not in manifest.runtime_files:
            return not_found()
        return send_file(request, runtime_dir / name)

    async def missing(request: Request, exc: Exception) -> Response:
        return not_found()

    async def missing_file(request: Request) -> Response:
        return not_found()

    return Starlette(
        routes=[
            Route("/_lepta/runtime/{version}/{name}", runtime_file),
            Route("/_lepta/{name}", bundle_file),
            Route("/_lepta/{rest:path}", missing_file),
            Route("/{path:path}", index),
        ],
        exception_handlers={404: missing},
    )


def load_component(config: AppConfig) -> Any:
    """Import the app's root component (its folder goes on `sys.path`)."""
    folder = str(config.root)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    module = importlib.import_module(config.module)
    try:
        return getattr(module, config.component)
    except AttributeError:
        raise LookupError(
            "%s has no %r: set app = \"module:Component\" under [tool.lepta] in %s"
            % (module.__file__, config.component, config.root / "pyproject.toml")
        ) from None


class Page:
    """The document shell around the server-rendered body."""

    def __init__(self, config: AppConfig, manifest: Manifest) -> None:
        self.config = config
        self.manifest = manifest
        self.heads: dict[str, str] = {}  # by the prefix the app is mounted at

    async def respond(self, request: Request, root: Any) -> Response:
        """The page at the request's path, streamed."""
        root_path = request.scope.get("root_path", "")
        path = request.url.path[len(root_path) :] or "/"
        location = Location(path, request.url.query)

        def view() -> Any:
            provide_context(location)
            return root()

        nonce = secrets.token_urlsafe(18) if self.config.csp else None
        chunks = render_to_stream(view, self.config.ssr_mode(path), nonce)
        try:
            first = await chunks.__anext__()
        except Exception as exc:
            log.exception("rendering %s failed", path)
            return error_page(exc, self.config.production)
        head = self.heads.get(root_path)
        if head is None:
            head = self.heads[root_path] = self.head(root_path + "/_lepta/")
        headers = {"Vary": "Accept-Encoding", "Cache-Control": "no-store"}
        if nonce is not None:
            attribute = ' nonce="%s"' % nonce
            head = head.replace("<script ", "<script%s " % attribute).replace(
                '<link rel="modulepreload"', '<link%s rel="modulepreload"' % attribute
            )
            headers["Content-Security-Policy"] = CSP % nonce

        async def document() -> AsyncIterator[bytes]:
            try:
                yield (head + first).encode()
                async for chunk in chunks:
                    yield chunk.encode()
                yield b"</body></html>"
            finally:
                await chunks.aclose()  # the client left: stop what is pending

        body = document()
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            body = gzip_chunks(body)
        return StreamingResponse(body, media_type="text/html; charset=utf-8", headers=headers)

    def head(self, base: str) -> str:
        m = self.manifest
        runtime_url = "%sruntime/%s/" % (base, m.runtime_dir)
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>%s</title>"
            '<link rel="icon" href="data:,">'
            "%s"
            '<link rel="preload" href="%s%s" as="fetch" crossorigin>'
            '<script type="module" src="%s%s" data-lepta-runtime="%s" '
            'data-lepta-runtime-url="%s" data-lepta-bundle="%s%s" data-lepta-entry="%s" '
            'data-lepta-heap-mb="%d"></script></head><body>'
            % (
                escape_text(self.config.title),
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
            )
        )


def _preloads(runtime: str, url: str) -> str:
    """Start fetching the runtime at once, beside the loader, not after it."""
    if runtime == "micropython":
        return (
            '<link rel="modulepreload" href="%smicropython.mjs">'
            '<link rel="preload" href="%smicropython.wasm" as="fetch" crossorigin>' % (url, url)
        )
    return '<link rel="modulepreload" href="%spyodide.mjs">' % url


def send_file(request: Request, path: Path) -> Response:
    """A file, precompressed as the browser accepts, cached for good."""
    accepted = request.headers.get("accept-encoding", "")
    media_type = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    headers = {"Cache-Control": FOREVER, "Vary": "Accept-Encoding"}
    for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
        compressed = path.with_name(path.name + suffix)
        if encoding in accepted and compressed.exists():
            headers["Content-Encoding"] = encoding
            return FileResponse(compressed, media_type=media_type, headers=headers)
    return FileResponse(path, media_type=media_type, headers=headers)


async def gzip_chunks(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """Gzip a stream, flushing after every chunk so each reaches the browser at once."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: the gzip format
    async for chunk in chunks:
        yield compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    yield compressor.flush()


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


