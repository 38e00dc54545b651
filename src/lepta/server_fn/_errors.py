"""Errors of server functions: what a caller can catch, on either side.

    LeptaError
     +-- ServerError             raised on purpose by a server function; reaches the caller
          +-- ValidationError    the arguments did not fit the function's hints (422)
          +-- ServerFnNotFound   no server function at that endpoint (404): reload the page
          +-- StaleClient        the page is from an earlier build and the function changed
                                 or is gone (409); the browser reloads the page once
     +-- ServerFnDefinitionError two server functions on one endpoint, or a bad @server
"""

from __future__ import annotations

from ..reactive import LeptaError


class ServerError(LeptaError):
    """An error a server function raises for its caller to see.

        @server
        async def add_todo(title: str) -> int:
            if not title.strip():
                raise ServerError("Title must not be empty", status=400)

    The caller (in the browser too) gets the same class with the same message:
    subclass it to tell errors apart. `status` is the HTTP status of the answer.
    Any other exception is a 500 whose details stay on the server in production.
    """

    status = 400
    for_users = True  # read by a resource that failed with it: the page may show it

    def __init__(self, message: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def to_json(self) -> dict[str, object]:
        cls = type(self)
        return {"type": "%s:%s" % (cls.__module__, cls.__name__), "message": self.message}


class ValidationError(ServerError):
    """The arguments did not fit the function's type hints; `fields` maps each bad
    field (dotted: "todo.title") to why."""

    status = 422

    def __init__(
        self, message: str = "", status: int | None = None, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message, status)
        self.fields = fields or {}

    def to_json(self) -> dict[str, object]:
        data = super().to_json()
        data["fields"] = self.fields
        return data


class ServerFnNotFound(ServerError):
    """No server function answers at that endpoint: the page is older than the server
    (a redeploy) or the address is wrong."""

    status = 404


class StaleClient(ServerError):
    """The page was loaded from an earlier build of the app, and the server function it
    called has changed since or is gone (a redeploy). The loader reloads the page once,
    which gets the new build; the call is not made."""

    status = 409


class ServerFnDefinitionError(LeptaError):
    """A server function is declared wrongly (not async, two on one endpoint, ...)."""


def error_from_json(data: object, status: int) -> ServerError:
    """The exception a caller raises for an error answer (`{"error": {...}}`)."""
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return ServerError("the server answered %d" % status, status)
    error = data["error"]
    message = str(error.get("message", ""))
    cls = _error_class(str(error.get("type", "")))
    if issubclass(cls, ValidationError):
        fields = error.get("fields")
        return cls(message, status, fields if isinstance(fields, dict) else {})
    return cls(message, status)


def _error_class(name: str) -> type[ServerError]:
    """The ServerError subclass `module:Class`, if this side has it; else ServerError."""
    module_name, _, class_name = name.partition(":")
    if not class_name:
        return ServerError
    try:
        module = __import__(module_name, None, None, [class_name])
        cls = getattr(module, class_name)
    except (ImportError, AttributeError):
        return ServerError
    if isinstance(cls, type) and issubclass(cls, ServerError):
        return cls
    return ServerError
