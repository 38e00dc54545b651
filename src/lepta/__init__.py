"""Lepta: a full-stack web framework for Python in the design of Leptos.

    from lepta import component, signal, render_to_string
    from lepta.html import div, button, span
    from lepta.server_fn import server     # (`lepta.server` is the ASGI package)
"""

from typing import TYPE_CHECKING

from .dom import (
    NodeRef,
    event_target_checked,
    event_target_value,
    hydrate,
    hydrate_body,
    mount_to,
    mount_to_body,
)
from .reactive import *  # noqa: F403
from .reactive import __all__ as _reactive_all
from .view import (
    Await,
    ComponentError,
    Dynamic,
    ErrorBoundary,
    For,
    ForEnumerate,
    Location,
    Portal,
    Provider,
    Show,
    Suspense,
    Transition,
    component,
    el,
    use_nonce,
)

if TYPE_CHECKING:  # (imported on first use: see __getattr__ below)
    from .router import (
        A,
        Form,
        Outlet,
        ParentRoute,
        ProtectedRoute,
        Redirect,
        Route,
        Router,
        Routes,
        query_signal,
        use_location,
        use_navigate,
        use_params,
        use_query,
    )
    from .server_fn import (
        ActionForm,
        MultiActionForm,
        ServerAction,
        ServerError,
        ServerMultiAction,
        redirect,
        use_request,
        use_response,
    )
    from .store import Store

# Names whose package is imported when first used, so that a page that uses none of
# them (a counter) neither downloads nor imports the router, server functions or stores
# (the browser's bundle holds only the modules an app reaches: lepta.build.bundle).
LAZY = {
    "router": (
        "A Form Outlet ParentRoute ProtectedRoute Redirect Route Router Routes "
        "query_signal use_location use_navigate use_params use_query"
    ).split(),
    "server_fn": (
        "ActionForm MultiActionForm ServerAction ServerError ServerMultiAction redirect "
        "use_request use_response"
    ).split(),
    "store": ["Store"],
}
_PACKAGE_OF = {}
for _package, _names in LAZY.items():
    for _name in _names:
        _PACKAGE_OF[_name] = _package


def __getattr__(name: str) -> object:
    package = _PACKAGE_OF.get(name)
    if package is None:
        raise AttributeError("module 'lepta' has no attribute %r" % name)
    value = getattr(__import__("lepta." + package, None, None, [name]), name)
    globals()[name] = value
    return value



try:  # the server renderer: not in the browser's bundle
    from .ssr import render_to_stream, render_to_string
except ImportError:
    pass

__version__ = "0.1.0"
__all__ = list(_reactive_all) + [
    "A",
    "ActionForm",
    "Await",
    "ComponentError",
    "Dynamic",
    "ErrorBoundary",
    "For",
    "ForEnumerate",
    "Form",
    "Location",
    "MultiActionForm",
    "Outlet",
    "ParentRoute",
    "NodeRef",
    "Portal",
    "ProtectedRoute",
    "Provider",
    "Redirect",
    "Route",
    "Router",
    "Routes",
    "ServerAction",
    "ServerError",
    "ServerMultiAction",
    "Show",
    "Store",
    "Suspense",
    "Transition",
    "component",
    "el",
    "event_target_checked",
    "event_target_value",
    "hydrate",
    "hydrate_body",
    "mount_to",
    "mount_to_body",
    "query_signal",
    "redirect",
    "render_to_stream",
    "render_to_string",
    "use_location",
    "use_navigate",
    "use_nonce",
    "use_params",
    "use_query",
    "use_request",
    "use_response",
]
