"""Streaming server rendering: a page's HTML in chunks, as its data arrives.

Three modes, all ending in the same document:

* `out_of_order` (default): the whole page goes out at once, each waiting Suspense
  showing its fallback; each Suspense follows when its data is there, as a
  `<template>` and a one-line script that puts it in place of the fallback. The
  first byte does not wait for any data.
* `in_order`: the HTML goes out up to the first waiting Suspense, then waits for it,
  and so on. No script is needed to put the page together. With a `wait`, the
  first chunk is held that long for data: what arrives in time goes out in it.
* `async`: everything is awaited, then the page goes out whole (so anything in it may
  depend on data, and errors can still become an error page).

The outcomes of the resources the server loaded go out too, as JSON in
`<script type="application/json" data-lepta-resources>` after the HTML, where they
cannot disturb hydration; the browser's resources start from them.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Callable

from ..reactive._suspense import AsyncData, step_movable
from ..view._escape import escape_attr
from ._render import Renderer, render_root
from ._suspense import Hole

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, AsyncIterator

MODES = ("out_of_order", "in_order", "async")

# Puts the template of Suspense `id` between its marks in place of the fallback.
SWAP_SCRIPT = (
    "function $lepta_swap(id){var d=document,t=d.getElementById('lepta-s-'+id),"
    "w=d.createTreeWalker(d.body,128),o=null,n;while(n=w.nextNode()){"
    "if(n.data==='s:'+id)o=n;else if(o&&n.data==='/s:'+id){var r=d.createRange();"
    "r.setStartAfter(o);r.setEndBefore(n);r.deleteContents();"
    "n.parentNode.insertBefore(t.content,n);break}}t.remove()}"
)


class Later:
    """An in-order Suspense's rendering (a coroutine), awaited where the stream
    reaches it; most pages have one such Suspense, which then needs no task: the
    stream waits for the values it waits for (`waiting`), then runs it in place."""

    __slots__ = ("coro", "outcome", "task", "waiting")

    def __init__(self, coro: Any, waiting: list[Any]) -> None:
        self.coro: Any = coro
        self.waiting = waiting  # the values (resources) it waits for before rendering
        self.task: Any = None
        self.outcome: Any = None  # its result, once it ran to the end in place (`step`)

    def start(self) -> None:
        """Run it as a task from now on."""
        import asyncio

        coro = self.coro
        self.coro = None
        self.task = asyncio.ensure_future(coro)

    def ready(self) -> bool:
        """Whether running it now would not wait for its first data."""
        return all(x.settled() for x in self.waiting)

    def done(self) -> bool:
        """Whether awaiting it now would not wait for data (as far as is known)."""
        if self.task is not None:
            return bool(self.task.done())
        return self.coro is None or self.ready()

    def step(self) -> bool:
        """Run it in place, now that it is `ready()`: True if it ran to the end. If
        its rendering asks for more data, it goes on in a task from where it waits
        (the stream must be free to send what it has meanwhile)."""
        import asyncio

        coro = self.coro
        try:
            waits_for = step_movable(coro)
        except StopIteration as end:
            self.coro = None
            self.outcome = (True, end.value)
            return True
        except Exception as exc:  # (raised where the stream awaits it, as inline)
            self.coro = None
            self.outcome = (False, exc)
            return True
        except BaseException:
            self.coro = None
            raise
        self.coro = None
        self.task = asyncio.ensure_future(_go_on(coro, waits_for))
        return False

    def cancel(self) -> None:
        """Drop it: close the coroutine not begun (or running now: it is being awaited,
        and the cancellation of the stream's task reaches it there), or cancel its task."""
        if self.task is not None:
            self.task.cancel()
            return
        coro = self.coro
        if coro is not None:
            self.coro = None
            try:
                coro.close()
            except RuntimeError:  # it is running: the awaiting task is cancelled
                pass

    async def result(self) -> Any:
        if self.task is not None:
            return await self.task
        outcome = self.outcome
        if outcome is not None:
            self.outcome = None
            if outcome[0]:
                return outcome[1]
            raise outcome[1]
        coro = self.coro
        if coro is None:
            raise RuntimeError("a Suspense's rendering was awaited twice, or after it was dropped")
        # (`coro` stays set while it runs, so that nothing starts it again as a task)
        try:
            return await coro
        finally:
            self.coro = None


async def _go_on(coro: Any, waits_for: Any) -> Any:
    """The rest of `coro`, begun elsewhere and now waiting for `waits_for` (what it
    yielded to the event loop: a future, or None to let others run first)."""
    return await _Resumed(coro, waits_for)


class _Resumed:
    """An awaitable that first waits for what `coro` yielded, then hands over to
    `coro` itself (`yield from`: results, errors and cancellation go through)."""

    __slots__ = ("coro", "waits_for")

    def __init__(self, coro: Any, waits_for: Any) -> None:
        self.coro = coro
        self.waits_for = waits_for

    def __await__(self) -> Any:
        coro = self.coro
        try:
            yield self.waits_for  # (the task waits for it, as if `coro` had yielded it)
        except BaseException as exc:  # cancelled meanwhile: where `coro` waits
            try:
                coro.throw(exc)
            except StopIteration as end:  # (it caught it and ended)
                return end.value
            coro.close()  # (it went on waiting instead of ending: dropped)
            raise
        return (yield from coro.__await__())


class Stream:
    """The state of one streamed render: its data, its Suspenses still resolving.

    Out of order, a Suspense inside another that was still waiting renders in a task
    of its own too, but its chunk waits at a gate until the outer one's went out (its
    marks are in that chunk); if the outer rendering is dropped, so is its task.
    """

    __slots__ = ("data", "finished", "gate", "live", "mode", "sent", "tasks")

    def __init__(self, mode: str, production: bool = False) -> None:
        import asyncio

        self.mode = mode
        self.data = AsyncData(collect=True, production=production)
        self.sent: set[str] = set()
        self.tasks: list[Any] = []  # every task started, in order
        self.live: set[Any] = set()  # out of order: the tasks whose chunk is to come
        # (out of order: the Suspenses rendered, as their tasks end)
        self.finished: Any = asyncio.Queue() if mode == "out_of_order" else None
        self.gate: Any = None  # what the Suspenses rendered now wait for

    def resolve(self, coro: Any, sid: str, waiting: list[Any]) -> Any:
        """Run `coro` (which renders Suspense `sid` once its data is there): out of
        order, as a task; in order (or async), as a `Later`, which runs in the stream's
        own task when the stream reaches it, unless the stream must wait for another
        one first (see `start_others`). `waiting`: the values it waits for first."""
        if self.mode == "out_of_order":
            import asyncio

            task = asyncio.ensure_future(self._report(coro, sid, self.gate))
            self.tasks.append(task)
            self.live.add(task)
            return task
        later = Later(coro, waiting)
        self.tasks.append(later)
        return later

    def start_others(self, current: Any) -> None:
        """In order, before the stream waits (or yields a chunk): every Suspense not
        begun yet but `current` begins as a task, so that they all wait for their data
        at the same time, as they would each in a task from the start."""
        for later in self.tasks:
            if later is not current and later.coro is not None and later.task is None:
                later.start()

    def open_gate(self) -> tuple[Any, Any]:
        """A new gate for what renders now (out of order), made current; and the
        previous one, to restore afterwards."""
        import asyncio

        gate = asyncio.Event() if self.mode == "out_of_order" else None
        saved = self.gate
        self.gate = gate
        return gate, saved

    def discard(self, tasks: list[Any]) -> None:
        for task in tasks:
            self.live.discard(task)
            task.cancel()

    async def _report(self, coro: Any, sid: str, gate: Any) -> None:
        import asyncio

        try:
            out, inner_gate = await coro
        except Exception:  # the fallback stays; the error is logged once
            import logging

            logging.getLogger("lepta").exception("Suspense %s failed while streaming", sid)
            out = inner_gate = None
        if gate is not None:
            await gate.wait()
        self.finished.put_nowait((asyncio.current_task(), sid, out, inner_gate))

    def data_script(self) -> str:
        """The outcomes not sent yet, as a JSON script ("" if there are none)."""
        data = self.data
        keys = [k for k in data.outcomes if k not in self.sent and k not in data.private]
        if not keys:
            return ""
        self.sent.update(keys)
        entries = {}
        for key in keys:  # (as AsyncData.to_json shapes them)
            ok, value = data.outcomes[key]
            entries[key] = [1, value] if ok else [0, str(value)]
        try:  # one pass when JSON can carry every value
            text = json_for_script(entries)
        except _NOT_JSON:
            # Each entry on its own, once: those JSON cannot carry are left out (the
            # browser loads them itself); the same text as one pass over the rest.
            parts = []
            for key, entry in entries.items():
                try:
                    parts.append(json_for_script(key) + ":" + json_for_script(entry))
                except _NOT_JSON:
                    continue
            if not parts:
                return ""
            text = "{" + ",".join(parts) + "}"
        return '<script type="application/json" data-lepta-resources>%s</script>' % text

    def cancel(self) -> None:
        for task in self.tasks:
            if type(task) is Later or not task.done():
                task.cancel()
        self.live.clear()


_SURROGATE = re.compile("[\ud800-\udfff]")
# What encoding a value JSON cannot carry raises (a value holding itself: RecursionError,
# a RuntimeError; MicroPython has no class of that name).
_NOT_JSON = (TypeError, ValueError, OverflowError, RuntimeError)
_encode: Callable[[Any], str]
if hasattr(json, "JSONEncoder"):  # made once (MicroPython's json has no encoder class)
    # Without the check for circular values, about a fifth of the encoding: a
    # value holding itself recurses until RecursionError, and is left out as any
    # value JSON cannot carry.
    _encode = json.JSONEncoder(
        separators=(",", ":"), ensure_ascii=False, check_circular=False
    ).encode
else:

    def _encode(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


_isascii = getattr(str, "isascii", None)  # (at C speed, where there is one)


def json_for_script(value: Any) -> str:
    """JSON that cannot end the `<script>` holding it, open a comment, or be misread:
    `<`, `>`, `&` and the line separators are written as \\u escapes. Other characters
    are written as they are (the page is UTF-8): MicroPython's JSON reader cannot join
    the surrogate pairs that would escape characters beyond the BMP (an emoji)."""
    text = _encode(value)
    if _isascii is None or not _isascii(text):  # (the usual data: ASCII, none of these)
        if _SURROGATE.search(text):  # a lone surrogate cannot be written as UTF-8: escape it
            text = _SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group()), text)
        # Line separators end a line in older JavaScript: escaped, as json.dumps would.
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


