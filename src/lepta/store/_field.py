"""Fields: one path into a store's data, read like a signal and written like one.

    store = Store({"user": {"name": "Ada"}, "todos": []})
    name = store.user.name        # the same object every time it is asked for
    name()                        # 'Ada', and a dependency of the running effect
    name.set("Grace")             # notifies readers of name and of user, not siblings
    store.todos.append({"id": 1, "done": False})

A field reads its value from the data each time, along its path, so it never holds
a stale copy; what it keeps are the triggers its readers subscribe to:

* `_c.trigger`: readers of the value (`f()`, `f.get()`); notified when it changes;
* `_shape`: readers of a list's items as fields (`f()` on a list, iterating it);
  notified only when the list's length or key order changes, so a For does not
  re-run when an item's text changes (that item's own readers do).

It also keeps the value it last read, until the next write through the store (any
write: telling which cached reads a write invalidates would cost more than reading
again), so a repeated read costs two to three times a signal's. The common write,
a leaf over a leaf in a dict, keeps the cached reads of the path above it and
notifies the triggers that exist, without working out a diff.

What those hot paths use lives in a plain object beside the field (`_Cache`): Field
defines `__getattr__` (for `store.user.name`), which on CPython makes every
attribute read on a Field several times slower than on a plain object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..reactive import Owner, Trigger
from ._changes import SHAPE, VALUE, Changes, check_unique, diff, touch
from ._data import (
    LEAF_TYPES,
    LEAVES,
    MISSING,
    assign,
    child,
    is_mutable,
    merge,
    same,
    sub_path,
)
from ._errors import StaleFieldError

if TYPE_CHECKING:
    from ._store import Store


class _Key:
    """The path segment of a keyed list's item: the item's key, wherever it moves."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key


class _Clock:
    """A store's version, shared by its fields' caches: it moves on with every write
    through the store, and every cached read made before expires."""

    __slots__ = ("now",)

    def __init__(self) -> None:
        self.now = 0


class _Cache:
    """What a field's reads and leaf writes use: the value last read and when, the
    value trigger, and the caches of the fields above."""

    __slots__ = ("called", "clock", "known", "seen", "seg", "trigger", "ups")

    def __init__(self, clock: _Clock, seg: Any) -> None:
        self.clock = clock
        self.seg = seg
        # The value last read, valid while the store's version is still `seen`.
        self.known: Any = None
        self.seen = -1
        # `seen` again, set only when `f()` may return `known` as it is: it is not a
        # list (a list is returned as fields) and `trigger` exists to be tracked.
        self.called = -1
        self.trigger: Trigger | None = None  # the value's readers; made on demand
        # For a write here to take the leaf path: the caches of the fields above, the
        # store's first. None until the first write works it out; () for never: a
        # keyed item on the path, sub-fields below, or disposed.
        self.ups: tuple[_Cache, ...] | None = None


class _ItemRemoved(StaleFieldError):
    """A keyed item is not in its list: its fields are on their way to disposal."""


