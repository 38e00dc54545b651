"""Keyed lists (For, ForEnumerate): rows created once per key, moved rather than rebuilt.

On each change of the list, rows whose key left are disposed and removed, new keys get
new rows, and the rows that stay are moved only if their order changed: the rows on a
longest increasing run of old positions stay put, the others move. So swapping two rows
moves two, reversing moves at most n, appending touches no existing row, and a list
whose every key changed is cleared in one operation when it fills its parent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..reactive import Owner, RenderEffect, current_scope, signal
from ..reactive._core import enter_scope, leave_scope
from ..reactive._owner import dispose_owners
from ..view._marks import COMMENT, NOT_TEXT
from ..view._template import TemplateUse
from ._mountable import Mountable, flat, release

if TYPE_CHECKING:
    from ._protocol import Renderer


class Row:
    __slots__ = ("index", "item", "items", "key", "owner", "set_index")

    def __init__(self, key: Any, item: Any) -> None:
        self.key = key
        self.item = item
        self.items: list[Any] = []  # its nodes and Mountables
        self.owner: Owner | None = None
        self.index: Any = None
        self.set_index: Any = None


class KeyedRows(Mountable):
    """The rows of a keyed list and its anchor, as they are now."""

    __slots__ = ("anchor", "rows")

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.anchor: Any = None

    def flatten(self, out: list[Any]) -> None:
        for row in self.rows:
            out.extend(flat(row.items))
        out.append(self.anchor)


def keyed_list(b: Any, v: Any, level: Any) -> None:
    """Build a KeyedList into `level` and keep it in step with `v.each()`."""
    from ._build import Build, Level
    from ._template import build_template

    r = b.r
    home = current_scope()  # rows belong here, not to the effect (which re-runs)
    state = KeyedRows()
    rows = state.rows

    def build_row(row: Any, i: int, builder: Any, into: Any) -> None:
        token = enter_scope(home)
        try:  # the row's owner belongs to the list; the row runs under it, untracked
            owner = row.owner = Owner()
            enter_scope(owner)  # (leave_scope(token) restores what was before both)
            if v.indexed:
                row.index, row.set_index = signal(i)
                view = v.children(row.index, row.item)
            else:
                view = v.children(row.item)
            # (a compiled row is one template use: built directly, the common case)
            if type(view) is not TemplateUse or not build_template(builder, view, into):
                builder.build(view, into)
        finally:
            leave_scope(token)
        if owner._owned is None and owner._cleanups is None:
            # A row that made nothing to dispose (no effect, no cleanup) keeps no owner.
            owned = home._owned if home is not None else None
            if owned and owned[-1] is owner:
                owned.pop()
                row.owner = None

    def first(items: list[Any]) -> None:
        if level.prev != NOT_TEXT:
            b.separator(level)
        inner = Level(level.cursor, level.parent)
        seen: set[Any] = set()
        for i, item in enumerate(items):
            row = Row(_new_key(v.key(item), seen), item)
            if inner.prev != NOT_TEXT:  # rows are apart, even when they are texts
                b.separator(inner)
                inner.prev = NOT_TEXT
            start = len(inner.nodes)
            build_row(row, i, b, inner)
            row.items = inner.nodes[start:]
            rows.append(row)
        level.cursor = inner.cursor
        state.anchor = b.take(level, COMMENT, None) if b.hydrating else r.create_placeholder()
        level.nodes.append(state)
        level.prev = NOT_TEXT

    def update(items: list[Any]) -> None:
        rows[:] = reconcile(r, rows, items, v, state.anchor, fresh_row)

    builder = Build(r)  # for new rows (`b` may be hydrating)

    def fresh_row(row: Row, i: int) -> None:
        into = Level()
        build_row(row, i, builder, into)
        row.items = into.nodes

    started = [False]

    def run() -> None:
        items = list(v.each())
        if not started[0]:
            started[0] = True
            first(items)
        else:
            update(items)

    RenderEffect(run)  # rows are children of `home`: they go when it goes


def reconcile(
    r: Renderer, old: list[Row], items: list[Any], v: Any, anchor: Any, make: Any
) -> list[Row]:
    """Turn the DOM of rows `old` into the rows of `items`, with few operations."""
    parent = r.parent_of(anchor)
    if parent is None:  # detached (kept by an ErrorBoundary): only the rows change
        return _reconcile_detached(old, items, v, make)
    keys = [v.key(item) for item in items]
    if len(set(keys)) != len(keys):
        _check_unique(keys)
    # Rows that keep their place at either end are left alone, and two rows that traded
    # places at the ends of what is left are moved directly: appending, removing one row
    # or swapping two costs a walk over the keys and the moves, nothing more.
    n_old, n_new = len(old), len(keys)
    old = list(old)  # reordered by the swaps below
    start = 0
    end_old, end_new = n_old, n_new
    while True:
        while start < end_old and start < end_new and old[start].key == keys[start]:
            row = old[start]  # (`_place`, written out: every row before an append)
            row.item = items[start]
            if row.set_index is not None:
                _place(row, items[start], start)
            start += 1
        while end_old > start and end_new > start and old[end_old - 1].key == keys[end_new - 1]:
            end_old -= 1
            end_new -= 1
            _place(old[end_old], items[end_new], end_new)
        if (
            end_old - start > 1
            and end_new - start > 1
            and old[start].key == keys[end_new - 1]
            and old[end_old - 1].key == keys[start]
        ):
            first, last = flat(old[start].items), flat(old[end_old - 1].items)
            if first and last:
                after = _first_node(old, end_old, anchor)
                for node in last:
                    r.insert_before(parent, node, first[0])
                for node in first:
                    r.insert_before(parent, node, after)
                old[start], old[end_old - 1] = old[end_old - 1], old[start]
                continue
        break
    if start == end_old and start == end_new:
        return old
    following = _first_node(old, end_old, anchor)
    whole = start == 0 and end_old == n_old
    middle = _reconcile_middle(
        r, parent, old[start:end_old], keys, items, start, end_new, v, following, whole, make
    )
    return old[:start] + middle + old[end_old:]


def _first_node(rows: list[Row], i: int, anchor: Any) -> Any:
    """The first node of rows[i:] (rows may have none), else the list's anchor."""
    for j in range(i, len(rows)):  # by index: a slice would copy the rest of the list
        nodes = flat(rows[j].items)
        if nodes:
            return nodes[0]
    return anchor


