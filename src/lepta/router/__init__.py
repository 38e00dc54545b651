"""The router: nested routes matched by specificity, navigation in the page, and
hooks to read the address.

    from lepta.router import Router, Routes, Route, ParentRoute, Outlet, A, use_params

    @component
    def App():
        return Router(
            nav(A("Home", href="/"), A("Contacts", href="/contacts")),
            Routes(
                Route("/", Home),
                ParentRoute("/contacts", ContactList,
                    Route("", lambda: p("Select a contact")),
                    Route(":id", ContactInfo, ssr="in_order")),
                fallback=NotFound,                      # status 404 on the server
            ),
        )

    @component
    def ContactInfo():
        params = use_params()
        contact = Resource(lambda: params.get("id", int), get_contact)
        ...

Paths: static segments, `:name`, `:name?` (optional), `*name` (the rest). The most
specific route wins whatever the declaration order; routes no path can tell apart
are an error. A path has one canonical form, without a trailing slash: the server
answers the other with a 308, and the client navigates to the canonical one.
"""

from ._components import (
    A,
    Form,
    Outlet,
    Params,
    Redirect,
    RouteDiscovery,
    Router,
    Routes,
    use_params,
)
from ._path import PathPattern, RouteConflictError, canonical, first_match, ranked
from ._query import build_query, parse_query
from ._state import (
    Query,
    RouterLocation,
    RouterState,
    query_signal,
    use_location,
    use_navigate,
    use_query,
)
from ._table import ParentRoute, ProtectedRoute, Route, RouteTable, most_blocking

__all__ = [
    "A",
    "Form",
    "Outlet",
    "Params",
    "ParentRoute",
    "PathPattern",
    "ProtectedRoute",
    "Query",
    "Redirect",
    "Route",
    "RouteConflictError",
    "RouteDiscovery",
    "RouteTable",
    "Router",
    "RouterLocation",
    "RouterState",
    "Routes",
    "build_query",
    "canonical",
    "first_match",
    "most_blocking",
    "parse_query",
    "query_signal",
    "ranked",
    "use_location",
    "use_navigate",
    "use_params",
    "use_query",
]