class Field:
    """A path into a store: `f()` / `f.get()` read (tracked), `f.set(v)` writes.

    Attribute and item access give sub-fields: `f.name`, `f["name"]`, `f[0]`. A name
    that is also a method of Field (`get`, `set`, `update`, `patch`, `keyed`,
    `at_key`, and the list methods) is reached with `f["name"]`.

    Calling a field whose value is a list returns its items as fields (what For
    and comprehensions over rows want); `f.get()` returns the plain list.
    """

    __slots__ = (
        "_c",
        "_children",
        "_index",
        "_keyed",
        "_keypath",
        "_owner",
        "_parent",
        "_seg",
        "_shape",
        "_stale",
        "_store",
        "_ups",
    )

    _store: Store
    _parent: Field | None
    _seg: Any
    _owner: Owner
    _keypath: str
    _c: _Cache

    def _setup(self, store: Store, parent: Field | None, seg: Any, owner: Owner) -> None:
        if store is not self:  # (a store is its own: see Store._store)
            self._store = store
        self._parent = parent
        self._seg = seg
        self._owner = owner  # owns this field's triggers
        self._keypath = sub_path(parent._keypath, seg) if parent is not None else ""
        self._children: dict[Any, Field] = {}  # by name or position
        self._keyed: dict[Any, Field] = {}  # by key, for a keyed list
        self._index: dict[Any, int] | None = None  # key -> position, a cache
        self._shape: Trigger | None = None
        self._stale = False
        self._ups: tuple[list[tuple[int, Field]], list[Field]] | None = None
        self._c = _Cache(_Clock() if parent is None else parent._c.clock, seg)  # the hot part

    # --- sub-fields ----------------------------------------------------------------
    def __getattr__(self, name: str) -> Field:
        if name.startswith("_"):
            raise AttributeError(name)
        found = self._children.get(name)  # (`_child`'s common case, without its call)
        if found is not None:
            return found
        return self._child(name)

    def __getitem__(self, seg: Any) -> Field:
        """`f["name"]`, `f[0]`. On a keyed list `f[i]` is the item now at position i
        (and follows it from then on); looking it up reads the list's order."""
        if isinstance(seg, int) and self._keyfn() is not None:
            self._track_shape()
            items = self._read_named()
            try:
                item = items[seg]
            except (IndexError, TypeError):
                raise StaleFieldError(
                    "%s[%r] does not exist: %s" % (self._path(), seg, _size(items))
                ) from None
            return self.at_key(self._keyfn()(item))  # type: ignore[misc]
        return self._child(seg)

    def at_key(self, key: Any) -> Field:
        """The field of the item whose key is `key`, in a keyed list."""
        if self._keyfn() is None:
            raise TypeError(
                "%s has no key: declare one with .keyed(key=...) or Store(keys=...)"
                % self._path()
            )
        found = self._keyed.get(key)
        if found is None:
            self._check_alive()
            found = Field()
            # Each item's triggers belong to an owner of its own, disposed with the item.
            found._setup(self._store, self, _Key(key), self._owner.run(Owner))
            self._keyed[key] = found
            self._c.ups = ()  # a write here now has fields below to compare
        return found

    def keyed(self, key: Callable[[Any], Any]) -> Field:
        """Declare `key(item)` as the key of this list's items; returns this field.

        Item fields then follow their item by key across reorders. The key belongs
        to the list's path, so it covers this list in every item of enclosing lists.
        A path has one key: the first declaration stays (a component that declares
        it each time it runs gets the same field back).
        """
        keys = self._store._keys
        if self._keypath in keys:
            return self
        if any(isinstance(seg, int) for seg in self._children):
            raise ValueError(
                "%s was already read by position; declare its key before reading its items"
                % self._path()
            )
        keys[self._keypath] = key
        return self

    def _child(self, seg: Any) -> Field:
        found = self._children.get(seg)
        if found is None:
            self._check_alive()
            found = Field()
            found._setup(self._store, self, seg, self._owner)
            self._children[seg] = found
            self._c.ups = ()  # a write here now has fields below to compare
        return found

    # --- reading -------------------------------------------------------------------
    def get(self) -> Any:
        """The plain value; inside a memo or effect, also a dependency."""
        c = self._c
        if c.seen == c.clock.now and c.trigger is not None:
            c.trigger.track()  # the common case, kept short: nothing changed
            return c.known
        self._check_alive()
        return self._read_tracked(self._track_value)

    def __call__(self) -> Any:
        """The value, like `get()`; for a list, its items as fields (tracking only
        the list's length and order: an item's readers follow the item)."""
        c = self._c
        if c.called == c.clock.now:
            c.trigger.track()  # type: ignore[union-attr]  # as in get(): nothing changed
            return c.known
        self._check_alive()
        if not isinstance(self._read_or_missing(), list):
            value = self._read_tracked(self._track_value)
            if c.seen == c.clock.now:
                c.called = c.seen  # (`_track_value` made the trigger)
            return value
        return self._items(self._read_tracked(self._track_shape))

    def get_untracked(self) -> Any:
        """The plain value, without becoming a dependency."""
        self._check_alive()
        return self._read_named()

    def __iter__(self) -> Iterator[Field]:
        """The items of a list, as fields (tracked like `f()`)."""
        self._check_alive()
        items = self._read_tracked(self._track_shape)
        if not isinstance(items, list):
            raise TypeError("%s is not a list, so it cannot be iterated" % self._path())
        return iter(self._items(items))

    def _read_tracked(self, track: Callable[[], None]) -> Any:
        try:
            value = self._read_named()
        except _ItemRemoved:
            raise  # its item left: nothing will change here again, so no dependency
        except StaleFieldError:
            track()  # a missing position or name may appear later
            raise
        track()
        return value

    def _items(self, items: list[Any]) -> list[Field]:
        key = self._keyfn()
        if key is None:
            return [self._child(i) for i in range(len(items))]
        return [self.at_key(key(item)) for item in items]

    def _track_value(self) -> None:
        trigger = self._c.trigger
        if trigger is None:
            trigger = self._c.trigger = self._owner.run(Trigger)
        trigger.track()

    def _track_shape(self) -> None:
        trigger = self._shape
        if trigger is None:
            trigger = self._shape = self._owner.run(Trigger)
        trigger.track()

    def _read(self) -> Any:
        """The value at this path now, or StaleFieldError naming what is missing."""
        c = self._c
        version = c.clock.now
        if c.seen == version:
            return c.known
        parent = self._parent
        if parent is None:
            value = self._store._data
            c.known, c.seen = value, version
            return value
        container = parent._read()
        seg = self._seg
        if isinstance(seg, _Key):
            pos = parent._position(container, seg.key)
            if pos is None:
                raise _ItemRemoved(
                    "%s no longer exists: %s has no item with the key %r (it was removed "
                    "or its key changed). Stop reading it when it leaves the list; For "
                    "does this for its rows." % (self._path(), parent._path(), seg.key)
                )
            value = container[pos]
            c.known, c.seen = value, version
            return value
        value = child(container, seg)
        if value is MISSING:
            if isinstance(container, (list, tuple)):
                why = "%s %s" % (parent._path(), _size(container))
            else:
                why = "%s has no item or attribute %r" % (parent._path(), seg)
            raise StaleFieldError("%s does not exist: %s" % (self._path(), why))
        c.known, c.seen = value, version
        return value

    def _read_named(self) -> Any:
        """`_read()` for the public reads: an error names this field, not only the
        missing part above it."""
        try:
            return self._read()
        except StaleFieldError as exc:
            if str(exc).startswith(self._path() + " "):
                raise
            raise type(exc)("%s cannot be read: %s" % (self._path(), exc)) from None

    def _read_or_missing(self) -> Any:
        try:
            return self._read()
        except StaleFieldError:
            return MISSING

    def _position(self, items: Any, key: Any) -> int | None:
        """Where the item with `key` is in `items` (this field's list), or None."""
        if not isinstance(items, list):
            return None
        keyfn = self._keyfn()
        index = self._index
        if index is not None:
            pos = index.get(key)
            if pos is not None and pos < len(items) and keyfn(items[pos]) == key:  # type: ignore[misc]
                return pos  # the cache still holds for this key: no rebuild
        keys = [keyfn(item) for item in items]  # type: ignore[misc]
        check_unique(self, keys)
        self._index = index = {}
        for i, k in enumerate(keys):
            index[k] = i
        return index.get(key)

    def _keyfn(self) -> Callable[[Any], Any] | None:
        return self._store._keys.get(self._keypath)

    def _check_alive(self) -> None:
        if self._stale:
            store = self._store
            if store._stale:
                what = "%s" if store is self else "%s belongs to a store that"
                raise StaleFieldError(
                    "%s was disposed with the owner it was made under; make the store "
                    "where it lives as long as its readers" % (what % self._path())
                )
            raise StaleFieldError(
                "%s belonged to an item that was removed from its list, and was disposed"
                % self._path()
            )

    # --- writing -------------------------------------------------------------------
    def set(self, value: Any) -> None:
        """Replace the value; readers of every field whose value changed re-run.

        Equal values change nothing. Setting the object the field already holds
        (changed in place) counts as changing everything under it.
        """
        c = self._c
        ups = c.ups
        if ups:
            # The leaf path: a leaf over a leaf in a dict the parent read at this
            # version, no field below. The comparison is the whole diff, and the
            # containers above stay the same objects, so their cached reads hold.
            clock = c.clock
            read_at = clock.now
            parent = ups[-1]
            container = parent.known
            if parent.seen == read_at and type(container) is dict:
                seg = c.seg
                old = container.get(seg, MISSING)
                kind = type(old)
                if kind in LEAF_TYPES and type(value) in LEAF_TYPES:
                    if old is value or (kind is type(value) and old == value):
                        return  # (`same` for leaves: True and 1 differ)
                    container[seg] = value
                    now = clock.now = read_at + 1
                    for up in ups:
                        if up.seen == read_at:
                            up.seen = now
                    c.known, c.seen = value, now
                    trigger = c.trigger
                    if trigger is not None:
                        c.called = now
                    # Caches first, then readers: a reader may run (or write) at once.
                    for up in ups:
                        if up.trigger is not None:
                            up.trigger.notify()
                    if trigger is not None:
                        trigger.notify()
                    return
        self._write(value, False)

    def update(self, fn: Callable[[Any], Any]) -> None:
        """Set the value to `fn(old)`."""
        self.set(fn(self.get_untracked()))

    def patch(self, value: Any) -> None:
        """Write into the value only the parts of `value` that differ, in place:
        containers are kept, keyed lists are matched by key (a moved item keeps its
        object and its fields); readers of unchanged parts are not notified."""
        self._write(value, True)

    def _write(self, new: Any, patch: bool) -> None:
        self._check_alive()
        parent = self._parent
        if parent is None:
            container, where, old = None, None, self._store._data
        else:
            container = parent._read_named()
            where = self._seg
            if isinstance(where, _Key):
                where = parent._position(container, where.key)
                if where is None:
                    self._read_named()  # raises, naming what is missing
            old = child(container, where)
            if old is MISSING and isinstance(container, (list, tuple)):
                self._read_named()
        clock = self._c.clock
        read_at = clock.now  # the version the reads above were made at
        changes = Changes()
        clock.now += 1  # (also when only an in-place change is announced)
        if not self._children and isinstance(old, LEAVES) and isinstance(new, LEAVES):
            # A leaf replacing a leaf, with no field below: the comparison is the whole
            # diff. (The common write: a label, a flag, a count.)
            if same(old, new):
                return
            changes.notes.append((VALUE, self))
        elif old is new and is_mutable(new):
            touch(self, changes)
        elif not diff(self, old, new, changes):
            return
        keys = self._store._keys
        value = merge(old, new, self._keypath, keys) if patch and old is not MISSING else new
        if value is not old:
            if container is None:
                self._store._data = value
            else:
                assign(container, where, value)
            clock.now += 1  # reads made while comparing saw the old data
        ups = self._ups
        if ups is None:
            ups = self._ups = self._ancestors()
            if self._c.ups is None:
                # The next writes may take the leaf path in set(), unless a keyed item
                # is on the way (its key may change) or fields are below.
                below = self._children or self._keyed
                fast = parent is not None and not ups[1] and not below
                self._c.ups = tuple([f._c for _, f in ups[0]]) if fast else ()
        for item in ups[1]:
            item._parent._key_moved(item, changes)  # type: ignore[union-attr]
        changes.notes[:0] = ups[0]
        if not changes.removed:
            # The write went into the containers above this field, which are the same
            # objects as before: their cached reads still hold, so the next read or
            # write down this path does not walk it again from the store's data.
            version = clock.now
            node = parent
            while node is not None and node._c.seen == read_at:
                node._c.seen = version
                node = node._parent
        changes.notify()
        if changes.removed:
            self._store._removed(changes.removed)

    def _ancestors(self) -> tuple[list[tuple[int, Field]], list[Field]]:
        """What every write here notifies above this field, the store's root first,
        and the keyed items on the way (nearest first): a field's path never changes,
        so this is worked out once."""
        ups: list[tuple[int, Field]] = []
        items: list[Field] = []
        node = self
        while node._parent is not None:
            if isinstance(node._seg, _Key):
                items.append(node)
            node = node._parent
            ups.append((VALUE, node))
        ups.reverse()
        return ups, items

    def _key_moved(self, item: Field, changes: Changes) -> None:
        """After a write inside `item`, an item of this keyed list: if its key
        changed, the list's order changed and the old key's field is gone."""
        key = item._seg.key
        items = self._read_or_missing()
        pos = self._index.get(key) if self._index is not None else None
        if self._position(items, key) is not None:
            return
        changes.notes.append((SHAPE, self))
        touch(item, changes)
        changes.removed.append((self, key))
        if pos is not None and isinstance(items, list) and pos < len(items):
            revived = self._keyed.get(self._keyfn()(items[pos]))  # type: ignore[misc]
            if revived is not None:
                touch(revived, changes)

    def _dispose(self) -> None:
        """Mark this field and those under it stale, and dispose their triggers.

        Each lets go of the fields below it, which point back at it: the tree is then
        freed by reference counting alone, without the garbage collector."""
        todo = [self]
        while todo:
            f = todo.pop()
            f._stale = True
            c = f._c
            c.known, c.seen, c.called, c.ups = None, -1, -1, ()
            todo.extend(f._children.values())
            todo.extend(f._keyed.values())
            f._children.clear()
            f._keyed.clear()
            f._ups = f._index = None
        self._owner.dispose()

    # --- lists ---------------------------------------------------------------------
    def append(self, item: Any) -> None:
        """Add `item` at the end of this list."""
        self.set(self._list() + [item])

    def extend(self, items: Any) -> None:
        """Add `items` at the end of this list."""
        self.set(self._list() + list(items))

    def insert(self, index: int, item: Any) -> None:
        """Insert `item` before position `index`."""
        new = self._list()
        new.insert(index, item)
        self.set(new)

    def pop(self, index: int = -1) -> Any:
        """Remove the item at `index` (default: the last) and return it."""
        new = self._list()
        item = new.pop(index)
        self.set(new)
        return item

    def remove(self, item: Any) -> None:
        """Remove the first item equal to `item`."""
        new = self._list()
        new.remove(item)
        self.set(new)

    def clear(self) -> None:
        """Remove every item."""
        self.set([])

    def sort(self, key: Callable[[Any], Any] | None = None, reverse: bool = False) -> None:
        """Sort the list (items keep their fields when the list is keyed)."""
        self.set(sorted(self._list(), key=key, reverse=reverse))

    def reverse(self) -> None:
        """Reverse the list."""
        self.set(self._list()[::-1])

    def _list(self) -> list[Any]:
        items = self.get_untracked()
        if not isinstance(items, list):
            raise TypeError("%s is not a list" % self._path())
        return list(items)

    # --- naming --------------------------------------------------------------------
    def _path(self) -> str:
        parts = []
        node: Field | None = self
        while node is not None and node._parent is not None:
            seg = node._seg
            if isinstance(seg, _Key):
                parts.append("[key=%r]" % (seg.key,))
            elif isinstance(seg, str) and _is_name(seg):
                parts.append("." + seg)
            else:
                parts.append("[%r]" % (seg,))
            node = node._parent
        parts.append(self._store._name)
        parts.reverse()
        return "".join(parts)

    def __repr__(self) -> str:
        return "<Field %s>" % self._path()


def _size(items: Any) -> str:
    n = len(items)
    return "has %d item%s" % (n, "" if n == 1 else "s")


def _is_name(seg: str) -> bool:
    # (MicroPython's str has no isalnum or isidentifier)
    if not seg or seg[0].isdigit():
        return False
    return all(c.isalpha() or c.isdigit() or c == "_" for c in seg)

