"""Suspense, Transition and Await: on the server (render_to_string), in the DOM, and
hydrating with the resource outcomes the server sent. Fetchers are Calls the test
resolves (see _deferred), so no real time passes."""

from _deferred import Calls, settle
from _html import parse

from lepta import (
    Await,
    ErrorBoundary,
    LocalResource,
    Owner,
    Resource,
    Suspense,
    Transition,
    component,
    flush,
    render_to_string,
    signal,
)
from lepta.dom import hydrate_body, mount_to_body
from lepta.html import div, p
from lepta.reactive import _suspense
from lepta.reactive._suspense import AsyncData, KeyScope
from lepta.testing import MemoryDOM


def body_html(dom):
    return "".join(dom.html(child) for child in dom.body.children)


def shown(dom):
    """The body's HTML without the empty comments that anchor dynamic parts."""
    return body_html(dom).replace("<!---->", "")


# --- keys and outcomes -----------------------------------------------------------------
async def test_resources_created_while_rendering_are_keyed_by_position():
    keys = KeyScope()
    saved = _suspense.enter(keys, AsyncData(collect=True))
    try:
        with Owner():
            first, second = Resource(1, Calls()), Resource(2, Calls())
            inner = KeyScope(keys.suspense_id())
            _suspense.enter(inner, _suspense.data)
            third = Resource(3, Calls())
    finally:
        _suspense.leave(saved)
    assert (first._key, second._key, third._key) == ("0", "1", "1:0")


async def test_a_resource_with_a_known_outcome_starts_from_it_without_fetching():
    fetch = Calls()
    sent = {"0": [1, {"name": "Ada"}], "1": [0, "no such user"]}
    saved = _suspense.enter(KeyScope(), AsyncData.from_json(sent))
    try:
        with Owner():
            user = Resource(1, fetch)
            missing = Resource(2, fetch)
    finally:
        _suspense.leave(saved)
    await settle()
    assert fetch.args == []
    assert (user(), user.loading()) == ({"name": "Ada"}, False)
    assert str(missing.error()) == "no such user" and not missing.loading()


async def test_a_seeded_resource_still_refetches_when_its_source_changes():
    fetch = Calls()
    saved = _suspense.enter(KeyScope(), AsyncData.from_json({"0": [1, "one"]}))
    try:
        with Owner():
            user_id, set_user_id = signal(1)
            user = Resource(user_id, fetch)
    finally:
        _suspense.leave(saved)
    set_user_id(2)
    await settle()
    fetch.resolve(0, "two")
    await user.wait()
    assert fetch.args == [2] and user() == "two"


async def test_disposing_a_resource_cancels_its_load_in_flight():
    cancelled = []

    async def fetch(_):
        try:
            await Calls()()
        except BaseException:  # CancelledError
            cancelled.append(True)
            raise

    owner = Owner()
    with owner:
        Resource(1, fetch)
    await settle()
    owner.dispose()
    await settle()
    assert cancelled == [True]


# --- the server without waiting: render_to_string ---------------------------------------
async def test_render_to_string_shows_the_fallback_of_a_loading_suspense_marked_pending():
    fetch = Calls()

    @component
    def App():
        user = Resource(1, fetch)
        return div(Suspense(p(user), fallback=p("Loading...")))

    assert parse(render_to_string(App)) == [
        (
            "div",
            {},
            [
                ("#comment", "s:1"),
                ("#comment", "lepta-pending"),
                ("p", {}, ["Loading..."]),
                ("#comment", "/s:1"),
            ],
        )
    ]


async def test_a_suspense_with_nothing_loading_renders_its_children_between_marks():
    html = render_to_string(lambda: div("a", Suspense(p("ready"), fallback="..."), "b"))
    assert parse(html) == [
        ("div", {}, ["a", ("#comment", "s:1"), ("p", {}, ["ready"]), ("#comment", "/s:1"), "b"])
    ]


# --- the DOM ---------------------------------------------------------------------------
async def test_suspense_shows_the_fallback_until_every_resource_read_has_loaded():
    one, two = Calls(), Calls()
    dom = MemoryDOM()

    @component
    def App():
        a, b = Resource(1, one), Resource(2, two)
        return div(Suspense(p(a), p(b), fallback=p("Loading...")))

    mount_to_body(App, renderer=dom)
    await settle()
    assert (one.args, two.args) == ([1], [2])  # in parallel
    assert shown(dom) == "<div><p>Loading...</p></div>"
    one.resolve(0, "A")
    await settle()
    flush()
    assert shown(dom) == "<div><p>Loading...</p></div>"
    two.resolve(0, "B")
    await settle()
    flush()
    assert shown(dom) == "<div><p>A</p><p>B</p></div>"


