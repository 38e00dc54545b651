"""`@server`: an async function that runs on the server, called from anywhere.

On the server a call runs the function in-process, its arguments validated and its
result shaped as JSON exactly as a browser would receive it (so a resource that
calls one during server rendering hydrates with the same value). In the browser
bundle `lepta build` has replaced the function by a stub (`ServerFunction.remote`)
that knows only its endpoint and parameter names: a call is one HTTP request.

Endpoints are `{prefix}/{module}.{name}` (prefix `/_lepta/fn`): the same on every
machine and in every build, since they hold no file path and no random part.
"""

from __future__ import annotations

from typing import Any, Callable

from ._errors import ServerFnDefinitionError

DEFAULT_PREFIX = "/_lepta/fn"
METHODS = ("POST", "GET")

# Every server function of the process, by endpoint (the server answers from it).
registry: dict[str, ServerFunction] = {}


class ServerFunction:
    """A function declared with `@server`; calling it returns an awaitable (or, for an
    async generator, an async iterator of its chunks)."""

    __slots__ = ("doc", "endpoint", "fn", "method", "name", "params", "shape", "streaming")

    def __init__(
        self,
        fn: Callable[..., Any] | None,
        name: str,
        endpoint: str,
        method: str,
        params: tuple[str, ...],
        streaming: bool,
    ) -> None:
        self.fn = fn  # None in the browser: the body stayed on the server
        self.name = name  # "module.function"
        self.endpoint = endpoint
        self.method = method
        self.params = params
        self.streaming = streaming
        self.shape: Any = None  # how the server validates and shapes it (made on first use)
        self.doc = getattr(fn, "__doc__", None)  # the function's docstring (for OpenAPI)

    @classmethod
    def remote(
        cls, name: str, endpoint: str, method: str, params: tuple[str, ...], streaming: bool
    ) -> ServerFunction:
        """The browser's stand-in for a server function (written by `lepta build`)."""
        return cls(None, name, endpoint, method, params, streaming)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        arguments = self.bind(args, kwargs)
        if self.fn is None:
            from ._client import call_remote, stream_remote

            if self.streaming:
                return stream_remote(self, arguments)
            return call_remote(self, arguments)
        from ._local import call_local, stream_local

        return stream_local(self, arguments) if self.streaming else call_local(self, arguments)

    def bind(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The call's arguments by parameter name (missing ones get their defaults on
        the server)."""
        if len(args) > len(self.params):
            raise TypeError(
                "%s() takes %d arguments but %d were given"
                % (self.name, len(self.params), len(args))
            )
        arguments = {}
        for i, value in enumerate(args):
            arguments[self.params[i]] = value
        for name, value in kwargs.items():
            if name not in self.params:
                raise TypeError("%s() got an unexpected argument %r" % (self.name, name))
            if name in arguments:
                raise TypeError("%s() got two values for argument %r" % (self.name, name))
            arguments[name] = value
        return arguments

    def __repr__(self) -> str:
        return "<server function %s at %s %s>" % (self.name, self.method, self.endpoint)


def server(
    fn: Callable[..., Any] | None = None,
    *,
    endpoint: str | None = None,
    prefix: str = DEFAULT_PREFIX,
    method: str = "POST",
) -> Any:
    """Declare an async function that runs on the server and is called from anywhere.

        @server
        async def add_todo(title: str) -> int:
            async with db.begin() as conn:
                ...

        @server(method="GET")                 # cacheable, side-effect-free reads
        async def list_todos() -> list[Todo]: ...

    Its endpoint is `POST /_lepta/fn/{module}.{name}`; `endpoint=` replaces the
    `{module}.{name}` part, `prefix=` the `/_lepta/fn` part. Arguments are validated
    from the type hints; a bad one is a 422 naming each field, and the function
    never runs.
    """
    if fn is None:
        return lambda f: server(f, endpoint=endpoint, prefix=prefix, method=method)
    method = method.upper()
    if method not in METHODS:
        raise ServerFnDefinitionError(
            "@server(method=%r) on %s: use method=\"POST\" (the default) or \"GET\""
            % (method, _qualname(fn))
        )
    streaming = _is_async_generator(fn)
    if not streaming and not _is_coroutine_function(fn):
        raise ServerFnDefinitionError(
            "@server on %s: a server function must be `async def` (its browser side "
            "awaits an HTTP request)" % _qualname(fn)
        )
    name = "%s.%s" % (fn.__module__, fn.__name__)
    path = endpoint_path(prefix, endpoint or name)
    code = fn.__code__
    params = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    function = ServerFunction(fn, name, path, method, tuple(params), streaming)
    register(function)
    return function


def endpoint_path(prefix: str, endpoint: str) -> str:
    """`/prefix/endpoint`, with exactly one slash between them."""
    if endpoint.startswith("/"):
        return endpoint
    return prefix.rstrip("/") + "/" + endpoint


def register(function: ServerFunction) -> None:
    """Add `function` to the registry; two functions on one endpoint is an error."""
    earlier = registry.get(function.endpoint)
    if earlier is not None and earlier.name != function.name:
        raise ServerFnDefinitionError(
            "%s and %s are both server functions at %s: give one of them another "
            "endpoint (@server(endpoint=...))" % (earlier.name, function.name, function.endpoint)
        )
    registry[function.endpoint] = function  # (the same function imported again replaces it)


def _qualname(fn: Any) -> str:
    return "%s.%s" % (getattr(fn, "__module__", "?"), getattr(fn, "__name__", "?"))


def _is_coroutine_function(fn: Any) -> bool:
    try:
        import inspect
    except ImportError:  # MicroPython: an async def is a generator function
        return True
    return inspect.iscoroutinefunction(fn)


def _is_async_generator(fn: Any) -> bool:
    try:
        import inspect
    except ImportError:
        return False
    return inspect.isasyncgenfunction(fn)
