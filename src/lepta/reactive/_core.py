"""The reactive graph: signals, memos, effects and the algorithm that joins them.

Design principles
-----------------
* Push-pull. A write only *marks*: its direct observers become DIRTY and everything
  further down becomes CHECK. Nothing is computed until somebody reads (memos) or the
  effect queue is flushed (effects). A read of a CHECK node first brings its sources up
  to date, in order, and recomputes only if one of them really changed. So a diamond
  recomputes once, unread memos cost nothing, and a memo whose value did not change
  stops the work below it (equality cut-off).
* Effects are the expensive part. They are queued when marked, and run together at
  the end of the update (a flush), never on the server.
* Dependencies are dynamic: each run records what it read, in order. When the list is
  the same as last time (the common case) nothing is re-subscribed.
* Deep graphs must not hit Python's recursion limit, so marking and checking walk the
  graph with explicit stacks.
* Tracking state is plain module globals, valid only while synchronous code runs:
  computations never await, so no task can observe another's tracking state.

Node states (``_state``)::

    FAILED   = -1  clean, but the last run raised; reading re-raises (memos only)
    CLEAN    =  0  the value is current
    CHECK    =  1  a source further up may have changed; check the sources first
    DIRTY    =  2  a direct source changed; recompute
    RUNNING  =  3  computing now; being read again means a cycle
    DISPOSED =  4  its owner disposed it; using it raises DisposedError

Scopes (owners) form a tree. Every node created while a scope is current belongs to
it; a computation is itself the scope of whatever its function creates, and those
children are disposed before it runs again.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Generic, TypeVar

from ._ambient import ambient_var
from ._context import ErrorHandler, lookup_context
from ._errors import CycleError, DisposedError, EffectErrors, EffectLoopError

T = TypeVar("T")

FAILED = -1
CLEAN = 0
CHECK = 1
DIRTY = 2
RUNNING = 3
DISPOSED = 4

IMMEDIATE = 2  # `_eager` of nodes that run as soon as they are marked (selectors)

# Effects may chain (one writes what the next reads); this many rounds of effects
# within one flush means they are feeding each other forever.
MAX_FLUSH_ROUNDS = 100

# --- tracking state ------------------------------------------------------------------
# `_track` is the bound `append` of the list collecting the running computation's
# sources, or None when reads are not tracked. Reading it is the whole cost of a read.
_track: Callable[[Any], None] | None = None
# The scope owning what synchronous code creates right now: the running computation,
# or an Owner entered inside one. None means "ask the ambient (per-task) owner".
_scope: _Scope | None = None
_ambient = ambient_var("lepta.owner")
_ambient_get: Callable[[], Any] = _ambient.get
# While an effect runs: the signals written (the running effects' writes, innermost
# last), to re-run an effect that wrote its own source. None outside any run.
_written: list[Any] | None = None
_writes: list[Any] = []

# A row of a list being built (see `_owner.enter_row`): `[home, mark, owner]`. It runs
# with the list's own scope `home` current, and the children it makes are `home`'s
# from index `mark` on; `owner` is the row's Owner once one was needed (else None).
_row: list[Any] | None = None


def _no_row_owner(*args: Any) -> Any:
    raise RuntimeError("lepta.reactive._owner makes rows' owners: import lepta.reactive")


_make_row_owner: Callable[[], Any] = _no_row_owner  # (set by _owner: the row's owner, made)
_settle_row: Callable[[Any], Any] = _no_row_owner  # (set by _owner: see `leave_row`)


def enter_row(home: Any) -> Any:
    """Start building a row of a list whose rows belong to `home` (which need not be
    current): the synchronous code that follows runs untracked, as the row's. Returns
    a token for `leave_row`, which returns what stands for the row.

        token = enter_row(list_owner)
        try:
            build_row()
        finally:
            row_owner = leave_row(token)

    A row gets an Owner of its own only when it needs one, which a list's rows mostly
    do not (making one per row cost a tenth of a new row on MicroPython). It runs
    with `home` current, and what it makes goes into `home`'s list; what needs a
    scope of the row's own (`current_scope()`, `provide_context`, `on_cleanup`, a
    component, a child of `home` going away) makes the row's Owner then (see
    `_owner._make_row_owner`), and moves what the row had made into it. So the result
    is as if the row had run under an Owner of its own from the start.
    (`lepta.reactive._owner.enter_row` is this function.)"""
    global _scope, _track, _row
    token = (_scope, _track, _row)
    owned = home._owned if home is not None else None
    _row = row = [home, len(owned) if owned else 0, None]
    _scope = home
    _track = None
    if home is None:
        _make_row_owner()
    return token, row


def leave_row(token: Any) -> Any:
    """End the row `enter_row` began; what stands for it, to give to
    `_owner.dispose_owners` when it goes: None when it made nothing to dispose; the
    one effect it made (a row with one dynamic part), in the row's place under `home`;
    else its Owner."""
    global _scope, _track, _row
    (_scope, _track, _row), row = token
    home, mark, owner = row
    if owner is None:
        owned = home._owned
        made = (len(owned) if owned else 0) - mark
        if made == 1:  # (one effect: already in the row's place, `home` its parent)
            only = owned[-1]
            hoist = _hoistable.get(type(only))  # (`hoistable`, its lookup written out)
            if hoist or (hoist is None and hoistable(only)):
                return only
        elif made == 0:
            return None
    return _settle_row(row)


def hoistable(node: Any) -> bool:
    """Whether `node` may stand for a row in its owner's place: an effect."""
    hoist = _hoistable.get(type(node))
    if hoist is None:
        hoist = _hoistable[type(node)] = issubclass(type(node), Effect)
    return hoist


