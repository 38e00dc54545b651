"""Server functions: async functions that run on the server, called from anywhere.

    from lepta.server_fn import server, ServerError, ServerAction, ActionForm

    @server
    async def add_todo(title: str) -> int:
        ...

See docs/server_fn.md.
"""

from ._action import ActionForm, MultiActionForm, ServerAction, ServerMultiAction
from ._errors import (
    ServerError,
    ServerFnDefinitionError,
    ServerFnNotFound,
    StaleClient,
    ValidationError,
)
from ._function import ServerFunction, server
from ._request import ResponseOptions, redirect, use_request, use_response
from ._unavailable import unavailable_when

__all__ = [
    "ActionForm",
    "MultiActionForm",
    "ResponseOptions",
    "ServerAction",
    "ServerError",
    "ServerFnDefinitionError",
    "ServerFnNotFound",
    "ServerFunction",
    "ServerMultiAction",
    "StaleClient",
    "ValidationError",
    "redirect",
    "server",
    "unavailable_when",
    "use_request",
    "use_response",
]
