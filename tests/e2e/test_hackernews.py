"""examples/hackernews in Chromium: the lists and their pages, a story's comments
collapsing and opening again, a user, the 404s, all navigated in the page; and the
whole reader again without JavaScript."""

import json
import re

import pytest
from playwright.sync_api import expect

from lepta.testing.browser import wait_hydrated

from .conftest import EXAMPLES, RUNTIMES, kept

FIXTURE = json.loads((EXAMPLES / "hackernews" / "stories.json").read_text(encoding="utf-8"))


def depth(comments):
    return max((1 + depth(c["comments"]) for c in comments), default=0)


def count_all(comments):
    return sum(1 + count_all(c["comments"]) for c in comments)


# A story whose thread goes three answers deep: FIRST answers the story, INNER
# answers FIRST and has answers of its own.
DEEP = next(s for s in FIXTURE["stories"] if any(depth(c["comments"]) >= 2 for c in s["comments"]))
FIRST = next(c for c in DEEP["comments"] if depth(c["comments"]) >= 2)
INNER = next(c for c in FIRST["comments"] if c["comments"])


def opened(visit, runtime, path="/", scripts=True):
    v = visit("hackernews", runtime, scripts=scripts)
    return (v, *v.open_marked(path))


def first_title(page):
    return page.locator("li.story a.title").first.inner_text()


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_top_list_pages_through_30_stories_at_a_time_in_the_page(visit, runtime):
    v, page, _ = opened(visit, runtime)
    stories = page.locator("ul.stories li.story")
    expect(stories).to_have_count(30)
    expect(page.locator(".pager .page")).to_have_text("page 1")
    expect(page.locator("a.prev")).to_have_count(0)
    one = first_title(page)
    page.click("a.more")
    expect(page.locator(".pager .page")).to_have_text("page 2")
    expect(stories).to_have_count(30)
    assert page.url == v.base + "/top?page=2"
    two = first_title(page)
    assert two != one
    page.click("a.more")
    expect(page.locator(".pager .page")).to_have_text("page 3")
    page.click("a.prev")
    expect(page.locator(".pager .page")).to_have_text("page 2")
    assert first_title(page) == two and page.url == v.base + "/top?page=2"
    page.go_back()
    expect(page.locator(".pager .page")).to_have_text("page 3")
    assert kept(page)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_nav_opens_each_list_in_the_page(visit, runtime):
    v, page, _ = opened(visit, runtime)
    newest = max(FIXTURE["stories"], key=lambda s: s["time"])
    page.click("header a.kind >> text=New")
    expect(page.locator("li.story a.title").first).to_have_text(newest["title"])
    expect(page).to_have_title("New | Lepta HN")
    assert page.get_attribute("header a[href='/new']", "aria-current") == "page"
    page.click("header a.kind >> text=Ask")
    expect(page.locator("li.story a.title").first).to_contain_text("Ask HN:")
    page.click("header a.kind >> text=Jobs")
    expect(page.locator("li.story a.title").first).to_contain_text("hiring")
    page.click("header a.home")
    expect(page.locator("ul.stories li.story")).to_have_count(30)
    assert page.url == v.base + "/" and kept(page)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_story_shows_its_nested_comments_and_its_toggles_collapse_and_open_them(visit, runtime):
    _, page, _ = opened(visit, runtime, "/stories/%d" % DEEP["id"])
    expect(page.locator("h1#title")).to_have_text(DEEP["title"])
    expect(page).to_have_title(DEEP["title"] + " | Lepta HN")
    total = DEEP["comments_count"]
    expect(page.locator("ul.comments li.comment")).to_have_count(total)
    expect(page.locator("li.comment[data-depth='3']").first).to_be_visible()
    visible = page.locator("ul.comments li.comment:visible")
    expect(visible).to_have_count(total)
    first = page.locator("#comment-%d button.toggle" % FIRST["id"])
    inner = page.locator("#comment-%d button.toggle" % INNER["id"])
    expect(first).to_have_text("[-]")
    # The inner one first: it stays collapsed while its parent closes and opens.
    inner.click()
    expect(visible).to_have_count(total - count_all(INNER["comments"]))
    first.click()
    below = count_all(FIRST["comments"])
    expect(first).to_have_text(
        "[+] %d %s collapsed" % (below, "reply" if below == 1 else "replies")
    )
    expect(first).to_have_attribute("aria-expanded", "false")
    expect(visible).to_have_count(total - below)
    expect(page.locator("#comment-%d .text" % FIRST["id"])).to_be_visible()  # itself stays
    first.click()
    expect(first).to_have_text("[-]")
    expect(inner).to_contain_text("[+]")
    expect(visible).to_have_count(total - count_all(INNER["comments"]))
    inner.click()
    expect(visible).to_have_count(total)
    assert kept(page)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_from_a_list_to_a_story_to_a_user_in_the_page(visit, runtime):
    v, page, _ = opened(visit, runtime)
    story = page.locator("li.story", has=page.locator("a.comments:has-text('comments')")).first
    title = story.locator("a.title").inner_text()
    story.locator("a.comments").click()
    expect(page.locator("h1#title")).to_have_text(title)
    author = page.locator("li.comment .by a.author").first
    name = author.inner_text()
    author.click()
    expect(page.locator("h1#user")).to_have_text("User: " + name)
    expect(page.locator("#karma")).to_have_text(str(FIXTURE["users"][name]["karma"]))
    expect(page).to_have_title("Profile: %s | Lepta HN" % name)
    assert page.url == v.base + "/users/" + name and kept(page)
    page.go_back()
    expect(page.locator("h1#title")).to_have_text(title)
    assert kept(page)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_user_page_shows_the_users_created_date_karma_and_about(visit, runtime):
    user = next(u for u in FIXTURE["users"].values() if u["about"])
    _, page, response = opened(visit, runtime, "/users/" + user["id"])
    assert response.status == 200
    expect(page.locator("h1#user")).to_have_text("User: " + user["id"])
    expect(page.locator("#karma")).to_have_text(str(user["karma"]))
    expect(page.locator("#about")).to_have_text(user["about"])
    expect(page.locator("#created")).to_have_text(re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4}$"))


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_an_unknown_list_story_or_user_is_a_404(visit, runtime):
    v, page, response = opened(visit, runtime, "/best")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not Found")
    expect(page).to_have_title("Not Found | Lepta HN")
    for path, text in [("/stories/1", "Story not found"), ("/users/nobody-here", "User not found")]:
        response = page.goto(v.base + path)
        assert response.status == 404
        wait_hydrated(page)
        expect(page.locator("h1#not-found")).to_have_text(text)
    v.errors[:] = [e for e in v.errors if "status of 404" not in e]  # the documents' own
    page.click("header a.kind >> text=Show")  # the 404 page is the app's too
    expect(page.locator("ul.stories li.story")).to_have_count(30)
    assert page.url == v.base + "/show"


