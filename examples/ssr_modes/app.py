"""A small blog served in each streaming mode, in the manner of Leptos' ssr_modes.

    /                     the posts (ul#posts), streamed out of order (the app's default)
    /post/:id             a post, out of order: the fallback first, the post swapped in
    /post_in_order/:id    the same page in order: the HTML stops at the Suspense, then
                          goes on when the post has loaded
    /post_async/:id       the same page async: nothing is sent until the post has loaded,
                          so an unknown post is a 404
    anything else         "Not Found", status 404

The posts come from server functions that answer late (300 ms for the list, 500 ms
for a post), as a database across a network would, so each mode shows its way of
waiting.
"""

import asyncio

from lepta import (
    A,
    Resource,
    Route,
    Router,
    Routes,
    Suspense,
    component,
    use_params,
    use_response,
)
from lepta.html import em, h1, header, li, main, nav, p, section, span, ul
from lepta.meta import Title
from lepta.server_fn import server

POSTS = [
    {"id": 1, "title": "My first post", "content": "This is my first post."},
    {"id": 2, "title": "My second post", "content": "This is my second post."},
    {"id": 3, "title": "My third post", "content": "This is my third post."},
]
MODES = [("out_of_order", "/post/"), ("in_order", "/post_in_order/"), ("async", "/post_async/")]


@server(method="GET")
async def list_posts() -> list[dict]:
    await asyncio.sleep(0.3)
    return [{"id": post["id"], "title": post["title"]} for post in POSTS]


@server(method="GET")
async def get_post(id: int) -> dict | None:
    await asyncio.sleep(0.5)
    for post in POSTS:
        if post["id"] == id:
            return post
    return None


async def load_post(id):
    """The post, or None when the address names none (`/post/abc` too)."""
    if id is None:
        return None
    return await get_post(id)


@component
def HomePage():
    posts = Resource("posts", lambda _: list_posts())

    def items():
        return [
            li(
                span(post["title"], class_="post-title"),
                *[
                    A(mode, href="%s%d" % (prefix, post["id"]), class_=mode)
                    for mode, prefix in MODES
                ],
            )
            for post in posts() or []
        ]

    return section(
        Title("My Great Blog"),
        h1("My Great Blog"),
        Suspense(ul(items, id="posts"), fallback=p("Loading posts...", class_="loading")),
    )


@component
def PostPage():
    params = use_params()
    post = Resource(lambda: params.get("id", int), load_post)

    def view():
        found = post()
        if found is not None:
            return [
                # Under async the server's <title> already says it; under the other
                # modes the browser sets it when this part arrives and hydrates.
                Title(found["title"]),
                h1(found["title"], id="title"),
                p(found["content"], id="content"),
            ]
        if post.loading():
            return None  # the Suspense shows its fallback meanwhile
        # Only an async page can still say so in its status: the others have sent
        # their first bytes, with a 200, before the post has loaded.
        use_response().status = 404
        return [Title("Post not found"), p("Post not found", id="not-found")]

    return section(
        em("The world's best content."),
        Suspense(view, fallback=p("Loading post...", class_="loading")),
    )


@component
def NotFound():
    return section(Title("Not Found"), h1("Not Found"), p("Nothing lives at this address."))


@component
def App():
    return Router(
        header(nav(A("My Great Blog", href="/", exact=True))),
        main(
            Routes(
                Route("/", HomePage),
                Route("/post/:id", PostPage, ssr="out_of_order"),
                Route("/post_in_order/:id", PostPage, ssr="in_order"),
                Route("/post_async/:id", PostPage, ssr="async"),
                fallback=NotFound,
            )
        ),
    )
