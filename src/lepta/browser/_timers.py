"""Timers owned like signals: a timeout, an interval or an animation frame is cleared
when its owner is disposed, and what its callback changes reaches the page."""

from __future__ import annotations

from typing import Any, Callable

from ..reactive import ReadSignal, current_scope, on_cleanup, signal
from ._host import Handle, js_function, owned, release, window


def set_timeout(fn: Callable[[], Any], ms: float) -> Handle:
    """Call `fn()` once, `ms` milliseconds from now, unless the current owner is
    disposed first (or the returned Handle is stopped). On the server, nothing.

        set_timeout(lambda: set_toast(None), 3000)   # hide the toast in 3 s
    """
    host = window()
    if host is None:
        return Handle(None)
    handle: Handle

    def run() -> None:
        handle._done()
        fn()

    handle = owned(_timeout(host, run, ms))
    return handle


def set_interval(fn: Callable[[], Any], ms: float) -> Handle:
    """Call `fn()` every `ms` milliseconds until the current owner is disposed (or
    the returned Handle is stopped). On the server, nothing.

        set_interval(lambda: refresh.refetch(), 60_000)
    """
    host = window()
    if host is None:
        return Handle(None)
    function = js_function(lambda *args: fn())
    ident = host.setInterval(function, ms)

    def stop() -> None:
        host.clearInterval(ident)
        release(function)

    return owned(stop)


def request_animation_frame(fn: Callable[[float], Any]) -> Handle:
    """Call `fn(timestamp)` before the browser's next repaint, unless the current
    owner is disposed first (or the returned Handle is stopped). On the server,
    nothing.

        request_animation_frame(lambda t: set_progress(t / 1000))
    """
    host = window()
    if host is None:
        return Handle(None)
    handle: Handle

    def run(timestamp: float = 0.0, *rest: Any) -> None:
        handle._done()
        fn(timestamp)

    function = js_function(run, once=True)
    ident = host.requestAnimationFrame(function)

    def stop() -> None:
        host.cancelAnimationFrame(ident)
        release(function)

    handle = owned(stop)
    return handle


def use_interval(ms: float) -> ReadSignal[int]:
    """A counter that goes up by one every `ms` milliseconds, from 0, while its
    owner lives. On the server it stays 0.

        seconds = use_interval(1000)
        span(lambda: "%d s" % seconds())
    """
    count, set_count = signal(0)
    set_interval(lambda: set_count.update(lambda n: n + 1), ms)
    return count


class Debounced:
    """`use_debounce`'s function: each call starts the wait again; `fn` runs, with
    the last call's arguments, once the calls have paused for the wait."""

    __slots__ = ("_fn", "_host", "_ms", "_stop")

    def __init__(self, fn: Callable[..., Any], ms: float) -> None:
        self._fn = fn
        self._ms = ms
        self._host = window()
        self._stop: Callable[[], None] | None = None
        if self._host is not None and current_scope() is not None:
            on_cleanup(self.cancel)

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        if self._host is None:
            return
        self.cancel()
        self._stop = _timeout(self._host, lambda: self._fire(args, kwargs), self._ms)

    @property
    def pending(self) -> bool:
        """Whether a call waits to run."""
        return self._stop is not None

    def cancel(self) -> None:
        """Forget the waiting call, if any."""
        stop = self._stop
        if stop is not None:
            self._stop = None
            stop()

    def _fire(self, args: Any, kwargs: Any) -> None:
        self._stop = None
        self._fn(*args, **kwargs)


def use_debounce(fn: Callable[..., Any], ms: float) -> Debounced:
    """`fn`, called only once calls to it have paused for `ms` milliseconds, with the
    last call's arguments. A waiting call is dropped when the owner is disposed
    (`.cancel()` drops it sooner). On the server, calls do nothing.

        search = use_debounce(lambda text: set_query(text), 300)
        input(on_input=lambda ev: search(event_target_value(ev)))
    """
    return Debounced(fn, ms)


class Throttled:
    """`use_throttle`'s function: a call runs at once unless one ran less than the
    wait ago; then the last such call runs when the wait is over."""

    __slots__ = ("_fn", "_host", "_ms", "_stop", "_waiting")

    def __init__(self, fn: Callable[..., Any], ms: float) -> None:
        self._fn = fn
        self._ms = ms
        self._host = window()
        self._stop: Callable[[], None] | None = None  # the wait under way
        self._waiting: Any = None  # (args, kwargs) of the call to run after it
        if self._host is not None and current_scope() is not None:
            on_cleanup(self.cancel)

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        if self._host is None:
            return
        if self._stop is not None:
            self._waiting = (args, kwargs)
            return
        self._start()
        self._fn(*args, **kwargs)

    def cancel(self) -> None:
        """End the wait now and drop the call waiting for it, if any."""
        self._waiting = None
        stop = self._stop
        if stop is not None:
            self._stop = None
            stop()

    def _start(self) -> None:
        self._stop = _timeout(self._host, self._wait_over, self._ms)

    def _wait_over(self) -> None:
        self._stop = None
        waiting = self._waiting
        if waiting is not None:
            self._waiting = None
            self._start()
            self._fn(*waiting[0], **waiting[1])


def use_throttle(fn: Callable[..., Any], ms: float) -> Throttled:
    """`fn`, run at most once every `ms` milliseconds: a call runs at once if the
    last one ran longer ago; otherwise the last call made meanwhile runs when the
    time is up. Dropped when the owner is disposed. On the server, calls do nothing.

        on_move = use_throttle(lambda ev: set_pointer((ev.clientX, ev.clientY)), 50)
        window_event_listener("pointermove", on_move)
    """
    return Throttled(fn, ms)


def _timeout(host: Any, fn: Callable[[], Any], ms: float) -> Callable[[], None]:
    """Start a timeout; returns what clears it (nothing to clear once it fired)."""
    fired = False

    def run(*args: Any) -> None:
        nonlocal fired
        fired = True
        fn()

    function = js_function(run, once=True)
    ident = host.setTimeout(function, ms)

    def stop() -> None:
        if not fired:  # a fired once-callable is released already
            host.clearTimeout(ident)
            release(function)

    return stop
