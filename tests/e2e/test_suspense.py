"""The suspense_tests example in Chromium: every Suspense shape in the three streaming
modes ends in the same document, hydration fetches nothing the server loaded, and
a Transition keeps the old content while it reloads."""

import pytest

from lepta.testing.browser import wait_hydrated

from .conftest import RUNTIMES

MODES = ["out_of_order", "in_order", "async"]
FAST = "?first=150&second=300"

# What each page finally shows, and what the browser itself must fetch for it.
FINAL = {
    "single": ("#one", "One: one loaded", []),
    "parallel": ("#two", "Two: two loaded", []),
    "nested": ("#two", "Two: two loaded", []),
    "inside_component": ("#child", "Child: child loaded", []),
    "none": ("#none", "Nothing to wait for", []),
    "error": (".error", "Error: bad failed", []),
    "local": ("#local", "Local: local loaded", ["fetch: local"]),
    "async_component": ("#slow", "Slow: slow loaded", ["fetch: slow"]),
    "transition": ("#content", "Content: page 1 loaded", []),
}


def final_document(v, mode, shape):
    """Open the page, let it hydrate and settle; its <main> and the browser's fetches."""
    page = v.page()
    fetches = []
    page.on("console", lambda m: m.text.startswith("fetch:") and fetches.append(m.text))
    response = page.goto("%s/%s/%s%s" % (v.base, mode, shape, FAST))
    # The app sets csp = true: inline scripts without the page's nonce would not run.
    assert "'nonce-" in response.headers["content-security-policy"]
    wait_hydrated(page)
    selector, text, _ = FINAL[shape]
    page.wait_for_function(
        "([s, t]) => document.querySelector(s)?.textContent === t", arg=[selector, text]
    )
    html = page.evaluate("document.querySelector('main').innerHTML")
    leftovers = page.evaluate(
        "document.querySelectorAll('template, script:not([src]):not([type])').length"
    )
    page.close()
    return html, fetches, leftovers


def check_shapes(v, shapes):
    for shape in shapes:
        documents = {}
        for mode in MODES:
            html, fetches, leftovers = final_document(v, mode, shape)
            assert fetches == FINAL[shape][2], (mode, shape, fetches)
            assert leftovers == 0 or mode == "out_of_order", (mode, shape)
            documents[mode] = html
        assert documents["in_order"] == documents["out_of_order"], shape
        assert documents["async"] == documents["out_of_order"], shape


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_every_shape_ends_in_the_same_document_in_all_three_modes(visit, runtime):
    check_shapes(visit("suspense_tests", runtime), list(FINAL))


@pytest.mark.parametrize("mode", ["in_order", "async"])
def test_in_order_and_async_pages_are_whole_without_javascript(visit, mode):
    v = visit("suspense_tests", "micropython", scripts=False)
    page = v.page()
    page.goto("%s/%s/nested%s" % (v.base, mode, FAST))
    assert page.text_content("#one") == "One: one loaded"
    assert page.text_content("#two") == "Two: two loaded"
    assert page.locator(".fallback").count() == 0


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_out_of_order_shows_the_fallback_first_then_the_content(visit, runtime):
    v = visit("suspense_tests", runtime)
    page = v.page()
    page.goto(v.base + "/out_of_order/single?first=1500", wait_until="commit")
    page.wait_for_selector(".fallback")  # the shell arrived before the data
    assert page.locator("#one").count() == 0
    page.wait_for_selector("#one")
    assert page.text_content("#one") == "One: one loaded"
    assert page.locator(".fallback").count() == 0


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_transition_keeps_the_old_content_while_it_reloads(visit, runtime):
    v = visit("suspense_tests", runtime)
    page = v.page()
    page.goto(v.base + "/out_of_order/transition?first=400")
    wait_hydrated(page)
    assert page.text_content("#content") == "Content: page 1 loaded"
    page.click("#next")
    # (Functions, not expressions: the page's CSP forbids evaluating strings.)
    page.wait_for_function("() => document.querySelector('#status').textContent === 'reloading'")
    assert page.text_content("#content") == "Content: page 1 loaded"
    assert page.locator(".fallback").count() == 0
    page.wait_for_function(
        "() => document.querySelector('#content').textContent === 'Content: page 2 loaded'"
    )
    assert page.text_content("#status") == "idle"
