"""Stores: reactive state over nested dicts, lists and objects, one field per path."""

from __future__ import annotations

from typing import Any, Callable

from ..reactive import Effect, Owner, on_cleanup
from ._field import Field


class Store(Field):
    """Reactive state over plain data: every path is a field that reads like a
    signal, and a write notifies only the readers of values it changed.

        store = Store({"user": {"name": "Ada"}, "todos": []},
                      keys={"todos": lambda t: t["id"]})
        Effect(lambda: print(store.user.name()))   # re-runs when the name changes
        store.todos.append({"id": 1, "text": "write docs", "done": False})
        store.todos.at_key(1).done.set(True)        # todos' readers re-run; user's not
        store.patch(new_state)                      # writes only what differs

    `keys` maps the path of a list (names joined by dots; list positions left out,
    so `"columns.cards"` is the cards list of every column) to the function giving
    an item's key. The store owns `value`: change it through the store only.
    """

    __slots__ = ("_data", "_keys", "_name", "_pending", "_sweeping")

    def __init__(
        self,
        value: Any,
        keys: dict[str, Callable[[Any], Any]] | None = None,
        name: str = "store",
    ) -> None:
        self._data = value
        self._keys: dict[str, Callable[[Any], Any]] = dict(keys or {})
        self._name = name
        self._pending: list[tuple[Field, Any]] = []
        self._sweeping = False
        self._setup(self, None, None, Owner())
        # When the owner it was made under goes (a page rendered on the server), so
        # does the store: its fields go stale and let go of each other.
        self._owner.run(lambda: on_cleanup(self._dispose))

    @property
    def _store(self) -> Store:  # type: ignore[override]
        """A store is its own store: a property, as a reference to itself would be a
        cycle only the garbage collector frees."""
        return self

    def _removed(self, removed: list[tuple[Field, Any]]) -> None:
        """Keyed items left their lists: dispose their fields at the next flush.

        Not at once: within one batch an item may leave and come back (a move
        written as pop and insert), and a For keyed on the item's key keeps its
        row, whose field must then still be alive.
        """
        self._pending.extend(removed)
        if self._sweeping:
            return
        self._sweeping = True

        def sweep() -> None:
            self._sweeping = False
            pending, self._pending = self._pending, []
            for lst, key in pending:
                item = lst._keyed.get(key)
                if item is None or item._stale:
                    continue
                if lst._stale or lst._position(lst._read_or_missing(), key) is None:
                    del lst._keyed[key]
                    item._dispose()
            effect.stop()

        effect = self._owner.run(lambda: Effect(sweep))

    def dispose(self) -> None:
        """Dispose every field's triggers; reading a field afterwards raises."""
        self._dispose()
