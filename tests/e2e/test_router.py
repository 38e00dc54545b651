"""examples/router in Chromium: nested routes, navigation in the page, history and
scroll, redirects, 404, and the same pages without JavaScript."""

import pytest
from playwright.sync_api import expect

from lepta.testing.browser import wait_hydrated

from .conftest import RUNTIMES, kept


def opened(visit, runtime, path="/contacts", scripts=True):
    v = visit("router", runtime, scripts=scripts)
    return (v, *v.open_marked(path))


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_clicking_contacts_navigates_in_the_page_and_the_list_keeps_its_state(visit, runtime):
    v, page, _ = opened(visit, runtime)
    expect(page.locator("nav#contacts a")).to_have_count(20)
    expect(page.locator("p.empty")).to_have_text("Select a contact")
    page.fill("#search", "a")  # state of the parent route's view
    page.click("nav#contacts a >> text=Grace Hopper")
    expect(page.locator("h2#name")).to_have_text("Grace Hopper")
    expect(page).to_have_title("Grace Hopper — Contacts")
    expect(page.locator("p#email")).to_have_text("grace.hopper@example.org")
    assert page.url == v.base + "/contacts/3"
    assert page.get_attribute("nav#contacts a[href='/contacts/3']", "aria-current") == "page"
    page.click("nav#contacts a >> text=Alan Turing")
    expect(page.locator("h2#name")).to_have_text("Alan Turing")
    assert page.input_value("#search") == "a" and kept(page)
    page.click("a#edit")
    expect(page.locator("#edit-name")).to_have_value("Alan Turing")
    assert page.url == v.base + "/contacts/2/edit" and kept(page)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_back_and_forward_show_each_page_again_and_restore_the_scroll(visit, runtime):
    v, page, _ = opened(visit, runtime)
    page.evaluate("document.body.style.minHeight = '5000px'")
    page.evaluate("scrollTo(0, 1200)")
    page.wait_for_function("scrollY === 1200")
    # A click by script: the mouse would scroll the link into view first.
    page.evaluate("document.querySelector(\"nav#contacts a[href='/contacts/5']\").click()")
    expect(page.locator("h2#name")).to_have_text("Barbara Liskov")
    page.wait_for_function("scrollY === 0")  # a new page starts at the top
    page.go_back()
    expect(page.locator("p.empty")).to_have_text("Select a contact")
    assert page.url == v.base + "/contacts"
    page.wait_for_function("scrollY === 1200")
    page.go_forward()
    expect(page.locator("h2#name")).to_have_text("Barbara Liskov")
    assert kept(page)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_settings_redirect_to_login_until_the_visitor_logs_in(visit, runtime):
    v, page, _ = opened(visit, runtime)
    page.click("header >> text=Settings")
    expect(page.locator("h1")).to_have_text("Log in")
    assert page.url == v.base + "/login"
    page.check("#logged-in")
    expect(page.locator("#status")).to_have_text("logged in")
    page.click("header >> text=Settings")
    expect(page.locator("h1")).to_have_text("Settings")
    assert page.url == v.base + "/settings" and kept(page)
    page.click("header >> text=About")
    expect(page.locator("h1")).to_have_text("About")
    assert page.get_attribute("header a[href='/about']", "aria-current") == "page"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_an_unknown_address_is_a_404_page_and_the_root_redirects(visit, runtime):
    v, page, response = opened(visit, runtime, "/no/such/page")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not Found")
    wait_hydrated(page)  # the 404 page is a page of the app too
    v.errors[:] = [e for e in v.errors if "status of 404" not in e]  # the document's own
    page.goto(v.base + "/")
    wait_hydrated(page)
    assert page.url == v.base + "/contacts"


def test_the_pages_work_without_javascript(visit):
    v, page, response = opened(visit, "micropython", "/", scripts=False)
    assert response.status == 200 and page.url == v.base + "/contacts"
    page.click("nav#contacts a >> text=Donald Knuth")
    expect(page.locator("h2#name")).to_have_text("Donald Knuth")
    assert page.url == v.base + "/contacts/6"
    page.click("a#edit")
    expect(page.locator("#edit-name")).to_have_value("Donald Knuth")
    page.click("header >> text=Settings")
    expect(page.locator("h1")).to_have_text("Log in")


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_title_follows_fifty_navigations_and_the_head_keeps_one_title(visit, runtime):
    _, page, _ = opened(visit, runtime, "/contacts/1")
    expect(page).to_have_title("Ada Lovelace — Contacts")
    for i in range(50):
        link = "nav#contacts a[href='/contacts/%d']" % (2 + i % 19)
        name = page.text_content(link)
        page.evaluate("(link) => document.querySelector(link).click()", link)
        expect(page.locator("h2#name")).to_have_text(name)
        expect(page).to_have_title(name + " — Contacts")
    page.click("header >> text=About")
    expect(page).to_have_title("About — Contacts")
    page.click("header >> text=Contacts")
    expect(page).to_have_title("Contacts")
    assert page.locator("title").count() == 1 and kept(page)
    assert page.locator("head [data-lepta-meta]").count() == 0
