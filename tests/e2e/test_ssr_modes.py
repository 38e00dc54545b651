"""examples/ssr_modes in Chromium: the post page in each streaming mode ends showing
the post, each mode shows its own way of waiting, the list's links navigate in the
page, and an unknown post is a 404 under async."""

import pytest
from playwright.sync_api import expect

from lepta.testing.browser import wait_hydrated

from .conftest import RUNTIMES

PATHS = {"out_of_order": "/post/", "in_order": "/post_in_order/", "async": "/post_async/"}

# Runs before the page's own HTML: notes when the parser first inserts the page's <em>,
# the fallback and the post's title, so a test can tell how the document arrived.
WATCH = """
window.seen = {};
new MutationObserver(() => {
  for (const [name, selector] of [["em", "main em"], ["loading", "p.loading"],
                                  ["title", "h1#title"]]) {
    if (!(name in window.seen) && document.querySelector(selector)) {
      window.seen[name] = performance.now();
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def arrival(visit, runtime, mode):
    """Open post 2 under `mode`; when its parts first appeared (ms), once hydrated."""
    v = visit("ssr_modes", runtime)
    page = v.page()
    page.add_init_script(WATCH)
    response = page.goto(v.base + PATHS[mode] + "2")
    assert response.status == 200
    wait_hydrated(page)
    expect(page.locator("h1#title")).to_have_text("My second post")
    expect(page.locator("p#content")).to_have_text("This is my second post.")
    expect(page.locator("p.loading")).to_have_count(0)
    expect(page).to_have_title("My second post")  # from the post's data, in every mode
    return page.evaluate("window.seen")


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_out_of_order_shows_the_fallback_first_then_the_post(visit, runtime):
    seen = arrival(visit, runtime, "out_of_order")
    assert seen["em"] <= seen["loading"] < seen["title"]
    assert seen["title"] - seen["em"] > 300  # the post took 500 ms to load


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_in_order_shows_the_page_up_to_the_post_then_the_post_with_no_fallback(visit, runtime):
    seen = arrival(visit, runtime, "in_order")
    assert "loading" not in seen
    assert seen["title"] - seen["em"] > 300


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_async_shows_the_whole_page_at_once(visit, runtime):
    seen = arrival(visit, runtime, "async")
    assert "loading" not in seen
    assert seen["em"] > 300  # nothing came before the post had loaded
    assert seen["title"] - seen["em"] < 150  # then all of it, parsed together


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_lists_links_open_each_post_in_each_mode_without_a_reload(visit, runtime):
    v = visit("ssr_modes", runtime)
    page = v.page()
    page.goto(v.base + "/")
    wait_hydrated(page)
    page.evaluate("window.marker = 'kept'")  # gone if the page is ever reloaded
    expect(page.locator("ul#posts li")).to_have_count(3)
    for number, mode in [(1, "out_of_order"), (2, "in_order"), (3, "async")]:
        page.click("ul#posts li:nth-child(%d) a.%s" % (number, mode))
        expect(page.locator("h1#title")).to_have_text(page_title(number))
        expect(page).to_have_title(page_title(number))
        assert page.url == v.base + PATHS[mode] + str(number)
        page.click("header a")
        expect(page.locator("ul#posts li")).to_have_count(3)
        expect(page).to_have_title("My Great Blog")
    assert page.evaluate("window.marker") == "kept"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_an_unknown_post_is_a_404_under_async(visit, runtime):
    v = visit("ssr_modes", runtime)
    page = v.page()
    response = page.goto(v.base + "/post_async/99")
    assert response.status == 404
    wait_hydrated(page)  # the 404 page is a page of the app too
    expect(page.locator("p#not-found")).to_have_text("Post not found")
    expect(page).to_have_title("Post not found")
    v.errors[:] = [e for e in v.errors if "status of 404" not in e]  # the document's own


@pytest.mark.parametrize("mode", ["in_order", "async"])
def test_in_order_and_async_posts_are_whole_without_javascript(visit, mode):
    v = visit("ssr_modes", "micropython", scripts=False)
    page = v.page()
    page.goto(v.base + PATHS[mode] + "3")
    expect(page.locator("h1#title")).to_have_text("My third post")
    expect(page.locator("p.loading")).to_have_count(0)
    if mode == "async":  # the head went out after the post had loaded
        expect(page).to_have_title("My third post")


def page_title(number):
    return "My %s post" % ["first", "second", "third"][number - 1]
