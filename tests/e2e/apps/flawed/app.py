"""Pages that go wrong on purpose, to see what the browser's console says.

    /mismatch               the browser renders another text than the server did
    /unhandled              a resource fails under a Suspense with no ErrorBoundary
    /in_order/unhandled     the same, streamed in order

In the browser every fetcher that runs prints "fetch: <name>" to the console.
"""

import asyncio
import sys

from lepta import Resource, Route, Router, Routes, Suspense, component
from lepta.html import main, p, section

IN_BROWSER = sys.platform in ("emscripten", "webassembly")


@component
def Greeting():
    return p("from the browser" if IN_BROWSER else "from the server", id="greeting")


@component
def Panel():
    return section(Greeting())


async def fail(name):
    if IN_BROWSER:
        print("fetch:", name)
    await asyncio.sleep(0.05)
    raise ValueError(name + " failed")


@component
def Unhandled():
    bad = Resource("bad", fail)
    return Suspense(p("Bad: ", bad, id="bad"), fallback=p("Loading...", id="fallback"))


@component
def App():
    return Router(
        Routes(
            Route("/mismatch", lambda: main(Panel())),
            Route("/unhandled", unhandled),
            Route("/in_order/unhandled", unhandled, ssr="in_order"),
            Route("/", lambda: main(p("Pages: /mismatch, /unhandled, /in_order/unhandled"))),
        )
    )


def unhandled():
    return main(Unhandled(), p("after", id="after"))
