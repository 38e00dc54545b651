"""render_to_stream: the three modes, the order of chunks, the data sent with them,
errors, and a client leaving mid-stream. Fetchers wait on Deferreds the test resolves,
so the test decides what loads when."""

import asyncio
import json
import logging
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "portable"))

from _deferred import Calls, Deferred, settle
from _html import parse

from lepta import (
    ErrorBoundary,
    OnceResource,
    Owner,
    Resource,
    ResourceError,
    Suspense,
    component,
    render_to_stream,
)
from lepta.html import div, p, section
from lepta.reactive import _suspense
from lepta.reactive._suspense import AsyncData, KeyScope


class Stream:
    """Chunks of a render, pulled one at a time."""

    def __init__(self, view_fn, mode="out_of_order", nonce=None, production=False):
        self.chunks = render_to_stream(view_fn, mode, nonce, production=production)

    async def next(self):
        return await self.chunks.__anext__()

    async def rest(self):
        return [chunk async for chunk in self.chunks]


def cancellable(cancelled):
    """A loader that waits for 30 s, noting in `cancelled` when it is cancelled."""

    async def slow(_):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    return slow


def data_of(html):
    """The resource outcomes sent in `html`, merged."""
    found = {}
    for text in re.findall(
        r"<script type=\"application/json\" data-lepta-resources>(.*?)</script>", html
    ):
        found.update(json.loads(text))
    return found


def page(one, two):
    @component
    def App():
        a, b = Resource(1, one), Resource(2, two)
        inner = Suspense(p("B: ", b), fallback=p("loading b"))
        return div(Suspense(section(p("A: ", a), inner), fallback=p("loading a")))

    return App


FINAL = [
    (
        "div",
        {},
        [
            ("#comment", "s:1"),
            (
                "section",
                {},
                [
                    ("p", {}, ["A: ", ("#comment", ""), "one"]),
                    ("#comment", "s:1-1"),
                    ("p", {}, ["B: ", ("#comment", ""), "two"]),
                    ("#comment", "/s:1-1"),
                ],
            ),
            ("#comment", "/s:1"),
        ],
    )
]


async def first_chunk_and_tasks(app, load, mode, **options):
    """The first chunk of `app` streamed in `mode`, once `load`'s first call returned
    "one"; and the tasks made meanwhile, each with its coroutine's name."""
    loop = asyncio.get_running_loop()
    made = []

    def factory(loop, coro, **task_options):
        task = asyncio.Task(coro, loop=loop, **task_options)
        made.append((getattr(coro, "__qualname__", type(coro).__name__), task))
        return task

    loop.set_task_factory(factory)
    try:
        chunks = render_to_stream(app, mode, **options)
        first = asyncio.ensure_future(chunks.__anext__())
        await settle()
        load.resolve(0, "one")
        return await first, made
    finally:
        loop.set_task_factory(None)


async def test_out_of_order_sends_the_shell_at_once_then_each_suspense_as_it_resolves():
    one, two = Calls(), Calls()
    stream = Stream(page(one, two))
    shell = await stream.next()
    assert parse(shell) == [
        ("div", {}, [("#comment", "s:1"), ("p", {}, ["loading a"]), ("#comment", "/s:1")])
    ]
    await settle()
    one.resolve(0, "one")
    outer = await stream.next()
    assert '<template id="lepta-s-1">' in outer and "$lepta_swap('1')" in outer
    assert "<p>loading b</p>" in outer  # the inner one waits still
    assert data_of(outer) == {"0": [1, "one"]}
    await settle()
    two.resolve(0, "two")
    inner = await stream.next()
    assert '<template id="lepta-s-1-1"><p>B: <!>two</p></template>' in inner
    assert data_of(inner) == {"1": [1, "two"]}
    assert await stream.rest() == []


async def test_an_inner_suspense_that_resolves_first_still_follows_its_outer_one():
    one, two = Calls(), Calls()
    stream = Stream(page(one, two))
    await stream.next()
    await settle()
    two.resolve(0, "two")
    await settle()
    one.resolve(0, "one")
    chunks = [await stream.next()] + await stream.rest()
    # The outer chunk arrives with the inner one already resolved inside it.
    assert len(chunks) == 1 and "<p>B: <!>two</p>" in chunks[0]