_hoistable: dict[type, bool] = {}  # per class (a lookup: cheaper than walking its bases)

# --- effect queue --------------------------------------------------------------------
_queue: list[_Computation] = []
_batch_depth = 0
_flushing = False
_scheduled = False
_unhandled: list[BaseException] = []


def _unscheduled(callback: Callable[[], None]) -> Any:
    """Placeholder until lepta.reactive._scheduling installs the default scheduler."""


_scheduler: Callable[[Callable[[], None]], Any] = _unscheduled

debug = False


def set_debug(enabled: bool) -> None:
    """Record where each signal is created, to name it in DisposedError messages."""
    global debug
    debug = enabled


def current_scope() -> _Scope | None:
    """The owner that nodes created now would belong to (None outside any owner)."""
    s = _scope
    if s is None:
        s = _ambient_get()
    elif _row is not None and s is _row[0]:  # a row's code: the scope is the row's own
        s = _row[2] if _row[2] is not None else _make_row_owner()
    return s


def lookup_scope() -> _Scope | None:
    """Where to start looking a context up now: `current_scope()` without making a
    row's owner (a row that only reads its contexts needs none)."""
    s = _scope
    if s is None:
        return _ambient_get()  # type: ignore[no-any-return]
    if _row is not None and s is _row[0] and _row[2] is not None:
        return _row[2]  # type: ignore[no-any-return]
    return s


# Running code under an owner, for the renderers (which run components and rows under
# their owners many times per page): the one way code outside this package switches
# the current scope. `Owner.run(fn, untracked=True)` is the plain form.


def enter_scope(scope: Any, untracked: bool = True) -> tuple[Any, Any]:
    """Make `scope` current for the synchronous code that follows (and stop tracking
    reads, unless `untracked=False`); returns a token for `leave_scope`.

        token = enter_scope(owner)
        try:
            build_row()
        finally:
            leave_scope(token)
    """
    global _scope, _track
    token = (_scope, _track)
    _scope = scope
    if untracked:
        _track = None
    return token


def leave_scope(token: tuple[Any, Any]) -> None:
    """Restore the scope and tracking `enter_scope` replaced."""
    global _scope, _track
    _scope, _track = token


def swap_scope(scope: Any) -> Any:
    """Make `scope` current, tracking unchanged; returns the scope it replaced (pass
    it back to restore). The cheapest form, for the server renderer's components."""
    global _scope
    previous = _scope
    _scope = scope
    return previous


def _adopt(node: Any) -> _Scope | None:
    """Register `node` with the current scope so disposing the scope disposes it."""
    s = _scope
    if s is None:
        s = _ambient_get()
    own(s, node)
    return s


def own(scope: Any, node: Any) -> None:
    """Make `scope` (if any) the owner of `node`: disposing the scope disposes it."""
    if scope is None:
        return
    owned = scope._owned
    if owned is None:
        scope._owned = [node]
    else:
        owned.append(node)


