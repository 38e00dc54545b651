"""`spawn`: run a coroutine as a task of the current event loop, under an owner.

asyncio keeps only weak references to tasks, so a task nobody holds may be
collected before it finishes. Every task started here is held in a module-level set
until it ends, on CPython, Pyodide and MicroPython alike (MicroPython's tasks have
no done-callbacks, so the wrapper coroutine removes its own task when it ends).

The task runs with an owner as its ambient owner (the one `with owner:` would set),
so `use_context` and everything created inside it find that owner, across `await`s,
and no other task sees it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Awaitable, TypeVar

from . import _core
from ._core import current_scope

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")

# Tasks started here and not finished yet: the strong references asyncio does not keep.
_running: set[Any] = set()


def spawn(coro: Awaitable[T]) -> asyncio.Task[T]:
    """Run `coro` as a task of the running event loop; return the task.

    The task is kept alive until it finishes, and runs under the owner that was
    current here, so `use_context` inside it finds what this code would find.

        async def save(todo):
            await api.save(todo)
            set_saved(True)

        spawn(save(todo))

    An exception raised by the coroutine is not caught: asyncio reports it as an
    unretrieved task exception, unless something awaits the task.
    """
    task = start_task(coro, current_scope())
    if task is None:
        raise RuntimeError(
            "spawn() needs a running asyncio event loop, and there is none here. "
            "Call it from async code (a request handler, another task), or start one "
            "with asyncio.run()."
        )
    return task  # type: ignore[no-any-return]


class _Held:
    __slots__ = ("done", "task")

    def __init__(self) -> None:
        self.task: Any = None
        self.done = False


def start_task(coro: Awaitable[Any], owner: Any) -> Any:
    """Start `coro` as a task running under `owner`; None when no event loop runs.

    With no event loop (CPython or Pyodide code called synchronously, outside one),
    `coro` is closed unstarted and None is returned: the caller decides whether to
    retry later or to raise.
    """
    import asyncio

    held = _Held()
    wrapper = _run(coro, owner, held)
    # An eager task factory runs the coroutine's first step inside create_task: it
    # must not see the caller's tracking state or scope.
    saved_track, saved_scope = _core._track, _core._scope
    _core._track = None
    _core._scope = None
    try:
        try:
            loop: Any = asyncio.get_running_loop()
        except AttributeError:  # MicroPython: tasks always go to the host's loop
            task = asyncio.create_task(wrapper)
        except RuntimeError:
            loop = _browser_loop()
            if loop is None:
                wrapper.close()
                close = getattr(coro, "close", None)
                if close is not None:
                    close()
                return None
            task = loop.create_task(wrapper)
        else:
            task = loop.create_task(wrapper)
    finally:
        _core._track = saved_track
        _core._scope = saved_scope
    if not held.done:  # (an eager task may have finished already)
        held.task = task
        _running.add(task)
    return task


def _browser_loop() -> Any:
    """Pyodide's WebLoop, which accepts tasks even from synchronous code."""
    if sys.platform != "emscripten":
        return None
    import asyncio

    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        return None


async def _run(coro: Awaitable[T], owner: Any, held: _Held) -> T:
    token = _core._ambient.set(owner) if owner is not None else None
    try:
        return await coro
    finally:
        if token is not None:
            _core._ambient.reset(token)
        held.done = True
        if held.task is not None:
            _running.discard(held.task)
