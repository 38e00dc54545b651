"""Where the owner entered with ``with owner:`` lives between awaits.

A ``with owner:`` block at the top of an async function may span ``await``s, and
other tasks run meanwhile. On CPython the entered owner is kept in a ContextVar,
so every asyncio task sees only its own. MicroPython has no contextvars; there
the value is kept per running task (the browser runs one app, but its tasks still
must not see each other's owner).
"""

from __future__ import annotations

try:
    from contextvars import ContextVar
except ImportError:  # MicroPython
    ContextVar = None  # type: ignore[assignment,misc]


class _PerTaskVar:
    """The subset of ContextVar Lepta uses, keyed by the running asyncio task."""

    def __init__(self, name: str) -> None:
        self._values: dict[object, object] = {}

    def _key(self) -> object:
        try:
            import asyncio

            return asyncio.current_task()
        except (ImportError, RuntimeError, AttributeError):
            return None

    def get(self) -> object:
        values = self._values
        if not values:  # no owner entered in any task (a page's events): nothing to find
            return None
        return values.get(self._key())

    def set(self, value: object) -> tuple[object, object]:
        key = self._key()
        token = (key, self._values.get(key))
        self._values[key] = value
        return token

    def reset(self, token: tuple[object, object]) -> None:
        key, previous = token
        if previous is None:
            self._values.pop(key, None)  # keep no entry for finished tasks
        else:
            self._values[key] = previous


def ambient_var(name: str) -> ContextVar[object]:
    """A context variable (default None) that is local to each asyncio task."""
    if ContextVar is None:
        return _PerTaskVar(name)  # type: ignore[return-value]
    return ContextVar(name, default=None)
