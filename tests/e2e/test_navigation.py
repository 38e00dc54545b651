"""Navigation in the page, in Chromium on both runtimes: GET forms, query signals,
hashes, and the links the page must leave to the browser."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from lepta.testing.browser import wait_hydrated

from .conftest import RUNTIMES, kept

APP = str(Path(__file__).parent / "apps" / "navigation")


def opened(visit, runtime, path="/", scripts=True):
    v = visit(APP, runtime, scripts=scripts)
    return v, v.open_marked(path)[0]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_get_form_navigates_in_the_page_with_its_fields_as_the_query(visit, runtime):
    v, page = opened(visit, runtime, "/search")
    page.fill("#q", "café au lait")
    page.click("#go")
    expect(page.locator("#term")).to_have_text("café au lait")
    assert page.url == v.base + "/search?q=caf%C3%A9+au+lait" and kept(page)
    page.click("#next")
    expect(page.locator("#page")).to_have_text("2")
    assert page.url == v.base + "/search?q=caf%C3%A9+au+lait&page=2"
    page.go_back()
    expect(page.locator("#page")).to_have_text("1")
    assert kept(page)


def test_a_get_form_without_javascript_loads_the_page_with_the_query(visit):
    v, page = opened(visit, "micropython", "/search", scripts=False)
    page.fill("#q", "tea")
    page.click("#go")
    expect(page.locator("#term")).to_have_text("tea")
    assert page.url == v.base + "/search?q=tea"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_link_with_a_hash_scrolls_to_its_target(visit, runtime):
    v, page = opened(visit, runtime)
    page.click("#to-far")
    expect(page.locator("#far")).to_be_in_viewport()
    assert page.url == v.base + "/long#far" and kept(page)
    page.click("#home")
    page.wait_for_function("scrollY === 0")


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_external_links_and_paths_no_route_matches_are_loaded_by_the_browser(visit, runtime):
    v, page = opened(visit, runtime)
    page.click("#external")
    expect(page.locator("h1#n")).to_have_text("2")
    assert not kept(page)  # a full load
    wait_hydrated(page)
    page.go_back()
    wait_hydrated(page)
    page.evaluate("window.marker = 'kept'")
    with page.expect_navigation():
        page.click("#nowhere")
    expect(page.locator("h1")).to_have_text("Not Found")
    assert not kept(page)
    v.errors[:] = [e for e in v.errors if "status of 404" not in e]  # the 404 document's


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_link_with_a_modifier_key_is_left_to_the_browser(visit, runtime):
    v, page = opened(visit, runtime)
    with v.context.expect_page() as opened_page:
        page.click("#to-p1", modifiers=["Control"])
    opened_page.value.close()
    assert page.url == v.base + "/" and kept(page)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_server_function_s_redirect_navigates_in_the_page(visit, runtime):
    v, page = opened(visit, runtime)
    page.click("#via-server")
    expect(page.locator("h1#n")).to_have_text("7")
    assert page.url == v.base + "/p/7" and kept(page)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_page_of_components_nested_twelve_deep_hydrates_and_works(visit, runtime):
    # (Near what MicroPython's C stack allows today, 13 to 15 of these levels: each
    # costs the hydrating renderer several nested Python calls.)
    _, page = opened(visit, runtime, "/deep")
    expect(page.locator("#bottom")).to_have_text("bottom")
    page.click("text=1:0")
    expect(page.locator("text=1:1")).to_have_count(1)
    page.click("#home")
    page.click("#to-deep")  # built in the browser this time, not hydrated
    expect(page.locator("#bottom")).to_have_text("bottom")
    assert kept(page)