# --- scopes --------------------------------------------------------------------------
class _Scope:
    """What owners and computations share: owned children, cleanups, context values."""

    __slots__ = ("_cleanups", "_contexts", "_owned", "_parent")
    _is_owner = False  # True for Owner: the scopes that carry the server flag
    _server = False

    _parent: _Scope | None
    _owned: list[Any] | None
    _cleanups: list[Callable[[], None]] | None
    _contexts: dict[type, Any] | None

    def _reset(self) -> None:
        """Dispose owned children (last first), then run cleanups (last first).

        A cleanup that raises does not stop the others; the first error is re-raised
        once everything ran.
        """
        error = None
        owned = self._owned
        if owned is not None:
            self._owned = None
            error = _dispose_all(owned)
        cleanups = self._cleanups
        if cleanups is not None:
            self._cleanups = None
            for i in range(len(cleanups) - 1, -1, -1):
                try:
                    cleanups[i]()
                except Exception as exc:
                    error = error or exc
        self._contexts = None
        if error is not None:
            raise error

    def _detach(self) -> None:
        row = _row
        if row is not None and row[2] is None and self._parent is row[0]:
            _make_row_owner()  # (the row's children move first: `home`'s list changes)
        parent = self._parent
        owned = parent._owned if parent is not None else None
        if owned:
            if owned[-1] is self:  # children often go last first: no search
                owned.pop()
                return
            try:
                owned.remove(self)
            except ValueError:
                pass


# `later(work)`: runs `work` once the page has shown the change being made.
Later = Callable[[Callable[[], None]], None]


def _dispose_all(nodes: list[Any], later: Later | None = None) -> BaseException | None:
    """Dispose `nodes` (a scope's children, or the effects standing for rows of a
    list), the last first, without detaching them from a parent; the first error a
    cleanup raised, once all are disposed, else None.

    `later(work)` (for a renderer, when thousands of rows go at once): the effects
    that own nothing are disposed at once (they never run again, and a write that
    reaches them passes them by), but `work`, which takes them off their sources'
    lists of observers, is handed to `later` to run once the page has shown the
    change."""
    global _live_effects
    error = None
    gone = 0  # effects disposed in line
    plain_effect = _plain_effect
    failed = _failed
    retired: list[Any] = []  # those effects, their subscriptions still to drop
    for i in range(len(nodes) - 1, -1, -1):
        node = nodes[i]
        plain = plain_effect.get(type(node))
        if plain is None:
            plain = plain_effect[type(node)] = (
                issubclass(type(node), Effect)
                and type(node)._dispose is _Computation._dispose
            )
        if (
            plain
            and node._owned is None
            and node._cleanups is None
            and node._state != DISPOSED
            and not failed
        ):
            # `node._dispose(False)` written out for the most common child,
            # an effect owning nothing: a list's rows have thousands.
            node._state = DISPOSED
            gone += 1
            node._contexts = None
            if node._sources is not None:
                retired.append(node)
            continue
        try:
            node._dispose(False)
        except Exception as exc:
            error = error or exc
    _live_effects -= gone
    if retired:
        if later is None:
            _unsubscribe(retired)
        else:
            later(lambda: _unsubscribe(retired))
    return error


def _unsubscribe(effects: list[Any]) -> None:
    """Take disposed effects off their sources' lists of observers."""
    global _edges
    edges = 0
    for node in effects:
        sources = node._sources
        node._sources = None
        n = len(sources)
        if n > 2 or (n == 2 and sources[0] is sources[1]):
            sources = _unique(sources)  # (two different ones: the common case)
        for s in sources:
            obs = s._observers
            if obs:
                if obs[-1] is node:  # (`_forget`, written out)
                    obs.pop()
                else:
                    obs.remove(node)
                edges += 1
    _edges -= edges


# Per class: whether its nodes are effects disposed the common way (so `_dispose_all`
# can dispose one in line). A lookup by class: cheaper than walking its bases each time.
_plain_effect: dict[type, bool] = {}


def server_scope(scope: _Scope | None) -> bool:
    """Whether `scope` is inside a server-rendering owner (where effects never run)."""
    if not _any_server:
        return False
    while scope is not None and not scope._is_owner:
        scope = scope._parent
    return scope is not None and scope._server


# Whether a server-rendering owner was ever made in this process. In the browser none
# is: no scope need be walked up to tell (an effect per row of a list asks).
_any_server = False