async def render_to_stream(
    view_fn: Callable[[], Any],
    mode: str = "out_of_order",
    nonce: str | None = None,
    production: bool = False,
    end: str = "",
    wait: float = 0.0,
) -> AsyncGenerator[str, None]:
    """Render `view_fn()` to HTML chunks, waiting for the data its Suspenses read.

        async for chunk in render_to_stream(App, mode="in_order"):
            await send(chunk)

    `mode` is "out_of_order" (default), "in_order" or "async" (see this module's
    docstring). `nonce`, if given, is set on every inline script, for a Content
    Security Policy. With `production`, a resource that fails with anything but a
    `ResourceError` is logged (logger "lepta") and the page gets a generic message in
    its place (see `ResourceError`); without it, the page shows the exception's text.
    `end` is added to the last chunk (the document's closing tags: one write fewer).
    `wait` (in order only) is how many seconds the stream may hold what it has while
    it waits for data, counted from its first wait: data that comes in time goes out
    with it, in the same chunk (the whole page, if nothing else is left to wait for);
    after that, each chunk goes out as soon as it is ready. Closing the iterator early
    (the client went away) cancels the work still pending. Must be iterated on a
    running asyncio event loop.
    """
    chunks = render_chunks(view_fn, mode, nonce, production, end, wait)
    try:
        async for chunk, _ in chunks:
            yield chunk
    finally:
        await chunks.aclose()