def test_the_whole_reader_works_without_javascript(visit):
    v, page, response = opened(visit, "micropython", "/", scripts=False)
    assert response.status == 200
    expect(page.locator("ul.stories li.story")).to_have_count(30)
    page.click("a.more")
    expect(page.locator(".pager .page")).to_have_text("page 2")
    assert page.url == v.base + "/top?page=2"
    page.click("a.prev")
    expect(page.locator(".pager .page")).to_have_text("page 1")
    page.click("header a.kind >> text=Ask")
    assert page.url == v.base + "/ask"
    ask = page.locator("li.story a.title").first
    title = ask.inner_text()
    assert ask.get_attribute("href").startswith("/stories/")
    ask.click()
    expect(page.locator("h1#title")).to_have_text(title)
    expect(page.locator(".item-view-header .text")).to_be_visible()  # the question
    page.goto(v.base + "/stories/%d" % DEEP["id"])
    comments = page.locator("ul.comments li.comment:visible")
    expect(comments).to_have_count(DEEP["comments_count"])  # all open
    page.click("#comment-%d button.toggle" % FIRST["id"])  # a button, but no script
    expect(comments).to_have_count(DEEP["comments_count"])
    author = page.locator("li.comment .by a.author").first
    name = author.inner_text()
    author.click()
    expect(page.locator("h1#user")).to_have_text("User: " + name)
    response = page.goto(v.base + "/job/x")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not Found")
    v.errors[:] = [e for e in v.errors if "status of 404" not in e]  # the document's own