# --- signals -------------------------------------------------------------------------
class ReadSignal(Generic[T]):
    """The read half of a signal: `s()` or `s.get()` tracks, `s.get_untracked()` not.

    The read half is also the node itself: it holds the value and its observers.
    Create signals with `signal(value)` (or `RwSignal(value)`).

        count, set_count = signal(0)
        double = Memo(lambda: count() * 2)
    """

    __slots__ = ("_observers", "_origin", "_value")
    _state = CLEAN

    _value: T
    _observers: list[Any] | tuple[()] | None
    _origin: str

    def get(self) -> T:
        """The current value; inside a computation, also a dependency."""
        if _track is not None:
            _track(self)
        try:
            return self._value
        except AttributeError:
            raise _disposed(self) from None

    __call__ = get

    def get_untracked(self) -> T:
        """The current value, without becoming a dependency."""
        try:
            return self._value
        except AttributeError:
            raise _disposed(self) from None

    def _write(self, value: T) -> None:
        obs = self._observers
        if obs is _GONE:
            raise _disposed(self)
        self._value = value
        if _written is not None:
            _written.append(self)
        if obs:
            _mark(obs)

    def _update(self, fn: Callable[[T], T]) -> None:
        self._write(fn(self.get_untracked()))

    def _mutate(self, fn: Callable[[T], object]) -> None:
        fn(self.get_untracked())
        self._notify()

    def _notify(self) -> None:
        obs = self._observers
        if obs is _GONE:
            raise _disposed(self)
        if _written is not None:
            _written.append(self)
        if obs:
            _mark(obs)

    def _dispose(self, detach: bool = True) -> None:
        global _edges
        obs = self._observers
        if obs is _GONE:
            return
        self._observers = _GONE
        try:
            del self._value
        except AttributeError:
            pass
        if obs:
            _edges -= len(obs)
            _mark(obs)  # readers re-run and meet the error

    def _describe(self) -> str:
        where = getattr(self, "_origin", None)
        if where is None:
            where = "an unknown place (call lepta.reactive.set_debug(True) to record it)"
        return "%s created at %s" % (type(self).__name__, where)

    def __repr__(self) -> str:
        try:
            return "%s(%r)" % (type(self).__name__, self._value)
        except AttributeError:
            return "%s(<disposed>)" % type(self).__name__


class WriteSignal(Generic[T]):
    """The write half of a signal: `w(v)` / `w.set(v)`, `w.update(fn)`, `w.mutate(fn)`.

    Every write notifies, even of an equal value (memos compare, signals do not).
    """

    __slots__ = ("_node",)

    _node: ReadSignal[T]

    def set(self, value: T) -> None:
        """Replace the value and notify every reader."""
        self._node._write(value)

    __call__ = set

    def update(self, fn: Callable[[T], T]) -> None:
        """Set the value to `fn(old)`."""
        node = self._node  # (`_update`, written out: a row's label, a counter's click)
        try:
            value = node._value
        except AttributeError:
            raise _disposed(node) from None
        node._write(fn(value))

    def mutate(self, fn: Callable[[T], object]) -> None:
        """Call `fn(value)` to change the value in place, then notify."""
        self._node._mutate(fn)

    def __repr__(self) -> str:
        return "WriteSignal(%r)" % (self._node,)


_GONE: tuple[()] = ()  # `_observers` of a disposed signal


def _forget(observers: Any, node: Any) -> None:
    """Remove `node` from a source's observers. Readers often go in the reverse order
    they came (an owner disposes its children last first): then it is the last one,
    and a thousand rows leaving a signal they all read cost no search each."""
    if observers[-1] is node:
        observers.pop()
    else:
        observers.remove(node)


def signal(value: T) -> tuple[ReadSignal[T], WriteSignal[T]]:
    """A reactive value, as a (read, write) pair.

        count, set_count = signal(0)
        set_count(count() + 1)
        set_count.update(lambda n: n + 1)
    """
    # Neither class has an __init__, and `_adopt` is written out: creating signals in
    # bulk is a hot path, and calls cost more here than the work.
    node: ReadSignal[T] = ReadSignal()
    node._value = value
    node._observers = None
    if debug:
        node._origin = _caller()
    s = _scope
    if s is None:
        s = _ambient_get()
    if s is not None:
        owned = s._owned
        if owned is None:
            s._owned = [node]
        else:
            owned.append(node)
    writer: WriteSignal[T] = WriteSignal()
    writer._node = node
    return node, writer


def _caller() -> str:
    """`file:line` of the user code that created a node (debug mode only)."""
    getframe = getattr(sys, "_getframe", None)
    if getframe is None:
        return "an unknown place (this runtime cannot tell)"
    frame = getframe(2)
    here = __file__.rsplit("/", 1)[0]
    while frame is not None and frame.f_code.co_filename.startswith(here):
        frame = frame.f_back
    if frame is None:
        return "an unknown place"
    return "%s:%d" % (frame.f_code.co_filename, frame.f_lineno)


def _disposed(node: Any) -> DisposedError:
    return DisposedError(
        "%s was used after its owner was disposed. Create it under an owner that "
        "lives as long as its readers, or stop using it when the owner goes."
        % node._describe()
    )


