"""The route table: routes as declared, flattened into branches and ranked.

    Routes(
        Route("/", Home),
        ParentRoute("/contacts", ContactList,
            Route("", NoContact),               # /contacts
            Route(":id", ContactInfo),          # /contacts/:id
        ),
        Route("/about", About, ssr="in_order"),
    )

A branch is the chain of routes from the top to a leaf, with its full path
("/contacts/:id"): what one page shows. A `ParentRoute` matches only through one of
its children (give it a child with path "" to show it on its own path). Children's
paths are relative to their parent's.

Matching splits and decodes the path once, then tries only the branches that can
match its first segment, most specific first (see `_path`); a table is compiled once
per distinct structure and kept.
"""

from __future__ import annotations

from typing import Any, Callable

from ..reactive import LeptaError
from ..view._location import percent_decode
from ._path import STATIC, PathPattern, RouteConflictError, _match, ranked

# The streaming modes, from the least blocking to the most.
MODES = ("out_of_order", "in_order", "async")


class Route:
    """A route: `view` (a component, or any function returning a view) shown at
    `path`; `ssr` the streaming mode of its pages (None: the app's default)."""

    __slots__ = ("children", "condition", "path", "redirect_path", "ssr", "view")

    def __init__(
        self, path: str, view: Callable[[], Any], ssr: str | None = None, *routes: Route
    ) -> None:
        if ssr is not None and ssr not in MODES:
            raise RouteConflictError(
                "route %r: unknown streaming mode %r; use one of %s" % (path, ssr, ", ".join(MODES))
            )
        self.path = path
        self.view = view
        self.ssr = ssr
        self.children = routes
        self.condition: Callable[[], Any] | None = None
        self.redirect_path = ""

    def __repr__(self) -> str:
        return "Route(%r)" % self.path


def ParentRoute(
    path: str, view: Callable[[], Any], *routes: Route, ssr: str | None = None
) -> Route:
    """A route whose view shows one of `routes` (paths relative to `path`) where it
    puts an `Outlet()`."""
    if not routes:
        raise LeptaError("ParentRoute(%r) needs at least one child route" % path)
    return Route(path, view, ssr, *routes)


def ProtectedRoute(
    path: str,
    view: Callable[[], Any],
    condition: Callable[[], Any],
    redirect_path: str,
    ssr: str | None = None,
) -> Route:
    """A route shown while `condition()` is true; otherwise the visitor is redirected
    to `redirect_path` (a 302 on the server, a navigation in the browser)."""
    route = Route(path, view, ssr)
    route.condition = condition
    route.redirect_path = redirect_path
    return route


class Branch:
    """One page of the table: its full path, its streaming mode, and where its
    routes are in the declaration (`indexes`: the child taken at each level)."""

    __slots__ = ("indexes", "pattern", "ssr")

    def __init__(
        self, routes: tuple[Route, ...], indexes: tuple[int, ...], pattern: PathPattern
    ) -> None:
        self.indexes = indexes
        self.pattern = pattern
        self.ssr = most_blocking([route.ssr for route in routes])

    def routes(self, declared: tuple[Any, ...]) -> list[Route]:
        """This branch's routes, from the top down, in `declared` (a declaration of
        the same table: a component declares its routes anew each time it runs)."""
        chain = []
        for i in self.indexes:
            route = declared[i]
            chain.append(route)
            declared = route.children
        return chain

    def __repr__(self) -> str:
        return "Branch(%r)" % self.pattern.pattern


def most_blocking(modes: list[str | None]) -> str | None:
    """The mode that waits the most among `modes` (None where none is set)."""
    found = -1
    for mode in modes:
        if mode is not None:
            found = max(found, MODES.index(mode))
    return MODES[found] if found >= 0 else None


def join(parent: str, child: str) -> str:
    """A child route's full path: `child` is relative to `parent`."""
    child = child.strip("/")
    if not child:
        return parent or "/"
    return parent.rstrip("/") + "/" + child


class RouteTable:
    """Branches ranked by specificity; `match(path)` finds the page for a path.

        table = RouteTable([Route("/", Home), Route("/users/:id", User)])
        branch, params = table.match("/users/7")      # params == {"id": "7"}
    """

    __slots__ = ("branches", "by_first", "depth", "names", "others")

    def __init__(self, routes: tuple[Any, ...]) -> None:
        branches: list[Branch] = []
        for i, route in enumerate(routes):
            if not isinstance(route, Route):
                raise LeptaError(
                    "Routes() takes Route, ParentRoute and ProtectedRoute values, not %r" % (route,)
                )
            _flatten(route, "", (), (i,), branches)
        by_pattern = {id(b.pattern): b for b in branches}
        self.branches = [by_pattern[id(p)] for p in ranked([b.pattern for b in branches])]
        self.depth = max([len(b.indexes) for b in self.branches] or [0])
        self.names = sorted(
            {s.text for b in self.branches for s in b.pattern.segments if s.kind != STATIC}
        )
        # Branches by their first segment when it is static; the rest (which rank
        # below every static-first branch) are tried after those.
        self.by_first: dict[str, list[Branch]] = {}
        self.others: list[Branch] = []
        for branch in self.branches:
            segments = branch.pattern.segments
            if segments and segments[0].kind == STATIC:
                self.by_first.setdefault(segments[0].text, []).append(branch)
            else:
                self.others.append(branch)

    def match(self, path: str) -> tuple[Branch, dict[str, str]] | None:
        """The most specific branch matching `path` (percent-encoded), and its params."""
        parts = [percent_decode(part) for part in path.split("/") if part]
        if parts:
            first = self.by_first.get(parts[0])
            if first is not None:
                found = _first(first, parts)
                if found is not None:
                    return found
        return _first(self.others, parts)


def _first(branches: list[Branch], parts: list[str]) -> tuple[Branch, dict[str, str]] | None:
    for branch in branches:
        params: dict[str, str] = {}
        if _match(branch.pattern.segments, 0, parts, 0, params):
            return branch, params
    return None


def _flatten(
    route: Route, prefix: str, above: tuple[Route, ...], indexes: tuple[int, ...], out: list[Branch]
) -> None:
    path = join(prefix, route.path) if above else route.path
    if not path.startswith("/"):
        raise RouteConflictError("route path %r must start with '/'" % route.path)
    chain = above + (route,)
    if not route.children:
        out.append(Branch(chain, indexes, PathPattern(path)))
        return
    for i, child in enumerate(route.children):
        if not isinstance(child, Route):
            raise LeptaError(
                "ParentRoute(%r) takes routes as children, not %r" % (route.path, child)
            )
        _flatten(child, path, chain, indexes + (i,), out)


_tables: dict[Any, RouteTable] = {}


def table_for(routes: tuple[Any, ...]) -> RouteTable:
    """The compiled table of `routes`, kept for the next render of the same table
    (a component declares its routes anew each time it runs)."""
    key = _key(routes)
    table = _tables.get(key)
    if table is None:
        if len(_tables) > 64:  # tables made on the fly: keep the memory bounded
            _tables.clear()
        table = _tables[key] = RouteTable(routes)
    return table


def _key(routes: tuple[Any, ...]) -> Any:
    # The structure only: views and conditions are read from each declaration.
    return tuple(
        (r.path, r.ssr, _key(r.children)) if isinstance(r, Route) else id(r) for r in routes
    )
