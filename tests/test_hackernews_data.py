"""examples/hackernews without a browser: its fixture, what its bundle leaves out,
and the pages the server sends (lists, pagination, comments, users, 404s)."""

import json
import runpy
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from lepta.build.bundle import browser_app_files, ensure_built
from lepta.server import create_app, load_config

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hackernews"
MODULES = ["app", "api", "hn_data", "not_found", "stories", "story", "users"]
FIXTURE = json.loads((EXAMPLE / "stories.json").read_text(encoding="utf-8"))


class Elements(HTMLParser):
    """The page's elements as (tag, attributes, text inside), in document order."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.open = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.found.append(element)
        if tag not in ("br", "meta", "link", "input", "img"):
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, _, text in self.open:
            text.append(data)

    def select(self, tag, class_=None, **attrs):
        return [
            (attributes, "".join(text))
            for name, attributes, text in self.found
            if name == tag
            and (class_ is None or class_ in attributes.get("class", "").split())
            and all(attributes.get(key.replace("_", "-")) == v for key, v in attrs.items())
        ]


def depth(comments):
    return max((1 + depth(c["comments"]) for c in comments), default=0)


def every(comments):
    return [c for comment in comments for c in [comment, *every(comment["comments"])]]


# A story whose thread goes three answers deep, and the user who wrote it.
DEEP = next(s for s in FIXTURE["stories"] if depth(s["comments"]) >= 3)


@pytest.fixture(scope="module")
def client():
    # The example's modules have plain names (app, api...): keep others' out of the way.
    others = {name: sys.modules.pop(name) for name in MODULES if name in sys.modules}
    ensure_built(load_config(EXAMPLE))
    try:
        with TestClient(create_app(EXAMPLE)) as client:
            yield client
    finally:
        for name in MODULES:
            sys.modules.pop(name, None)
        sys.modules.update(others)
        if str(EXAMPLE) in sys.path:
            sys.path.remove(str(EXAMPLE))


def page(client, path):
    response = client.get(path)
    return response.status_code, Elements(response.text)


def test_the_fixture_has_over_300_stories_of_every_kind_with_nested_comments():
    stories = FIXTURE["stories"]
    assert len(stories) >= 300
    kinds = {kind: sum(s["type"] == kind for s in stories) for kind in ("show", "ask", "job")}
    assert all(count > 30 for count in kinds.values()), kinds  # a second page each
    assert max(depth(s["comments"]) for s in stories) >= 5
    for story in stories:
        assert story["comments_count"] == len(every(story["comments"]))
        authors = [c["user"] for c in every(story["comments"])] + [story["user"]]
        assert all(a is None or a in FIXTURE["users"] for a in authors)


def test_the_fixture_script_writes_the_same_file_again(tmp_path):
    script = runpy.run_path(str(EXAMPLE / "make_fixture.py"))
    out = tmp_path / "stories.json"
    script["main"].__globals__["OUT"] = out
    script["main"]()
    assert out.read_bytes() == (EXAMPLE / "stories.json").read_bytes()


def test_the_bundle_leaves_the_data_and_the_fixture_script_on_the_server(tmp_path):
    files = browser_app_files(load_config(EXAMPLE), tmp_path)
    assert "hn_data.py" not in files and "make_fixture.py" not in files
    assert {"app.py", "api.py", "stories.py", "story.py", "users.py"} <= set(files)
    api = files["api.py"].read_text(encoding="utf-8")
    assert "hn_data" not in api.split('"""', 2)[2]  # past the docstring: no import, no use


def test_the_top_list_shows_30_stories_with_their_links(client):
    status, html = page(client, "/")
    assert status == 200
    stories = html.select("li", "story")
    assert len(stories) == 30
    titles = html.select("a", "title")
    assert len(titles) == 30
    for attrs, _ in titles:
        assert attrs["href"].startswith(("https://", "/stories/"))
    assert all(a["href"].startswith("/users/") for a, _ in html.select("a", "author"))
    assert all(a["href"].startswith("/stories/") for a, _ in html.select("a", "comments"))
    assert html.select("a", "prev") == []
    assert [a["href"] for a, _ in html.select("a", "more")] == ["/top?page=2"]
    assert [text for _, text in html.select("span", "page")] == ["page 1"]
    kinds = [(a["href"], a.get("aria-current")) for a, _ in html.select("a", "kind")]
    assert kinds == [("/top", None), ("/new", None), ("/show", None), ("/ask", None),
                     ("/job", None)]  # fmt: skip
    assert html.select("title")[0][1] == "Top | Lepta HN"


def test_pages_of_a_list_link_to_each_other_and_the_last_has_no_more(client):
    ask = [s for s in FIXTURE["stories"] if s["type"] == "ask"]
    last = (len(ask) + 29) // 30
    status, html = page(client, "/ask?page=2")
    assert status == 200
    assert [a["href"] for a, _ in html.select("a", "prev")] == ["/ask?page=1"]
    assert html.select("a", "kind", href="/ask")[0][0]["aria-current"] == "page"
    status, html = page(client, "/ask?page=%d" % last)
    assert len(html.select("li", "story")) == len(ask) - 30 * (last - 1)
    assert html.select("a", "more") == [] and html.select("span", "more")  # disabled
    for attrs, _ in html.select("a", "title"):  # Ask HN posts are text: their own page
        assert attrs["href"].startswith("/stories/")
    status, html = page(client, "/ask?page=%d" % (last + 5))
    assert status == 200 and html.select("p", "empty")


def test_new_lists_the_newest_first(client):
    newest = sorted(FIXTURE["stories"], key=lambda s: -s["time"])[:30]
    _, html = page(client, "/new")
    assert [t for _, t in html.select("a", "title")] == [s["title"] for s in newest]


def test_a_story_page_has_every_comment_at_its_depth_all_open(client):
    status, html = page(client, "/stories/%d" % DEEP["id"])
    assert status == 200
    assert html.select("h1", id="title")[0][1] == DEEP["title"]
    assert html.select("title")[0][1] == DEEP["title"] + " | Lepta HN"
    comments = html.select("li", "comment")
    assert len(comments) == DEEP["comments_count"]
    assert max(int(a["data-depth"]) for a, _ in comments) >= 3
    assert all("hidden" not in a for a, _ in comments)
    toggles = html.select("button", "toggle")
    assert len(toggles) == sum(1 for c in every(DEEP["comments"]) if c["comments"])
    assert {text for _, text in toggles} == {"[-]"}


@pytest.mark.parametrize(
    "path, text",
    [
        ("/best", "Not Found"),
        ("/stories", "Not Found"),
        ("/top/2", "Not Found"),
        ("/stories/1", "Story not found"),
        ("/stories/abc", "Story not found"),
        ("/users/nobody-here", "User not found"),
    ],
)
def test_what_is_not_there_is_a_404(client, path, text):
    status, html = page(client, path)
    assert status == 404
    assert html.select("h1")[0][1] == text


def test_a_user_page_shows_the_users_created_date_karma_and_about(client):
    user = next(u for u in FIXTURE["users"].values() if u["about"])
    status, html = page(client, "/users/" + user["id"])
    assert status == 200
    assert html.select("h1", id="user")[0][1] == "User: " + user["id"]
    assert html.select("span", id="karma")[0][1] == str(user["karma"])
    assert html.select("li", id="about")[0][1] == user["about"]
    created = html.select("span", id="created")[0][1]
    assert created.split()[-1].isdigit() and len(created.split()) == 3  # "May 3, 2019"
