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
from ..reactive._owner import dispose_owners, enter_row, leave_row
from ..view._marks import COMMENT, NOT_TEXT
from ..view._template import TemplateUse
from ._mountable import Mountable, flat, release

if TYPE_CHECKING:
    from ._protocol import Renderer


class Row:
    __slots__ = ("index", "items", "key", "owner", "set_index")

    def __init__(self, key: Any) -> None:
        self.key = key
        self.items: list[Any] = []  # its nodes and Mountables
        self.owner: Owner | None = None
        self.index: Any = None
        self.set_index: Any = None


class KeyedRows(Mountable):
    """The rows of a keyed list (and their items and keys, in lists of their own:
    compared whole, in C) and its anchor, as they are now."""

    __slots__ = ("anchor", "home", "items", "keys", "rows")

    def __init__(self, home: Any) -> None:
        self.rows: list[Row] = []
        self.keys: list[Any] = []
        self.items: list[Any] = []  # (a copy of) the items the rows are of (see `reconcile`)
        self.anchor: Any = None
        self.home = home  # the scope the rows' owners belong to

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
    state = KeyedRows(home)
    rows = state.rows

    def build_row(row: Any, item: Any, i: int, builder: Any, into: Any) -> None:
        # The row belongs to the list, and runs untracked; it gets an owner of its own
        # only when it needs one (see `enter_row`), and keeps one only when it made
        # more than one thing to dispose.
        token = enter_row(home)
        try:
            if v.indexed:
                row.index, row.set_index = signal(i)
                view = v.children(row.index, item)
            else:
                view = v.children(item)
            # (a compiled row is one template use: built directly, the common case)
            if type(view) is not TemplateUse or not build_template(builder, view, into):
                builder.build(view, into)
        finally:
            row.owner = leave_row(token)

    def first(items: list[Any]) -> None:
        if level.prev != NOT_TEXT:
            b.separator(level)
        inner = Level(level.cursor, level.parent)
        seen: set[Any] = set()
        keys = state.keys
        for i, item in enumerate(items):
            row = Row(_new_key(v.key(item), seen))
            keys.append(row.key)
            if inner.prev != NOT_TEXT:  # rows are apart, even when they are texts
                b.separator(inner)
                inner.prev = NOT_TEXT
            start = len(inner.nodes)
            build_row(row, item, i, b, inner)
            row.items = inner.nodes[start:]
            rows.append(row)
        level.cursor = inner.cursor
        state.items = _kept(items)
        state.anchor = b.take(level, COMMENT, None) if b.hydrating else r.create_placeholder()
        level.nodes.append(state)
        level.prev = NOT_TEXT

    def update(items: list[Any]) -> None:
        reconcile(r, state, items, v, fresh_row)

    builder = Build(r)  # for new rows (`b` may be hydrating)
    spare = [Level()]  # one Level serves row after row (a row built inside a row gets its own)

    def fresh_row(row: Row, item: Any, i: int) -> None:
        into = spare.pop() if spare else Level()
        into.nodes = row.items = []
        into.prev = NOT_TEXT
        if into.text:  # (left by a row that failed half-way)
            into.text = []
        try:
            build_row(row, item, i, builder, into)
        finally:
            spare.append(into)

    started = [False]

    def run() -> None:
        items = v.each()
        if type(items) is not list and type(items) is not tuple:
            items = list(items)
        if not started[0]:
            started[0] = True
            first(items)
        else:
            update(items)

    RenderEffect(run)  # rows are children of `home`: they go when it goes


