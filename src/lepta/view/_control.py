"""Control flow: Show, Dynamic, For, ForEnumerate, Portal, ErrorBoundary, Provider,
Suspense, Transition, Await.

Each returns a small view node that both renderers understand: the server renders
what the first state looks like; the DOM renderer keeps it up to date, touching only
what changed.

    Show(span("logged in"), when=user, fallback=button("Log in"))
    For(each=todos, key=lambda t: t.id, children=lambda t: TodoItem(todo=t))
"""

from __future__ import annotations

from typing import Any, Callable

from ..reactive import Memo, OnceResource, provide_context
from ._component import component


def _reader(value: Any) -> Callable[[], Any]:
    return value if callable(value) else (lambda: value)


@component
def Show(when: Any, fallback: Any = None, children: Any = ()) -> Any:
    """The children while `when` (a value or a callable) is true, else `fallback`.

    Children are built only when shown, and disposed when hidden; flipping `when`
    between two true values does not rebuild them.
    """
    shown = Memo(lambda: bool(_reader(when)()))
    return lambda: children if shown() else fallback


@component
def Dynamic(view: Callable[[], Any]) -> Any:
    """A view that `view()` chooses, rebuilt whenever what it read changes."""
    return view


class KeyedList:
    """What For and ForEnumerate return: a list kept in sync with `each`, by key."""

    __slots__ = ("children", "each", "indexed", "key")

    def __init__(
        self,
        each: Callable[[], Any],
        key: Callable[[Any], Any],
        children: Callable[..., Any],
        indexed: bool,
    ) -> None:
        self.each = each
        self.key = key
        self.children = children
        self.indexed = indexed


@component
def For(each: Any, key: Callable[[Any], Any], children: Callable[[Any], Any]) -> KeyedList:
    """One view per item of `each` (a list or a callable returning one), by key.

    Rows are created once per key and moved, not rebuilt, when the list is
    reordered; a row whose key leaves the list is disposed.
    """
    return KeyedList(_reader(each), key, children, False)


@component
def ForEnumerate(each: Any, key: Callable[[Any], Any], children: Callable[..., Any]) -> KeyedList:
    """Like For, and `children(index, item)` also gets the row's index as a signal."""
    return KeyedList(_reader(each), key, children, True)


class PortalView:
    """What Portal returns: children mounted under another node."""

    __slots__ = ("children", "mount")

    def __init__(self, mount: Any, children: Any) -> None:
        self.mount = mount
        self.children = children


@component
def Portal(mount: Any = None, children: Any = ()) -> PortalView:
    """Render the children into `mount` (default: the document body) instead of here.

    On the server a portal renders nothing; its content appears when the app mounts.
    """
    return PortalView(mount, children)


class BoundaryView:
    """What ErrorBoundary returns: children, or the fallback while they fail."""

    __slots__ = ("children", "fallback")

    def __init__(self, fallback: Any, children: Any) -> None:
        self.fallback = fallback
        self.children = children


@component
def ErrorBoundary(
    fallback: Callable[[list[BaseException]], Any], children: Any = ()
) -> BoundaryView:
    """The children, or `fallback(errors)` while building or updating them raises.

    In the browser the boundary recovers by itself once the failing parts succeed again.
    """
    return BoundaryView(fallback, children)


@component
def Provider(value: Any, children: Any = ()) -> Any:
    """Provide `value` as context to the children (see `provide_context`)."""
    provide_context(value)
    return children


class SuspenseView:
    """What Suspense, Transition and Await return (see Suspense)."""

    __slots__ = ("children", "fallback", "set_pending", "transition")

    def __init__(
        self,
        fallback: Any,
        children: Any,
        transition: bool = False,
        set_pending: Callable[[bool], Any] | None = None,
    ) -> None:
        self.fallback = fallback
        self.children = children
        self.transition = transition
        self.set_pending = set_pending


@component
def Suspense(fallback: Any = None, children: Any = ()) -> SuspenseView:
    """The children, or `fallback` while any resource they read is loading.

        Suspense(
            lambda: UserCard(user=user()) if user() else None,
            fallback=p("Loading..."),
        )

    Resources created together load in parallel; a Suspense inside another waits
    for its own resources only. On the server the page streams: the fallback goes
    out first and the children follow when their data is there (see
    `render_to_stream`); the browser receives the data with the page and does not
    fetch it again. In the browser the fallback shows again whenever a resource the
    children read reloads (Transition keeps the children instead).
    """
    return SuspenseView(fallback, children)


@component
def Transition(
    fallback: Any = None,
    set_pending: Callable[[bool], Any] | None = None,
    children: Any = (),
) -> SuspenseView:
    """Like Suspense for the first load; afterwards the children stay on screen while
    new data loads, and `set_pending(True / False)` reports the reload.

        pending, set_pending = signal(False)
        Transition(lambda: Results(results()), fallback="Loading...",
                   set_pending=set_pending)
    """
    return SuspenseView(fallback, children, True, set_pending)


@component
def Await(
    future: Any, children: Callable[[Any], Any], fallback: Any = None
) -> SuspenseView:
    """`children(value)` once the awaitable `future` (a coroutine, a task) resolves;
    `fallback` until then.

        Await(future=load_stats(), children=lambda stats: p(stats["visits"], " visits"))

    The value is loaded once, on the server when it renders the page (and sent to the
    browser with it), like an OnceResource.
    """
    value = OnceResource(future)

    def view() -> Any:
        result = value.get()
        return None if value.loading() else children(result)

    return SuspenseView(fallback, view)
