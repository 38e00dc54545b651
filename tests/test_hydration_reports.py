"""What hydration tells the developer: a mismatch warns once, naming the components
(or raises, under strict_hydration); a Suspense the server left on its fallback
because it failed is adopted as it is, its error reported once."""

import asyncio
import json
import logging
import re
import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "portable"))

from _deferred import settle

from lepta import Resource, Suspense, component, render_to_stream, render_to_string
from lepta.dom import HydrationMismatch, HydrationMismatchWarning, hydrate_body
from lepta.html import div, li, p, ul
from lepta.testing import MemoryDOM, strict_hydration


@component
def Item(text):
    return li(text)


@component
def Listing(items):
    return ul([Item(text=t) for t in items])


@component
def App():
    return div(Listing(items=["one", "two"]))


def server_page(html):
    dom = MemoryDOM()
    dom.load_body(html)
    return dom


def test_a_mismatch_warns_once_naming_the_components_outermost_first():
    dom = server_page("<div><ul><li>one</li><li>three</li></ul></div>")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hydrate_body(App, renderer=dom)
    assert [w.category for w in caught] == [HydrationMismatchWarning]
    message = str(caught[0].message)
    assert " in App > Listing > Item:" in message and "text 'two'" in message
    assert [el.text for el in dom.find_all("li")] == ["one", "two"]  # rebuilt


def test_the_mismatch_warning_can_be_made_an_error():
    dom = server_page("<div><ul><li>one</li><li>three</li></ul></div>")
    with warnings.catch_warnings():
        warnings.simplefilter("error", HydrationMismatchWarning)
        with pytest.raises(HydrationMismatchWarning):
            hydrate_body(App, renderer=dom)


def test_under_strict_hydration_a_mismatch_raises():
    dom = server_page("<div><ul><li>one</li><li>three</li></ul></div>")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with strict_hydration(), pytest.raises(HydrationMismatch, match="App > Listing > Item"):
            hydrate_body(App, renderer=dom)
    assert caught == []  # raised instead of warned


def test_under_strict_hydration_matching_html_hydrates_quietly():
    dom = server_page(render_to_string(App))
    first = dom.find("li")
    with strict_hydration():
        hydrate_body(App, renderer=dom)
    assert dom.find("li") is first


async def test_a_suspense_that_failed_on_the_server_keeps_its_fallback_without_loading_again(
    caplog,
):
    fetches = []

    async def fail(n):
        fetches.append(n)
        raise ValueError("the database is down")

    @component
    def Page():
        bad = Resource(1, fail)
        return div(Suspense(p("Bad: ", bad), fallback=p("Loading...")), p("after"))

    html = "".join([chunk async for chunk in render_to_stream(Page, "in_order")])
    data = {}
    for sent in re.findall(r"data-lepta-resources>(.*?)</script>", html):
        data.update(json.loads(sent))
    dom = server_page(html[: html.index("<script")])
    fallback = dom.find("p")
    fetches.clear()
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="lepta"), strict_hydration():
        hydrate_body(Page, renderer=dom, data=data)
        await settle()
        await asyncio.sleep(0)
    assert fetches == []
    assert dom.find("p") is fallback and fallback.text == "Loading..."
    assert [r.getMessage() for r in caplog.records] == [
        "a Suspense failed on the server, with no ErrorBoundary around it; its fallback "
        "stays (Page > Suspense, s:1): ResourceError: the database is down"
    ]
