"""Suspense on the server: render the children; if what they read is still loading,
render them again once it has loaded.

Every Suspense is written between two comments naming it, `<!--s:ID-->` and
`<!--/s:ID-->` (IDs are positions: "2", "2-1" for the first Suspense inside it),
whatever the mode, so the final document is the same in every mode:

* `render_to_string` cannot wait: a Suspense whose children read a loading resource
  shows its fallback;
* a stream (`render_to_stream`) writes the fallback at once (out of order), or leaves a
  `Hole` in the output (in order, async), and renders the children again in a task
  once the resources they read have loaded. Each new rendering starts from the
  outcomes already known by resource key, and takes over the loads of the earlier
  rendering still running (those read by a Suspense nested inside), so nothing is
  fetched twice; it may read new resources, then it waits again.

A fallback that stays in the final document (the children read a LocalResource,
which never loads on the server) is preceded by `<!--lepta-pending-->`, so the browser
knows to hydrate the fallback and build the children itself. One that stays because
the children failed after the page began, with no ErrorBoundary around the Suspense,
is preceded by `<!--lepta-failed-->`: the browser hydrates the fallback and leaves the
children unbuilt (the error is logged on the server, reported in the console).
"""

from __future__ import annotations

from typing import Any

from ..reactive import Owner, _suspense, current_scope, provide_context
from ..reactive._core import enter_scope, leave_scope
from ..reactive._suspense import KeyScope, SuspenseContext
from ..view._control import SuspenseView
from ..view._marks import FAILED, NOT_TEXT, PENDING, comment, suspense_close, suspense_open

PENDING_MARK = comment(PENDING)
FAILED_MARK = comment(FAILED)
MAX_RENDERS = 100  # a Suspense whose children keep creating new loads is a bug


def open_mark(sid: str) -> str:
    return comment(suspense_open(sid))


def close_mark(sid: str) -> str:
    return comment(suspense_close(sid))


class Attempt:
    """One rendering of a Suspense's children, and what it waits for."""

    __slots__ = ("gate", "out", "owner", "read_loading", "stream", "tasks", "waiting")

    def __init__(self, stream: Any = None, owner: Any = None) -> None:
        self.stream = stream
        self.owner = owner
        self.gate: Any = None  # out of order: opens once this rendering went out
        self.out: list[Any] = []
        self.tasks: list[Any] = []  # the Suspenses inside it resolving in tasks
        self.read_loading: list[Any] = []  # what the children read that is loading
        self.waiting: list[Any] = []  # what must load before the next rendering

    def discard(self, keep_loads: bool = False) -> None:
        """Drop this rendering, and the Suspenses inside it still resolving.

        With `keep_loads`, what it created stays alive (until the page is done) so the
        next rendering takes over the loads still running instead of starting them
        again."""
        if not keep_loads:
            self.owner.dispose()
        if self.stream is not None:
            self.stream.discard(self.tasks)

    def ready(self) -> bool:
        return not self.read_loading

    def final_fallback(self) -> bool:
        """Only values that never load on the server (LocalResource) hold it back."""
        return bool(self.read_loading) and not self.waiting


class Hole:
    """A Suspense left out of an in-order stream until its Later has rendered it."""

    __slots__ = ("task",)

    def __init__(self, task: Any) -> None:
        self.task = task


def render_suspense(renderer: Any, v: SuspenseView) -> None:
    """Write Suspense `v` into `renderer`'s output (see the module docstring)."""
    keys = _suspense.scope
    sid = keys.suspense_id() if keys is not None else "0"
    out = renderer.out
    out.append(open_mark(sid))  # (a comment: it keeps the text before apart by itself)
    renderer.prev = NOT_TEXT
    parent = current_scope()
    attempt = render_children(renderer, v, sid, parent)
    stream = renderer.stream
    if attempt.ready():
        out.extend(attempt.out)
    elif attempt.final_fallback() or stream is None:
        attempt.discard()
        out.append(PENDING_MARK)
        renderer.child(v.fallback)
    else:
        later = type(renderer)(stream)  # renders it later, inside the same ErrorBoundary
        later.enclosing = renderer.enclosing
        waiting = attempt.waiting
        resolving = stream.resolve(_resolve(later, v, sid, parent, attempt), sid, waiting)
        if stream.mode == "out_of_order":
            renderer.child(v.fallback)
        else:
            out.append(Hole(resolving))
    out.append(close_mark(sid))
    renderer.prev = NOT_TEXT


