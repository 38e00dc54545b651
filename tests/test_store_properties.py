"""Stores against plain data: random writes leave equal values and notify exactly
the fields whose values changed.

Each example applies a random sequence of writes (set a leaf, set a leaf twice in
a batch, set a subtree, append, remove, reorder, clear, patch, change a key, a move
inside a batch) to a Store and the same operation to a plain copy of its data.
Before each write, every path that exists gets an effect reading its field (and
every list an effect reading its items as fields); after the write:

* the store's value equals the plain copy;
* exactly the effects whose value changed ran, once each (a list's item-readers:
  exactly when its length, or for a keyed list its key order, changed);
* a field of a removed item raises StaleFieldError.

These are the bugs Leptos' stores shipped with: fields stale after a parent write,
keyed fields that stopped updating, index errors after clearing a list.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from lepta.reactive import Effect, Owner, batch, flush
from lepta.store import StaleFieldError, Store

MISSING = object()
TEXTS = ["a", "b", "c"]


@dataclass
class Todo:
    id: int
    text: str
    done: bool
    tags: list[str] = field(default_factory=list)


class K:
    """A keyed item's path segment."""

    def __init__(self, key: int) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, K) and other.key == self.key

    def __hash__(self) -> int:
        return hash(("K", self.key))

    def __repr__(self) -> str:
        return "K(%d)" % self.key


def initial() -> dict:
    return {
        "title": "a",
        "meta": {"a": 0, "b": 1},
        "todos": [Todo(1, "a", False, ["a"]), Todo(2, "b", True, []), Todo(3, "a", False)],
        "rows": [{"v": 0}, {"v": 1}],
        "nums": [0, 1, 2],
    }


# --- the plain side ------------------------------------------------------------------
def value_at(data, path):
    for seg in path:
        if isinstance(seg, K):
            data = next((t for t in data if t.id == seg.key), MISSING)
        elif isinstance(seg, int):
            data = data[seg] if seg < len(data) else MISSING
        elif isinstance(data, dict):
            data = data.get(seg, MISSING)
        else:
            data = getattr(data, seg)
        if data is MISSING:
            return MISSING
    return data


