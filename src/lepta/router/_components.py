"""The router's components: Router, Routes, Outlet, Redirect, A and Form.

    @component
    def App():
        return Router(
            nav(A("Contacts", href="/contacts"), A("About", href="/about")),
            Routes(
                Route("/", lambda: Redirect("/contacts")),
                ParentRoute("/contacts", ContactList,
                    Route("", NoContact),
                    Route(":id", ContactInfo)),
                Route("/about", About),
                fallback=NotFound,
            ),
        )

Each level of a matched branch is rendered on its own: navigating from
`/contacts/1` to `/contacts/2` re-renders nothing (the route is the same; views
that read `use_params()["id"]` update), and from `/contacts/1` to `/about` replaces
the top level. A parent's view runs once while the visitor stays under it.
"""

from __future__ import annotations

from typing import Any, Callable

from ..dom._js import js_module
from ..html import a, form
from ..reactive import (
    Effect,
    LeptaError,
    Memo,
    current_scope,
    on_cleanup,
    provide_context,
    untrack,
    use_context,
)
from ..reactive._core import server_scope
from ..server_fn._request import mount_base, redirect, use_request, use_response
from ..view import component
from ..view._location import use_location as page_location
from ._query import parse_query
from ._state import RouterState, convert, use_router
from ._table import Route, RouteTable, table_for


@component
def Router(base: str = "", children: Any = ()) -> Any:
    """The router: the address as signals, for the `Routes`, links and hooks inside.

    `base` is a prefix of every route and link of this router (`base="/app"`: the
    route "/users" is at "/app/users"). Where the app is mounted (a Starlette mount)
    needs no base: paths are always below the mount point.
    """
    state = RouterState(page_location(), base, browser_bridge())
    provide_context(state)
    if state.browser is not None:
        _connect(state)
    return children


def browser_bridge() -> Any:
    """The loader's router functions in a browser page, else None."""
    js = js_module()
    if js is None:
        return None
    bridge = getattr(js, "leptaBridge", None)
    return getattr(bridge, "router", None) if bridge is not None else None


def _connect(state: RouterState) -> None:
    """Let the page's links, GET forms and history buttons navigate through `state`."""
    from ..dom._browser import _persistent, flush_page

    def navigate(path: str, query: str, hash_: str) -> bool:
        # `path` is below the mount point; navigate() takes paths below the base.
        relative = state.relative(path)
        if relative is None:
            return False
        target = relative + ("?" + query if query else "") + ("#" + hash_ if hash_ else "")
        if not state.routes_match(state.resolve(target)[0]):
            # Not a page of this router: the browser loads it itself (the link's, the
            # form's or the redirect's own navigation; a second one would abort it).
            return False
        handled = state.navigate(target)
        flush_page()
        return handled

    def pop(path: str, query: str, hash_: str, saved: str) -> bool:
        handled = state.pop(path, query, hash_, saved)
        flush_page()
        return handled

    state.browser.connect(_persistent(navigate), _persistent(pop))
    on_cleanup(lambda: state.browser.connect(None, None))


class _Level:
    """Which level of the matched branch an Outlet shows (context)."""

    __slots__ = ("depth", "routes")

    def __init__(self, routes: RoutesState, depth: int) -> None:
        self.routes = routes
        self.depth = depth


class RouteDiscovery:
    """Provided while the server reads an app's route tables at start-up: each
    `Routes` records its table and renders nothing."""

    def __init__(self) -> None:
        self.tables: list[tuple[str, RouteTable]] = []  # (router base, table)


class Params:
    """The matched route's path parameters, read reactively: `params["id"]`
    follows that parameter only (None when the route has no such parameter)."""

    __slots__ = ("_memos",)

    def __init__(self, memos: dict[str, Callable[[], Any]]) -> None:
        self._memos = memos

    def __getitem__(self, name: str) -> str | None:
        memo = self._memos.get(name)
        if memo is None:
            raise KeyError(
                "no route here has a parameter %r (the table's parameters: %s)"
                % (name, ", ".join(sorted(self._memos)) or "none")
            )
        return memo()  # type: ignore[no-any-return]

    def get(self, name: str, type: Callable[[str], Any] = str, default: Any = None) -> Any:
        """Parameter `name` as `type`: `params.get("id", int)` is an int, or
        `default` when the parameter is absent or not a number."""
        return convert(self[name], type, default)


class RoutesState:
    """One `Routes`: its declaration, table, match and the memos views read.

    With `server` (rendering on the server, where nothing re-runs when the address
    changes) they are plain functions instead, computed when read (the match kept
    while the path stays the same): the same values, at less cost per page."""

    def __init__(
        self, router: RouterState, routes: tuple[Any, ...], fallback: Any, server: bool = False
    ) -> None:
        self.router = router
        self.declared = routes
        self.table = table_for(routes)
        self.fallback = fallback
        table = self.table
        relative = router.relative
        path = router.path
        match: Callable[[], Any]
        if server:
            match = _MatchWhenRead(table, relative, path)
            node: Callable[[Callable[[], Any]], Callable[[], Any]] = _as_is
        else:
            match = Memo(lambda: _match(table, relative(path())))
            node = Memo
        self.match = match
        # (closures over the memos, not `self`: a page's state is then freed without
        # the garbage collector)
        self.levels = [node(_route_at(match, routes, depth)) for depth in range(table.depth)]
        self.params = Params({name: node(_param_of(match, name)) for name in table.names})

    def view_at(self, depth: int) -> Any:
        """The view of level `depth` (rebuilt only when that level's route changes)."""
        route = self.levels[depth]() if depth < len(self.levels) else None
        if route is None:
            if depth > 0:
                return None
            if use_request() is not None:
                use_response().status = 404
            fallback = self.fallback
            return untrack(fallback) if callable(fallback) else fallback
        return RouteView(route=route, level=_Level(self, depth + 1))


