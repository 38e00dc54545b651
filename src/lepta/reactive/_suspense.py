"""What Suspense and hydration need from async values.

* `SuspenseContext`: a Suspense provides one to its children; every async value read
  below it registers there, so the Suspense knows whether anything it shows is loading.
* Keys: each Resource and OnceResource created while a view renders gets a key from
  its position (`"3"`: the fourth at the top level; `"1-2:0"`: the first inside the
  second Suspense inside the first). The server and the client render the same view in
  the same order, so the same resource gets the same key on both sides, however the
  server's stream was cut into chunks.
* `AsyncData`: the outcomes known by key. On the server it collects what resources
  loaded (to send to the client, and to seed a Suspense's children when they render
  again once their data is there); in the browser it holds what the server sent, and
  a resource created during hydration starts from that instead of fetching.

Renderers set `scope` and `data` around the synchronous parts of a render (no
`await` happens while they are set), so concurrent requests never see each other's.
"""

from __future__ import annotations

from typing import Any

from ._errors import LeptaError
from ._trigger import Trigger

GENERIC_MESSAGE = "the server could not load this data"


class ResourceError(LeptaError):
    """A load failed with a message meant for the visitor.

        async def fetch_user(id):
            user = await db.get_user(id)
            if user is None:
                raise ResourceError("No such user")   # shown as is, in production too
            return user

    Raise it from a fetcher to say something to the user: its message goes with the
    page, and an ErrorBoundary shows it on both sides. Any other exception of a load
    on the server is a detail for the developer: in production the page gets
    `ResourceError("the server could not load this data")` in its place, and the
    server's log (logger "lepta") gets the exception with its traceback. In the
    browser every failure the page carried arrives as a ResourceError.
    """

    for_users = True  # its message may go to the page (see AsyncData.record)
    # Set on the server on a generic error standing for another one, already logged.
    logged = False


class SuspenseContext:
    """The async values read below one Suspense (provided as context to its children)."""

    __slots__ = ("_added", "_seen", "values")

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._seen: set[int] = set()
        self._added = Trigger()

    def register(self, value: Any) -> None:
        key = id(value)
        if key in self._seen:
            return
        self._seen.add(key)
        self.values.append(value)
        self._added.notify()

    def pending(self) -> bool:
        """Whether any value read below is loading (tracked)."""
        self._added.track()
        for value in self.values:
            if value.loading():
                return True
        return False

    def loading(self) -> list[Any]:
        """The values read below that are loading now (untracked)."""
        return [v for v in self.values if v._loading.get_untracked()]


class KeyScope:
    """Hands out the keys of the resources and Suspenses rendered in one place."""

    __slots__ = ("prefix", "resources", "suspenses")

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.resources = 0
        self.suspenses = 0

    def resource_key(self) -> str:
        n = self.resources
        self.resources = n + 1
        return "%s:%d" % (self.prefix, n) if self.prefix else str(n)

    def suspense_id(self) -> str:
        self.suspenses += 1
        n = self.suspenses
        return "%s-%d" % (self.prefix, n) if self.prefix else str(n)


class AsyncData:
    """Outcomes of keyed async values: key -> (True, value) or (False, exception).

    `collect` is true on the server: loads that complete record their outcome here,
    and a value created again under a key whose load is still running (a Suspense
    rendering its children again) waits for that load instead of starting its own.
    """

    __slots__ = ("collect", "loading", "outcomes", "private", "production")

    def __init__(
        self,
        outcomes: dict[str, Any] | None = None,
        collect: bool = False,
        production: bool = False,
    ) -> None:
        self.outcomes: dict[str, Any] = outcomes if outcomes is not None else {}
        self.collect = collect
        self.production = production  # the server: keep error details off the page
        self.loading: dict[str, Any] = {}  # the server: the latest async value per key
        self.private: set[str] = set()  # keys of values the browser computes itself

    @classmethod
    def from_json(cls, sent: dict[str, Any]) -> AsyncData:
        """What the server wrote (see `to_json`), as outcomes for the browser."""
        outcomes = {}
        for key, entry in sent.items():
            if entry[0]:
                outcomes[key] = (True, entry[1])
            else:
                outcomes[key] = (False, ResourceError(entry[1]))
        return cls(outcomes)

    def record(self, key: str, ok: bool, result: Any) -> tuple[bool, Any]:
        """Keep the outcome of the load of `key` (the server); returns it as the page
        shows it.

        In production an exception not meant for users (anything but a ResourceError,
        or another class marked `for_users` such as a server function's ServerError)
        is logged here, in full, and a generic ResourceError takes its place: in what
        the server renders (an ErrorBoundary's fallback) and in the data sent with the
        page alike, so the browser hydrates the same text and no detail leaves.
        """
        if not ok and self.production and not getattr(result, "for_users", False):
            import logging

            logging.getLogger("lepta").error(
                "loading resource %s failed; the page shows a generic message",
                key,
                exc_info=(type(result), result, result.__traceback__),
            )
            public = ResourceError(GENERIC_MESSAGE)
            public.logged = True
            result = public
        self.outcomes[key] = (ok, result)
        return ok, result

    def has_errors(self) -> bool:
        return any(not outcome[0] for outcome in self.outcomes.values())

    def to_json(self, keys: list[str]) -> dict[str, Any]:
        """The outcomes of `keys` as JSON-ready lists ([1, value] or [0, message]);
        values JSON cannot carry are left out (the browser loads those itself)."""
        import json

        sent = {}
        for key in keys:
            ok, value = self.outcomes[key]
            entry = [1, value] if ok else [0, str(value)]
            try:
                json.dumps(entry)
            except (TypeError, ValueError, OverflowError):
                continue
            sent[key] = entry
        return sent


# Set by renderers around the synchronous parts of a render.
scope: KeyScope | None = None
data: AsyncData | None = None

# Whether a task that waits for a server load not begun yet may run it itself (see
# `_AsyncValue._put_off`); off while a coroutine is stepped by hand (`step_movable`).
loads_here = True


def step_movable(coro: Any) -> Any:
    """`coro.send(None)`, for a coroutine begun in place that may go on in another
    task: no load begins inside it, since a load runs in one task from start to end
    (libraries such as anyio tie what a load opens to its task)."""
    global loads_here
    saved = loads_here
    loads_here = False
    try:
        return coro.send(None)
    finally:
        loads_here = saved


def enter(new_scope: KeyScope | None, new_data: AsyncData | None) -> tuple[Any, Any]:
    """Make `new_scope` / `new_data` current; returns what to give `leave`."""
    global scope, data
    saved = (scope, data)
    scope = new_scope
    data = new_data
    return saved


def leave(saved: tuple[Any, Any]) -> None:
    global scope, data
    scope, data = saved
