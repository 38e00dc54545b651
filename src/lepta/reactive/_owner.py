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
    parent = _core._scope
    if parent is None:
        parent = _core._ambient_get()
    owner._parent = parent
    if parent is not None:
        _core.own(parent, owner)
    return owner


def enter_row_owner(parent: Any) -> tuple[Owner, Any]:
    """A new Owner under `parent` (which need not be current), made current, untracked,
    for the synchronous code that follows: `(owner, token)`; `leave_row_owner` ends it.
    Made without the general constructor: a list makes one per row.

        owner, token = enter_row_owner(list_owner)
        try:
            build_row()
        finally:
            owner = leave_row_owner(owner, token)
    """
    owner: Owner = _new(Owner)
    owner._owned = owner._cleanups = owner._contexts = owner._entered = None
    owner._disposed = False
    owner._parent = parent
    if parent is None:
        owner._server = False
    else:
        owner._server = parent._server if parent._is_owner else _core.server_scope(parent)
        owned = parent._owned
        if owned is None:
            parent._owned = [owner]
        else:
            owned.append(owner)
    return owner, _core.enter_scope(owner)


def leave_row_owner(owner: Owner, token: Any) -> Any:
    """Restore what `enter_row_owner` replaced. Returns what stands for the row, to
    give to `dispose_owners` when it goes: the owner; or, when all it made is one
    effect (a row with one dynamic part), that effect, in the owner's place under
    its parent; or None when nothing was made to dispose (no child, no cleanup).
    Either way an owner left with nothing to do is forgotten by its parent."""
    _core.leave_scope(token)
    owned = owner._owned
    if owner._cleanups is not None or owner._contexts is not None:
        return owner
    if owned is not None:
        if len(owned) != 1:
            return owner
        only = owned[0]
        hoist = _hoistable.get(type(only))
        if hoist is None:
            hoist = _hoistable[type(only)] = issubclass(type(only), _core.Effect)
        if not hoist:
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
    only._parent = parent
    siblings[-1] = only
    return only


# Per class: whether an effect of it may stand for a row (see `leave_row_owner`).
_hoistable: dict[type, bool] = {}


def dispose_owners(
    owners: list[Any], parent: Any = None, later: _core.Later | None = None
) -> None:
    """Dispose many owners at once (or effects standing for rows, from
    `leave_row_owner`), as `dispose()` on each (the last first), but taken out of
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
    return lookup_context(current_scope(), kind)  # type: ignore[no-any-return]


def expect_context(kind: type[T]) -> T:
    """Like `use_context`, but raise MissingContextError when nothing was provided."""
    value = lookup_context(current_scope(), kind)
    if value is None:
        name = getattr(kind, "__name__", repr(kind))
        raise MissingContextError(
            "no %s was provided above this point. Call provide_context(%s(...)) in "
            "an owner above it (for example the app's root component)." % (name, name)
        )
    return value  # type: ignore[no-any-return]
