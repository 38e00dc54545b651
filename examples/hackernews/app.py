"""A Hacker News reader in the manner of Leptos' hackernews example, on local data.

    /  /top  /new  /show  /ask  /job    30 stories a page, ?page=N (in order)
    /stories/:id                        a story and its comment tree (async)
    /users/:id                          a user's id, created date, karma, about (async)
    anything else                       "Not Found", status 404

The data comes from server functions (api.py) over a fixture of 400 stories
(stories.json, written by make_fixture.py). Every page is whole in the server's
HTML, so the reader works without JavaScript; with it, links navigate in the page
and only the data travels.
"""

from not_found import NotFound
from stories import KINDS, TITLES, Stories
from story import StoryPage
from users import UserPage

from lepta import A, Route, Router, Routes, component
from lepta.html import header, main, nav, strong
from lepta.meta import Title


def stories_page(kind):
    return lambda: Stories(kind=kind)


@component
def Nav():
    return header(
        nav(
            A(strong("HN"), href="/", exact=True, class_="home", aria_label="Top stories"),
            *[A(TITLES[kind], href="/" + kind, class_="kind") for kind in KINDS],
            class_="inner",
        ),
        class_="header",
    )


@component
def App():
    return Router(
        Title(formatter="%s | Lepta HN"),
        Nav(),
        main(
            Routes(
                # The data pages wait for their data on the server, so a visitor
                # without JavaScript gets it in the HTML (no swap script needed).
                Route("/", stories_page("top"), ssr="in_order"),
                *[Route("/" + kind, stories_page(kind), ssr="in_order") for kind in KINDS],
                Route("/stories/:id", StoryPage, ssr="async"),  # async: a 404 when unknown
                Route("/users/:id", UserPage, ssr="async"),
                fallback=NotFound,
            )
        ),
    )
