"""The app's route tables, read once at start-up: each page's streaming mode comes
from the routes its path matches.

The root component is rendered once with a `RouteDiscovery` in its context: each
`Routes` records its table and renders nothing, so no route's view runs. Routes
that no path can tell apart stop the start with a RouteConflictError. An app whose
root cannot render without a request (it reads one before its Routes) streams every
page in the app's default mode, and says so in the log.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from ..reactive import provide_context
from ..router import RouteConflictError, RouteDiscovery, RouteTable, most_blocking
from ..ssr import render_to_string
from ..view import ComponentError, Location


class AppRoutes:
    """The route tables of an app: `mode_for(path)` is a page's streaming mode."""

    def __init__(self, tables: list[tuple[str, RouteTable]], default: str) -> None:
        self.tables = tables
        self.default = default

    def mode_for(self, path: str) -> str:
        """The most blocking mode of the routes `path` matches, else the default."""
        modes: list[str | None] = []
        for base, table in self.tables:
            relative = path
            if base:
                if path != base and not path.startswith(base + "/"):
                    continue
                relative = path[len(base) :] or "/"
            found = table.match(relative)
            if found is not None:
                modes.append(found[0].ssr)
        return most_blocking(modes) or self.default


def discover_routes(root: Callable[[], Any], context: list[Any], default: str) -> AppRoutes:
    """Render `root` once to read its route tables (see the module's docstring)."""
    discovery = RouteDiscovery()

    def view() -> Any:
        for value in context:
            provide_context(value)
        provide_context(Location("/"))
        provide_context(discovery)
        return root()

    try:
        render_to_string(view)
    except Exception as exc:
        error = exc.error if isinstance(exc, ComponentError) else exc
        if isinstance(error, RouteConflictError):
            raise error from None
        logging.getLogger("lepta").warning(
            "could not read the app's routes at start-up (%s: %s): every page streams in "
            "the default mode %r",
            type(error).__name__,
            error,
            default,
        )
    return AppRoutes(discovery.tables, default)