async def render_chunks(
    view_fn: Callable[[], Any],
    mode: str = "out_of_order",
    nonce: str | None = None,
    production: bool = False,
    end: str = "",
    wait: float = 0.0,
) -> AsyncGenerator[tuple[str, bool], None]:
    """`render_to_stream`'s chunks, each with whether it is surely the last (a server
    sends a page whose first chunk is the last as one body, with its length; the
    iteration may also just end after a chunk not marked so)."""
    if mode not in MODES:
        raise ValueError("unknown streaming mode %r: use one of %s" % (mode, ", ".join(MODES)))
    stream = Stream(mode, production)
    script = '<script nonce="%s">' % escape_attr(nonce) if nonce else "<script>"
    out, root = render_root(lambda: Renderer(stream), view_fn, stream.data)
    try:
        if mode == "out_of_order":
            waiting = bool(stream.live)  # (nothing to wait for: the page is whole)
            yield "".join(out) + stream.data_script() + ("" if waiting else end), not waiting
            swap_defined = False
            while stream.live:
                task, sid, inner, gate = await stream.finished.get()
                if task not in stream.live:
                    continue  # dropped with the rendering it belonged to
                stream.live.discard(task)
                if inner is None:
                    continue
                chunk = '<template id="lepta-s-%s">%s</template>' % (sid, "".join(inner))
                if not swap_defined:
                    chunk += script + SWAP_SCRIPT + "</script>"
                    swap_defined = True
                chunk += script + "$lepta_swap('%s');document.currentScript.remove()</script>" % sid
                # (the Suspenses inside this one were started by now: none live, the end)
                last = not stream.live
                yield chunk + stream.data_script() + (end if last else ""), last
                if last:
                    return
                gate.set()
            if waiting and end:
                yield end, True
        else:
            rest: list[str] = []
            flush = mode == "in_order"
            async for part in _in_order(out, flush, rest, stream, wait if flush else 0.0):
                yield part, False
            yield "".join(rest) + stream.data_script() + end, True
    finally:
        stream.cancel()
        root.dispose()


