"""Helpers for testing Lepta apps: in memory, over ASGI, and in a browser.

In memory, no browser (fast; see docs/testing.md):

    from lepta.testing import render

    page = render(Counter)
    page.click(page.get_by_role("button", name="+1"))
    assert page.get_by_text("Value: 1!")
    with page.count() as ops:
        page.click(page.get_by_role("button", name="+1"))
    assert ops == {"set_text": 1}

`render_server(App)` renders on the server and hydrates in memory (a mismatch
fails). `client(app_dir)` calls an app's server functions and pages over ASGI with a
temporary database; `lepta.testing.browser` and the pytest plugin's `lepta_page`
fixture drive the served app in Chromium.

Underneath is the in-memory DOM, usable directly:

    dom = MemoryDOM()
    mount_to_body(Counter, renderer=dom)
    dom.click(dom.find("button", text="+1"))
    flush()
    assert dom.find("span").text == "Value: 1!"

`strict_hydration()` makes a hydration mismatch fail the test (see its docstring).
Everything here but `client` runs under MicroPython too.
"""

from __future__ import annotations

from typing import Any

from ..dom import _build
from ..dom._memory import MemoryDOM
from ..dom._memory_nodes import Comment, Document, Element, Event, Text
from ._client import LeptaClient, client
from ._page import ActionError, MemoryPage, render, render_server
from ._queries import ElementNotFound, MultipleElementsFound, Queries, QueryError

__all__ = [
    "ActionError",
    "Comment",
    "Document",
    "Element",
    "ElementNotFound",
    "Event",
    "LeptaClient",
    "MemoryDOM",
    "MemoryPage",
    "MultipleElementsFound",
    "Queries",
    "QueryError",
    "Text",
    "client",
    "render",
    "render_server",
    "strict_hydration",
]


class strict_hydration:  # (a class named as what it is used for: `with strict_hydration():`)
    """Inside this block, `hydrate` raises `HydrationMismatch` where the server's HTML
    does not match the view, instead of warning and rebuilding that part.

        dom = MemoryDOM()
        dom.load_body(render_to_string(App))
        with strict_hydration():
            hydrate_body(App, renderer=dom)    # raises on the first mismatch

    (Or fail on the warning, anywhere: `pytest -W error::lepta.dom.HydrationMismatchWarning`.)
    """

    __slots__ = ("saved",)

    def __enter__(self) -> strict_hydration:
        self.saved = _build.strict_found
        _build.strict_found = []
        return self

    def __exit__(self, *exc: Any) -> None:
        _build.strict_found = self.saved