async def test_in_order_flushes_up_to_each_pending_suspense_and_sends_no_script_to_swap():
    one, two = Calls(), Calls()
    stream = Stream(page(one, two), "in_order")
    first = await stream.next()
    assert first == "<div><!--s:1-->"
    await settle()
    one.resolve(0, "one")
    two.resolve(0, "two")
    rest = await stream.rest()
    html = first + "".join(rest)
    assert "<template" not in html and "$lepta_swap" not in html
    assert parse(html.split("<script")[0]) == FINAL
    assert data_of(html) == {"0": [1, "one"], "1": [1, "two"]}


async def test_in_order_sends_what_is_ready_after_a_wait_in_one_chunk_with_the_end():
    one, two = Calls(), Calls()
    chunks = render_to_stream(page(one, two), "in_order", end="</body></html>")
    assert await chunks.__anext__() == "<div><!--s:1-->"  # before the first wait
    await settle()
    one.resolve(0, "one")
    two.resolve(0, "two")  # both ready: nothing more to wait for
    rest = [chunk async for chunk in chunks]
    assert len(rest) == 1  # the content, the page's data and the end: one write
    assert rest[0].startswith("<section>") and rest[0].endswith("</script></body></html>")


async def test_in_order_with_a_wait_sends_data_that_comes_in_time_with_what_precedes_it():
    one, two = Calls(), Calls()
    chunks = render_to_stream(page(one, two), "in_order", end="</body></html>", wait=5)
    first = asyncio.ensure_future(chunks.__anext__())
    await settle()
    assert not first.done()  # held: nothing has gone out yet
    one.resolve(0, "one")
    two.resolve(0, "two")
    whole = await first
    assert parse(whole.split("<script")[0]) == FINAL  # the whole page, in one chunk
    assert data_of(whole) == {"0": [1, "one"], "1": [1, "two"]}
    assert whole.endswith("</body></html>")
    assert [chunk async for chunk in chunks] == []


async def test_in_order_with_a_wait_streams_what_it_has_once_the_wait_is_over():
    one, two = Calls(), Calls()
    chunks = render_to_stream(page(one, two), "in_order", wait=0.05)
    loop = asyncio.get_running_loop()
    began = loop.time()
    first = asyncio.ensure_future(chunks.__anext__())
    await settle()
    one.resolve(0, "one")  # in time: it goes out with the start
    first = await first
    assert loop.time() - began >= 0.05
    assert first.startswith("<div><!--s:1--><section><p>A: <!>one</p><!--s:1-1-->")
    assert "two" not in first
    # The wait is over: what follows goes out as soon as it is ready, unheld.
    later = asyncio.ensure_future(chunks.__anext__())
    await settle()
    two.resolve(0, "two")
    rest = await later
    assert rest.startswith("<p>B: <!>two</p>")
    html = first + rest + "".join([chunk async for chunk in chunks])
    assert parse(html.split("<script")[0]) == FINAL


async def test_in_order_the_wait_also_bounds_data_that_the_data_in_time_asks_for():
    first, then = Calls(), Calls()

    @component
    def App():
        a = Resource(1, first)

        def shown():  # once `a` is there, a second load that depends on it
            return p(a(), Resource(a, then)) if a() else None

        return div(Suspense(shown, fallback="..."))

    chunks = render_to_stream(App, "in_order", wait=0.05)
    started = asyncio.ensure_future(chunks.__anext__())
    await settle()
    first.resolve(0, "a")  # in time, but the rendering it allows waits again
    start = await asyncio.wait_for(started, 2)
    assert start == "<div><!--s:1-->"  # the start went out once the wait was over
    later = asyncio.ensure_future(chunks.__anext__())
    await settle()
    assert then.args == ["a"]
    then.resolve(0, "b")
    assert (await later).startswith("<p>a<!>b</p>")


async def test_in_order_closing_while_the_data_asked_for_in_time_loads_cancels_that_load():
    first, cancelled = Calls(), []

    @component
    def App():
        a = Resource(1, first)

        def shown():
            return p(a(), Resource(a, cancellable(cancelled))) if a() else None

        return div(Suspense(shown, fallback="..."))

    chunks = render_to_stream(App, "in_order", wait=0.05)
    started = asyncio.ensure_future(chunks.__anext__())
    await settle()
    first.resolve(0, "a")  # its rendering, begun in the stream's task, waits again
    assert await asyncio.wait_for(started, 2) == "<div><!--s:1-->"
    await chunks.aclose()  # the client went away
    await settle()
    assert cancelled == [True]


