"""DOM behaviour that needs CPython-only tools (warnings, hypothesis)."""

import sys
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

from lepta import component, flush, render_to_string, signal
from lepta.dom import hydrate_body, mount_to_body
from lepta.html import button, div, li, p, span, ul
from lepta.testing import MemoryDOM
from lepta.view import For

sys.path.insert(0, "tests/portable")


@component
def Counter(initial=0):
    value, set_value = signal(initial)
    return div(
        button("+1", on_click=lambda ev: set_value.update(lambda v: v + 1)),
        span("Value: ", value, "!"),
    )


def test_a_hydration_mismatch_is_reported_once_naming_expected_and_found():
    dom = MemoryDOM()
    dom.load_body(render_to_string(lambda: div(p("server"))))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hydrate_body(Counter, renderer=dom)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "expected <button>" in message and "found <p>" in message
    dom.click(dom.find("button"))
    flush()
    assert dom.find("span").text == "Value: 1!"


def rows(items):
    return ul(For(each=items, key=lambda x: x, children=lambda x: li(x)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), unique=True, max_size=25), max_size=12))
def test_any_sequence_of_list_edits_gives_the_dom_of_a_fresh_render(states):
    items, set_items = signal([])
    dom = MemoryDOM()
    mount_to_body(lambda: rows(items), renderer=dom)
    for state in states:
        set_items(state)
        flush()
        fresh = MemoryDOM()
        mount_to_body(lambda state=state: rows(state), renderer=fresh)
        assert dom.body.to_html() == fresh.body.to_html()


def test_a_mismatch_inside_an_element_rebuilds_only_that_element():
    @component
    def Page():
        return div(p("intro"), ul(li("one"), li("two")), id="page")

    dom = MemoryDOM()
    dom.load_body('<div id="page"><p>intro</p><ul><li>one</li><li>three</li></ul></div>')
    intro = dom.find("p")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hydrate_body(Page, renderer=dom)
    assert len(caught) == 1 and "text 'two'" in str(caught[0].message)
    assert dom.find("p") is intro  # outside the mismatch: adopted, not rebuilt
    assert [el.text for el in dom.find_all("li")] == ["one", "two"]
