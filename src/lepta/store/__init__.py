"""Stores: reactive state over nested dicts, lists and objects, one field per path.

    from lepta.store import Store

    store = Store({"user": {"name": "Ada"}, "todos": []},
                  keys={"todos": lambda todo: todo["id"]})
    store.user.name()                 # 'Ada' (tracked, like a signal)
    store.user.name.set("Grace")      # re-runs readers of name and of user only
    store.todos.append({"id": 1, "text": "docs", "done": False})
    For(each=store.todos, key=lambda todo: todo, children=TodoRow)

A write notifies the readers of the field written, of its ancestors (read as a
whole) and of its descendants whose values changed; never its siblings. Equal
values notify nothing. Keyed lists give each item a field that follows it across
reorders. Portable: CPython, Pyodide and MicroPython. See docs/store.md.
"""

from ._errors import DuplicateKeyError, StaleFieldError
from ._field import Field
from ._store import Store

__all__ = ["DuplicateKeyError", "Field", "StaleFieldError", "Store"]