async def test_in_order_a_suspense_whose_data_comes_in_time_renders_without_a_task_of_its_own():
    one = Calls()

    @component
    def App():
        return div(p("start"), Suspense(p(Resource(1, one)), fallback="..."))

    whole, made = await first_chunk_and_tasks(App, one, "in_order", wait=5)
    assert whole.startswith("<div><p>start</p><!--s:1--><p>one</p><!--/s:1--></div>")
    # The test's own task for the first chunk, and the load's: none for the Suspense.
    assert sorted(name for name, _ in made) == ["_run", "async_generator_asend"]  # (the load)


async def test_in_order_a_waited_resource_disposed_meanwhile_leaves_the_fallback_marked_failed(
    caplog,
):
    one, owners = Calls(), []

    @component
    def App():
        owner = Owner()  # (an owner of the app's own, disposed while the page waits)
        owners.append(owner)
        with owner:
            items = Resource(1, one)
        return div(p("start"), Suspense(p(items), fallback="..."))

    chunks = render_to_stream(App, "in_order", wait=5)
    first = asyncio.ensure_future(chunks.__anext__())
    await settle()
    owners[0].dispose()
    whole = await asyncio.wait_for(first, 2)
    assert whole.startswith("<div><p>start</p><!--s:1--><!--lepta-failed-->...<!--/s:1-->")
    assert "Suspense 1 failed while streaming" in caplog.text


async def test_the_wait_does_not_hold_out_of_order_pages():
    one, two = Calls(), Calls()
    chunks = render_to_stream(page(one, two), "out_of_order", wait=5)
    shell = await asyncio.wait_for(chunks.__anext__(), 1)
    assert "loading a" in shell
    await chunks.aclose()


async def test_in_order_suspenses_each_render_again_as_soon_as_their_own_data_is_there():
    # The second Suspense's children, rendered again once `b` loaded, create the load
    # that the first Suspense's waits for: the first cannot finish unless the second
    # renders again while the stream still waits for the first.
    second_rendered = asyncio.Event()

    async def first(_):
        await asyncio.wait_for(second_rendered.wait(), 5)
        return "a"

    async def second(_):
        await asyncio.sleep(0)
        return "b"

    async def unlock(_):
        second_rendered.set()
        return "c"

    @component
    def App():
        a, b = Resource(1, first), Resource(2, second)

        def then():
            return p(b(), Resource(3, unlock)) if b() else p("...")

        return div(Suspense(p(a), fallback="..."), Suspense(then, fallback="..."))

    html = "".join([chunk async for chunk in render_to_stream(App, "in_order")])
    assert "<p>a</p>" in html and "<p>b<!>c</p>" in html


@pytest.mark.parametrize("mode", ["in_order", "async"])
async def test_closing_an_in_order_stream_while_it_waits_cancels_its_loads(mode):
    cancelled = []

    slow = cancellable(cancelled)

    @component
    def App():
        return div(
            Suspense(p(Resource(1, slow)), fallback="..."),
            Suspense(p(Resource(2, slow)), fallback="..."),
        )

    chunks = render_to_stream(App, mode)
    waiting = asyncio.ensure_future(chunks.__anext__())
    await settle()
    if mode == "in_order":  # the start went out; the next chunk waits for the data
        assert waiting.done() and waiting.result() == "<div><!--s:1-->"
        waiting = asyncio.ensure_future(chunks.__anext__())
        await settle()
    assert not waiting.done()
    waiting.cancel()  # the client went away while the page waited
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await chunks.aclose()
    await settle()
    assert cancelled == [True, True]


async def test_async_mode_sends_the_whole_page_once_everything_loaded():
    one, two = Calls(), Calls()
    stream = Stream(page(one, two), "async")
    pending = asyncio.ensure_future(stream.next())
    await settle()
    assert not pending.done()
    await settle()
    one.resolve(0, "one")
    two.resolve(0, "two")
    html = await pending
    assert parse(html.split("<script")[0]) == FINAL
    assert await stream.rest() == []


async def test_in_async_mode_the_page_runs_the_load_it_waits_for_in_its_own_task():
    """The page's task runs a load only it waits for: no task for the load, none to
    wake the page when it ends (two turns of the event loop fewer a page)."""
    one = Calls()
    ran_in = []

    def load(value):
        ran_in.append(asyncio.current_task())
        return one(value)

    @component
    def App():
        return div(Suspense(p(Resource(1, load)), fallback="..."))

    html, made = await first_chunk_and_tasks(App, one, "async")
    assert html.startswith("<div><!--s:1--><p>one</p><!--/s:1--></div>")
    assert data_of(html) == {"0": [1, "one"]}
    assert [name for name, _ in made] == ["async_generator_asend"]  # the page's alone
    assert ran_in == [made[0][1]]


