"""Which fields a write changes: a walk over the fields that exist, old value beside new.

Only fields somebody asked for exist, and only they can have readers, so the walk
follows the field tree, not the data: a write into a list of 10,000 items that one
effect reads through one field compares what that field sees, and nothing else.

The walk returns the changes in the order readers should hear of them: a field
before its items and descendants, so that a keyed list (For) drops the rows of
removed items before those rows' own effects would run and read them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._data import MISSING, child, same
from ._errors import DuplicateKeyError, StaleFieldError

if TYPE_CHECKING:
    from ._field import Field

VALUE = 0  # a field's value changed: notify its value readers
SHAPE = 1  # a list's length or key order changed: notify who iterated it


class Changes:
    """What one write changes: (kind, field) pairs in notification order, and the
    keyed items it removed (their fields are disposed at the next flush)."""

    __slots__ = ("notes", "removed")

    def __init__(self) -> None:
        self.notes: list[tuple[int, Field]] = []
        self.removed: list[tuple[Field, Any]] = []

    def notify(self) -> None:
        for kind, field in self.notes:
            trigger = field._shape if kind == SHAPE else field._c.trigger
            if trigger is not None and not field._stale:
                trigger.notify()


def diff(field: Field, old: Any, new: Any, out: Changes) -> bool:
    """Record the changes between `old` and `new` under `field`; True if it changed."""
    if same(old, new):
        return False
    out.notes.append((VALUE, field))
    old_list = old if isinstance(old, list) else None
    new_list = new if isinstance(new, list) else None
    key = field._keyfn()
    if key is not None and (old_list is not None or new_list is not None):
        _diff_keyed(field, key, old_list or [], new_list or [], out)
    elif len(old_list or ()) != len(new_list or ()) or (old_list is None) != (new_list is None):
        out.notes.append((SHAPE, field))
    for seg, sub in list(field._children.items()):
        diff(sub, child(old, seg), child(new, seg), out)
    return True


def _diff_keyed(field: Field, key: Any, old: list[Any], new: list[Any], out: Changes) -> None:
    old_keys = [key(item) for item in old]
    new_keys = [key(item) for item in new]
    check_unique(field, new_keys)
    if old_keys != new_keys:
        out.notes.append((SHAPE, field))
    if not field._keyed:
        return
    old_items = {}
    for i, item in enumerate(old):
        old_items[old_keys[i]] = item
    new_items = {}
    for i, item in enumerate(new):
        new_items[new_keys[i]] = item
    for k, sub in list(field._keyed.items()):
        after = new_items.get(k, MISSING)
        if after is MISSING:
            # Every reader under a removed item hears of it once, even one that read
            # a part that was already missing: its field is about to be disposed.
            touch(sub, out)
            out.removed.append((field, k))
        else:
            diff(sub, old_items.get(k, MISSING), after, out)


def touch(field: Field, out: Changes) -> None:
    """Record `field` and everything under it as changed: for a value changed in
    place, where nothing is left to compare it with."""
    out.notes.append((VALUE, field))
    out.notes.append((SHAPE, field))
    for sub in list(field._children.values()):
        touch(sub, out)
    if field._keyed:
        field._index = None  # keys may have changed in place
        try:
            value = field._read()
        except StaleFieldError:
            value = MISSING
        for k, sub in list(field._keyed.items()):
            touch(sub, out)
            if field._position(value, k) is None:
                out.removed.append((field, k))


def check_unique(field: Field, keys: list[Any]) -> None:
    if len(set(keys)) != len(keys):
        seen = set()
        for k in keys:
            if k in seen:
                raise DuplicateKeyError(
                    "two items of %s have the key %r. Keys must be unique: give each "
                    "item its own key, or use a list without keys." % (field._path(), k)
                )
            seen.add(k)
