"""Navigation in the page: GET forms, query signals, hashes, links that must load.

    /                 links to everything below
    /search?q=&page=  a GET Form (input#q) and the query shown back (#term, #page)
    /long             a tall page with an anchor (#far) near its end
    /p/:n             numbered pages (h1#n)
    /deep             components nested 12 levels deep

On `/`, button#via-server calls a server function that redirects to /p/7.
"""

from lepta import (
    A,
    Form,
    Route,
    Router,
    Routes,
    component,
    query_signal,
    redirect,
    signal,
    spawn,
    use_params,
    use_query,
)
from lepta.html import a, button, div, h1, input, li, nav, p, section, span, ul
from lepta.server_fn import server


@server
async def go_to(n: int) -> None:
    redirect("/p/%d" % n)


@component
def Home():
    return ul(
        li(A("Search", href="/search", id="to-search")),
        li(A("Long", href="/long", id="to-long")),
        li(A("Far", href="/long#far", id="to-far")),
        li(A("Page 1", href="/p/1", id="to-p1")),
        li(a("External", href="/p/2", rel="external", id="external")),
        li(A("Nowhere", href="/nowhere", id="nowhere")),
        li(A("Deep", href="/deep", id="to-deep")),
        li(button("Via the server", id="via-server", on_click=lambda ev: spawn(go_to(7)))),
    )


@component
def Search():
    query = use_query()
    page, set_page = query_signal("page")
    return section(
        Form(input(name="q", id="q"), button("Search", id="go"), action="/search"),
        p("Term: ", span(lambda: query["q"] or "", id="term")),
        p("Page: ", span(lambda: page() or "1", id="page")),
        button("Next page", id="next", on_click=lambda ev: set_page(int(page() or 1) + 1)),
    )


@component
def Long():
    return section(div(style="height: 4000px"), p("Far down", id="far"), div(style="height: 800px"))


@component
def Numbered():
    params = use_params()
    return section(
        h1(lambda: params["n"], id="n"),
        A("Next", href=lambda: "/p/%d" % (params.get("n", int, 0) + 1), id="next-p"),
    )


@component
def Nested(depth):
    """A component in a component, `depth` levels deep, each with its own state."""
    count, set_count = signal(0)
    inner = Nested(depth=depth - 1) if depth > 1 else span("bottom", id="bottom")
    return div(
        button(lambda: "%d:%d" % (depth, count()), on_click=lambda ev: set_count(count() + 1)),
        section(inner),
        class_="level",
    )


@component
def App():
    return Router(
        nav(A("Home", href="/", id="home")),
        Routes(
            Route("/", Home),
            Route("/search", Search),
            Route("/long", Long),
            Route("/p/:n", Numbered),
            Route("/deep", lambda: Nested(depth=12)),
            fallback=lambda: h1("Not Found"),
        ),
    )
