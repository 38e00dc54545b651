"""Async values: Resource, LocalResource, OnceResource and AsyncDerived.

Each holds the outcome of its latest load in three signals (value, error, loading)
kept under a private child owner, and numbers its loads: a load whose number is no
longer the latest when it completes is stale and dropped, whatever order responses
arrive in. So is every load still running when the owner is disposed.

Following a source without effects
----------------------------------
Effects never run under a server-rendering owner, yet resources must fetch there,
and refetch when their source changes. So the node that follows the source is not
an effect but a `_Follower`: a computation with `_eager = IMMEDIATE`, the kind the
core brings up to date as soon as it is marked (as `Selector` does). When something
it read changes, it runs synchronously in the write that changed it: it reads the
source again and, when the value differs (`==`), starts a new load. Reading through
the core's CHECK state gives it a memo's equality cut-off for free: a source memo
that recomputes to an equal value does not even run it. The load itself is a task,
so a write never waits for a fetch; several writes in one step (or one `batch`)
each re-read the source, but a load superseded before its task began never starts.
(A Memo over the source would not do: memos are lazy, and on the server nothing
would read it to find out that it changed.)

AsyncDerived and LocalResource have no separate source: the signals their function
reads before it first suspends are its sources. That first step runs inside the
task that runs the load (so `asyncio.current_task()` and the loop are the real ones)
with the follower's tracking on; tracking is off again before the task yields to any
other.

A load runs in one task from start to end: a task of its own, or, for a load put off
while the server renders a page (`_put_off`), the task that first waits for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Callable, Generic, TypeVar

from . import _core, _suspense
from ._context import lookup_context
from ._core import DIRTY, DISPOSED, IMMEDIATE, ReadSignal, _Computation, refresh_now, signal
from ._errors import DisposedError
from ._owner import Owner, on_cleanup
from ._spawn import start_task
from ._suspense import SuspenseContext

if TYPE_CHECKING:
    from collections.abc import Generator

T = TypeVar("T")
S = TypeVar("S")

_NOTHING: Any = object()


class _Follower(_Computation):
    """Follows its sources without being an effect: runs as soon as one changes."""

    __slots__ = ()
    _eager = IMMEDIATE

    def __init__(self, fn: Callable[[], None]) -> None:
        self._init(fn, DIRTY)


class _AsyncValue:
    """The machinery every async value shares: its signals, loads, waiters, disposal."""

    __slots__ = (
        "_adopt",
        "_begun",
        "_data",
        "_deferred",
        "_error",
        "_fn",
        "_key",
        "_load_number",
        "_loading",
        "_never",
        "_node",
        "_owner",
        "_seeded",
        "_starter",
        "_task",
        "_value",
        "_waiters",
    )
    _tracks = False  # whether a load tracks its function's first step (AsyncDerived)
    # Whether a load can begin again (its function makes a new awaitable each time):
    # only such loads are put off on the server (see `_put_off`).
    _restarts = True

    _value: ReadSignal[Any]
    _error: ReadSignal[Any]
    _loading: ReadSignal[bool]
    _fn: Callable[[], Any]

    def _setup(self, keyed: bool = False, sent: bool = True) -> None:
        self._load_number = 0
        self._waiters: list[Any] | None = None
        self._deferred: tuple[int, Callable[[], Any]] | None = None
        self._never = False  # a LocalResource on the server: loads never
        self._node: _Follower | None = None
        self._task: Any = None
        self._starter: Any = None  # the event loop's handle to start a load put off
        self._begun = False  # whether the task of the latest load has started
        self._owner = Owner()
        self._owner.run(self._create_signals)
        self._key: str | None = None
        self._data = None
        self._seeded = False
        self._adopt: _AsyncValue | None = None  # an earlier render's load to take over
        if keyed and _suspense.scope is not None and _suspense.data is not None:
            self._take_key(_suspense.scope, _suspense.data, sent)

    def _take_key(self, scope: Any, data: Any, sent: bool) -> None:
        """Created while a view renders: take a key (see _suspense), and start from
        the outcome known for it, if any (`sent`: the browser may get this one)."""
        self._key = key = scope.resource_key()
        outcome = data.outcomes.get(key)
        if outcome is not None:
            self._seeded = True
            self._load_number += 1
            self._finish(outcome[0], outcome[1])
        elif data.collect:  # the server: remember outcomes, share loads in flight
            self._data = data
            if not sent:
                data.private.add(key)
            earlier = data.loading.get(key)
            if earlier is not None and earlier._loading.get_untracked():
                self._adopt = earlier
            data.loading[key] = self

    def _create_signals(self) -> None:
        self._value = signal(None)[0]
        self._error = signal(None)[0]
        self._loading = signal(True)[0]
        on_cleanup(self._disposed)

    # --- reads -------------------------------------------------------------------
    def loading(self) -> bool:
        """Whether a load is in flight (tracked)."""
        return self._loading.get()

    def error(self) -> Exception | None:
        """The exception of the latest load, or None when it succeeded (tracked).

        Unlike reading the value, this never raises it.
        """
        return self._error.get()  # type: ignore[no-any-return]

    async def wait(self) -> None:
        """Return once no load is in flight (at once if none is).

        When a newer load starts meanwhile (the source changed), wait for that one
        too. Returns at once after disposal, and for a LocalResource on the server
        (it never loads there). Never raises the load's exception: read the value
        (or `error()`) afterwards.
        """
        import asyncio

        while not self.settled():
            deferred = self._deferred
            # A load put off on the server runs here, as its own task would run it:
            # nothing tracked, untouched by the caller's scope.
            if (
                deferred is not None
                and self._data is not None
                and _suspense.loads_here
                and _core._track is None
                and _core._scope is None
            ):
                await self._load_here(deferred[0], deferred[1])
                continue
            if self._settled_now():
                return
            event = asyncio.Event()
            self._add_waiter(event)
            await event.wait()

    def settled(self) -> bool:
        """Whether `wait()` would return at once: no load in flight, or none to come
        (disposed; a LocalResource on the server). Untracked.

            if not items.settled():
                await items.wait()
        """
        return self._owner._disposed or self._never or not self._loading.get_untracked()

    def notify_settled(self, waker: Any) -> None:
        """Call `waker.set()` once `settled()`, when `wait()` would return (at once if
        it is now): for a caller that waits for several things at a time (the
        server's stream) without a task per wait.

            first = asyncio.Event()
            for resource in (users, posts):
                resource.notify_settled(first)
            await first.wait()  # one of them has loaded
        """
        if self._settled_now():
            waker.set()
        else:
            self._add_waiter(waker)

    def _settled_now(self) -> bool:
        """`settled()`, once a load put off until an event loop runs has started."""
        if not self._owner._disposed and not self._never:
            deferred = self._deferred
            if deferred is not None:  # not started yet: start it now
                self._start_task(deferred[0], deferred[1])
        return self.settled()

    def _add_waiter(self, waiter: Any) -> None:
        """`waiter.set()` is called when the load in flight settles (`_release`)."""
        if self._waiters is None:
            self._waiters = [waiter]
        else:
            self._waiters.append(waiter)

    def _read(self) -> Any:
        suspense = lookup_context(_core.current_scope(), SuspenseContext)
        if suspense is not None:
            suspense.register(self)
        error = self._error.get()
        if error is not None:
            raise error
        return self._value.get()

    def _read_untracked(self) -> Any:
        error = self._error.get_untracked()
        if error is not None:
            raise error
        return self._value.get_untracked()

    # --- loads -------------------------------------------------------------------
    def _launch(self, make: Callable[[], Any]) -> None:
        """Start a new load of `make()`; any load still in flight becomes stale."""
        self._load_number += 1
        if not self._loading.get_untracked():
            self._loading._write(True)
        self._start(self._load_number, make)

    def _start(self, number: int, make: Callable[[], Any]) -> None:
        if self._data is not None and self._restarts:  # on the server: see `_put_off`
            self._put_off(number, make)
        else:
            self._start_task(number, make)

    def _start_task(self, number: int, make: Callable[[], Any]) -> None:
        self._unschedule()
        task = start_task(self._load(number, make), self._owner)
        self._deferred = (number, make) if task is None else None
        self._task = task
        self._begun = False

    def _put_off(self, number: int, make: Callable[[], Any]) -> None:
        """Start load `number` at the event loop's next turn, unless a task waits for
        it before then (`wait()`): that task runs it itself. On the server, an async
        page's stream waits for its resources as soon as it has rendered; a load it
        runs in its own task costs no task, and no turn of the event loop to start it
        and another to wake the stream when it ends. (Started at the next turn, every
        other load still runs at the same time as that one.)

        An out-of-order Suspense's task first runs after that turn, and must not run
        a load itself: it is cancelled when its rendering is dropped for a newer one,
        while others may still wait for the load, which would then begin again."""
        import asyncio

        self._deferred = (number, make)
        self._task = None
        self._begun = False
        try:
            loop = asyncio.get_running_loop()
        except AttributeError:  # MicroPython (a server's rendering tested there)
            self._start_task(number, make)
            return
        except RuntimeError:  # (no event loop: the first wait starts it)
            return
        self._unschedule()
        self._starter = loop.call_soon(self._start_put_off, number)

    def _start_put_off(self, number: int) -> None:
        self._starter = None
        deferred = self._deferred
        if deferred is not None and deferred[0] == number and not self._owner._disposed:
            self._start_task(number, deferred[1])

    def _unschedule(self) -> None:
        """Cancel the start put off (the handle lets go of this value at once)."""
        starter = self._starter
        if starter is not None:
            self._starter = None
            starter.cancel()

    async def _load_here(self, number: int, make: Callable[[], Any]) -> None:
        """Run load `number`, put off until now, in the task that waits for it, as
        its own task would (under the resource's owner). If that task is cancelled
        before the load ends, the load is put off again for whoever else waits."""
        self._deferred = None
        self._unschedule()
        token = _core._ambient.set(self._owner)
        try:
            await self._load(number, make)
        except BaseException:
            if (
                number == self._load_number  # (still the latest, begun by nobody else)
                and self._deferred is None
                and self._task is None
                and not self._owner._disposed
                and self._loading.get_untracked()
            ):
                self._put_off(number, make)
            raise
        finally:
            _core._ambient.reset(token)

    async def _load(self, number: int, make: Callable[[], Any]) -> None:
        if number != self._load_number or self._owner._disposed:
            self._skipped()
            return  # superseded before it began: do not even start it
        self._begun = True
        try:
            if self._tracks:
                value = await _FirstStepTracked(self, number, make)
            else:
                value = await make()
        except Exception as exc:
            self._settle(number, False, exc)
            return
        self._settle(number, True, value)

    def _settle(self, number: int, ok: bool, result: Any) -> None:
        if number != self._load_number or self._owner._disposed:
            return  # stale, or nobody left to show it
        self._task = None
        if self._data is not None and self._key is not None:  # server: for the page,
            ok, result = self._data.record(self._key, ok, result)  # and later renders
        try:
            self._finish(ok, result)
        finally:
            self._release()

    def _finish(self, ok: bool, result: Any) -> None:
        if ok:
            if self._error.get_untracked() is not None:
                self._error._write(None)
            self._value._write(result)
        else:
            self._error._write(result)
        self._loading._write(False)

    def _take_over(self) -> bool:
        """Load by waiting for the same load of an earlier render (a Suspense's
        children rendered again on the server), if there is one."""
        earlier = self._adopt
        if earlier is None:
            return False
        self._adopt = None
        self._launch(lambda: _outcome_of(earlier))
        return True

    def _fail_now(self, error: Exception) -> None:
        """The source itself raised: no load; any load in flight is stale."""
        self._load_number += 1
        self._deferred = None
        self._error._write(error)
        if self._loading.get_untracked():
            self._loading._write(False)
        self._release()

    def _skipped(self) -> None:
        """A load was dropped before it began."""

    def _disposed(self) -> None:
        """The owner went: cancel the load in flight, wake whoever waits."""
        task = self._task
        self._task = None
        self._unschedule()
        # The follower (which calls back into this value) and the page's data (which
        # lists this value) are dropped: no cycle is left, so refcounting frees all
        # this at once, without the garbage collector.
        self._node = None
        self._data = None
        # (A task that has not started ends by itself, and closes its coroutine.)
        if task is not None and self._begun and not task.done():
            task.cancel()
        self._release()

    def _release(self) -> None:
        waiters = self._waiters
        if waiters is not None:
            self._waiters = None
            for event in waiters:
                event.set()

    # --- following ---------------------------------------------------------------
    def _follow(self, run: Callable[[], None]) -> None:
        """Create the follower node running `run`, and run it now."""
        node: _Follower = self._owner.run(lambda: _Follower(run))
        self._node = node
        refresh_now(node)

    def _run_again(self) -> None:
        """Run the follower now, even though no source changed (refetch)."""
        node = self._node
        if node is None and not self._owner._disposed:
            return  # a LocalResource on the server
        if node is None or node._state == DISPOSED:
            raise DisposedError(
                "%s was refetched after its owner was disposed. Stop refetching when "
                "the component that created it goes." % type(self).__name__
            )
        node._state = DIRTY
        refresh_now(node)

    def _derive(self, fn: Callable[[], Any]) -> None:
        """Load `fn()` now and whenever what its first step read changes."""
        self._fn = fn
        self._follow(self._rerun)

    def _rerun(self) -> None:
        self._launch(self._fn)

    def _tracked(self, number: int, sources: list[Any]) -> None:
        """The first step of load `number` read `sources`: follow exactly those."""
        node = self._node
        if number != self._load_number or node is None or node._state == DISPOSED:
            return
        if sources != node._sources:
            _core._resubscribe(node, sources)

    def _describe_state(self) -> str:
        if self._owner._disposed:
            return "disposed"
        if self._loading.get_untracked():
            return "loading"
        error = self._error.get_untracked()
        if error is not None:
            return "failed: %r" % (error,)
        return repr(self._value.get_untracked())

    def __repr__(self) -> str:
        return "<%s %s>" % (type(self).__name__, self._describe_state())


class _FirstStepTracked:
    """Awaits `make()`, tracking the signals read until it first suspends.

    The coroutine's first step is run by hand (`send(None)`) with tracking on; after
    that, every value it yields goes up to the task and every value the task sends
    (or exception it throws, such as a cancellation) goes down to it, as
    `yield from` would do.
    """

    __slots__ = ("_make", "_number", "_target")

    def __init__(self, target: _AsyncValue, number: int, make: Callable[[], Any]) -> None:
        self._target = target
        self._number = number
        self._make = make

    def __await__(self) -> Generator[Any, Any, Any]:
        sources: list[Any] = []
        saved = _core._track
        _core._track = sources.append
        try:
            coro = self._make()
            if not hasattr(coro, "send"):  # an awaitable that is not a coroutine
                coro = _awaited(coro)
            step = coro.send(None)
        except StopIteration as stop:  # finished without suspending
            return stop.value
        finally:
            _core._track = saved
            self._target._tracked(self._number, sources)
        while True:
            try:
                sent = yield step
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:
                try:
                    step = coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    step = coro.send(sent)
                except StopIteration as stop:
                    return stop.value

    __iter__ = __await__  # MicroPython's `await` iterates


async def _outcome_of(earlier: _AsyncValue) -> Any:
    await earlier.wait()
    return earlier._read_untracked()


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        return bool(a == b)
    except Exception:
        return False


class Resource(_AsyncValue, Generic[T]):
    """Async data loaded from a source: `fetcher(source())`, again whenever it changes.

        user_id = RwSignal(1)
        user = Resource(user_id, fetch_user)   # async def fetch_user(id) -> User
        user()          # None until the first load completes, then the latest User
        user.loading()  # True while a load is in flight
        user_id.set(2)  # starts fetch_user(2) now

    `source` is a callable whose reads are tracked (a signal, a memo, a lambda), or
    a plain value (loaded once; use `refetch()` to load again). The first load
    starts at creation, so resources created together load in parallel.

    * `resource()` / `get()`: the latest loaded value, or None before the first load
      completed; the previous value stays while a newer load runs. When the latest
      load failed, reading raises its exception, as is, so an ErrorBoundary around
      the reader catches it.
    * `error()`: that exception (or None), without raising. `loading()`: whether
      a load is in flight. All three are tracked.
    * `refetch()`: load again with the current source value.
    * `await resource.wait()`: until no load is in flight (the server awaits this
      before sending the HTML that shows the data).

    Stale responses are dropped: when the source changes while a load runs, only the
    load for the newest source value is applied, even if an older one completes later.
    An exception raised by `source` itself is the resource's error, like a failed load.

    The source is followed without effects (by a node the core runs as soon as a
    source changes, see this module's docstring), so resources load and refetch
    under `Owner(server=True)` too. The fetcher runs under the resource's owner
    (`use_context` works inside it), in a task of its own; on the server, an async
    page's stream that waits for a load not begun yet runs it in its own task
    instead. When the owner is disposed, the resource stops following its source and
    cancels the load in flight (one that a waiting task runs itself ends there, and
    its outcome is dropped).

    Read inside a Suspense, it makes the Suspense show its fallback while it loads.
    Created while a page renders on the server, its outcome is sent with the page, and
    the same resource created while the browser hydrates starts from it, unfetched
    (values JSON cannot carry are fetched again).
    """

    __slots__ = ("_fetcher", "_force", "_last", "_source")

    def __init__(
        self, source: Callable[[], S] | S, fetcher: Callable[[S], Awaitable[T]]
    ) -> None:
        self._setup(keyed=True)
        self._source: Any = source
        self._fetcher: Callable[[Any], Awaitable[T]] = fetcher
        self._last: Any = _NOTHING
        self._force = False
        self._follow(self._follow_source)

    def _follow_source(self) -> None:
        force = self._force
        self._force = False
        source = self._source
        try:
            value = source() if callable(source) else source
        except Exception as exc:
            self._last = _NOTHING
            self._fail_now(exc)
            return
        if not force and self._last is not _NOTHING and _same(self._last, value):
            return
        self._last = value
        if self._seeded:  # the outcome for this source came with the page
            self._seeded = False
            return
        if self._take_over():
            return
        fetcher = self._fetcher
        self._launch(lambda: fetcher(value))

    def get(self) -> T | None:
        """The latest value (None before the first load); raises a failed load's error."""
        value: T | None = self._read()
        return value

    __call__ = get

    def get_untracked(self) -> T | None:
        """Like `get()`, without becoming a dependency."""
        value: T | None = self._read_untracked()
        return value

    def refetch(self) -> None:
        """Load again now, reading the source again (even if it did not change).

        Raises DisposedError after the owner was disposed.
        """
        self._force = True
        self._run_again()


class AsyncDerived(_AsyncValue, Generic[T]):
    """A value computed by an async function, recomputed when what it read changes.

        user_id = RwSignal(1)

        async def load_user():
            id = user_id()                 # read before the first await: tracked
            return await api.user(id)

        user = AsyncDerived(load_user)
        user()          # None until loaded; raises if the latest run failed
        user_id.set(2)  # runs load_user again; the older result is dropped

    Only the reads made before the function first suspends (its first `await`
    that actually waits) are tracked: read every signal it depends on up front.
    Reads like a Resource: `get()` / `()`, `error()`, `loading()`, `await wait()`.
    It runs under server owners too.
    """

    __slots__ = ()
    _tracks = True

    def __init__(self, async_fn: Callable[[], Awaitable[T]]) -> None:
        self._setup(keyed=True, sent=False)
        if self._seeded or self._take_over():  # (only on the server)
            return
        self._derive(async_fn)

    def get(self) -> T | None:
        """The latest value (None before the first run); raises a failed run's error."""
        value: T | None = self._read()
        return value

    __call__ = get

    def get_untracked(self) -> T | None:
        """Like `get()`, without becoming a dependency."""
        value: T | None = self._read_untracked()
        return value


class LocalResource(_AsyncValue, Generic[T]):
    """A resource loaded only in the browser: it never fetches under a server owner.

        prefs = LocalResource(read_local_storage)   # async def read_local_storage()

    Under `Owner(server=True)` it stays loading, so the server renders the Suspense
    fallback and its `wait()` returns at once. Elsewhere it loads at creation, and,
    like AsyncDerived, again when the signals its fetcher read before its first
    `await` change. Reads like a Resource, with `refetch()`.
    """

    __slots__ = ()
    _tracks = True

    def __init__(self, fetcher: Callable[[], Awaitable[T]]) -> None:
        self._setup()
        if _core.server_scope(self._owner):
            self._never = True
            return
        self._derive(fetcher)

    def get(self) -> T | None:
        """The latest value (None until loaded); raises a failed load's error."""
        value: T | None = self._read()
        return value

    __call__ = get

    def get_untracked(self) -> T | None:
        """Like `get()`, without becoming a dependency."""
        value: T | None = self._read_untracked()
        return value

    def refetch(self) -> None:
        """Load again now (does nothing on the server; DisposedError once disposed)."""
        self._run_again()


class OnceResource(_AsyncValue, Generic[T]):
    """A resource that resolves once, from one awaitable (a coroutine, a task).

        config = OnceResource(load_config())
        config()  # None until loaded, then the value; raises if it failed

    Reads like a Resource: `get()` / `()`, `error()`, `loading()`, `await wait()`.
    """

    __slots__ = ("_awaitable",)
    _restarts = False  # (its one awaitable: a load in a task of its own)

    def __init__(self, awaitable: Awaitable[T]) -> None:
        self._setup(keyed=True)
        self._awaitable: Awaitable[T] | None = awaitable
        if self._seeded:  # the outcome came with the page (or an earlier render)
            self._skipped()
            return
        if self._adopt is not None:
            self._skipped()
            self._take_over()
            return
        self._launch(self._take)

    def _take(self) -> Awaitable[T] | None:
        awaitable = self._awaitable
        self._awaitable = None
        return awaitable

    def _skipped(self) -> None:
        close = getattr(self._take(), "close", None)  # a coroutine never awaited
        if close is not None:
            close()

    def get(self) -> T | None:
        """The value (None until loaded); raises the exception if it failed."""
        value: T | None = self._read()
        return value

    __call__ = get

    def get_untracked(self) -> T | None:
        """Like `get()`, without becoming a dependency."""
        value: T | None = self._read_untracked()
        return value
