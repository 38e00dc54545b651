"""Owners: the tree that decides when reactive nodes are disposed, and carries context."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from . import _core
from ._context import lookup_context
from ._core import DISPOSED, _Scope, current_scope
from ._errors import DisposedError, MissingContextError, NoOwnerError

T = TypeVar("T")


class Owner(_Scope):
    """A node of the ownership tree: a child of the current owner, or a root.

    Everything created while an owner is current (signals, memos, effects, child
    owners, cleanups, context values) belongs to it. `dispose()` disposes the children
    first (last created first), then runs the cleanups, and stops every effect.

        root = Owner()
        with root:
            count, set_count = signal(0)
            Effect(lambda: print(count()))
        root.dispose()

    `with owner:` may span `await`s: each asyncio task sees only the owner it entered.
    `Owner(server=True)` marks a server-rendering tree, in which effects never run.
    """

    __slots__ = ("_disposed", "_entered", "_server")
    _is_owner = True

    def __init__(self, server: bool = False) -> None:
        self._owned = self._cleanups = self._contexts = None
        self._disposed = False
        self._entered: list[tuple[bool, Any]] | None = None
        parent = self._parent = _core._adopt(self)
        if server:
            _core._any_server = True
        self._server = server or (
            parent is not None
            and (parent._server if parent._is_owner else _core.server_scope(parent))
        )

    @property
    def parent(self) -> Owner | None:
        """The nearest owner above this one (None for a root)."""
        p = self._parent
        while p is not None and not p._is_owner:
            p = p._parent
        return p  # type: ignore[return-value]

    @property
    def disposed(self) -> bool:
        return self._disposed

    def __enter__(self) -> Owner:
        self._check_alive()
        if _core._scope is not None:
            # Inside a running computation: synchronous code, a plain global suffices.
            saved: Any = _core._scope
            _core._scope = self
            kind = True
        else:
            saved = _core._ambient.set(self)
            kind = False
        if self._entered is None:
            self._entered = []
        self._entered.append((kind, saved))
        return self

    def __exit__(self, *exc: object) -> None:
        kind, saved = self._entered.pop()  # type: ignore[union-attr]
        if kind:
            _core._scope = saved
        else:
            _core._ambient.reset(saved)

    def run(self, fn: Callable[[], T], untracked: bool = False) -> T:
        """Call `fn()` with this owner current and return its result; with
        `untracked`, its reads do not become dependencies of the computation
        running now (the way to run a child's code from inside an effect)."""
        self._check_alive()
        token = _core.enter_scope(self, untracked)
        try:
            return fn()
        finally:
            _core.leave_scope(token)

    def dispose(self) -> None:
        """Dispose children (last first), run cleanups (last first), detach from parent."""
        if self._owned is None and self._cleanups is None and self._parent is None:
            # A root that owns nothing (a server render that created nothing reactive):
            # nothing to dispose or detach from.
            self._disposed = True
            self._contexts = None
            return
        self._dispose(True)

    def _dispose(self, detach: bool = True) -> None:
        if self._disposed:
            return
        self._disposed = True
        if detach:
            self._detach()
        self._reset()

    def _check_alive(self) -> None:
        if self._disposed:
            raise DisposedError(
                "this Owner was disposed and cannot be entered again; create a new Owner"
            )

    def __repr__(self) -> str:
        state = "disposed" if self._disposed else "%d owned" % len(self._owned or ())
        return "<Owner %s%s>" % (state, ", server" if self._server else "")


_new = object.__new__


def server_owner() -> Owner:
    """`Owner(server=True)`, made without the general constructor (a server render
    makes one per page)."""
    owner: Owner = _new(Owner)
    owner._owned = owner._cleanups = owner._contexts = owner._entered = None
    owner._disposed = False
    owner._server = True
    _core._any_server = True
    parent = _core._scope
    if parent is None:
        parent = _core._ambient_get()
    owner._parent = parent
    if parent is not None:
        _core.own(parent, owner)
    return owner


# A list builds its rows with these (see their docs in the core, which holds them:
# they run once per row, and a call less counts there).
enter_row = _core.enter_row
leave_row = _core.leave_row


def _settle_row(row: list[Any]) -> Any:
    """`leave_row` for a row that has an owner, or made more than one thing, or one
    that is not an effect."""
    owner = row[2]
    if owner is None:
        owner = _make_row_owner_of(row)
    else:
        _gather(row)  # what went into `home` after the owner was made is the row's too
    return _settle(owner)


def _make_row_owner() -> Owner:
    """The current row's Owner, made now: what the row made so far moves into it, and
    it becomes current (see `enter_row`)."""
    row = _core._row
    assert row is not None and row[2] is None
    owner = _make_row_owner_of(row)
    if _core._scope is row[0]:
        _core._scope = owner
    return owner


def _make_row_owner_of(row: list[Any]) -> Owner:
    home, mark, _ = row
    owner = _new_row_owner(home)
    row[2] = owner
    if home is None:  # (a list outside any owner: its rows are roots)
        return owner
    owned = home._owned
    if owned is not None and len(owned) > mark:
        _move(owned, mark, owner)
    if owned is None:
        home._owned = [owner]
    else:
        owned.append(owner)
    return owner


def _gather(row: list[Any]) -> None:
    """Move into the row's owner what the row made in `home` after the owner was made
    (an effect's run puts `home` back as the current scope when it ends)."""
    home, _, owner = row
    owned = home._owned if home is not None else None
    if not owned or owned[-1] is owner:
        return
    for i in range(len(owned) - 1, -1, -1):
        if owned[i] is owner:
            _move(owned, i + 1, owner)
            return


def _move(owned: list[Any], start: int, owner: Owner) -> None:
    """Move `owned[start:]` to the end of `owner`'s children."""
    made = owned[start:]
    del owned[start:]
    for node in made:
        if isinstance(node, _core._Scope):
            node._parent = owner
    if owner._owned is None:
        owner._owned = made
    else:
        owner._owned.extend(made)


def _new_row_owner(parent: Any) -> Owner:
    """An Owner under `parent`, not yet listed there: made without the general
    constructor (a list may make one per row)."""
    owner: Owner = _new(Owner)
    owner._owned = owner._cleanups = owner._contexts = owner._entered = None
    owner._disposed = False
    owner._parent = parent
    if parent is None:
        owner._server = False
    else:
        owner._server = parent._server if parent._is_owner else _core.server_scope(parent)
    return owner


def _settle(owner: Owner) -> Any:
    """What stands for a row that has an owner: the owner; or, when all it made is one
    effect, that effect, in the owner's place under its parent; or None when it made
    nothing to dispose (no child, no cleanup). Either way an owner left with nothing
    to do is forgotten by its parent."""
    owned = owner._owned
    if owner._cleanups is not None or owner._contexts is not None:
        return owner
    if owned is not None and (len(owned) != 1 or not _core.hoistable(owned[0])):
        return owner
    parent = owner._parent
    siblings = parent._owned if parent is not None else None
    if not siblings or siblings[-1] is not owner:
        return owner
    if owned is None:
        siblings.pop()
        return None
    # The effect takes the owner's place: disposing it is all disposing the owner
    # would do, and the contexts it looks up are the same (the owner held none).
    only = owned[0]
    only._parent = parent
    siblings[-1] = only
    return only


_core._make_row_owner = _make_row_owner
_core._settle_row = _settle_row


FEW_OWNERS = 16  # owners taken out of their parent's list one by one (see below)


def dispose_owners(
    owners: list[Any], parent: Any = None, later: _core.Later | None = None
) -> None:
    """Dispose many owners at once (or effects standing for rows, from
    `leave_row`), as `dispose()` on each (the last first), but taken out of
    their parents' lists in one pass rather than one search each: a list clearing
    10,000 rows would otherwise shift its parent's list 10,000 times. `parent`, when
    the caller knows it, is the one scope they all belong to (a list's rows): then
    none is looked up.

    A cleanup that raises does not stop the others; the first error is re-raised
    once every owner is disposed.

    `later(work)`, when given, runs `work` once the page has shown the change: the
    effects among `owners` that own nothing (a compiled row's one effect) are
    disposed at once, but taken off their sources' lists by `work`, off the change's
    critical path (see `_core._dispose_all`).
    """
    parents: list[Any] = []
    if parent is not None:
        parents.append(parent)
    else:
        for owner in owners:
            above = owner._parent
            if above is not None and not (parents and parents[-1] is above):
                if above not in parents:
                    parents.append(above)
    error = _core._dispose_all(owners, later)  # (disposed, still listed until just below)
    count = len(owners)
    for above in parents:
        owned = above._owned
        if owned and len(owned) >= count and owned[len(owned) - count :] == owners:
            del owned[len(owned) - count :]  # its last ones, in order (compared in C)
        elif owned and count <= FEW_OWNERS:
            # A few (a row removed): a search each, in C, beats a pass in Python.
            for owner in owners:
                try:
                    owned.remove(owner)
                except ValueError:  # (not listed there: nothing to take out)
                    pass
        elif owned:
            # No set of the nodes disposed: MicroPython hashes objects by address,
            # and a set of thousands collides badly. An effect is gone when DISPOSED,
            # an owner when `_disposed` (the second test runs only for the nodes kept
            # by the first, or for owners).
            above._owned = [
                n
                for n in owned
                if getattr(n, "_state", 0) != DISPOSED
                and getattr(n, "_disposed", False) is not True
            ]
    if error is not None:
        raise error


def _require_scope(what: str) -> _Scope:
    scope = current_scope()
    if scope is None:
        raise NoOwnerError(
            "%s was called outside any owner, so nothing would ever run or find it. "
            "Call it inside a component, an effect, or `with Owner():`." % what
        )
    return scope


def on_cleanup(fn: Callable[[], object]) -> None:
    """Run `fn` when the current owner is disposed, or before its effect re-runs.

        Effect(lambda: (start_timer(), on_cleanup(stop_timer)))
    """
    scope = _require_scope("on_cleanup()")
    if scope._cleanups is None:
        scope._cleanups = [fn]  # type: ignore[list-item]
    else:
        scope._cleanups.append(fn)  # type: ignore[arg-type]


def provide_context(value: object) -> None:
    """Make `value` visible to `use_context(type(value))` here and below.

    A value provided lower in the tree shadows one provided above it.
    """
    scope = _require_scope("provide_context()")
    if scope._contexts is None:
        scope._contexts = {type(value): value}
    else:
        scope._contexts[type(value)] = value


def use_context(kind: type[T]) -> T | None:
    """The nearest value of type `kind` provided by this owner or one above, or None.

        theme = use_context(Theme) or Theme.default()
    """
    return lookup_context(_core.lookup_scope(), kind)  # type: ignore[no-any-return]


def expect_context(kind: type[T]) -> T:
    """Like `use_context`, but raise MissingContextError when nothing was provided."""
    value = lookup_context(_core.lookup_scope(), kind)
    if value is None:
        name = getattr(kind, "__name__", repr(kind))
        raise MissingContextError(
            "no %s was provided above this point. Call provide_context(%s(...)) in "
            "an owner above it (for example the app's root component)." % (name, name)
        )
    return value  # type: ignore[no-any-return]