class _MatchWhenRead:
    """The table's match for the router's path, computed when read on the server
    (again only if the path changed since)."""

    __slots__ = ("found", "path", "relative", "seen", "table")

    def __init__(self, table: RouteTable, relative: Callable[[str], Any], path: Any) -> None:
        self.table = table
        self.relative = relative
        self.path = path
        self.seen: Any = None  # the path `found` is for
        self.found: Any = None

    def __call__(self) -> Any:
        path = self.path()
        if path != self.seen:
            self.found = _match(self.table, self.relative(path))
            self.seen = path
        return self.found


def _as_is(fn: Callable[[], Any]) -> Callable[[], Any]:
    return fn


def _route_at(match: Callable[[], Any], declared: tuple[Any, ...], depth: int) -> Callable[[], Any]:
    """A reader of the route shown at level `depth` of the matched branch."""

    def read() -> Route | None:
        found = match()
        if found is None:
            return None
        branch = found[0]
        if depth >= len(branch.indexes):
            return None
        route: Route = branch.routes(declared)[depth]
        return route

    return read


def _match(table: RouteTable, path: str | None) -> Any:
    return table.match(path) if path is not None else None


def _param_of(match: Callable[[], Any], name: str) -> Callable[[], str | None]:
    def read() -> str | None:
        found = match()
        return found[1].get(name) if found is not None else None

    return read


@component
def Routes(fallback: Any = None, children: Any = ()) -> Any:
    """The route table: shows the view of the route matching the address.

    `children` are Route, ParentRoute and ProtectedRoute values, matched by
    specificity (see `lepta.router`); two routes no path can tell apart are an
    error. `fallback` (a component or a view) shows where nothing matches, with
    status 404 on the server.
    """
    router = use_context(RouterState)
    if router is None:
        raise LeptaError("Routes(...) must be inside a Router(...)")
    discovery = use_context(RouteDiscovery)
    if discovery is not None:
        discovery.tables.append((router.base, table_for(children)))
        return None
    state = RoutesState(router, children, fallback, server_scope(current_scope()))
    router.tables.append(state.table)
    on_cleanup(lambda: router.tables.remove(state.table))
    provide_context(state.params)
    return lambda: state.view_at(0)


@component
def RouteView(route: Route, level: _Level) -> Any:
    """One route's view, with what its Outlet shows next."""
    provide_context(level)
    if route.condition is None:
        return route.view()
    condition = route.condition
    allowed = Memo(lambda: bool(condition()))
    target = route.redirect_path
    return lambda: untrack(route.view) if allowed() else Redirect(target)


@component
def Outlet() -> Any:
    """Where a ParentRoute's view shows its matched child route."""
    level = use_context(_Level)
    if level is None:
        raise LeptaError("Outlet() must be inside the view of a ParentRoute")
    routes = level.routes
    depth = level.depth
    return lambda: routes.view_at(depth)


def Redirect(path: str) -> Any:
    """Send the visitor to `path` (below the router's base) when rendered: a 302
    before the page's first byte on the server, a navigation (replacing the history
    entry) in the browser.

        Route("/", lambda: Redirect("/contacts"))
    """
    return RedirectTo(path=path)


@component
def RedirectTo(path: str) -> Any:
    router = use_router()
    if use_request() is not None:
        resolved, query, _ = router.resolve(path)
        redirect(mount_base() + resolved + ("?" + query if query else ""))
        return None
    Effect(lambda: untrack(lambda: router.navigate(path, replace=True)))
    return None


def use_params() -> Params:
    """The matched route's path parameters (see `Params`)."""
    params = use_context(Params)
    if params is None:
        raise LeptaError("use_params() must be used inside a route's view (under Routes)")
    return params


@component
def A(href: Any, exact: bool = False, children: Any = (), **attrs: Any) -> Any:
    """A link that navigates in the page (no reload) for same-origin clicks without a
    modifier key, `target` or `download`; others act as a plain `<a>`. Links to the
    current page get `aria-current="page"` (with `exact=False`, also links to a
    page above it: "/contacts" while at "/contacts/3").

        A("Contacts", href="/contacts", class_="nav")
    """
    router = use_router()
    read = href if callable(href) else (lambda: href)

    def current() -> str | None:
        return "page" if is_current(router, read(), exact) else None

    return a(*children, href=lambda: router.href(read()), aria_current=current, **attrs)


def is_current(router: RouterState, href: str, exact: bool) -> bool:
    """Whether a link to `href` is a link to the current page (a link with a query,
    "?page=2", only while the page has that query)."""
    path, _, query = href.partition("#")[0].partition("?")
    if not path.startswith("/"):
        return False
    here = router.relative(router.path())
    if here is None:
        return False
    if query and parse_query(query) != router.pairs():
        return False
    path = path.rstrip("/") or "/"
    if exact or path == "/":
        return here == path
    return here == path or here.startswith(path + "/")


@component
def Form(action: str = "", method: str = "get", children: Any = (), **attrs: Any) -> Any:
    """A form that, with method GET, navigates in the page to `action` with its
    fields as the query (a plain form without JavaScript). Other methods submit
    as usual (for server functions, see `ActionForm`)."""
    router = use_router()
    target = router.href(action) if action else None
    if method.lower() == "get":
        attrs["data_lepta_nav"] = ""
    return form(*children, action=target, method=method, **attrs)
