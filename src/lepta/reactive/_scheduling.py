"""When effects run: the flush scheduler, batches, untracked reads and `tick`."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from . import _core
from ._core import flush

T = TypeVar("T")


def _default_scheduler(callback: Callable[[], None]) -> bool:
    """Run `callback` soon on the running asyncio loop, if there is one.

    Without a loop, pending effects wait for `flush()`, `await tick()` or the end of
    a `batch`. The browser runtime installs a microtask scheduler instead.
    """
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    except AttributeError:  # MicroPython: tasks run on the host's event loop
        task = asyncio.create_task(_call_soon(callback))
        _tasks.add(task)  # keep a reference until it ran
        return True
    loop.call_soon(callback)
    return True


_tasks: set[Any] = set()


async def _call_soon(callback: Callable[[], None]) -> None:
    try:
        callback()
    finally:
        _tasks.clear()


def set_scheduler(scheduler: Callable[[Callable[[], None]], Any] | None) -> None:
    """Choose how a pending flush is scheduled: `scheduler(flush_callback)`.

    A scheduler that cannot schedule returns False; the flush then waits for an
    explicit `flush()` / `tick()`.

    Pass None to restore the default (the running asyncio loop's `call_soon`).
    """
    _core._scheduler = scheduler or _default_scheduler


_core._scheduler = _default_scheduler


class _Batch:
    __slots__ = ()

    def __enter__(self) -> None:
        _core._batch_depth += 1

    def __exit__(self, *exc: object) -> None:
        _core._batch_depth -= 1
        if not _core._batch_depth and _core._queue:
            if not _core._flushing and not _core._scheduled:
                # The effects run now; the scheduler is told as well, so a renderer
                # that applies its changes after a scheduled flush (the browser's) also
                # does after a batch ending outside an event (in an async task).
                _core._schedule()
            flush()


_BATCH = _Batch()


def batch(fn: Callable[[], T] | None = None) -> Any:
    """Group writes so effects run once, when the outermost batch ends.

        with batch():
            set_first("Grace")
            set_last("Hopper")   # effects reading both run once, here

    `batch(fn)` runs `fn()` inside a batch and returns its result.
    """
    if fn is None:
        return _BATCH
    with _BATCH:
        return fn()


class _Untracked:
    __slots__ = ("_saved",)

    def __enter__(self) -> None:
        self._saved = _core._track
        _core._track = None

    def __exit__(self, *exc: object) -> None:
        _core._track = self._saved


def untrack(fn: Callable[[], T] | None = None) -> Any:
    """Read without tracking: `untrack(fn)` returns `fn()`; `with untrack():` a block.

        Effect(lambda: log(count(), untrack(label)))  # re-runs on count only
    """
    if fn is None:
        return _Untracked()
    saved = _core._track
    _core._track = None
    try:
        return fn()
    finally:
        _core._track = saved


async def tick() -> None:
    """Wait until every pending effect has run (the async counterpart of `flush`)."""
    import asyncio

    flush()
    await asyncio.sleep(0)
    flush()