async def reload_under(kind):
    """Load, then change the source: what shows meanwhile, and the pending reports."""
    fetch = Calls()
    dom = MemoryDOM()
    pending_seen = []
    setters = []

    @component
    def App():
        n, set_n = signal(1)
        setters.append(set_n)
        data = Resource(n, fetch)
        extra = {"set_pending": pending_seen.append} if kind is Transition else {}
        return div(kind(p(data), fallback=p("Loading..."), **extra))

    mount_to_body(App, renderer=dom)
    await settle()
    fetch.resolve(0, "first")
    await settle()
    flush()
    seen = [shown(dom)]
    setters[0](2)
    await settle()
    flush()
    seen.append(shown(dom))
    fetch.resolve(1, "second")
    await settle()
    flush()
    seen.append(shown(dom))
    return seen, pending_seen


async def test_suspense_shows_the_fallback_again_while_a_resource_reloads():
    seen, _ = await reload_under(Suspense)
    assert seen == [
        "<div><p>first</p></div>",
        "<div><p>Loading...</p></div>",
        "<div><p>second</p></div>",
    ]


async def test_transition_keeps_the_old_content_while_reloading_and_reports_pending():
    seen, pending = await reload_under(Transition)
    assert seen == [
        "<div><p>first</p></div>",
        "<div><p>first</p></div>",
        "<div><p>second</p></div>",
    ]
    assert pending == [True, False, True, False]


async def test_await_shows_the_value_of_its_future_once_resolved():
    fetch = Calls()
    dom = MemoryDOM()
    mount_to_body(
        lambda: div(Await(future=fetch("x"), children=lambda v: p("got ", v), fallback="...")),
        renderer=dom,
    )
    await settle()
    assert shown(dom) == "<div>...</div>"
    fetch.resolve(0, "it")
    await settle()
    flush()
    assert shown(dom) == "<div><p>got it</p></div>"


async def test_an_async_component_under_suspense_renders_once_its_awaits_are_done():
    fetch = Calls()

    @component
    async def Name():
        name = await fetch("id")
        return p(name)

    dom = MemoryDOM()
    mount_to_body(lambda: div(Suspense(Name(), fallback="...")), renderer=dom)
    await settle()
    assert shown(dom) == "<div>...</div>"
    fetch.resolve(0, "Ada")
    await settle()
    flush()
    assert shown(dom) == "<div><p>Ada</p></div>"


# --- hydration -------------------------------------------------------------------------
async def test_hydrating_with_the_servers_outcomes_fetches_nothing_and_creates_nothing():
    fetch = Calls()

    @component
    def App():
        user = Resource(1, fetch)
        return div(Suspense(p("Hello ", user), fallback=p("Loading...")))

    html = "<div><!--s:1--><p>Hello <!>Ada</p><!--/s:1--></div>"
    dom = MemoryDOM()
    dom.load_body(html)
    dom.reset_ops()
    hydrate_body(App, renderer=dom, data={"0": [1, "Ada"]})
    await settle()
    assert fetch.args == []
    assert [op for op in dom.ops if op.startswith("create")] == []
    assert body_html(dom) == "<div><!--s:1--><p>Hello <!---->Ada</p><!--/s:1--></div>"


async def test_hydrating_a_pending_fallback_builds_the_children_in_the_browser():
    @component
    def App():
        here = LocalResource(lambda: done("local"))
        return div(Suspense(p(here), fallback=p("Loading...")))

    async def done(value):
        return value

    dom = MemoryDOM()
    dom.load_body(render_to_string(App))
    hydrate_body(App, renderer=dom)
    assert body_html(dom) == (
        "<div><!--s:1--><!--lepta-pending--><p>Loading...</p><!--/s:1--></div>"
    )
    await settle()
    flush()
    assert shown(dom) == "<div><!--s:1--><!--lepta-pending--><p>local</p><!--/s:1--></div>"


async def test_children_that_cannot_be_hydrated_keep_the_servers_nodes_until_ready():
    fetch = Calls()

    @component
    async def Name():
        return p(await fetch("id"))

    dom = MemoryDOM()
    dom.load_body("<div><!--s:1--><p>Ada</p><!><!--/s:1--></div>")
    server_p = dom.body.children[0].children[1]
    hydrate_body(lambda: div(Suspense(Name(), fallback="...")), renderer=dom)
    await settle()
    assert dom.body.children[0].children[1] is server_p  # still on screen
    fetch.resolve(0, "Ada")
    await settle()
    flush()
    assert body_html(dom) == "<div><!--s:1--><p>Ada</p><!----><!--/s:1--></div>"


async def test_an_error_boundary_hydrating_the_servers_fallback_shows_the_same_error():
    @component
    def App():
        bad = Resource(1, Calls())
        return Suspense(
            ErrorBoundary(p(bad), fallback=lambda errors: p("Error: ", str(errors[0]))),
            fallback="...",
        )

    html = "<!--s:1--><!--lepta-fallback--><p>Error: no such user</p><!><!--/s:1-->"
    dom = MemoryDOM()
    dom.load_body(html)
    hydrate_body(App, renderer=dom, data={"0": [0, "no such user"]})
    flush()
    assert "<p>Error: no such user</p>" in body_html(dom)