def reconcile(r: Renderer, state: KeyedRows, items: Any, v: Any, make: Any) -> None:
    """Turn the DOM of the rows of `state` into the rows of `items`, with few operations."""
    key = v.key
    anchor = state.anchor
    parent = r.parent_of(anchor)
    if parent is None:  # detached (kept by an ErrorBoundary): only the rows change
        every_key = [key(item) for item in items]
        _check_unique(every_key)
        _reconcile_detached(state, every_key, items, make)
        return
    # Rows that keep their place at either end are left alone, and two rows that traded
    # places at the ends of what is left are moved directly: appending, removing one row
    # or swapping two costs a comparison of the lists (in C: whole lists, or slices) and
    # the moves, nothing more. The lists compared are the items themselves, the same
    # objects as last time for the rows that stay (a comparison that stops at identity,
    # without a call per row); only the new middle's keys are asked for. Items that
    # cannot be compared (an `==` that raises) are compared by their keys instead.
    # The list's own lists (rows, keys, items) are changed in place, and no list as long
    # as the whole is made for a change in a few rows: on MicroPython each allocation
    # that size searches the heap for room (tens of microseconds when it is fragmented).
    old, old_keys, was = state.rows, state.keys, state.items
    by_keys = False
    try:
        start, end_old, end_new, swaps = _ends(old, old_keys, was, items, anchor)
    except Exception:
        by_keys = True
        was = old_keys  # (the items are copied at the end instead)
        every_key = [key(item) for item in items]
        start, end_old, end_new, swaps = _ends(old, old_keys, was, every_key, anchor)
    try:
        if by_keys:
            middle_keys = every_key[start:end_new]
        else:  # the rows kept at the ends keep their keys
            middle_keys = [key(item) for item in _span(items, start, end_new)]
        # The rows kept at the ends have the keys they had, unique; only the middle's
        # new keys may repeat one (of theirs, or of each other).
        before, after = _span(old_keys, 0, start), old_keys[end_old:]
        if not _unique_with(middle_keys, before, after):
            _check_unique(before + middle_keys + after)
    except BaseException:  # a bad list changes nothing
        _swap_back(swaps, old, old_keys, None if was is old_keys else was)
        raise
    for _, _, first, last, after in swaps:
        for node in last:
            r.insert_before(parent, node, first[0])
        for node in first:
            r.insert_before(parent, node, after)
    n_old, n_new = len(old), len(items)
    if v.indexed:  # rows that stay may still have moved: their index follows
        for j in range(start):
            _place(old[j], j)
        for j in range(end_new, n_new):
            _place(old[j - n_new + n_old], j)
    if start < end_old or start < end_new:
        following = _first_node(old, end_old, anchor)
        whole = start == 0 and end_old == n_old
        middle = _reconcile_middle(
            r, parent, old[start:end_old], middle_keys, items, start, v, following, whole,
            make, state.home,
        )
        old[start:end_old] = middle
        old_keys[start:end_old] = middle_keys
    if by_keys:
        state.items = _kept(items)
    else:  # (equal to `items` at both ends already)
        was[start:end_old] = _span(items, start, end_new)


def _kept(items: Any) -> list[Any]:
    """A list of `items` to compare the next list with: a copy, which its owner may
    change in place (a slice copies in one go)."""
    return items[:] if type(items) is list else list(items)


def _span(items: Any, i: int, j: int) -> Any:
    """`items[i:j]`, without a copy when that is all of it."""
    return items if i == 0 and j == len(items) else items[i:j]


def _ends(old: list[Row], old_keys: list[Any], was: list[Any], now: Any, anchor: Any) -> Any:
    """Where the list `was` and the list `now` (items, or their keys) differ:
    `(start, end_old, end_new, swaps)`. Rows `old[:start]` and `old[end_old:]` stay
    where they are; `swaps` are pairs of rows that traded places (their indexes, their
    nodes and the node after the second), already swapped in `old`, `old_keys` and
    `was` (and swapped back if a comparison raises)."""
    start = 0
    end_old, end_new = len(was), len(now)
    same_length = end_old == end_new
    swaps: list[Any] = []
    try:
        while True:
            # With as many items as before, both lists whole are compared first: no
            # copies, and the rows that traded places leave them equal.
            if same_length and was == now:
                start = end_old = end_new
                break
            start = _common_start(was, now, start, min(end_old, end_new))
            end = _common_end(was, now, end_old, end_new, start)
            end_old -= end
            end_new -= end
            if (
                end_old - start > 1
                and end_new - start > 1
                and was[start] == now[end_new - 1]
                and was[end_old - 1] == now[start]
            ):
                first, last = flat(old[start].items), flat(old[end_old - 1].items)
                if first and last:
                    # Moved once the keys are known to be good: a bad list changes nothing.
                    i, j = start, end_old - 1
                    swaps.append((i, j, first, last, _first_node(old, end_old, anchor)))
                    old[i], old[j] = old[j], old[i]
                    old_keys[i], old_keys[j] = old_keys[j], old_keys[i]
                    if was is not old_keys:
                        was[i], was[j] = was[j], was[i]
                    continue
            break
    except BaseException:
        _swap_back(swaps, old, old_keys, None if was is old_keys else was)
        raise
    return start, end_old, end_new, swaps


