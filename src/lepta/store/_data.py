"""The plain data under a store: reaching into it, comparing it, merging into it.

A store holds ordinary Python values: dicts, lists, and objects whose state is in
their `__dict__` or `__slots__` (dataclasses included). Everything else (numbers,
strings, tuples, dates, ...) is a leaf, compared with `==` and replaced whole.
"""

from __future__ import annotations

from typing import Any, Callable


class _Missing:
    """What `child` returns for a part that is not there."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()

LEAVES = (bool, int, float, complex, str, bytes, tuple, frozenset, type(None))
# The exact types of the leaves a store holds most (a set: one test, no subclasses),
# for the shortest write path; any other leaf takes the general one.
LEAF_TYPES = frozenset((bool, int, float, str, type(None)))


def child(value: Any, seg: Any) -> Any:
    """`value[seg]` for a dict, list or tuple, `value.seg` for an object; MISSING if absent."""
    if isinstance(value, dict):
        return value.get(seg, MISSING)
    if isinstance(value, (list, tuple)):
        if isinstance(seg, int) and not isinstance(seg, bool) and -len(value) <= seg < len(value):
            return value[seg]
        return MISSING
    if isinstance(seg, str) and not isinstance(value, LEAVES) and value is not MISSING:
        return getattr(value, seg, MISSING)
    return MISSING


def assign(container: Any, seg: Any, value: Any) -> None:
    """Write `value` at `seg` of `container` (item of a dict or list, else attribute)."""
    if isinstance(container, (dict, list)):
        container[seg] = value
    elif isinstance(container, tuple):
        raise TypeError("a tuple cannot be changed in place; set the whole tuple instead")
    else:
        setattr(container, seg, value)


def state(obj: Any) -> dict[str, Any]:
    """The attributes of a plain object: its `__dict__` and its `__slots__`."""
    if isinstance(obj, LEAVES):
        return {}
    found = getattr(obj, "__dict__", None)
    out = dict(found) if isinstance(found, dict) else {}
    for name in _slots(type(obj)):
        if name not in out:
            value = getattr(obj, name, MISSING)
            if value is not MISSING:
                out[name] = value
    return out


def _slots(cls: type) -> list[str]:
    names: list[str] = []
    todo = [cls]
    while todo:  # (MicroPython has no __mro__: walk the bases)
        c = todo.pop()
        slots = c.__dict__.get("__slots__", ()) if hasattr(c, "__dict__") else ()
        names.extend([slots] if isinstance(slots, str) else slots)
        todo.extend(getattr(c, "__bases__", ()))
    return names


def same(a: Any, b: Any) -> bool:
    """Whether two values are equal all the way down.

    Objects whose class compares by identity (no `__eq__`) are compared by their
    attributes, so a store can tell that a new object holds the same data.
    """
    if a is b:
        return True
    if type(a) is not type(b):
        return False  # True == 1, but a field going from 1 to True did change
    if a == b:
        return True
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, b[i]) for i, x in enumerate(a))
    if isinstance(a, dict):
        return len(a) == len(b) and all(k in b and same(v, b[k]) for k, v in a.items())
    if isinstance(a, LEAVES):
        return False
    sa = state(a)
    return bool(sa) and same(sa, state(b))


def merge(old: Any, new: Any, keypath: str, keys: dict[str, Callable[[Any], Any]]) -> Any:
    """Write into `old` the parts of `new` that differ; return what should be held.

    Containers of the same type are kept and changed in place; lists declared keyed
    (in `keys`, by key path) are matched by key, so a moved item keeps its object.
    Anything else is replaced by `new`.
    """
    if old is new:
        return old
    if type(old) is not type(new) or isinstance(old, LEAVES):
        return old if type(old) is type(new) and old == new else new
    if isinstance(old, dict):
        for k in [k for k in old if k not in new]:
            del old[k]
        for k, v in new.items():
            cur = old.get(k, MISSING)
            if type(cur) is type(v) and isinstance(v, LEAVES):
                if cur != v:  # (a leaf: no key path needed below it)
                    old[k] = v
            else:
                _merge_at(old, k, cur, v, sub_path(keypath, k), keys)
        return old
    if isinstance(old, list):
        key = keys.get(keypath)
        if key is None:
            n = len(old)
            out = [merge(old[i], v, keypath, keys) if i < n else v for i, v in enumerate(new)]
        else:
            by_key = {}
            for item in old:
                by_key[key(item)] = item
            out = []
            for v in new:
                prev = by_key.get(key(v), MISSING)
                out.append(v if prev is MISSING else merge(prev, v, keypath, keys))
        old[:] = out
        return old
    so, sn = state(old), state(new)
    if not so and not sn:
        return new  # an object whose state we cannot see: replace it
    for name in so:
        if name not in sn:
            delattr(old, name)
    for name, v in sn.items():
        _merge_at(old, name, so.get(name, MISSING), v, sub_path(keypath, name), keys)
    return old


def _merge_at(container: Any, seg: Any, cur: Any, new: Any, keypath: str, keys: Any) -> None:
    value = new if cur is MISSING else merge(cur, new, keypath, keys)
    if value is not cur:
        assign(container, seg, value)


def sub_path(keypath: str, seg: Any) -> str:
    """The key path of a part named `seg`: names joined by dots; list positions
    (and int dict keys) are left out, so one key covers every item of a list."""
    if not isinstance(seg, str):
        return keypath
    return seg if not keypath else keypath + "." + seg


def is_mutable(value: Any) -> bool:
    """Whether `value` can change in place (so `set` of the same object means "changed")."""
    return not isinstance(value, LEAVES)
