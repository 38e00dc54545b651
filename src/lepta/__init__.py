"""Lepta: a full-stack web framework for Python in the design of Leptos.

    from lepta import component, signal, render_to_string
    from lepta.html import div, button, span
    from lepta.server_fn import server     # (`lepta.server` is the ASGI package)
"""

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

try:  # the server renderer: not in the browser's bundle
    from .ssr import render_to_stream, render_to_string
except ImportError:
    pass
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