def equal(a, b) -> bool:
    """Equal values of equal types, all the way down (True is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, Todo):
        return equal(vars(a), vars(b))
    return a == b


def shape_of(value):
    if not isinstance(value, list):
        return MISSING
    if value and isinstance(value[0], Todo):
        return [t.id for t in value]
    return len(value)


def paths(data):
    """Every path in `data` that the test watches."""
    out = [(), ("title",), ("meta",), ("meta", "a"), ("meta", "b"), ("todos",), ("rows",)]
    out.append(("nums",))
    for todo in data["todos"]:
        base = ("todos", K(todo.id))
        out += [base, base + ("id",), base + ("text",), base + ("done",), base + ("tags",)]
        out += [base + ("tags", i) for i in range(len(todo.tags))]
    for i in range(len(data["rows"])):
        out += [("rows", i), ("rows", i, "v")]
    out += [("nums", i) for i in range(len(data["nums"]))]
    return out


# --- the store side ------------------------------------------------------------------
def field_at(store, path):
    f = store
    for seg in path:
        f = f.at_key(seg.key) if isinstance(seg, K) else f[seg]
    return f


class Watcher:
    """One effect per watched path, counting its runs."""

    def __init__(self, store):
        self.store = store
        self.runs: dict = {}
        self.watched: set = set()

    def watch(self, data):
        for path in paths(data):
            self._effect(("value", path), lambda f: f.get())
            if isinstance(value_at(data, path), list):
                self._effect(("shape", path), lambda f: f())

    def _effect(self, name, read):
        if name in self.watched:
            return
        self.watched.add(name)
        target = field_at(self.store, name[1])

        def run():
            self.runs[name] = self.runs.get(name, 0) + 1
            try:
                read(target)
            except StaleFieldError:
                pass

        Effect(run)

    def expected(self, before, after):
        """The watched names whose reads changed between two plain states."""
        changed = set()
        for kind, path in self.watched:
            if removed_item(before, after, path):
                changed.add((kind, path))  # every reader of a removed item's fields
                continue
            old, new = value_at(before, path), value_at(after, path)
            if kind == "shape":
                old, new = shape_of(old), shape_of(new)
            if not equal(old, new):
                changed.add((kind, path))
        return changed


def removed_item(before, after, path) -> bool:
    """Whether `path` lies under a keyed item that `before` has and `after` has not."""
    for i, seg in enumerate(path):
        if isinstance(seg, K):
            todo = path[: i + 1]
            return value_at(before, todo) is not MISSING and value_at(after, todo) is MISSING
    return False


# --- operations ----------------------------------------------------------------------
texts = st.sampled_from(TEXTS)
small = st.integers(0, 3)


def new_todo(draw, data, ids):
    ids[0] += 1
    return Todo(ids[0], draw(texts), draw(st.booleans()), draw(st.lists(texts, max_size=2)))


def leaf_paths(data):
    out = [(("title",), texts), (("meta", "a"), small), (("meta", "b"), small)]
    for todo in data["todos"]:
        base = ("todos", K(todo.id))
        out += [(base + ("text",), texts), (base + ("done",), st.booleans())]
        out += [(base + ("tags", i), texts) for i in range(len(todo.tags))]
    out += [(("rows", i, "v"), small) for i in range(len(data["rows"]))]
    out += [(("nums", i), small) for i in range(len(data["nums"]))]
    return out


def put(data, path, value):
    """The plain write of `value` at `path`."""
    container = value_at(data, path[:-1])
    seg = path[-1]
    if isinstance(seg, K):
        container[[t.id for t in container].index(seg.key)] = value
    elif isinstance(container, (dict, list)):
        container[seg] = value
    else:
        setattr(container, seg, value)


def put_tag(data, path, tag):
    value_at(data, path).append(tag)


LISTS = ["todos", "rows", "nums"]


def list_item(draw, name, data, ids):
    if name == "todos":
        return new_todo(draw, data, ids)
    return {"v": draw(small)} if name == "rows" else draw(small)


def operation(draw, data, ids):
    """A random write as (description, write to the store, write to the plain data)."""
    kind = draw(
        st.sampled_from(
            ["leaf", "leaf", "leaves", "subtree", "append", "remove", "reorder", "clear",
             "patch", "key", "move", "tags"]
        )
    )
    if kind == "leaf":
        path, values = draw(st.sampled_from(leaf_paths(data)))
        value = draw(values)
        return kind, lambda s: field_at(s, path).set(value), lambda d: put(d, path, value)
    if kind == "leaves":
        # one leaf written twice in a batch (a write after the first down a path takes
        # the store's shorter leaf path): effects run once, for what either changed
        path, values = draw(st.sampled_from(leaf_paths(data)))
        first, second = draw(values), draw(values)

        def write_twice(s):
            with batch():
                field_at(s, path).set(first)
                field_at(s, path).set(second)

        def write_twice_plain(d):
            put(d, path, first)
            middle = copy.deepcopy(d)
            put(d, path, second)
            return [middle]

        return kind, write_twice, write_twice_plain
    if kind == "subtree":
        choices = [("meta",), ("rows",)] + [("todos", K(t.id)) for t in data["todos"]]
        path = draw(st.sampled_from(choices))
        if path == ("meta",):
            value = {"a": draw(small), "b": draw(small)}
        elif path == ("rows",):
            value = [{"v": v} for v in draw(st.lists(small, max_size=3))]
        else:
            tags = draw(st.lists(texts, max_size=2))
            value = Todo(path[1].key, draw(texts), draw(st.booleans()), tags)
        fresh = copy.deepcopy  # the store and the plain data never share objects
        return kind, lambda s: field_at(s, path).set(fresh(value)), lambda d: put(d, path, value)
    name = draw(st.sampled_from(LISTS))
    items = data[name]
    if kind == "append":
        item = list_item(draw, name, data, ids)
        return kind, lambda s: s[name].append(copy.deepcopy(item)), lambda d: d[name].append(item)
    if kind == "remove" and items:
        i = draw(st.integers(0, len(items) - 1))
        return kind, lambda s: s[name].pop(i), lambda d: d[name].pop(i)
    if kind == "reorder" and items:
        order = draw(st.permutations(range(len(items))))

        def reorder(s):
            current = s[name].get_untracked()
            s[name].set([current[i] for i in order])

        return kind, reorder, lambda d: d.__setitem__(name, [d[name][i] for i in order])
    if kind == "clear":
        return kind, lambda s: s[name].clear(), lambda d: d[name].clear()
    if kind == "patch":
        # a copy of the whole state with a few writes: the store is patched to it
        target = copy.deepcopy(data)
        for _ in range(draw(st.integers(1, 3))):
            operation(draw, target, ids)[2](target)
        fresh = copy.deepcopy
        return kind, lambda s: s.patch(fresh(target)), lambda d: d.update(fresh(target))
    if kind == "key" and data["todos"]:
        todo = draw(st.sampled_from(data["todos"]))
        ids[0] += 1
        path, value = ("todos", K(todo.id), "id"), ids[0]
        return kind, lambda s: field_at(s, path).set(value), lambda d: put(d, path, value)
    if kind == "move" and len(data["todos"]) > 1:
        n = len(data["todos"])
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 2))

        def move(s):
            with batch():
                item = s.todos.pop(i)
                s.todos.insert(j, item)

        def move_plain(d):
            # two writes in one batch: effects run once, for what either write changed
            item = d["todos"].pop(i)
            middle = copy.deepcopy(d)
            d["todos"].insert(j, item)
            return [middle]

        return kind, move, move_plain
    if kind == "tags" and data["todos"]:
        todo = draw(st.sampled_from(data["todos"]))
        path = ("todos", K(todo.id), "tags")
        tag = draw(texts)
        if todo.tags and draw(st.booleans()):
            return kind, lambda s: field_at(s, path).pop(0), lambda d: value_at(d, path).pop(0)
        return kind, lambda s: field_at(s, path).append(tag), lambda d: put_tag(d, path, tag)
    return "none", lambda s: None, lambda d: None


# --- the property --------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_random_writes_keep_the_store_equal_to_plain_data_and_notify_exactly_what_changed(data):
    owner = Owner()
    with owner:
        plain = initial()
        store = Store(copy.deepcopy(plain), keys={"todos": lambda t: t.id})
        watcher = Watcher(store)
        ids = [10]
        for _ in range(data.draw(st.integers(1, 20))):
            watcher.watch(plain)
            flush()
            watcher.runs.clear()
            before = copy.deepcopy(plain)
            kind, to_store, to_plain = operation(data.draw, plain, ids)
            middle = to_plain(plain)
            states = [before, *(middle if kind in ("move", "leaves") else []), plain]
            to_store(store)
            flush()
            assert equal(store.get_untracked(), plain), kind
            expected = set()
            for old, new in itertools.pairwise(states):
                expected |= watcher.expected(old, new)
            ran = set(watcher.runs)
            assert ran == expected, (kind, sorted(map(repr, ran ^ expected)))
            assert all(n == 1 for n in watcher.runs.values()), (kind, watcher.runs)
            for todo in before["todos"]:
                if value_at(plain, ("todos", K(todo.id))) is MISSING:
                    try:
                        field_at(store, ("todos", K(todo.id), "text")).get_untracked()
                    except StaleFieldError:
                        pass
                    else:
                        raise AssertionError("the field of removed todo %d still reads" % todo.id)
    owner.dispose()
