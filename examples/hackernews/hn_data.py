"""The stories, comments and users of stories.json, and the lists the reader shows.

Server-only: only the bodies of the server functions (api.py) use this module, so
`lepta build` leaves it, and the 900 KB of JSON it reads, out of the browser.
"""

import json
import time
from functools import cache
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "stories.json"
PER_PAGE = 30
KINDS = ("top", "new", "show", "ask", "job")


@cache
def fixture():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@cache
def ranked(kind):
    """The ids of one list, in the order the reader shows it."""
    data = fixture()
    stories = data["stories"]
    if kind == "new":
        chosen = sorted(stories, key=lambda s: -s["time"])
    elif kind == "job":
        chosen = sorted((s for s in stories if s["type"] == "job"), key=lambda s: -s["time"])
    else:
        wanted = {"top": ("link", "show", "ask"), "show": ("show",), "ask": ("ask",)}[kind]
        chosen = [s for s in stories if s["type"] in wanted]
        chosen.sort(key=lambda s: -hotness(s, data["now"]))
    return [s["id"] for s in chosen]


def hotness(story, now):
    """Hacker News' ranking: points, pulled down by age."""
    hours = (now - story["time"]) / 3600
    return (story["points"] - 1) / (hours + 2) ** 1.8


@cache
def by_id():
    return {story["id"]: story for story in fixture()["stories"]}


def stories_page(kind, page):
    """One page of a list: {"kind", "page", "stories" (without comments), "more"}."""
    ids = ranked(kind)
    start = (page - 1) * PER_PAGE
    chosen = [summary(by_id()[id]) for id in ids[start : start + PER_PAGE]]
    return {"kind": kind, "page": page, "stories": chosen, "more": start + PER_PAGE < len(ids)}


def summary(story):
    now = fixture()["now"]
    shown = {key: value for key, value in story.items() if key not in ("comments", "text")}
    shown["time_ago"] = time_ago(story["time"], now)
    shown["domain"] = domain(story["url"])
    return shown


def story(id):
    """A story with its text and comment tree, or None."""
    found = by_id().get(id)
    if found is None:
        return None
    now = fixture()["now"]
    shown = summary(found)
    shown["text"] = found["text"]
    shown["comments"] = [comment_tree(c, now) for c in found["comments"]]
    return shown


def comment_tree(comment, now):
    return {
        "id": comment["id"],
        "user": comment["user"],
        "time_ago": time_ago(comment["time"], now),
        "text": comment["text"],
        "comments": [comment_tree(c, now) for c in comment["comments"]],
    }


def user(id):
    found = fixture()["users"].get(id)
    if found is None:
        return None
    created = time.strftime("%B %-d, %Y", time.gmtime(found["created"]))
    return {"id": found["id"], "created": created, "karma": found["karma"], "about": found["about"]}


def time_ago(then, now):
    seconds = max(0, now - then)
    for size, unit in ((86_400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = seconds // size
            return "%d %s%s ago" % (n, unit, "" if n == 1 else "s")
    return "just now"


def domain(url):
    """The host a story links to ("blog.example.io"); None for a text post."""
    if url is None:
        return None
    host = url.partition("://")[2].split("/")[0]
    return host.removeprefix("www.")