async def _in_order(
    out: list[Any], flush: bool, rest: list[str], stream: Stream, wait: float = 0.0
) -> AsyncIterator[str]:
    """The output's text in order, each Hole replaced by what its Later rendered; with
    `flush`, the text before a Hole whose data is not there yet is yielded before
    waiting for it, unless the data comes within `wait` seconds of the first such
    wait. What follows the last wait goes into `rest` (sent with the page's data: one
    write, not several, when the data is there in time)."""
    text: list[str] = []
    try:  # (most outputs hold no Hole: joined at C speed)
        rest.append("".join(out))
        return
    except TypeError:
        pass
    deadline = None
    stack = [iter(out)]
    while stack:
        for part in stack[-1]:
            if type(part) is Hole:
                later = part.task
                stream.start_others(later)
                if flush and text and not later.done():
                    if wait > 0 and deadline is None:
                        deadline = _now() + wait
                    if deadline is None or not await _done_by(later, deadline):
                        yield "".join(text)
                        text = []
                inner = (await later.result())[0]
                try:
                    text.append("".join(inner))
                    continue
                except TypeError:
                    stack.append(iter(inner))
                    break
            text.append(part)
        else:
            stack.pop()
    rest.append("".join(text))


def _now() -> float:
    import asyncio

    return float(asyncio.get_running_loop().time())


async def _done_by(later: Later, deadline: float) -> bool:
    """Wait until `later` has rendered or the event loop's clock reaches `deadline`;
    whether it has. Until its data is there, it is not begun: the wait is for the
    values it waits for. Then it runs in place; if its rendering must wait again (for
    the loads it starts), it goes on in a task, so that the stream is free to go on."""
    while True:
        task = later.task
        if task is None:
            if later.coro is None:  # (ran to the end, or dropped)
                return True
            waits: list[Any] = [x for x in later.waiting if not x.settled()]
            if not waits:  # (ready: its data is there)
                if later.step():
                    return True
                continue  # (waiting again, in a task)
        elif task.done():
            return True
        else:
            waits = [task]
        if not await _any_by(waits, deadline):
            return False


async def _any_by(waits: list[Any], deadline: float) -> bool:
    """Wait until one of `waits` (tasks, or values that load) is done or settled, or
    the event loop's clock reaches `deadline`; whether it was not the clock."""
    import asyncio

    loop = asyncio.get_running_loop()
    if deadline <= loop.time():
        return False
    woken = _Wake(loop.create_future())
    timer = loop.call_at(deadline, woken.at_deadline)
    for x in waits:
        if isinstance(x, asyncio.Future):
            x.add_done_callback(woken)
        else:
            x.notify_settled(woken)
    try:
        return bool(await woken.future)
    finally:
        timer.cancel()
        for x in waits:
            if isinstance(x, asyncio.Future):
                x.remove_done_callback(woken)


class _Wake:
    """Completes its future with True when called back (a task done, a value settled:
    `set()`), with False at the deadline, whichever comes first."""

    __slots__ = ("future",)

    def __init__(self, future: Any) -> None:
        self.future = future

    def __call__(self, _task: Any = None) -> None:
        if not self.future.done():
            self.future.set_result(True)

    set = __call__

    def at_deadline(self) -> None:
        if not self.future.done():
            self.future.set_result(False)
