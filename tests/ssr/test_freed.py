"""A server-rendered page is freed by reference counting alone, as soon as it is done.

Objects in a reference cycle wait for CPython's garbage collector instead: they stay
in memory until it runs, and make it run more often. Each test renders with the
collector off and counts what a collection finds afterwards.
"""

import gc

import pytest

from lepta import (
    Resource,
    Route,
    Router,
    Routes,
    Selector,
    Suspense,
    component,
    render_to_stream,
    signal,
)
from lepta.html import div, li, main, nav, p, ul
from lepta.ssr import render_to_string
from lepta.store import Store


@pytest.fixture
def cycles_left():
    """Call it with a function that renders: the objects in cycles its second render
    left behind (the first compiles the components, work that is kept)."""
    gc.disable()

    def count(render):
        render()
        gc.collect()
        render()
        return gc.collect()

    try:
        yield count
    finally:
        gc.enable()


@component
def Nav():  # owns nothing
    return nav("Home")


@component
def Counter():  # owns a signal: it joins the owner tree and is disposed with the page
    count, _ = signal(1)
    return p(count)


@component
def Layout(children=()):
    return div(children)


@component
def Items():
    items = Resource("items", lambda _: load_items())
    return main(Suspense(ul(lambda: [li(x) for x in items() or []]), fallback=p("...")))


async def load_items():
    return ["one", "two"]


@component
def App():
    return Router(Routes(Route("/", Items), Route("/other", Nav)))


def test_a_component_given_to_another_as_a_child_leaves_no_cycle(cycles_left):
    html = []
    assert cycles_left(lambda: html.append(render_to_string(lambda: Layout(Nav(), Nav())))) == 0
    assert html == ["<div><nav>Home</nav><nav>Home</nav></div>"] * 2


def test_a_child_component_that_owns_something_leaves_no_cycle_once_disposed(cycles_left):
    html = []
    assert cycles_left(lambda: html.append(render_to_string(lambda: Layout(Counter())))) == 0
    assert html == ["<div><p>1</p></div>"] * 2


@component
def Rows():
    selected, _ = signal(2)
    is_selected = Selector(selected)
    return ul([li(n, class_=lambda n=n: "danger" if is_selected(n) else "") for n in (1, 2)])


@component
def Todos():
    store = Store({"todos": [{"id": 1, "text": "write"}]}, keys={"todos": lambda t: t["id"]})
    return ul([li(todo.text()) for todo in store.todos()])


def test_a_page_with_a_selector_leaves_no_cycle(cycles_left):
    html = []
    assert cycles_left(lambda: html.append(render_to_string(Rows))) == 0
    assert html[-1] == '<ul><li class="">1</li><li class="danger">2</li></ul>'


def test_a_page_with_a_store_leaves_no_cycle(cycles_left):
    html = []
    assert cycles_left(lambda: html.append(render_to_string(Todos))) == 0
    assert html[-1] == "<ul><li>write</li></ul>"


def test_the_same_call_placed_twice_renders_each_time():
    nav_twice, counter_twice = Nav(), Counter()
    assert render_to_string(lambda: Layout(nav_twice, div(nav_twice))) == (
        "<div><nav>Home</nav><div><nav>Home</nav></div></div>"
    )
    assert render_to_string(lambda: Layout(counter_twice, div(counter_twice))) == (
        "<div><p>1</p><div><p>1</p></div></div>"
    )


async def test_a_routed_page_streamed_with_its_data_leaves_no_cycle():
    async def render():
        return "".join([chunk async for chunk in render_to_stream(App, "in_order")])

    await render()  # (compiles the components: that work is kept)
    gc.collect()
    gc.disable()
    try:
        html = await render()
        left = gc.collect()
    finally:
        gc.enable()
    assert "<li>one</li><li>two</li>" in html
    assert left == 0