async def test_a_resource_nothing_waits_for_still_starts_loading_at_once():
    one = Calls()

    @component
    def App():
        Resource(1, one)  # (read by nothing: no Suspense waits for it)
        return div("page")

    stream = Stream(App, "out_of_order")
    assert (await stream.next()).startswith("<div>page</div>")
    await settle()
    assert one.args == [1]
    await stream.chunks.aclose()


async def waited_as_a_page_does(owner, make):
    """`make()` (a resource) created under `owner` as a page's rendering on the server
    creates it, its load not begun, and waited for at once, by a task: the resource
    and that task."""
    made = []

    async def render_and_wait():
        saved = _suspense.enter(KeyScope(), AsyncData(collect=True))
        try:
            with owner:
                made.append(make())
        finally:
            _suspense.leave(saved)
        await made[0].wait()

    task = asyncio.ensure_future(render_and_wait())
    await settle()
    return made[0], task


async def test_a_task_cancelled_while_it_runs_a_load_leaves_the_load_to_the_others_waiting():
    load = Calls()
    owner = Owner(server=True)
    items, first = await waited_as_a_page_does(owner, lambda: Resource(1, load))  # runs it
    second = asyncio.ensure_future(items.wait())
    await settle()
    assert load.args == [1]
    assert not first.done()
    first.cancel()
    await settle()
    assert first.cancelled() and not second.done()
    assert load.args == [1, 1]  # begun again, for the one still waiting
    load.resolve(1, ["a"])
    await asyncio.wait_for(second, 2)
    assert items.get_untracked() == ["a"]
    owner.dispose()


async def test_a_once_resource_waited_for_by_a_task_cancelled_still_loads_for_the_others():
    """Its one awaitable cannot begin again: it runs in a task of its own."""
    done = Deferred()
    owner = Owner(server=True)
    config, first = await waited_as_a_page_does(owner, lambda: OnceResource(done.wait()))
    second = asyncio.ensure_future(config.wait())
    await settle()
    first.cancel()
    await settle()
    done.resolve("config")
    await asyncio.wait_for(second, 2)
    assert config.get_untracked() == "config"
    owner.dispose()


async def test_resources_under_one_suspense_load_in_parallel():
    one, two = Calls(), Calls()
    stream = Stream(page(one, two))
    await stream.next()
    await settle()
    assert (one.args, two.args) == ([1], [2])
    await stream.chunks.aclose()


async def test_embedded_data_cannot_end_its_script_or_open_a_comment():
    nasty = "</script><script>alert(1)</script><!-- \u2028 & >"
    fetch = Calls()

    @component
    def App():
        value = Resource(1, fetch)
        return Suspense(p(value), fallback="...")

    stream = Stream(App, "async")
    pending = asyncio.ensure_future(stream.next())
    await settle()
    fetch.resolve(0, nasty)
    html = await pending
    script = html[html.index("data-lepta-resources>") :]
    body = script[len("data-lepta-resources>") : script.index("</script>")]
    assert "<" not in body and ">" not in body and "\u2028" not in body
    assert json.loads(body) == {"0": [1, nasty]}


async def test_a_nonce_is_set_on_every_inline_script():
    one, two = Calls(), Calls()
    stream = Stream(page(one, two), nonce="r4nd0m")
    await stream.next()
    await settle()
    one.resolve(0, "one")
    two.resolve(0, "two")
    html = "".join(await stream.rest())
    scripts = re.findall(r"<script(?! type=\"application/json\")[^>]*>", html)
    assert scripts and all(s == '<script nonce="r4nd0m">' for s in scripts)


async def test_a_failing_resource_under_an_error_boundary_streams_the_boundarys_fallback():
    fetch = Calls()

    @component
    def App():
        bad = Resource(1, fetch)
        return Suspense(
            ErrorBoundary(p(bad), fallback=lambda errors: p("Error: ", str(errors[0]))),
            fallback="...",
        )

    stream = Stream(App)
    await stream.next()
    await settle()
    fetch.fail(0, ValueError("no such user"))
    chunk = await stream.next()
    assert "<!--lepta-fallback--><p>Error: no such user</p>" in chunk
    assert data_of(chunk) == {"0": [0, "no such user"]}


