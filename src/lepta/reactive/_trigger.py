"""Triggers: a dependency with no value, for state kept outside the graph."""

from __future__ import annotations

from . import _core
from ._core import _GONE, _adopt, _disposed, _mark


class Trigger:
    """A signal without a value: `track()` depends on it, `notify()` re-runs dependents.

        changed = Trigger()
        items = []            # a plain list, mutated in place
        total = Memo(lambda: (changed.track(), len(items))[1])
        items.append(1); changed.notify()
    """

    __slots__ = ("_observers",)
    _state = _core.CLEAN

    def __init__(self) -> None:
        self._observers: list[object] | tuple[()] | None = None
        _adopt(self)

    def track(self) -> None:
        """Inside a computation, make this trigger one of its dependencies."""
        if self._observers is _GONE:
            raise _disposed(self)
        # Read twice rather than kept in a local: cheaper when nothing is tracking, as
        # when a store's field is read outside any computation.
        if _core._track is not None:
            _core._track(self)

    def notify(self) -> None:
        """Mark everything that tracked this trigger as changed."""
        obs = self._observers
        if obs is _GONE:
            raise _disposed(self)
        if _core._written is not None:
            _core._written.append(self)
        if obs:
            _mark(obs)

    def _dispose(self, detach: bool = True) -> None:
        obs = self._observers
        self._observers = _GONE
        if obs:
            _core._edges -= len(obs)
            _mark(obs)

    def _describe(self) -> str:
        return "a Trigger"
