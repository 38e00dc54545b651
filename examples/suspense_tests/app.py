"""Every shape of Suspense, on pages streamed in each of the three server modes.

    /out_of_order/<shape>   /in_order/<shape>   /async/<shape>

(one route per page, each with its streaming mode: `Route(..., ssr="in_order")`)

Shapes: single, parallel, nested, inside_component, none, error, local,
async_component, transition. Resources wait `?first=MS` and `?second=MS`
milliseconds (300 and 600 by default). In the browser every fetcher that runs
prints "fetch: <name>" to the console, so a test can see that hydration fetched
nothing the server had loaded.
"""

import asyncio
import sys

from lepta import (
    ErrorBoundary,
    LocalResource,
    Resource,
    Route,
    Router,
    Routes,
    Suspense,
    Transition,
    component,
    signal,
    use_query,
)
from lepta.html import a, button, h1, li, main, nav, p, section, ul

MODES = ["out_of_order", "in_order", "async"]
SHAPES = [
    "single",
    "parallel",
    "nested",
    "inside_component",
    "none",
    "error",
    "local",
    "async_component",
    "transition",
]
IN_BROWSER = sys.platform in ("emscripten", "webassembly")


async def load(name, ms):
    """Stands in for a database query or an API call."""
    if IN_BROWSER:
        print("fetch:", name)
    await asyncio.sleep(ms / 1000)
    return name + " loaded"


async def fail(name, ms):
    if IN_BROWSER:
        print("fetch:", name)
    await asyncio.sleep(ms / 1000)
    raise ValueError(name + " failed")


def loading():
    return p("Loading...", class_="fallback")


def show_error(errors):
    return p("Error: ", str(errors[0]), class_="error")


@component
def Single(first, second):
    one = Resource(first, lambda ms: load("one", ms))
    return Suspense(p("One: ", one, id="one"), fallback=loading())


@component
def Parallel(first, second):
    one = Resource(first, lambda ms: load("one", ms))
    two = Resource(second, lambda ms: load("two", ms))
    return Suspense(p("One: ", one, id="one"), p("Two: ", two, id="two"), fallback=loading())


@component
def Nested(first, second):
    one = Resource(first, lambda ms: load("one", ms))
    two = Resource(second, lambda ms: load("two", ms))
    inner = Suspense(p("Two: ", two, id="two"), fallback=p("Loading two...", class_="fallback"))
    return Suspense(section(p("One: ", one, id="one"), inner), fallback=loading())


@component
def Child(ms):
    one = Resource(ms, lambda ms: load("child", ms))
    return p("Child: ", one, id="child")


@component
def InsideComponent(first, second):
    return Suspense(Child(ms=first), fallback=loading())


@component
def NoResource(first, second):
    return Suspense(p("Nothing to wait for", id="none"), fallback=loading())


@component
def Failing(first, second):
    bad = Resource(first, lambda ms: fail("bad", ms))
    return Suspense(
        ErrorBoundary(p("Bad: ", bad, id="bad"), fallback=show_error),
        fallback=loading(),
    )


@component
def Local(first, second):
    here = LocalResource(lambda: load("local", first))
    return Suspense(p("Local: ", here, id="local"), fallback=loading())


@component
async def Slow(ms):
    text = await load("slow", ms)
    return p("Slow: ", text, id="slow")


@component
def AsyncComponent(first, second):
    return Suspense(Slow(ms=first), fallback=loading())


@component
def Reloading(first, second):
    page, set_page = signal(1)
    pending, set_pending = signal(False)
    content = Resource(page, lambda n: load("page %d" % n, first))
    return section(
        button("Next page", id="next", on_click=lambda ev: set_page(page() + 1)),
        p(lambda: "reloading" if pending() else "idle", id="status"),
        Transition(
            p("Content: ", content, id="content"), fallback=loading(), set_pending=set_pending
        ),
    )


PAGES = {
    "single": Single,
    "parallel": Parallel,
    "nested": Nested,
    "inside_component": InsideComponent,
    "none": NoResource,
    "error": Failing,
    "local": Local,
    "async_component": AsyncComponent,
    "transition": Reloading,
}


@component
def Index():
    return ul(
        [
            li(a(mode + " / " + shape, href="/%s/%s" % (mode, shape)))
            for mode in MODES
            for shape in SHAPES
        ]
    )


def shape_page(shape):
    """The page of one shape; its resources wait as long as the query says."""

    def view():
        query = use_query()
        first = query.get("first", int, 300)
        second = query.get("second", int, 600)
        return [h1(shape), PAGES[shape](first=first, second=second)]

    return view


@component
def App():
    return main(
        nav(a("All pages", href="/")),
        Router(
            Routes(
                Route("/", lambda: [h1("Suspense tests"), Index()]),
                *[
                    Route("/%s/%s" % (mode, shape), shape_page(shape), ssr=mode)
                    for mode in MODES
                    for shape in SHAPES
                ],
            )
        ),
    )
