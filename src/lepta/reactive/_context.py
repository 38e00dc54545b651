"""Looking up context values, and the context value that receives effects' errors."""

from __future__ import annotations

from typing import Any, Callable


class ErrorHandler:
    """A context value receiving the exceptions raised by effects below it.

    Provide one with `provide_context(ErrorHandler(on_error))`; without one, an
    effect's exception is raised by the flush that ran it. `on_recover(effect)` is
    called when an effect that failed runs successfully again (ErrorBoundary uses it
    to leave its fallback).
    """

    __slots__ = ("failing", "on_error", "on_recover")

    def __init__(
        self,
        on_error: Callable[[BaseException], object],
        on_recover: Callable[[Any], object] | None = None,
    ) -> None:
        self.on_error = on_error
        self.on_recover = on_recover
        self.failing: dict[Any, BaseException] = {}  # effect -> its last error

    def report(self, error: BaseException, effect: Any) -> None:
        """An effect below failed."""
        self.failing[effect] = error
        self.on_error(error)

    def recover(self, effect: Any) -> None:
        """An effect that had failed ran successfully."""
        self.failing.pop(effect, None)
        if self.on_recover is not None:
            self.on_recover(effect)


def lookup_context(scope: Any, key: type) -> Any:
    """The nearest value provided for `key` from `scope` up, or None."""
    while scope is not None:
        contexts = scope._contexts
        if contexts is not None and key in contexts:
            return contexts[key]
        scope = scope._parent
    return None
