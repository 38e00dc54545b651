"""Selectors: "is this key the selected one?" that notifies only the keys that changed."""

from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar

from . import _core
from ._core import IMMEDIATE, _Computation, refresh_now
from ._trigger import Trigger

K = TypeVar("K")

_NOTHING: Any = object()
_new = object.__new__


class Selector(Generic[K]):
    """Answers `selected(key)` for many keys, re-running only the two that changed.

    With 1,000 rows each asking `is_selected(row_id)`, selecting another row re-runs
    the old row's and the new row's code, not all 1,000.

        selected_id, set_selected_id = signal(None)
        is_selected = Selector(selected_id)
        row_class = lambda: "danger" if is_selected(row_id) else ""

    `is_selected(key)` and `is_selected.selected(key)` are the same.
    """

    __slots__ = ("_compact_at", "_current", "_equals", "_keys", "_node", "_source")

    def __init__(
        self, source: Callable[[], K], equals: Callable[[K, K], bool] | None = None
    ) -> None:
        self._source = source
        self._equals = equals
        self._current: Any = _NOTHING
        self._keys: dict[Any, _KeyTrigger] = {}
        self._compact_at = _FEW_KEYS  # the size at which keys nobody watches go
        self._node = _SelectorNode(self)

    def selected(self, key: K) -> bool:
        """Whether `key` equals the source's value; tracks only this key's answer."""
        node = self._node
        if node._state:
            refresh_now(node)
        if _core._track is not None:
            keys = self._keys
            trigger = keys.get(key)
            if trigger is None:
                if len(keys) >= self._compact_at:
                    keys = self._forget_unwatched()
                trigger = keys[key] = _new(_KeyTrigger)  # (no __init__: one per row)
                trigger._observers = None
            _core._track(trigger)
        current = self._current  # (`_same`, written out: one call per row of a list)
        if current is _NOTHING:
            return False
        eq = self._equals
        return eq(key, current) if eq is not None else bool(key == current)

    __call__ = selected

    def _forget_unwatched(self) -> dict[Any, _KeyTrigger]:
        """Keep only the keys someone watches. A key stays when its last watcher goes
        (a row disposed costs nothing here); the table is made anew with the watched
        ones once it has doubled since the last time. (A new dict also suits
        MicroPython, whose dicts reuse the place of a removed key only when they grow.)"""
        keys = self._keys = {key: t for key, t in self._keys.items() if t._observers}
        self._compact_at = 2 * len(keys) + _FEW_KEYS
        return keys

    def _same(self, a: Any, b: Any) -> bool:
        if b is _NOTHING:
            return False
        eq = self._equals
        return eq(a, b) if eq is not None else bool(a == b)

    def _run(self) -> None:
        new = self._source()
        old = self._current
        self._current = new
        if old is not _NOTHING and self._same(new, old):
            return
        if self._equals is not None:  # any key may match: ask each (O(keys))
            for key, each in list(self._keys.items()):
                if self._same(key, old) != self._same(key, new):
                    each.notify()
            return
        for key in (old, new):
            trigger = self._keys.get(key)
            if trigger is not None:
                trigger.notify()


class _SelectorNode(_Computation):
    """Follows the source: runs as soon as it is marked, or when first asked."""

    __slots__ = ()
    _eager = IMMEDIATE

    def __init__(self, selector: Selector[Any]) -> None:
        self._init(selector._run, _core.DIRTY)

    def _dispose(self, detach: bool = True) -> None:
        _Computation._dispose(self, detach)
        # Its function is the selector's own method: once it never runs again, the
        # two no longer keep each other alive (a page's selector is freed as soon as
        # the page is done, without the garbage collector).
        self._fn = _never_runs


def _never_runs() -> None:
    """What a disposed selector's node holds instead of the selector's method."""


class _KeyTrigger(Trigger):
    """One key's trigger, the selector's own (not owned by the scope it was asked in).
    Made by `selected` without a constructor: `_observers` set to None."""

    __slots__ = ()


_FEW_KEYS = 256  # keys nobody watches kept at least, before the table is made anew
