"""The request being answered, and what to answer: for server functions and for
components rendered on the server.

    @server
    async def logout() -> None:
        use_response().delete_cookie("session")
        redirect("/")

    @component
    def NotFound():
        use_response().status = 404      # the page's status (set before its first byte)
        return h1("Not found")

In the browser there is no request: `use_request()` is None, `use_response()`
collects what is set and nothing reads it, and `redirect()` navigates (in the page
when a Router's routes match the address, else by loading it).
"""

from __future__ import annotations

from typing import Any

try:  # the server: each request (each asyncio task) sees its own
    from contextvars import ContextVar

    _current: Any = ContextVar("lepta_request", default=None)
except ImportError:  # MicroPython, in the browser: there are no requests

    class _Nothing:
        def get(self) -> Any:
            return None

    _current = _Nothing()


class ResponseOptions:
    """What a server function or a page sets on its answer: status, headers, cookies,
    a redirect."""

    __slots__ = ("cookies", "headers", "redirect_to", "status")

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: list[tuple[str, str]] = []
        self.cookies: list[tuple[str, str, dict[str, Any]]] = []
        self.redirect_to: str | None = None

    def set_header(self, name: str, value: str) -> None:
        """Set header `name` (replacing any set before)."""
        self.headers = [(n, v) for n, v in self.headers if n.lower() != name.lower()]
        self.headers.append((name, value))

    def append_header(self, name: str, value: str) -> None:
        self.headers.append((name, value))

    def set_cookie(self, key: str, value: str = "", **options: Any) -> None:
        """A cookie, with Starlette's options (max_age, path, secure, httponly,
        samesite="lax", ...)."""
        self.cookies.append((key, value, options))

    def delete_cookie(self, key: str, path: str = "/") -> None:
        self.cookies.append((key, "", {"max_age": 0, "path": path}))

    def apply(self, response: Any) -> None:
        """Write these options onto a Starlette response."""
        if self.status is None and not self.headers and not self.cookies:
            return  # the usual case: nothing was set
        if self.status is not None:
            response.status_code = self.status
        for name, value in self.headers:
            response.headers[name] = value
        for key, value, options in self.cookies:
            response.set_cookie(key, value, **options)


class RequestScope:
    """The request being answered and the response being made (set by the server)."""

    __slots__ = ("request", "response")

    def __init__(self, request: Any) -> None:
        self.request = request
        self.response = ResponseOptions()


def enter(request: Any) -> tuple[RequestScope, Any]:
    """Make `request` current (the server, around a call or a page's render)."""
    scope = RequestScope(request)
    return scope, _current.set(scope)


def leave(token: Any) -> None:
    _current.reset(token)


_browser_response = ResponseOptions()


def use_request() -> Any:
    """The Starlette `Request` being answered, or None (in the browser, in tests)."""
    scope = _current.get()
    return scope.request if scope is not None else None


def use_response() -> ResponseOptions:
    """The options of the answer being made: `status`, `set_header`, `set_cookie`..."""
    scope = _current.get()
    return scope.response if scope is not None else _browser_response


def mount_base() -> str:
    """The path the app is mounted at ("" at the root): the request's root path on
    the server, the page's in the browser."""
    scope = _current.get()
    if scope is not None:
        return str(scope.request.scope.get("root_path", ""))
    try:
        import js  # type: ignore[import-not-found]
    except ImportError:
        return ""
    bridge = getattr(js, "leptaBridge", None)  # (None: MicroPython outside a page)
    return str(bridge.base()) if bridge is not None else ""


def redirect(url: str) -> None:
    """Send the user to `url`: a 303 for a form posted without JavaScript, a
    navigation for a call from the browser's code, a redirect for a page."""
    scope = _current.get()
    if scope is not None:
        scope.response.redirect_to = url
        return
    try:
        import js
    except ImportError:
        return  # neither a request nor a page: nothing to redirect
    js.leptaBridge.router.go(url)  # in the page under a Router, else a page load