async def test_an_error_boundary_around_a_suspense_shows_its_fallback_in_its_place_later():
    fetch = Calls()

    @component
    def App():
        bad = Resource(1, fetch)
        return ErrorBoundary(
            Suspense(p(lambda: bad() and bad().upper()), fallback="..."),
            fallback=lambda errors: p("Error: ", str(errors[0])),
        )

    stream = Stream(App)
    await stream.next()
    await settle()
    fetch.fail(0, ValueError("down"))
    assert "<p>Error: down</p>" in await stream.next()


async def test_an_error_before_the_first_byte_is_raised_by_the_first_chunk():
    @component
    def App():
        raise ValueError("broken")

    with pytest.raises(Exception, match="broken"):
        await Stream(App).next()


async def test_closing_the_stream_early_cancels_pending_loads_quietly(caplog):
    cancelled = []

    slow = cancellable(cancelled)

    @component
    def App():
        return Suspense(p(Resource(1, slow)), p(Resource(2, slow)), fallback="...")

    stream = Stream(App)
    with caplog.at_level(logging.DEBUG):
        await stream.next()
        await settle()
        await stream.chunks.aclose()  # the client went away
        await settle()
    assert cancelled == [True, True]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_an_unknown_mode_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="out_of_order, in_order, async"):
        await Stream(lambda: p("x"), "eventually").next()


async def test_a_resource_created_inside_a_waiting_suspense_loads_once_and_streams_on_its_own():
    outer, inner = Calls(), Calls()

    @component
    def Child():
        mine = Resource(1, inner)
        return Suspense(p(mine), fallback="inner...")

    @component
    def App():
        first = Resource(1, outer)
        return Suspense(p(first), Child(), fallback="outer...")

    stream = Stream(App)
    await stream.next()
    await settle()
    outer.resolve(0, "A")
    chunk = await stream.next()
    assert "<p>A</p><!--s:1-1-->inner...<!--/s:1-1-->" in chunk
    await settle()
    inner.resolve(0, "B")
    assert "<template id=\"lepta-s-1-1\"><p>B</p></template>" in await stream.next()
    assert inner.args == [1]  # the second rendering took over the first one's load


async def test_an_async_derived_value_under_suspense_is_awaited_but_not_sent():
    fetch = Calls()

    @component
    def App():
        from lepta import AsyncDerived

        derived = AsyncDerived(lambda: fetch("x"))
        return Suspense(p(derived), fallback="...")

    stream = Stream(App, "async")
    pending = asyncio.ensure_future(stream.next())
    await settle()
    fetch.resolve(0, "computed")
    html = await pending
    assert "<p>computed</p>" in html and "data-lepta-resources" not in html
    assert fetch.args == ["x"]


def guarded(fetch):
    """A page whose resource is read inside an ErrorBoundary showing the error's text."""

    @component
    def App():
        value = Resource(1, fetch)
        return Suspense(
            ErrorBoundary(p(value), fallback=lambda errors: p("Error: ", str(errors[0]))),
            fallback="...",
        )

    return App


async def failed_page(error, production):
    fetch = Calls()
    stream = Stream(guarded(fetch), production=production)
    html = await stream.next()
    await settle()
    fetch.fail(0, error)
    return html + "".join(await stream.rest())


async def test_in_production_a_failed_load_shows_a_generic_message_and_logs_the_exception(caplog):
    with caplog.at_level(logging.ERROR, logger="lepta"):
        html = await failed_page(ValueError("password=hunter2 at db.internal"), True)
    assert "hunter2" not in html
    assert "<p>Error: the server could not load this data</p>" in html
    assert data_of(html) == {"0": [0, "the server could not load this data"]}
    logged = [r for r in caplog.records if "hunter2" in str(r.exc_info and r.exc_info[1])]
    assert len(logged) == 1 and logged[0].name == "lepta"
    assert "Traceback" in caplog.text and "hunter2" in caplog.text


async def test_in_development_a_failed_load_shows_the_exceptions_text(caplog):
    with caplog.at_level(logging.ERROR, logger="lepta"):
        html = await failed_page(ValueError("no such user"), False)
    assert "<p>Error: no such user</p>" in html
    assert data_of(html) == {"0": [0, "no such user"]}


async def test_a_resource_error_raised_on_purpose_carries_its_message_in_production(caplog):
    with caplog.at_level(logging.ERROR, logger="lepta"):
        html = await failed_page(ResourceError("Try again later"), True)
    assert "<p>Error: Try again later</p>" in html
    assert data_of(html) == {"0": [0, "Try again later"]}
    assert caplog.records == []  # a message for the user, not a fault to log


