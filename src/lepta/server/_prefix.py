"""Routes under one path prefix, tried only for paths under it.

Every page's path is matched after the app's own routes under `/_lepta/` (server
functions, the bundle, the runtime's files): grouped, a page's path is told apart from
them by one string comparison instead of a regular expression per route.

    PrefixRoutes("/_lepta/", [Route("/_lepta/openapi.json", openapi), ...])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send


class PrefixRoutes(BaseRoute):
    """`routes`, each starting with `prefix`, matched in order as a Router would: the
    first full match, else the first partial one (a path whose method is not allowed).
    The route that matched is the request's `route` (the Router sets the group there,
    then the child scope's keys over it)."""

    def __init__(self, prefix: str, routes: Sequence[BaseRoute]) -> None:
        self.prefix = prefix
        self.routes = routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] not in ("http", "websocket"):
            return Match.NONE, {}
        if not _below_mount(scope).startswith(self.prefix):
            return Match.NONE, {}
        partial = None
        for route in self.routes:
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                return match, {**child_scope, "route": route}
            if match is Match.PARTIAL and partial is None:
                partial = (match, {**child_scope, "route": route})
        return partial or (Match.NONE, {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope["route"].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)


def _below_mount(scope: Scope) -> str:
    """The request's path below the app's mount point (`root_path`), as the routes
    inside match it."""
    path: str = scope["path"]
    root = scope.get("root_path", "")
    if root and path.startswith(root + "/"):
        return path[len(root) :]
    return path
