"""The lists of stories: /top (also /), /new, /show, /ask, /job, 30 a page."""

from api import list_stories

from lepta import (
    A,
    For,
    Memo,
    Resource,
    Transition,
    component,
    signal,
    use_query,
)
from lepta.html import a, br, div, li, p, span, ul
from lepta.meta import Title

TITLES = {"top": "Top", "new": "New", "show": "Show", "ask": "Ask", "job": "Jobs"}
KINDS = ["top", "new", "show", "ask", "job"]  # in order: MicroPython's dicts keep none


@component
def Stories(kind):
    """One list (`kind`: top, new, show, ask or job), at the page the query says.

    The view runs once per visit of its route: /top?page=2 -> /top?page=3 keeps it
    and loads the other page (the list stays on screen meanwhile)."""
    query = use_query()
    page = Memo(lambda: max(1, query.get("page", int, 1)))
    stories = Resource(page, lambda number: list_stories(kind, number))
    pending, set_pending = signal(False)
    return div(
        Title(TITLES[kind]),
        Transition(
            lambda: Pager(data=stories()),
            ul(
                For(
                    each=lambda: (stories() or {}).get("stories", []),
                    key=lambda story: story["id"],
                    children=lambda story: Story(story=story),
                ),
                class_="stories",
            ),
            lambda: Empty() if stories() and not stories()["stories"] else None,
            fallback=p("Loading...", class_="loading"),
            set_pending=set_pending,
        ),
        class_={"news-view": True, "pending": pending},
    )


@component
def Pager(data):
    """The page number between "< prev" and "more >", each a link when there is a page.

    Plain links, which the Router takes over all the same: `A` would mark them
    aria-current, as it compares paths only, and these differ in their query."""
    if data is None:
        return None
    kind, page = data["kind"], data["page"]
    if page > 1:
        prev = a("< prev", href="/%s?page=%d" % (kind, page - 1), class_="prev")
    else:
        prev = span("< prev", class_="prev disabled", aria_hidden="true")
    if data["more"]:
        more = a("more >", href="/%s?page=%d" % (kind, page + 1), class_="more")
    else:
        more = span("more >", class_="more disabled", aria_hidden="true")
    return div(prev, span("page %d" % page, class_="page"), more, class_="pager")


@component
def Empty():
    return p("No stories on this page.", class_="empty")


@component
def Story(story):
    here = "/stories/%d" % story["id"]
    if story["url"]:
        title = [
            a(story["title"], href=story["url"], class_="title", target="_blank", rel="noreferrer"),
            span(" (", story["domain"], ")", class_="host"),
        ]
    else:  # a text post (Ask HN, most Show HN): its page has the text
        title = [A(story["title"], href=here, class_="title")]
    if story["type"] == "job":  # as on Hacker News: no points, author or comments
        score = span(class_="score")
        meta = [story["time_ago"]]
    else:
        count = story["comments_count"]
        score = span(str(story["points"]), class_="score")
        meta = [
            "by ",
            A(story["user"], href="/users/%s" % story["user"], class_="author"),
            " %s | " % story["time_ago"],
            A("%d comments" % count if count else "discuss", href=here, class_="comments"),
        ]
    label = span(story["type"], class_="label") if story["type"] != "link" else None
    return li(
        score,
        span(*title, class_="title-line"),
        br(),
        span(*meta, class_="meta"),
        label,
        class_="story",
    )
