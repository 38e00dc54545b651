"""/stories/:id: a story and its comment tree, each comment collapsible."""

from api import get_story

from lepta import A, Resource, Suspense, component, signal, use_params, use_response
from lepta.html import a, button, div, h1, li, p, span, ul
from lepta.meta import Title


async def load_story(id):
    """The story, or None when the address names none (`/stories/abc` too)."""
    if id is None:
        return None
    return await get_story(id)


@component
def StoryPage():
    params = use_params()
    story = Resource(lambda: params.get("id", int), load_story)

    def view():
        found = story()
        if found is not None:
            return StoryView(story=found)
        if story.loading():
            return None  # the Suspense shows its fallback meanwhile
        use_response().status = 404  # the route is async: the status waits for the data
        return [Title("Story not found"), h1("Story not found", id="not-found")]

    return div(Suspense(view, fallback=p("Loading...", class_="loading")), class_="item-view")


@component
def StoryView(story):
    if story["url"]:
        heading = h1(story["title"], id="title")
        title = [
            a(heading, href=story["url"], target="_blank", rel="noreferrer"),
            span(" (", story["domain"], ")", class_="host"),
        ]
    else:
        title = [h1(story["title"], id="title")]
    if story["user"] is None:  # a job
        meta = p(story["time_ago"], class_="meta")
    else:
        meta = p(
            "%d points | by " % story["points"],
            A(story["user"], href="/users/%s" % story["user"], class_="author"),
            " " + story["time_ago"],
            class_="meta",
        )
    count = story["comments_count"]
    return [
        Title(story["title"]),
        div(*title, meta, Text(paragraphs=story["text"]), class_="item-view-header"),
        div(
            p("%d comments" % count if count else "No comments yet.", class_="comments-header"),
            ul(*thread(story["comments"]), class_="comments"),
            class_="item-view-comments",
        ),
    ]


def thread(comments, depth=1, above=(), rows=None):
    """The comment tree as one list of rows, each knowing its depth and the toggles
    of the comments above it (as Hacker News lays it out: nested elements would nest
    as deep as the thread, and MicroPython's stack is small)."""
    rows = [] if rows is None else rows
    for comment in comments:
        toggle = signal(True) if comment["comments"] else None  # open at first
        rows.append(Comment(comment=comment, depth=depth, above=above, toggle=toggle))
        if toggle is not None:
            thread(comment["comments"], depth + 1, above + (toggle[0],), rows)
    return rows


@component
def Comment(comment, depth, above, toggle):
    """One comment, indented by its depth, hidden while a comment above it is
    collapsed. Its toggle, when it has replies, collapses them: "[-]" while open,
    "[+] N replies collapsed" after. All open at first: without JavaScript there is
    no toggle to press, and every reply is there to read."""
    parts = [
        div(
            A(comment["user"], href="/users/%s" % comment["user"], class_="author"),
            " " + comment["time_ago"],
            class_="by",
        ),
        Text(paragraphs=comment["text"]),
    ]
    if toggle is not None:
        is_open, set_open = toggle
        hidden = count_all(comment["comments"])
        collapsed = "[+] %d %s collapsed" % (hidden, "reply" if hidden == 1 else "replies")
        parts.append(
            button(
                lambda: "[-]" if is_open() else collapsed,
                type="button",
                class_="toggle",
                aria_expanded=lambda: "true" if is_open() else "false",
                on_click=lambda ev: set_open.update(lambda was: not was),
            )
        )
    return li(
        *parts,
        class_="comment",
        id="comment-%d" % comment["id"],
        data_depth=str(depth),
        style="--depth: %d" % (depth - 1),
        hidden=(lambda: not all(shown() for shown in above)) if above else None,
    )


@component
def Text(paragraphs):
    return div(*[p(text) for text in paragraphs], class_="text") if paragraphs else None


def count_all(comments):
    """The comments and all their replies, however deep."""
    return sum(1 + count_all(c["comments"]) for c in comments)
