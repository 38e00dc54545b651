"""Looking up context values, and the context value that receives effects' errors."""

from __future__ import annotations

from typing import Any, Callable


class ErrorHandler:
    """A context value receiving the exceptions raised by effects below it.

    Provide one with `provide_context(ErrorHandler(callback))`; without one, an effect's
    exception is raised by the flush that ran it.
    """

    __slots__ = ("callback",)

    def __init__(self, callback: Callable[[BaseException], object]) -> None:
        self.callback = callback


def lookup_context(scope: Any, key: type) -> Any:
    """The nearest value provided for `key` from `scope` up, or None."""
    while scope is not None:
        contexts = scope._contexts
        if contexts is not None and key in contexts:
            return contexts[key]
        scope = scope._parent
    return None
