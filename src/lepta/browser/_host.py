"""The one way the helpers reach the browser, and what they share.

Every helper asks `window()` for the page's window. It is None on the server (no
`js` module), in Node (a `js` module without a window) and under a server-rendering
owner; then the helper returns its default and does nothing else. Tests swap in a
window of their own with `set_window`, with a fake clock, storage and events, and
drive the helpers as a page would.

JavaScript keeps the functions it is given (a listener, a timer's callback) after
the call that handed them over. Pyodide frees a Python function passed as an
argument once that call returns, unless it was made a proxy, which must then be
destroyed by hand; MicroPython keeps what it hands over. `js_function` and
`release` hide the difference, and `Handle` ties the release to an owner.
"""

from __future__ import annotations

from typing import Any, Callable

from ..dom._browser import flush_page, report
from ..dom._js import js_module
from ..reactive import Effect, current_scope, flush, on_cleanup, untrack
from ..reactive._core import server_scope

_window: list[Any] = []  # [the window], once looked up or set by a test


def window() -> Any:
    """The page's window, or None where there is none (server, Node, server rendering)."""
    if server_scope(current_scope()):
        return None
    if not _window:
        _window.append(_page_window())
    return _window[0]


def set_window(fake: Any) -> Any:
    """Make the helpers use `fake` as the window (None: behave as on the server);
    returns the window used before, to put back when the test ends.

        previous = set_window(FakeWindow())
        try:
            ...
        finally:
            set_window(previous)
    """
    previous = _window[0] if _window else _page_window()
    _window[:] = [fake]
    return previous


def _page_window() -> Any:
    js = js_module()
    if js is None:
        return None
    return getattr(js, "window", None)  # None in Node


class Handle:
    """Stops what a helper started (removes a listener, clears a timer). The owner
    that was current when the helper ran calls it at its cleanup; calling it again,
    or after a timeout fired, does nothing.

        handle = set_interval(tick, 1000)
        handle.stop()      # or handle()
    """

    __slots__ = ("_stop",)

    def __init__(self, stop: Callable[[], None] | None) -> None:
        self._stop = stop

    @property
    def active(self) -> bool:
        """Whether there is still something to stop."""
        return self._stop is not None

    def stop(self) -> None:
        stop = self._stop
        if stop is not None:
            self._stop = None
            stop()

    __call__ = stop

    def _done(self) -> None:
        """What it started ended on its own (a timeout fired)."""
        self._stop = None


def owned(stop: Callable[[], None] | None) -> Handle:
    """A Handle for `stop`, stopped with the current owner (if there is one)."""
    handle = Handle(stop)
    if stop is not None and current_scope() is not None:
        on_cleanup(handle.stop)
    return handle


def js_function(fn: Callable[..., Any], once: bool = False) -> Any:
    """`fn` as a function JavaScript may keep (`once`: it calls it at most once).

    Each call runs `fn`, shows an exception it raises in the console (the page keeps
    working, as with event handlers), then runs the effects it made due and applies
    their DOM changes: a change made from a timer or a listener reaches the page.
    Give it to `release` when JavaScript will not call it again.
    """

    call = settled(fn)
    try:
        from pyodide.ffi import (  # type: ignore[import-not-found]
            create_once_callable,
            create_proxy,
        )
    except ImportError:  # MicroPython keeps what it hands to JavaScript
        return call
    return create_once_callable(call) if once else create_proxy(call)


def settled(fn: Callable[..., Any]) -> Callable[..., None]:
    """`fn`, then the effects it made due, with their DOM changes applied; an
    exception it raises is shown in the console. For functions handed to JavaScript
    (`js_function` makes them a proxy; a promise's `then` takes them as they are)."""

    def call(*args: Any) -> None:
        try:
            fn(*args)
        except BaseException as exc:
            report(exc, "a browser callback")
        settle()

    return call


def release(function: Any) -> None:
    """Free what `js_function` made (a Pyodide proxy); nothing to do elsewhere."""
    destroy = getattr(function, "destroy", None)
    if destroy is not None:
        destroy()


def settle() -> None:
    """Run pending effects now and apply their DOM changes to the page."""
    try:
        flush()
    except BaseException as exc:
        report(exc, "an effect")
    flush_page()


def listen(target: Any, event_type: str, handler: Callable[[Any], Any]) -> Callable[[], None]:
    """Add `handler` as a listener of `target`; returns what removes it."""
    function = js_function(handler)
    target.addEventListener(event_type, function)

    def stop() -> None:
        target.removeEventListener(event_type, function)
        release(function)

    return stop


def warn(text: str) -> None:
    """Say `text` once in the window's console (the helpers warn only in a page)."""
    host = window()
    if host is not None:
        host.console.warn("lepta: " + text)


def at_first_flush(fn: Callable[[], Any]) -> None:
    """Run `fn` once, at the next flush (after hydration, when mounting a page):
    where a helper reads the browser's value, so that the first render matches the
    server's HTML, which could only use the default."""
    Effect(lambda: untrack(fn))
