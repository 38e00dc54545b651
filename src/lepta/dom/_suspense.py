"""Suspense and Transition in the DOM: the children, or the fallback while a resource
they read is loading.

The children are built once, under an owner that provides a SuspenseContext (every
async value read below registers there), and kept while the fallback shows: the
range switches between the fallback and the kept children as `pending()` changes.

Hydrating, the Suspense adopts what the server's document shows between its marks
(`<!--s:ID-->` ... `<!--/s:ID-->`, see lepta.ssr._suspense):
* the children, when the resources they read came with the page (the usual case);
* the fallback, after `<!--lepta-pending-->`: the children are built on the client;
* the fallback, after `<!--lepta-failed-->` (the children failed on the server, with no
  ErrorBoundary around): it stays, and the children are not built (that would load
  again what failed); the error is reported once in the console;
* if the children cannot be adopted (they read something the page did not carry, such
  as an async component's result), the server's nodes stay on screen until the
  children built on the client are ready, then take their place.
"""

from __future__ import annotations

from typing import Any

from ..reactive import Memo, Owner, RenderEffect, _core, _suspense, provide_context, untrack
from ..reactive._suspense import KeyScope, SuspenseContext
from ..view._marks import COMMENT, FAILED, NOT_TEXT, PENDING, suspense_close

PENDING_TEXT = PENDING
FAILED_TEXT = FAILED


def suspense(b: Any, v: Any, level: Any) -> None:
    from ._boundary import Reuse
    from ._build import Build, HydrationMismatch, Level

    keys = _suspense.scope
    sid = keys.suspense_id() if keys is not None else None
    level.prev = NOT_TEXT  # the open mark (or, creating, the range) keeps texts apart
    r = b.r
    context, owner = _children_owner()

    def build(view: Any, into: Any, builder: Any) -> list[Any]:
        saved = _suspense.enter(KeyScope(sid) if sid is not None else None, _suspense.data)
        try:
            return owner.run(lambda: untrack(lambda: builder.build(view, into).nodes))
        finally:
            _suspense.leave(saved)

    first: list[Any] = []  # what the range shows first, when it must match the server
    if b.hydrating:
        b.take(level, COMMENT, None)  # <!--s:ID-->
        cursor = level.cursor
        mark = r.text_of(cursor) if cursor is not None and r.node_kind(cursor) == COMMENT else None
        if mark == FAILED_TEXT:
            level.cursor = r.next_sibling(cursor)
            owner.dispose()
            _report_failure(b, v, sid)
            b.dynamic(lambda: v.fallback, level)
            return
        if mark == PENDING_TEXT:
            level.cursor = r.next_sibling(cursor)
            children = build(v.children, Level(), Build(r))
            first.append(v.fallback)
        else:
            try:
                inside = Level(cursor, level.parent)
                children = build(v.children, inside, b)
                if not _is_close(r, inside.cursor, sid):
                    raise HydrationMismatch("the Suspense's children end before its end mark")
                level.cursor = inside.cursor
                first.append(Reuse(children))
            except HydrationMismatch:
                owner.dispose()
                context, owner = _children_owner()
                server_nodes = []
                while cursor is not None and not _is_close(r, cursor, sid):
                    server_nodes.append(cursor)
                    cursor = r.next_sibling(cursor)
                level.cursor = cursor
                children = build(v.children, Level(), Build(r))
                first.append(Reuse(server_nodes))
    else:
        children = build(v.children, Level(), Build(r))

    shown = [bool(first) and type(first[0]) is Reuse]  # the children were on screen

    def children_showing() -> bool:
        if context.pending() and not (v.transition and shown[0]):
            return False
        shown[0] = True
        return True

    showing = Memo(children_showing)  # the range changes only when this does
    set_pending = v.set_pending
    if set_pending is not None:
        RenderEffect(lambda: set_pending(context.pending()))

    def view() -> Any:
        children_shown = showing()
        if first:
            return first.pop()
        return Reuse(children) if children_shown else v.fallback

    b.dynamic(view, level)


def _report_failure(b: Any, v: Any, sid: str | None) -> None:
    """Tell the developer why the server left this Suspense on its fallback: the error
    its children meet again when built off the page, from what the page carried."""
    from ..view._component import component_chain
    from ._boundary import first_error
    from ._console import error

    def build(builder: Any) -> list[Any]:
        provide_context(SuspenseContext())  # (what loads here must not hold others back)
        saved = _suspense.enter(KeyScope(sid) if sid is not None else None, _suspense.data)
        try:
            return builder.build(v.children).nodes  # type: ignore[no-any-return]
        finally:
            _suspense.leave(saved)

    met = first_error(b, build)
    error(
        "a Suspense failed on the server, with no ErrorBoundary around it; its fallback "
        "stays (%s, s:%s): %s"
        % (
            " > ".join(component_chain(_core.current_scope())),
            sid,
            "%s: %s" % (type(met).__name__, met) if met is not None else "see the server's log",
        )
    )


def _children_owner() -> tuple[SuspenseContext, Owner]:
    """The owner to build the children under, and the context it gives them."""
    context = SuspenseContext()
    owner = Owner()
    owner.run(lambda: provide_context(context))
    return context, owner


def _is_close(r: Any, node: Any, sid: str | None) -> bool:
    """Whether `node` is the end mark of Suspense `sid`."""

    if node is None or r.node_kind(node) != COMMENT:
        return False
    text = r.text_of(node)
    if sid is not None:
        return bool(text == suspense_close(sid))
    return bool(text[:3] == suspense_close(""))
