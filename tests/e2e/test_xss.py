"""The XSS corpus in Chromium, on both runtimes: every vector in every place (text,
attributes, URLs, a style, a class, textarea, title, script and style text), rendered
by the server from a resource's data, hydrated, then rendered again by the DOM
renderer from the same data and from a server function's result (tests/e2e/apps/xss).

Nothing may run: no dialog (alert, confirm, prompt), no console message saying
"xss", no change to the document's title, no uncaught exception. And the three
renderings hold the same text and attributes, but where noted below. One page load
per runtime, all vectors on it.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from lepta.testing import browser as lepta_browser

from .conftest import RUNTIMES, Servers

XSS = str(Path(__file__).parent / "apps" / "xss")
CORPUS = Path(__file__).resolve().parents[1] / "xss_vectors.txt"
VECTORS = [
    json.loads(line)
    for line in CORPUS.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
TITLE = "Vectors"
ELSEWHERE = "http://127.0.0.1:1/"  # the other site the corpus's URLs name
BLOCKED_REPORT = "lepta: blocked a dangerous URL"  # the developer's notice, quoting the URL


class Watch:
    """What a page did that a vector running would do."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.dialogs: list[str] = []
        self.said_xss: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []

    def dialog(self, dialog) -> None:
        self.dialogs.append("%s(%r)" % (dialog.type, dialog.message))
        dialog.dismiss()

    def console(self, message) -> None:
        text = message.text
        if "xss" in text.lower() and not text.startswith(BLOCKED_REPORT):
            self.said_xss.append(text)
        if message.type == "error" and not text.startswith("Failed to load resource"):
            self.errors.append(text)  # (images of vectors whose src is not found: 404s)

    def route(self, route) -> None:
        """The app's own files go to the server; other paths on it (image sources made of
        vectors) are answered 404 here; nothing leaves the machine."""
        url = route.request.url
        if not url.startswith(self.base + "/"):
            self.foreign.append(url)
            route.abort()
        elif url == self.base + "/" or url.startswith(self.base + "/_lepta/"):
            route.continue_()
        else:
            route.fulfill(status=404, body="")


def rows(page, place: str) -> int:
    return int(page.evaluate("id => document.querySelectorAll('#' + id + ' > .row').length", place))


def read(page, place: str) -> dict:
    """Text and attributes of each row of `place`, as the DOM holds them."""
    return page.evaluate(
        """id => Array.from(document.querySelectorAll('#' + id + ' > .row'), row => ({
            text: row.querySelector('p.text').textContent,
            title: row.querySelector('span.attribute').getAttribute('title'),
            data: row.querySelector('span.attribute').dataset.value,
            href: row.querySelector('a').getAttribute('href'),
            src: row.querySelector('img').getAttribute('src'),
            action: row.querySelector('form').getAttribute('action'),
            textarea: row.querySelector('textarea').textContent,
        }))""",
        place,
    )


class Visited:
    """The page after every vector was rendered three times, and what it did."""

    def __init__(self, runtime: str, watch: Watch, title: str, places: dict) -> None:
        self.runtime = runtime
        self.watch = watch
        self.title = title
        self.places = places  # "server", "client", "echoed" -> each row's text and attributes


@pytest.fixture(scope="module", params=RUNTIMES)
def visited(request, browser: Browser, servers: Servers) -> Visited:
    """One page load per runtime: rendered on the server, hydrated, rendered again."""
    runtime = request.param
    base = servers.url(XSS, runtime)
    watch = Watch(base)
    context = browser.new_context()
    try:
        context.route("**/*", watch.route)
        page = context.new_page()
        page.on("dialog", watch.dialog)
        page.on("console", watch.console)
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        page.goto(base + "/")
        lepta_browser.wait_hydrated(page)
        assert rows(page, "server") == len(VECTORS)
        page.click("#again")  # the DOM renderer writes every vector too
        page.wait_for_function(
            "n => ['client', 'echoed'].every(id =>"
            " document.querySelectorAll('#' + id + ' > .row').length === n)",
            arg=len(VECTORS),
            timeout=60_000,
        )
        page.wait_for_load_state("networkidle")  # images failed, handlers had their chance
        page.wait_for_timeout(300)
        places = {place: read(page, place) for place in ("server", "client", "echoed")}
        return Visited(runtime, watch, page.title(), places)
    finally:
        context.close()


def test_no_vector_runs_in_any_place_on_either_renderer(visited):
    watch = visited.watch
    assert watch.dialogs == []
    assert watch.said_xss == []
    assert visited.title == TITLE
    assert watch.errors == []
    # Only the corpus's own address elsewhere, as an image's source (stopped here).
    assert all(url.startswith(ELSEWHERE) for url in watch.foreign), watch.foreign
    assert [len(rows) for rows in visited.places.values()] == [len(VECTORS)] * 3


def test_both_renderers_write_the_same_text_and_attributes(visited):
    # (a NUL is written U+FFFD on both sides, as the server writes it; a character
    # beyond the BMP (an emoji) reaches MicroPython's JSON reader unescaped)
    server, client, echoed = (visited.places[p] for p in ("server", "client", "echoed"))
    for i, vector in enumerate(VECTORS):
        assert server[i]["text"] == vector.replace("\0", "\ufffd"), vector
        assert server[i]["textarea"] == vector.replace("\0", "\ufffd"), vector
        for written in (client[i], echoed[i]):
            assert written == server[i], vector
