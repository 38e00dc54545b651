"""Hydration: adopting server HTML in place, creating nothing, then updating it."""

from lepta import component, flush, render_to_string, signal
from lepta.dom import hydrate_body
from lepta.html import button, div, li, p, span, ul
from lepta.svg import circle, svg
from lepta.testing import MemoryDOM
from lepta.view import Dynamic, ErrorBoundary, For, Show


def server_page(view_fn):
    dom = MemoryDOM()
    dom.load_body(render_to_string(view_fn))
    before = [n for n in walk(dom.body)]
    dom.reset_ops()
    return dom, before


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


@component
def Counter(initial=0):
    value, set_value = signal(initial)
    return div(
        button("+1", on_click=lambda ev: set_value.update(lambda v: v + 1)),
        span("Value: ", value, "!"),
    )


def test_hydrating_the_counter_creates_nothing_and_then_updates_one_text():
    dom, before = server_page(Counter)
    hydrate_body(Counter, renderer=dom)
    created = [k for k in dom.ops if k.startswith("create")]
    assert created == []
    assert list(walk(dom.body)) == before  # the very same node objects
    dom.reset_ops()
    dom.click(dom.find("button"))
    flush()
    assert dom.find("span").text == "Value: 1!"
    assert dom.ops == {"set_text": 1}


def hydrates_cleanly(view_fn):
    dom, before = server_page(view_fn)
    hydrate_body(view_fn, renderer=dom)
    assert [
        k for k in dom.ops if k.startswith("create") or k in ("insert", "remove", "clear")
    ] == []
    assert list(walk(dom.body)) == before
    return dom


def test_show_in_both_states_hydrates_without_creating_nodes():
    on, set_on = signal(True)
    dom = hydrates_cleanly(lambda: div(Show(p("yes"), when=on, fallback=span("no"))))
    set_on(False)
    flush()
    assert dom.find("span").text == "no"
    hydrates_cleanly(lambda: div(Show(p("yes"), when=False, fallback=span("no"))))


def test_for_lists_empty_lists_and_dynamic_views_hydrate():
    items, set_items = signal(["a", "b"])
    dom = hydrates_cleanly(lambda: ul(For(each=items, key=lambda x: x, children=lambda x: li(x))))
    set_items(["b", "c"])
    flush()
    assert [el.text for el in dom.find_all("li")] == ["b", "c"]
    hydrates_cleanly(lambda: ul(For(each=[], key=lambda x: x, children=lambda x: li(x))))
    hydrates_cleanly(lambda: div(Dynamic(view=lambda: p("dynamic"))))


def test_adjacent_dynamic_texts_svg_and_boundaries_hydrate():
    a, set_a = signal("x")
    dom = hydrates_cleanly(lambda: p(a, a, "static", a))
    set_a("y")
    flush()
    assert dom.find("p").text == "yystaticy"
    hydrates_cleanly(lambda: svg(circle(r=lambda: 3, cx=1), viewBox="0 0 4 4"))
    hydrates_cleanly(lambda: div(ErrorBoundary(p("fine"), fallback=lambda e: span("bad"))))


def test_after_a_mismatch_the_page_is_rebuilt_and_works():
    dom = MemoryDOM()
    dom.load_body(render_to_string(lambda: div(p("server"))))
    hydrate_body(Counter, renderer=dom)  # reports the mismatch (a warning) and rebuilds
    dom.click(dom.find("button"))
    flush()
    assert dom.find("span").text == "Value: 1!"
