"""ErrorBoundary in the DOM: the children, or the fallback while any part of them fails.

Errors raised while building the children, and errors of their effects (reported
through an ErrorHandler this boundary provides), switch the boundary to its fallback.
The children stay built while the fallback shows: when every failing effect has run
successfully again, the children come back.
"""

from __future__ import annotations

from typing import Any, Callable

from ..reactive import ErrorHandler, LeptaError, Owner, RwSignal, provide_context, untrack
from ..view._marks import FALLBACK, NOT_TEXT

FALLBACK_TEXT = FALLBACK  # the comment before a server-rendered fallback


def boundary(b: Any, v: Any, level: Any) -> None:
    from ._build import HydrationMismatch, Level

    errors: RwSignal[list[BaseException]] = RwSignal([])
    build_failure: list[BaseException] = []

    def changed(_: Any) -> None:
        errors.set(build_failure + list(handler.failing.values()))

    handler = ErrorHandler(changed, changed)

    if level.prev != NOT_TEXT:  # the range's separator comes before the children
        b.separator(level)
        level.prev = NOT_TEXT
    r = b.r
    cursor = level.cursor
    if (
        b.hydrating
        and cursor is not None
        and r.node_kind(cursor) == 8
        and r.text_of(cursor) == FALLBACK_TEXT
    ):  # the server showed the fallback: hydrate that
        level.cursor = r.next_sibling(cursor)
        build_failure.append(_server_error(b, v))
        changed(None)
        b.dynamic(lambda: v.fallback(errors()), level)
        return
    owner = Owner()
    start = level.cursor
    content = Level(start, level.parent)

    def build_children() -> None:
        provide_context(handler)
        b.build(v.children, content)

    try:
        owner.run(lambda: untrack(build_children))
        built = content.nodes
        level.cursor = content.cursor
    except HydrationMismatch:
        owner.dispose()
        raise
    except Exception as exc:  # building failed: nothing of it is kept
        owner.dispose()
        build_failure.append(getattr(exc, "error", exc))
        changed(None)
        built = []
        level.cursor = start  # hydrating: the server rendered the fallback here
    kept = {"children": built}

    def view() -> Any:
        if errors():
            return v.fallback(errors())
        return Reuse(kept["children"])

    b.dynamic(view, level)


def _server_error(b: Any, v: Any) -> BaseException:
    """The error the server's render of the children met, as far as the client can
    tell: when the page carried a resource's error, building them here (off the
    page) meets it again, so the fallback shows the same."""
    from ..reactive import _suspense

    data = _suspense.data
    met = None
    if data is not None and data.has_errors():  # else there is no error to meet again
        met = first_error(b, lambda builder: builder.build(v.children).nodes)
    return met or LeptaError("the children failed while rendering on the server")


def first_error(b: Any, build: Callable[[Any], list[Any]]) -> BaseException | None:
    """The first error that `build(builder)` meets, raised or raised by an effect it
    creates (None if none), building off the page; what it built is dropped."""
    from ._build import Build
    from ._mountable import flat, release

    owner = Owner()
    met: list[BaseException] = []
    built: list[Any] = []

    def build_children() -> None:
        provide_context(ErrorHandler(met.append))  # what the children's effects raise
        built.extend(build(Build(b.r)))

    try:
        owner.run(lambda: untrack(build_children))
    except Exception as exc:
        met.append(getattr(exc, "error", exc))
    finally:
        owner.dispose()
        release(b.r, flat(built))
    return met[0] if met else None


class Reuse:
    """Parts already built, put back as they are (a boundary's healthy children)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items