def _place(row: Row, item: Any, index: int) -> None:
    """A row that stays: its item may be a new (equal-keyed) object; its index may move."""
    row.item = item
    if row.set_index is not None and row.index.get_untracked() != index:
        row.set_index(index)


def _reconcile_middle(
    r: Renderer,
    parent: Any,
    old: list[Row],
    keys: list[Any],
    items: list[Any],
    start: int,
    end: int,
    v: Any,
    following: Any,
    whole: bool,
    make: Any,
) -> list[Row]:
    """Rows `old` become the rows of keys[start:end], placed before `following`."""
    new: list[Row] = []
    kept_positions = []
    if start == end:  # no keys left here (a clear): every row goes
        gone = old
    else:
        by_key = {}
        for i, row in enumerate(old):
            by_key[row.key] = (i, row)
        for j in range(start, end):
            key = keys[j]
            found = by_key.pop(key, None)
            if found is None:
                row = Row(key, items[j])
                new.append(row)
                kept_positions.append(-1)
            else:
                i, row = found
                row.item = items[j]
                new.append(row)
                kept_positions.append(i)
        gone = [row for _, row in by_key.values()]
    if whole and gone and len(gone) == len(old) and _fills_parent(r, parent, old, following):
        # Every row goes: one operation (which also releases their nodes), the anchor
        # set apart first and put back.
        r.remove(following)
        r.clear(parent)
        r.insert_before(parent, following, None)
    else:
        for row in gone:
            nodes = flat(row.items)
            for node in nodes:
                r.remove(node)
            release(r, nodes)
    _dispose(gone)
    stay = _longest_increasing(kept_positions)
    for j in range(len(new) - 1, -1, -1):
        row = new[j]
        if kept_positions[j] == -1:
            make(row, start + j)
        nodes = flat(row.items)
        if kept_positions[j] == -1 or j not in stay:
            for node in nodes:
                r.insert_before(parent, node, following)
        if row.set_index is not None and row.index.get_untracked() != start + j:
            row.set_index(start + j)
        if nodes:
            following = nodes[0]
    return new


def _reconcile_detached(old: list[Row], items: list[Any], v: Any, make: Any) -> list[Row]:
    by_key = dict((row.key, row) for row in old)
    new = []
    for j, item in enumerate(items):
        key = v.key(item)
        row = by_key.pop(key, None)
        if row is None:
            row = Row(key, item)
            make(row, j)
        elif row.set_index is not None and row.index.get_untracked() != j:
            row.set_index(j)
        row.item = item
        new.append(row)
    _dispose(list(by_key.values()))
    return new


def _check_unique(keys: list[Any]) -> None:
    seen: set[Any] = set()
    for key in keys:
        _new_key(key, seen)


def _new_key(key: Any, seen: set[Any]) -> Any:
    """`key`, recorded in `seen`; a key met twice in one list is an error."""
    if key in seen:
        raise ValueError("For: the key %r appears twice; keys must be unique" % (key,))
    seen.add(key)
    return key


def _dispose(rows: list[Row]) -> None:
    """Dispose the owners of rows that went, all in one go."""
    owners = [row.owner for row in rows if row.owner is not None]
    if owners:
        dispose_owners(owners)


def _fills_parent(r: Renderer, parent: Any, rows: list[Row], anchor: Any) -> bool:
    """Whether the parent holds nothing but these rows and the anchor. A list's nodes
    are one run ending with its anchor, so it is enough to look at both ends."""
    return r.first_child(parent) is _first_node(rows, 0, anchor) and r.next_sibling(anchor) is None


def _longest_increasing(positions: list[int]) -> set[int]:
    """Indexes (into `positions`) of a longest increasing run of kept old positions."""
    tails: list[int] = []  # index j of the smallest tail of each run length
    previous = [-1] * len(positions)
    for j, p in enumerate(positions):
        if p < 0:
            continue
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if positions[tails[mid]] < p:
                lo = mid + 1
            else:
                hi = mid
        previous[j] = tails[lo - 1] if lo > 0 else -1
        if lo == len(tails):
            tails.append(j)
        else:
            tails[lo] = j
    result = set()
    j = tails[-1] if tails else -1
    while j >= 0:
        result.add(j)
        j = previous[j]
    return result
