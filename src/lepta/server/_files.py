"""Serving the client bundle and the runtime's files.

Each file is sent precompressed when the browser accepts it (brotli, then gzip, as
its `Accept-Encoding` q-values allow), with an ETag, so a revalidation is a 304, and
cached for a year (the names change when the content does). Byte ranges are served
by Starlette; a `Range` header that is not a valid byte range is ignored, as HTTP
asks, and a valid one past the end of the file is a 416.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.types import Receive, Scope, Send

MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".bin": "application/octet-stream",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
}
FOREVER = "public, max-age=31536000, immutable"
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))  # in order of preference


def send_file(request: Request, path: Path, cache: str = FOREVER) -> Response | None:
    """`path`, precompressed as the browser accepts, cached for good (or as `cache`
    says); a 304 when the browser's copy is current; None when there is no such file
    (any more)."""
    accepted = accepted_encodings(request.headers.get("accept-encoding", ""))
    media_type = MEDIA_TYPES.get(path.suffix.lower()) or _guess_type(path.name)
    headers = {"Cache-Control": cache, "Vary": "Accept-Encoding"}
    chosen = path
    for encoding, suffix in ENCODINGS:
        compressed = path.with_name(path.name + suffix)
        if encoding in accepted and compressed.exists():
            headers["Content-Encoding"] = encoding
            chosen = compressed
            break
    try:
        stat = os.stat(chosen)
    except FileNotFoundError:  # e.g. pruned: a build several builds old named it
        return None
    # One ETag per file sent: the plain and the compressed forms differ.
    headers["ETag"] = '"%x-%x-%s"' % (stat.st_size, stat.st_mtime_ns, chosen.suffix[1:])
    if etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        headers.pop("Content-Encoding", None)
        return Response(status_code=304, headers=headers)
    return _File(chosen, media_type=media_type, headers=headers, stat_result=stat)


def _guess_type(name: str) -> str:
    import mimetypes

    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return guessed + "; charset=utf-8" if guessed.startswith("text/") else guessed


# A public file may change under the same name: cached an hour, then revalidated.
PUBLIC = "public, max-age=3600"
# Asked for by browsers and crawlers on their own: a plain 404 when the app has none.
FILE_SUFFIXES = set(
    ".ico .png .jpg .jpeg .gif .svg .webp .avif .css .js .mjs .map .txt .xml .json "
    ".webmanifest .woff .woff2 .ttf .pdf .zip".split()
)


class PublicFolder:
    """The app's `public/` folder, whose files are served at the site's root.

    The names at its top are listed once, when the app is made (`lepta dev` makes a
    new app when a file there changes): a page's path, which starts with none of them,
    then costs no look at the disk. A server's event loop pays for each one (the
    interpreter's lock goes to another thread meanwhile, a database driver's), and
    every page is looked for here first. A file added at the top while the app
    serves is served once the app starts again (deployed with the code); one added
    or changed in a folder already there is served at once."""

    def __init__(self, root: Path) -> None:
        self.path = os.path.join(root, "public")
        try:
            self.top = frozenset(os.listdir(self.path))
        except OSError:  # (no public folder)
            self.top = frozenset()

    def find(self, segments: list[str]) -> Path | None:
        """The file at decoded path `segments`, if any (never outside the folder: no
        "..", no hidden files, no separators)."""
        if not segments or segments[0] not in self.top:
            return None
        for segment in segments:
            if segment.startswith(".") or "/" in segment or "\\" in segment or "\0" in segment:
                return None
        path = os.path.join(self.path, *segments)
        return Path(path) if os.path.isfile(path) else None


def accepted_encodings(header: str) -> set[str]:
    """The content codings `header` accepts (q above 0), lower-case; `*` stands for
    any coding not named.

        accepted_encodings("gzip, br;q=0")   # {"gzip"}
    """
    named: dict[str, float] = {}
    for part in header.split(","):
        coding, _, params = part.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0  # a q we cannot read: do not count on that coding
        named[coding] = q
    accepted = {coding for coding, q in named.items() if q > 0 and coding != "*"}
    if named.get("*", 0) > 0:
        accepted.update(c for c, _ in ENCODINGS if c not in named)
    return accepted


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` header names `etag` (weakly compared) or is `*`."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def valid_byte_ranges(header: str) -> bool:
    """Whether a `Range` header is a well-formed set of byte ranges, satisfiable or not:
    `bytes=0-99`, `bytes=100-`, `bytes=-500`, comma-separated."""
    unit, sep, specs = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return False
    for spec in specs.split(","):
        first, dash, last = spec.strip().partition("-")
        if not dash or not (first or last):
            return False
        if (first and not first.isdigit()) or (last and not last.isdigit()):
            return False
        if first and last and int(first) > int(last):
            return False
    return True


class _File(FileResponse):
    """A FileResponse that ignores a malformed `Range` (Starlette answers it with 400)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = scope.get("headers", [])
        for name, value in headers:
            if name == b"range" and not valid_byte_ranges(value.decode("latin-1")):
                kept = [(n, v) for n, v in headers if n not in (b"range", b"if-range")]
                scope = dict(scope, headers=kept)
                break
        await super().__call__(scope, receive, send)