async def test_a_server_functions_error_for_its_caller_carries_its_message_in_production(caplog):
    from lepta import ServerError

    with caplog.at_level(logging.ERROR, logger="lepta"):
        html = await failed_page(ServerError("Out of stock", status=409), True)
    assert "<p>Error: Out of stock</p>" in html
    assert caplog.records == []


def unguarded(fetch):
    """A page whose resource fails under a Suspense with no ErrorBoundary anywhere."""

    @component
    def App():
        bad = Resource(1, fetch)
        return div(Suspense(p("Bad: ", bad), fallback=p("loading")), p("after"))

    return App


@pytest.mark.parametrize("mode", ["out_of_order", "in_order"])
async def test_a_suspense_failing_with_no_error_boundary_ends_on_its_fallback_marked_failed(
    mode, caplog
):
    fetch = Calls()
    stream = Stream(unguarded(fetch), mode)
    with caplog.at_level(logging.ERROR, logger="lepta"):
        html = await stream.next()
        await settle()
        fetch.fail(0, ValueError("down"))
        html += "".join(await stream.rest())
    if mode == "out_of_order":  # the template's content takes the fallback's place
        assert '<template id="lepta-s-1"><!--lepta-failed--><p>loading</p></template>' in html
    else:
        assert "<!--s:1--><!--lepta-failed--><p>loading</p><!--/s:1--><p>after</p>" in html
    assert data_of(html) == {"0": [0, "down"]}  # the browser does not load it again
    assert [r.getMessage() for r in caplog.records] == [
        "Suspense 1 failed while streaming; its fallback stays"
    ]


async def test_in_production_a_suspense_failing_with_no_error_boundary_is_logged_once(caplog):
    fetch = Calls()
    stream = Stream(unguarded(fetch), "in_order", production=True)
    with caplog.at_level(logging.ERROR, logger="lepta"):
        html = await stream.next()
        await settle()
        fetch.fail(0, ValueError("secret"))
        html += "".join(await stream.rest())
    assert "<!--lepta-failed--><p>loading</p>" in html and "secret" not in html
    assert caplog.text.count("secret") == 1


async def test_in_async_mode_a_suspense_failing_with_no_error_boundary_fails_the_page():
    fetch = Calls()
    stream = Stream(unguarded(fetch), "async")
    pending = asyncio.ensure_future(stream.next())
    await settle()
    fetch.fail(0, ValueError("down"))
    with pytest.raises(ValueError, match="down"):
        await pending  # before the first byte: the server answers with its error page


async def test_values_json_cannot_carry_are_left_out_of_the_data_and_the_rest_sent_escaped():
    async def load(value):
        return value

    @component
    def App():
        a, b, c = Resource("a</script>", load), Resource({1, 2}, load), Resource(["é", 3], load)
        d = Resource(circular, load)
        return Suspense(div(lambda: [a(), b(), c(), d()] and ""), fallback="...")

    circular = [1]
    circular.append(circular)  # (a value holding itself)
    html = "".join([chunk async for chunk in render_to_stream(App, "in_order")])
    script = re.search(r"data-lepta-resources>(.*?)</script>", html).group(1)
    # The same text as one pass over the values it can carry: escaped, no spaces.
    assert script == '{"0":[1,"a\\u003c/script\\u003e"],"2":[1,["é",3]]}'


async def test_a_streamed_page_leaves_its_router_and_resources_to_reference_counting():
    """Once a page is done, its router's state and its resources are in no reference
    cycle: freed at once, without the garbage collector (which a busy server would
    otherwise run every few pages)."""
    import gc

    from lepta import Route, Router, Routes, provide_context
    from lepta.reactive._resource import _Follower
    from lepta.router._components import RoutesState
    from lepta.router._state import RouterState
    from lepta.view import Location

    async def load(_):
        return ["a", "b"]

    @component
    def Page():
        items = Resource("items", load)
        return Suspense(p(lambda: ", ".join(items() or [])), fallback=p("..."))

    def app():
        provide_context(Location("/", ""))
        return Router(Routes(Route("/", Page), Route("/users/:id", Page)))

    kinds = (Resource, _Follower, RouterState, RoutesState)
    gc.collect()
    gc.disable()
    try:
        before = {id(x) for x in gc.get_objects() if isinstance(x, kinds)}  # (other tests')
        html = "".join([chunk async for chunk in render_to_stream(app, "in_order")])
        left = [
            type(x).__name__
            for x in gc.get_objects()
            if isinstance(x, kinds) and id(x) not in before
        ]
    finally:
        gc.enable()
    assert "<p>a, b</p>" in html
    assert left == []
