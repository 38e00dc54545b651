"""`watch`: run a handler when chosen dependencies change."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from ._core import Effect
from ._scheduling import untrack

T = TypeVar("T")


def watch(
    deps: Callable[[], T],
    handler: Callable[[T, T | None], object],
    immediate: bool = False,
) -> Effect:
    """Call `handler(new, prev)` each time what `deps()` reads changes.

    Only `deps()` is tracked; the handler's own reads are not. With `immediate=True`
    the handler also runs on the first run, with `prev=None`. Like any effect it runs
    at flushes; `.stop()` on the returned effect stops watching.

        watch(lambda: user_id(), lambda new, old: print(old, "->", new))
    """
    state: list[Any] = [False, None]  # [has run, previous value]

    def run() -> None:
        new = deps()
        started, prev = state
        state[0] = True
        state[1] = new
        if started or immediate:
            untrack(lambda: handler(new, prev))

    return Effect(run)
