"""ErrorBoundary in the DOM: the children, or the fallback while any part of them fails.

Errors raised while building the children, and errors of their effects (reported
through an ErrorHandler this boundary provides), switch the boundary to its fallback.
The children stay built while the fallback shows: when every failing effect has run
successfully again, the children come back.
"""

from __future__ import annotations

from typing import Any

from ..reactive import ErrorHandler, Owner, RwSignal, provide_context, untrack


def boundary(b: Any, v: Any, level: Any) -> None:
    from ._build import Level

    errors: RwSignal[list[BaseException]] = RwSignal([])
    build_failure: list[BaseException] = []

    def changed(_: Any) -> None:
        errors.set(build_failure + list(handler.failing.values()))

    handler = ErrorHandler(changed, changed)

    owner = Owner()
    content = Level(level.cursor, level.parent)

    def build_children() -> None:
        provide_context(handler)
        b.children(v.children, content)
        b.flush_text(content)

    try:
        owner.run(lambda: untrack(build_children))
        built = content.nodes
        level.cursor = content.cursor
    except Exception as exc:  # building failed: nothing of it is kept
        owner.dispose()
        build_failure.append(getattr(exc, "error", exc))
        changed(None)
        built = []
        if b.hydrating:
            raise
    kept = {"children": built}

    def view() -> Any:
        if errors():
            return v.fallback(errors())
        return Reuse(kept["children"])

    b.dynamic(view, level)


class Reuse:
    """Nodes already built, put back as they are (what a boundary shows when healthy)."""

    __slots__ = ("nodes",)

    def __init__(self, nodes: list[Any]) -> None:
        self.nodes = nodes