def _swap_back(swaps: list[Any], *lists: Any) -> None:
    """Undo the swaps `_ends` made in `lists` (None: one to leave)."""
    for i, j, _, _, _ in reversed(swaps):
        for each in lists:
            if each is not None:
                each[i], each[j] = each[j], each[i]


def _common_start(a: Any, b: Any, start: int, end: int) -> int:
    """The first index from `start` (below `end`) where `a` and `b` differ, else `end`.
    Found by comparing slices, which runs in C: spans that double from `start` until
    one differs, then halve (a difference near `start` costs a few short slices)."""
    if _span(a, start, end) == _span(b, start, end):
        return end
    lo, hi = start, end - 1  # the same before lo; the first difference is at hi or before
    step = 1
    while lo < hi:
        mid = min(lo + step, (lo + hi + 1) // 2)
        if a[lo:mid] == b[lo:mid]:
            lo = mid
            step *= 2
        else:
            hi = mid - 1
    return lo


def _common_end(a: Any, b: Any, end_a: int, end_b: int, start: int) -> int:
    """How many items `a[:end_a]` and `b[:end_b]` have in common at their ends, without
    reaching below `start`. (As `_common_start`, from the ends back: the spans are
    reversed slices.)"""
    n = min(end_a, end_b) - start
    if n <= 0:
        return 0
    if _span(a, end_a - n, end_a) == _span(b, end_b - n, end_b):
        return n
    lo, hi = 0, n - 1  # the last lo are the same, the last hi + 1 are not
    a_last, b_last = end_a - 1, end_b - 1
    step = 1
    while lo < hi:
        mid = min(lo + step, (lo + hi + 1) // 2)  # (mid < n: no slice reaches below start)
        if a[a_last - lo : a_last - mid : -1] == b[b_last - lo : b_last - mid : -1]:
            lo = mid
            step *= 2
        else:
            hi = mid - 1
    return lo


def _first_node(rows: list[Row], i: int, anchor: Any) -> Any:
    """The first node of rows[i:] (rows may have none), else the list's anchor."""
    for j in range(i, len(rows)):  # by index: a slice would copy the rest of the list
        nodes = flat(rows[j].items)
        if nodes:
            return nodes[0]
    return anchor


def _place(row: Row, index: int) -> None:
    """A row of ForEnumerate that stays: its index may have moved."""
    if row.set_index is not None and row.index.get_untracked() != index:
        row.set_index(index)


def _reconcile_middle(
    r: Renderer,
    parent: Any,
    old: list[Row],
    keys: list[Any],
    items: list[Any],
    start: int,
    v: Any,
    following: Any,
    whole: bool,
    make: Any,
    home: Any,
) -> list[Row]:
    """Rows `old` become the rows of `keys` (those of items[start:...]), placed before
    `following` (new rows are made by `make`; the owners of those that go belong to
    `home`)."""
    new: list[Row] = []
    kept_positions: list[int] = []
    if not keys:  # no keys left here (a clear): every row goes
        gone = old
    elif not old:  # no rows here before (a create, an append): every row is new
        gone = old
        for key in keys:
            new.append(Row(key))
    else:
        kept_positions = _positions(old, keys)
        for j in range(len(keys)):
            i = kept_positions[j]
            new.append(Row(keys[j]) if i < 0 else old[i])
        gone = _gone(old, kept_positions)
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
    _dispose(r, gone, home)
    if new and kept_positions.count(-1) == len(kept_positions):
        # Every row here is new (a create, an append): made first to last, then put
        # before the same node together (in one operation, where the renderer can).
        made: list[Any] = []
        try:
            for j in range(len(new)):
                row = new[j]
                make(row, items[start + j], start + j)
                made.extend(flat(row.items))
        finally:
            insert_all = getattr(r, "insert_all", None)
            if insert_all is not None:
                if made:
                    insert_all(parent, made, following)
            else:
                for node in made:
                    r.insert_before(parent, node, following)
        return new
    stay = _longest_increasing(kept_positions)
    for j in range(len(new) - 1, -1, -1):
        row = new[j]
        if kept_positions[j] == -1:
            make(row, items[start + j], start + j)
        nodes = flat(row.items)
        if kept_positions[j] == -1 or j not in stay:
            for node in nodes:
                r.insert_before(parent, node, following)
        if row.set_index is not None and row.index.get_untracked() != start + j:
            row.set_index(start + j)
        if nodes:
            following = nodes[0]
    return new


def _positions(old: list[Row], keys: list[Any]) -> list[int]:
    """For each of `keys` (unique), the index of the row of `old` with that key, or -1.

    Integer keys are added to the table of the old ones where they are not there
    yet, rather than looked up, for the reason `_unique_with` gives: on MicroPython,
    replacing a thousand rows by a thousand new ones, 1.1 to 1.7 ms against 5.1 to
    5.7. Other keys are looked up, the quicker of the two for them (strings: 4.5
    against 8.7 ms)."""
    where = {}
    for i, row in enumerate(old):
        where[row.key] = i
    if keys and type(keys[0]) is int:
        return [where.setdefault(key, -1) for key in keys]
    return [where.get(key, -1) for key in keys]


def _gone(old: list[Row], positions: list[int]) -> list[Row]:
    """The rows of `old` whose index is not among `positions`."""
    taken = [False] * len(old)
    for i in positions:
        if i >= 0:
            taken[i] = True
    return [old[i] for i in range(len(old)) if not taken[i]]


def _reconcile_detached(state: KeyedRows, keys: list[Any], items: list[Any], make: Any) -> None:
    by_key = dict((row.key, row) for row in state.rows)
    new = []
    for j, key in enumerate(keys):
        row = by_key.pop(key, None)
        if row is None:
            row = Row(key)
            make(row, items[j], j)
        else:
            _place(row, j)
        new.append(row)
    _dispose(None, list(by_key.values()), state.home)
    state.rows[:] = new
    state.keys = keys
    state.items = _kept(items)


def _unique_with(keys: list[Any], before: Any, after: list[Any]) -> bool:
    """Whether `keys` are unique and none is among `before` and `after` (the keys of
    rows that stay, unique among themselves).

    More than a few integer keys (ids, the common case) are counted in one set of all
    of them: MicroPython hashes a small integer to itself and fills a table up before
    it grows it, so looking up a thousand absent ids in a set of a thousand others runs
    through long stretches of it (2.3 ms), where adding them all, in order, finds free
    places at once (0.25 ms). A few new keys make a small table, quicker to look the
    kept ones up in (one new id beside 10,000 kept: 0.9 against 1.3 ms). Other keys
    are looked up, which is the quicker of the two for them (strings: 3.9 against
    7.6 ms)."""
    if not keys:  # (a row removed, rows moved)
        return True
    if len(keys) > FEW_KEYS and type(keys[0]) is int:
        every = set(before)
        every.update(keys)
        every.update(after)
        return len(every) == len(before) + len(keys) + len(after)
    unique = set(keys)
    return len(unique) == len(keys) and unique.isdisjoint(before) and unique.isdisjoint(after)


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


def _dispose(r: Any, rows: list[Row], home: Any) -> None:
    """Dispose the owners of rows that went (children of `home`), all in one go, and
    tell the renderer they can be freed (`let_go`), and whether many went."""
    if not rows:
        return
    many = len(rows) >= MANY_ROWS
    owners = [row.owner for row in rows if row.owner is not None]
    if owners:
        # Many rows gone: their effects' subscriptions are dropped once the page has
        # shown the change, where the renderer can tell (`when_painted`).
        dispose_owners(owners, home, getattr(r, "when_painted", None) if many else None)
    let_go = getattr(r, "let_go", None)  # (None for a detached list: `r` is None)
    if let_go is not None:
        let_go(rows, many)


MANY_ROWS = 1000  # (a row holds a few kilobytes: a thousand, megabytes)
FEW_KEYS = 8  # new integer keys up to which `_unique_with` looks the kept ones up


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