def render_children(renderer: Any, v: SuspenseView, sid: str, parent: Any) -> Attempt:
    """Render `v`'s children under a new owner below `parent`, with `sid`'s keys."""
    suspense = SuspenseContext()
    keys = KeyScope(sid)
    stream = renderer.stream
    sub = type(renderer)(stream)
    sub.enclosing = renderer.enclosing
    saved_keys = _suspense.enter(keys, _suspense.data)
    token = enter_scope(parent)
    owner = Owner()
    attempt = Attempt(stream, owner)
    first_task = len(stream.tasks) if stream is not None else 0
    if stream is not None:
        attempt.gate, saved_gate = stream.open_gate()
    try:
        enter_scope(owner)  # (leave_scope(token) restores what was before both)
        provide_context(suspense)
        sub.child(v.children)
    except BaseException:
        attempt.tasks = stream.tasks[first_task:] if stream is not None else []
        attempt.discard()
        raise
    finally:
        leave_scope(token)
        _suspense.leave(saved_keys)
        if stream is not None:
            stream.gate = saved_gate
    attempt.tasks = stream.tasks[first_task:] if stream is not None else []
    attempt.out = sub.out
    attempt.read_loading = suspense.loading()
    attempt.waiting = [x for x in attempt.read_loading if not x._never]
    return attempt


async def _resolve(
    renderer: Any, v: SuspenseView, sid: str, parent: Any, attempt: Attempt
) -> tuple[list[Any], Any]:
    """Wait for what `attempt` waits for, render again, until the children are ready.

    Returns the output that goes between the Suspense's marks, and the gate that
    opens once it went out (the Suspenses inside it follow it, not precede it)."""
    import asyncio

    for _ in range(MAX_RENDERS):
        waiting = attempt.waiting
        if len(waiting) == 1:  # (the usual case: no gathering task)
            await waiting[0].wait()
        else:
            await asyncio.gather(*(x.wait() for x in waiting))
        attempt.discard(keep_loads=True)
        saved = _suspense.enter(None, renderer.stream.data)
        try:
            try:
                attempt = render_children(renderer, v, sid, parent)
            except Exception as exc:
                return _boundary_fallback(renderer, v, sid, parent, exc)
            if attempt.ready():
                return attempt.out, attempt.gate
            if attempt.final_fallback():
                attempt.discard()
                return _render_in(renderer, parent, [PENDING_MARK], v.fallback)
        finally:
            _suspense.leave(saved)
    raise RuntimeError(
        "Suspense %s rendered its children %d times and they still read loading resources: "
        "each rendering creates new ones. Create resources outside the Suspense, or give "
        "them sources that settle." % (sid, MAX_RENDERS)
    )


def _boundary_fallback(
    renderer: Any, v: SuspenseView, sid: str, parent: Any, exc: Exception
) -> tuple[list[Any], Any]:
    """The children failed after the page began: the ErrorBoundary around the Suspense
    (its start went out already) shows its fallback in the Suspense's place. With none,
    the Suspense's own fallback stays, marked failed, and the error is logged (unless it
    stands for one logged already). In async mode the page has not begun: the error
    goes up, to become the error page."""
    from ..view._component import ComponentError

    error = exc.error if isinstance(exc, ComponentError) else exc
    boundary = renderer.enclosing
    if boundary is not None:
        return _render_in(renderer, parent, [], boundary.fallback([error]))
    if renderer.stream.mode == "async":
        raise exc
    if not getattr(error, "logged", False):
        import logging

        logging.getLogger("lepta").error(
            "Suspense %s failed while streaming; its fallback stays",
            sid,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
    return _render_in(renderer, parent, [FAILED_MARK], v.fallback)


def _render_in(renderer: Any, scope: Any, out: list[Any], view: Any) -> tuple[list[Any], Any]:
    """`view` rendered under owner `scope`, appended to `out`; and its gate."""
    stream = renderer.stream
    sub = type(renderer)(stream)
    sub.enclosing = renderer.enclosing
    sub.out = out
    gate, saved_gate = stream.open_gate()
    token = enter_scope(scope)
    try:
        sub.child(view)
    finally:
        leave_scope(token)
        stream.gate = saved_gate
    return out, gate
