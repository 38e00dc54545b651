"""A page reading from the database, a page streaming late data, and a server function
writing to it: what bench/load.py puts under load.

    /       the newest items (a resource read from the database), in order
    /whole  the same page, sent whole once its list has loaded (async), as the
            FastAPI peer of bench/load.py sends its page
    /slow   the same list half a second late, out of order: the shell and the
            fallback are sent at once, the list follows
"""

from items import recent_items, slow_items

from lepta import Resource, Route, Router, Routes, Suspense, component
from lepta.html import h1, li, main, p, span, ul


def item_list(resource):
    def rows():
        return [
            li(span(item["title"], class_="title"), id="item-%d" % item["id"])
            for item in resource() or []
        ]

    return Suspense(ul(rows, id="items"), fallback=p("Loading...", class_="loading"))


@component
def ItemsPage():
    return main(h1("Items"), item_list(Resource("recent", lambda _: recent_items())))


@component
def SlowPage():
    return main(h1("Items, late"), item_list(Resource("slow", lambda _: slow_items())))


@component
def App():
    return Router(
        Routes(
            Route("/", ItemsPage),
            Route("/whole", ItemsPage, ssr="async"),
            Route("/slow", SlowPage, ssr="out_of_order"),
        )
    )