# --- computations --------------------------------------------------------------------
class _Failure:
    """A memo's stored exception, re-raised to each reader until the inputs change."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


_UNSET: Any = _Failure(LookupError("memo not computed yet"))


class _Computation(_Scope):
    """A function re-run when what it read changes: the base of Memo and effects."""

    __slots__ = ("_fn", "_sources", "_state")
    _observers: Any = None  # effects have no observers; Memo overrides with a slot
    _value: Any = None  # effects have no value; Memo overrides with a slot
    _eager = 0  # effects: 1, queued when marked; selectors: IMMEDIATE

    _fn: Callable[[], Any]
    _state: int
    _sources: list[Any] | None

    def _init(self, fn: Callable[[], Any], state: int) -> None:
        self._fn = fn
        self._state = state
        self._sources = self._owned = self._cleanups = self._contexts = None
        self._parent = _adopt(self)

    def _dispose(self, detach: bool = True) -> None:
        global _edges, _live_effects
        if self._state == DISPOSED:
            return
        if self._eager == 1:
            _live_effects -= 1
        self._state = DISPOSED
        if detach:
            self._detach()
        if _failed and self in _failed:
            _recovered(self)  # gone: no longer failing
        sources = self._sources
        if sources is not None:
            self._sources = None
            for s in _unique(sources) if len(sources) > 1 else sources:
                if s._observers:
                    _forget(s._observers, self)
                    _edges -= 1
        try:
            if self._owned is not None or self._cleanups is not None:
                self._reset()
            else:  # (nothing owned: most render effects, disposed by the thousand)
                self._contexts = None
        finally:
            obs = self._observers
            if obs:
                self._observers = None
                _edges -= len(obs)
                _mark(obs)  # readers re-run and meet the DisposedError

    def _describe(self) -> str:
        fn = self._fn
        name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", repr(fn))
        code = getattr(fn, "__code__", None)
        where = getattr(code, "co_filename", None)
        if where is not None:
            name = "%s (%s:%s)" % (name, where, getattr(code, "co_firstlineno", "?"))
        return "%s of %s" % (type(self).__name__, name)


def _unique(items: list[Any]) -> list[Any]:
    n = len(items)
    if n < 2:
        return items
    out = []
    if n <= 8:  # the common few sources: a search is cheaper than a set (nodes
        for x in items:  # compare by identity)
            if x not in out:
                out.append(x)
        return out
    seen = set()
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def _lookup(nodes: list[Any]) -> Any:
    """`nodes` to look nodes up in: the list itself when short. (MicroPython hashes an
    object by its address, and its sets of objects collide: a set costs there.)"""
    return nodes if len(nodes) <= 8 else set(nodes)


def _resubscribe(node: _Computation, new: list[Any]) -> None:
    """Make `node` observe exactly the sources in `new` (its last run's reads)."""
    global _edges
    old = node._sources
    if not old:
        _subscribe(node, new)
        return
    keep = _lookup(new)
    for s in _unique(old):
        if s not in keep and s._observers:
            _forget(s._observers, node)
            _edges -= 1
    _subscribe(node, new, _lookup(old))


def _subscribe(node: _Computation, sources: list[Any], already: Any = None) -> None:
    """Make `node` observe `sources`, but those `already` observed."""
    global _edges
    node._sources = sources
    for s in sources:
        if already is not None and s in already:
            continue
        obs = s._observers
        if obs is None:
            s._observers = [node]
        elif obs is _GONE:
            continue
        elif not obs or obs[-1] is not node:  # a source read twice in a run: observe once
            obs.append(node)
        else:
            continue
        _edges += 1


_edges = 0  # live source -> observer subscriptions, for leak tests
_live_effects = 0  # effects created and not yet disposed, for leak tests


class Memo(_Computation, Generic[T]):
    """A derived value: lazy, cached, recomputed only when a source changed.

    Readers are notified only when the new value differs from the old (`==`, or the
    `equals(old, new)` you pass). An exception raised inside reaches every reader
    until the inputs change.

        first, last = RwSignal("Ada"), RwSignal("Lovelace")
        full = Memo(lambda: f"{first()} {last()}")
        full()  # 'Ada Lovelace'
    """

    __slots__ = ("_equals", "_observers", "_value")

    _value: Any
    _equals: Callable[[T, T], bool] | None

    def __init__(self, fn: Callable[[], T], equals: Callable[[T, T], bool] | None = None) -> None:
        self._value = _UNSET
        self._observers = None
        self._equals = equals
        self._init(fn, DIRTY)

    def get(self) -> T:
        """The current value (computed now if stale); tracked inside computations."""
        if _track is not None:
            _track(self)
        if self._state:
            _refresh(self)
        return self._value  # type: ignore[no-any-return]

    __call__ = get

    def get_untracked(self) -> T:
        """The current value, without becoming a dependency."""
        if self._state:
            _refresh(self)
        return self._value  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        v = self._value
        return "Memo(%s)" % ("<not computed>" if v is _UNSET else repr(v))


def _refresh(node: Memo[Any]) -> None:
    """Bring a memo that is not CLEAN up to date, or raise what it holds."""
    state = node._state
    if state == CHECK or state == DIRTY:
        if not _depth:
            _resolve(node)
        elif _depth < MAX_DEPTH:
            _bring_up_to_date(node)
        else:
            raise _Deferred(node)
        state = node._state
    if state == FAILED:
        raise node._value.error
    if state == RUNNING:
        raise CycleError(
            "%s read itself while computing. A memo cannot depend on its own value; "
            "keep the previous value in a StoredValue or compute it from the sources."
            % node._describe()
        )
    if state == DISPOSED:
        raise _disposed(node)


def _bring_up_to_date(node: Memo[Any]) -> None:
    if node._state == CHECK:
        _check(node)
    if node._state == DIRTY:
        _update(node)


# A memo computed for the first time computes its sources inside its own function,
# so a long chain of never-read memos nests one call per link. Past MAX_DEPTH links
# the innermost read unwinds with _Deferred; the outermost reader computes that
# memo first, from a shallow stack, then retries. MicroPython's stack is short.
MAX_DEPTH = 12 if sys.implementation.name == "micropython" else 100
_depth = 0


class _Deferred(BaseException):
    """Unwinds a too-deep first computation; never escapes the outermost read."""

    def __init__(self, node: Memo[Any]) -> None:
        self.node = node


def _resolve(node: Memo[Any]) -> None:
    """Bring `node` up to date from the outermost read, resolving deferred memos first."""
    pending = [node]
    while pending:
        try:
            _bring_up_to_date(pending[-1])
            pending.pop()
        except _Deferred as deferred:
            pending.append(deferred.node)


def _check_resolving(node: _Computation) -> None:
    """`_check` from the outermost level: a source that meets an unread deep chain
    while recomputing unwinds (_Deferred); that chain is computed, then the check
    goes on."""
    while True:
        try:
            _check(node)
            return
        except _Deferred as deferred:
            if _depth:
                raise
            _resolve(deferred.node)


def _check(node: _Computation) -> None:
    """Resolve a CHECK node: update its sources in order, stop at the first change.

    Leaves `node` CLEAN (nothing changed), DIRTY (must recompute) or FAILED. Walks with
    an explicit stack so long chains do not recurse.
    """
    stack = []
    n: _Computation = node
    i = 0
    while True:
        if n._state == CHECK:
            sources = n._sources or ()
            count = len(sources)
            descended = False
            while i < count:
                s = sources[i]
                i += 1
                ss = s._state
                if ss <= CLEAN:
                    continue
                if ss == CHECK:
                    stack.append((n, i))
                    n, i = s, 0
                    descended = True
                    break
                if ss == DIRTY:
                    _update(s)  # marks n DIRTY if the value changed
                    if n._state == DIRTY:
                        break
                else:  # RUNNING or DISPOSED: recompute n, whose read raises the error
                    n._state = DIRTY
                    break
            if descended:
                continue
            if n._state == CHECK:
                n._state = FAILED if n._value.__class__ is _Failure else CLEAN
        if n is not node and n._state == DIRTY:
            _update(n)  # type: ignore[arg-type]  # only memos are sources
        if not stack:
            return
        n, i = stack.pop()


def _update(node: Memo[Any]) -> None:
    """Recompute a memo; if its value changed, make its observers DIRTY."""
    global _track, _scope, _depth
    if node._owned is not None or node._cleanups is not None:
        node._reset()
    sources: list[Any] = []
    saved_track = _track
    saved_scope = _scope
    _track = sources.append
    _scope = node
    _depth += 1
    node._state = RUNNING
    try:
        value = node._fn()
        state = CLEAN
    except Exception as exc:
        value = _Failure(exc)
        state = FAILED
    except BaseException:
        node._state = DIRTY
        raise
    finally:
        _track = saved_track
        _scope = saved_scope
        _depth -= 1
    if sources != node._sources:
        _resubscribe(node, sources)
    old = node._value
    node._value = value
    node._state = state
    if old is value:
        return
    if state == CLEAN and old.__class__ is not _Failure:
        eq = node._equals
        if eq is None:
            if old == value:
                return
        elif eq(old, value):
            return
    obs = node._observers
    if obs:
        for o in obs:
            if o._state == CHECK:
                o._state = DIRTY


def _mark(observers: list[Any]) -> None:
    """A source changed: its observers become DIRTY, theirs CHECK; queue effects.

    Nodes with `_eager == IMMEDIATE` (selectors) are brought up to date right after
    the marking, so the few nodes they notify are marked in the same write. (The
    two loops repeat the queueing on purpose: this is the hottest path of a write.)
    """
    stack = None
    queued = False
    for o in observers:
        st = o._state
        if st < DIRTY:
            o._state = DIRTY
            if st != CHECK:  # was clean: its own observers are not marked yet
                eager = o._eager
                if eager == 1:
                    _queue.append(o)
                    queued = True
                elif eager:
                    _immediate.append(o)
                elif o._observers:
                    if stack is None:
                        stack = [o]
                    else:
                        stack.append(o)
    while stack:
        n = stack.pop()
        for o in n._observers:
            st = o._state
            if st == CLEAN or st == FAILED:
                o._state = CHECK
                eager = o._eager
                if eager == 1:
                    _queue.append(o)
                    queued = True
                elif eager:
                    _immediate.append(o)
                elif o._observers:
                    stack.append(o)
    if queued and not _scheduled and not _flushing and not _batch_depth:
        _schedule()
    while _immediate:
        refresh_now(_immediate.pop(0))


_immediate: list[_Computation] = []


def refresh_now(node: _Computation) -> None:
    """Bring an effect-like node up to date now, running it if a source changed."""
    if node._state == CHECK:
        _check_resolving(node)
    if node._state == DIRTY:
        _run_effect(node, True)


# --- effects -------------------------------------------------------------------------
class Effect(_Computation):
    """A side effect: runs at the next flush, then again after its sources change.

    Effects run batched at the end of an update (see `flush`, `tick`, `batch`), and
    never inside a server-rendering owner. `on_cleanup` inside the function runs
    before the next run and when the effect is stopped.

        Effect(lambda: print("count is", count()))
    """

    __slots__ = ()
    _eager = 1

    def __init__(self, fn: Callable[[], object]) -> None:
        global _live_effects
        _live_effects += 1
        self._init(fn, DIRTY)
        if server_scope(self._parent):
            self._state = CLEAN  # inert: never queued, so never runs
            return
        self._start()

    def _start(self) -> None:
        _queue.append(self)
        if not _scheduled and not _flushing and not _batch_depth:
            _schedule()

    def stop(self) -> None:
        """Stop re-running, run the cleanups and drop every subscription."""
        self._dispose()

    def __repr__(self) -> str:
        return "<%s>" % self._describe()


class RenderEffect(Effect):
    """An effect whose first run happens at once, synchronously; later runs are batched.

    The DOM renderer binds each dynamic node with one: the node is filled in as soon as
    it is created, and updated together with every other effect afterwards.
    """

    __slots__ = ()

    def __init__(
        self, fn: Callable[[], object] | None, follows: ReadSignal[Any] | None = None
    ) -> None:
        """`follows` (for the renderer): the first run was done by the caller, and all
        it read was this signal, untracked; the effect only subscribes to it. (A text
        bound to a plain signal, one per row of a list, skips a tracked run so.)
        `fn` None (for subclasses): the class defines `_fn`, and no bound method is
        made per effect."""
        # Effect's construction written out: the renderer makes one or more per
        # dynamic node, so this is on the path of every row of every list.
        global _live_effects, _edges
        _live_effects += 1
        if fn is not None:
            self._fn = fn
        self._state = DIRTY
        self._sources = self._owned = self._cleanups = self._contexts = None
        s = _scope
        if s is None:
            s = _ambient_get()
        self._parent = s
        if s is not None:
            owned = s._owned
            if owned is None:
                s._owned = [self]
            else:
                owned.append(self)
            if _any_server and (s._server if s._is_owner else server_scope(s)):
                self._state = CLEAN  # inert: never queued, so never runs
                return
        if follows is None:
            _run_effect(self, True)
            return
        self._state = CLEAN
        self._sources = [follows]
        obs = follows._observers
        if obs is None:
            follows._observers = [self]
        else:
            obs.append(self)  # type: ignore[union-attr]  # (disposed: the read raised)
        _edges += 1

    def _start(self) -> None:
        _run_effect(self, True)


def _run_effect(node: _Computation, raise_unhandled: bool = False) -> None:
    global _track, _scope, _written
    error = None
    if node._owned is not None or node._cleanups is not None:
        try:
            node._reset()
        except Exception as exc:  # a failing cleanup is this effect's error
            error = exc
    sources: list[Any] = []
    # (what was current is kept in locals, and the signals this run writes go on the
    # shared `_writes` from `mark` on: no tuple and no list made for every run)
    saved_track, saved_scope, saved_written = _track, _scope, _written
    mark = len(_writes)
    _track = sources.append
    _scope = node
    _written = _writes
    node._state = RUNNING
    deferred = None
    written = None
    try:
        node._fn()
    except Exception as exc:
        error = error or exc
    except _Deferred as too_deep:  # only memos count depth: effects nest freely
        node._state = DIRTY
        if _depth:  # inside a memo's computation: keep unwinding
            raise
        deferred = too_deep.node
    except BaseException:
        node._state = DIRTY
        raise
    finally:
        _track, _scope, _written = saved_track, saved_scope, saved_written
        if len(_writes) > mark:
            written = _writes[mark:]
            del _writes[mark:]
    if deferred is not None:  # a read went too deep: compute it from here, run again
        _resolve(deferred)
        _run_effect(node, raise_unhandled)
        return
    if node._state != DISPOSED:  # (it may have stopped itself)
        if node._sources is None:  # a first run (one per dynamic node): subscribe
            if sources:
                _subscribe(node, sources)
        elif sources != node._sources:
            _resubscribe(node, sources)
        node._state = CLEAN
        if written and _changed_while_running(sources, written):
            node._state = DIRTY  # it changed what it reads: run again until stable
            _queue.append(node)
    if error is not None:
        _report(node, error, raise_unhandled)
    elif _failed and node in _failed:
        _recovered(node)


def _changed_while_running(sources: list[Any], written: list[Any]) -> bool:
    """Whether a source was written, or a memo it read was marked, during the run."""
    wrote = _lookup(written)
    for s in sources:
        if s in wrote or s._state > CLEAN:
            return True
    return False


def _report(node: _Computation, error: BaseException, raise_now: bool) -> None:
    handler = lookup_context(node, ErrorHandler)
    if handler is not None:
        _failed[node] = handler
        handler.report(error, node)
    elif raise_now:
        raise error
    else:
        _unhandled.append(error)


# Effects whose last run failed and went to an ErrorHandler, to tell it on recovery.
_failed: dict[Any, ErrorHandler] = {}


def _recovered(node: _Computation) -> None:
    _failed.pop(node).recover(node)


# --- flushing ------------------------------------------------------------------------
def _schedule() -> None:
    global _scheduled
    _scheduled = True
    if _scheduler(_scheduled_flush) is False:  # nothing to run it (no event loop)
        _scheduled = False


def _scheduled_flush() -> None:
    global _scheduled
    _scheduled = False
    flush()


def flush() -> None:
    """Run every pending effect now, until none is pending.

    Raises the exception of an effect that failed with no ErrorHandler above it (after
    the other effects ran), and EffectLoopError when effects keep re-triggering.
    """
    global _queue, _flushing, _scheduled
    if _flushing or _batch_depth:
        return
    _flushing = True
    _scheduled = False
    rounds = 0
    recent: set[_Computation] = set()  # effects of the last rounds, to name a loop
    try:
        while _queue:
            rounds += 1
            if rounds > MAX_FLUSH_ROUNDS:
                _break_loop(recent)
            pending = _queue
            _queue = []
            for i, e in enumerate(pending):
                try:
                    st = e._state
                    if st == CHECK:
                        _check_resolving(e)
                        st = e._state
                    if st == DIRTY:
                        if rounds > MAX_FLUSH_ROUNDS - 10:
                            recent.add(e)
                        _run_effect(e)
                except BaseException:
                    _queue[:0] = pending[i + 1 :]  # the rest still run next time
                    raise
    finally:
        _flushing = False
    if _unhandled:
        errors = _unhandled[:]
        del _unhandled[:]
        raise errors[0] if len(errors) == 1 else EffectErrors(errors)


def _break_loop(recent: set[_Computation]) -> None:
    global _queue
    looping = set(e for e in _queue if e._state > CLEAN and e._state != DISPOSED)
    looping.update(e for e in recent if e._state != DISPOSED)
    _queue = []
    names = ", ".join(sorted(set(e._describe() for e in looping)))
    for e in looping:
        e._dispose()
    raise EffectLoopError(
        "effects re-triggered each other %d times in one flush without settling, so "
        "they were stopped: %s. An effect that writes a signal it reads must stop "
        "writing once the value is stable." % (MAX_FLUSH_ROUNDS, names)
    )


def graph_stats() -> dict[str, int]:
    """Live subscriptions, live effects and pending effects, for tests checking leaks."""
    return {"subscriptions": _edges, "effects": _live_effects, "pending_effects": len(_queue)}
