"""The head on the server: the `Head` a page provides, read after the first render pass
(what goes into the first chunk's <head>), in every streaming mode; then the same
through a whole app's pages."""

import asyncio
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent / "portable"))

from _deferred import Calls, settle
from _html import parse

import lepta.meta
from app_folders import make_app
from lepta import Resource, Suspense, component, provide_context, render_to_stream
from lepta.build.bundle import ensure_built
from lepta.html import h1, p
from lepta.meta import Body, Head, Html, Link, Meta, Script, Style, Stylesheet, Title
from lepta.server import create_app, load_config
from lepta.ssr import BLOCKED_URL, UnsafeValueError
from lepta.view import PageNonce


def with_head(view_fn, nonce=None):
    """`view_fn` under a fresh Head (and the page's nonce), as the server renders a
    page; returns (view, head)."""
    head = Head()

    def view():
        provide_context(head)
        if nonce is not None:
            provide_context(PageNonce(nonce))
        return view_fn()

    return view, head


async def first_chunk(view_fn, mode="out_of_order", nonce=None):
    """The head as the server reads it after the first chunk: (title, tags, html
    attributes, body attributes), and the chunk."""
    view, head = with_head(view_fn, nonce)
    chunks = render_to_stream(view, mode, nonce)
    try:
        chunk = await chunks.__anext__()
        tags = parse(head.tags_html(nonce))
        return (head.title(), tags, head.html_attrs(), head.body_attrs()), chunk
    finally:
        await chunks.aclose()


@component
def Page():
    return [
        Title("Page"),
        Meta(name="description", content="inner"),
        Meta(property="og:title", content="Page"),
        Html(lang="fr"),
        Body(class_="page"),
        Stylesheet("/extra.css"),
        h1("Page"),
    ]


@component
def App():
    return [
        Html(lang="en", dir="ltr"),
        Title(formatter="%s — Site"),
        Meta(name="description", content="outer"),
        Meta(property="og:title", content="Site"),
        Page(),
    ]


def tag(tag_name, **attrs):
    """A parsed tag of the head, its marker left out (see `unmarked`)."""
    return (tag_name, attrs, [])


def unmarked(tags):
    """Parsed tags without their `data-lepta-meta` signature (checked apart)."""
    out = []
    for name, attrs, children in tags:
        assert len(attrs.pop("data-lepta-meta")) == 8
        out.append((name, attrs, children))
    return out


# --- the Head interface ----------------------------------------------------------------
@pytest.mark.parametrize("mode", ["out_of_order", "in_order", "async"])
async def test_the_head_after_the_first_pass_has_one_title_and_one_meta_per_name(mode):
    (title, tags, html, body), _ = await first_chunk(App, mode)
    assert title == "Page — Site"
    assert unmarked(tags) == [
        tag("meta", name="description", content="inner"),
        tag("meta", property="og:title", content="Page"),
        tag("link", rel="stylesheet", href="/extra.css"),
    ]
    assert html == ' lang="fr" dir="ltr"' and body == ' class="page"'


async def test_without_meta_the_head_gives_no_title_no_tags_and_no_attributes():
    (title, tags, html, body), _ = await first_chunk(lambda: p("plain"))
    assert (title, tags, html, body) == (None, [], "", "")


async def test_meta_in_a_suspense_still_loading_misses_the_first_chunk_out_of_order():
    fetch = Calls()

    @component
    def Post():
        name = Resource(1, fetch)
        return Suspense([Title(name), Meta(name="author", content=name)], fallback=p("..."))

    view, head = with_head(lambda: [Title("Blog"), Post()])
    chunks = render_to_stream(view)
    await chunks.__anext__()
    assert head.title() == "Blog" and 'name="author"' not in head.tags_html()
    await settle()
    fetch.resolve(0, "Ada")
    rest = [chunk async for chunk in chunks]
    assert "Ada" in "".join(rest)  # the content came; the head had gone already


async def test_under_async_the_first_chunk_waits_for_the_data_and_has_its_meta():
    fetch = Calls()

    @component
    def Post():
        name = Resource(1, fetch)
        return Suspense([Title(name), Meta(name="author", content=name)], fallback=p("..."))

    view, head = with_head(lambda: [Title("Blog"), Post()])
    chunks = render_to_stream(view, "async")
    pending = asyncio.ensure_future(chunks.__anext__())
    await settle()
    fetch.resolve(0, "Ada")
    await pending
    assert head.title() == "Ada"
    assert unmarked(parse(head.tags_html())) == [tag("meta", name="author", content="Ada")]
    await chunks.aclose()


async def test_scripts_and_styles_carry_the_page_nonce_and_nothing_else_does():
    (_, tags, _, _), _ = await first_chunk(
        lambda: [
            Script("start()"),
            Script(src="/w.js"),
            Style("p {}"),
            Link(rel="icon", href="/i"),
        ],
        nonce="n0nce",
    )
    assert unmarked(tags) == [
        ("script", {"nonce": "n0nce"}, ["start()"]),
        ("script", {"src": "/w.js", "nonce": "n0nce"}, []),
        ("style", {"nonce": "n0nce"}, ["p {}"]),
        tag("link", rel="icon", href="/i"),
    ]


async def test_without_csp_no_tag_has_a_nonce():
    (_, tags, _, _), _ = await first_chunk(lambda: [Script("start()"), Style("p {}")])
    assert unmarked(tags) == [("script", {}, ["start()"]), ("style", {}, ["p {}"])]


async def test_hostile_values_stay_text_and_script_urls_are_neutralised():
    hostile = '</title><script>alert(1)</script>"'
    (title, tags, html, _), _ = await first_chunk(
        lambda: [
            Title(hostile),
            Meta(name="description", content=hostile),
            Link(rel="icon", href="javascript:alert(1)"),
            Script(src=" JaVaScRiPt:alert(1)"),
            Style("</style><script>alert(1)</script>"),
            Html(lang=hostile),
        ]
    )
    assert title == hostile  # escaped where it is written: see the app tests below
    assert unmarked(tags) == [
        tag("meta", name="description", content=hostile),
        tag("link", rel="icon", href=BLOCKED_URL),
        tag("script", src=BLOCKED_URL),
        ("style", {}, ["<\\/style><script>alert(1)<\\/script>"]),
    ]
    assert parse("<html%s></html>" % html) == [("html", {"lang": hostile}, [])]


async def test_an_event_handler_attribute_is_refused_with_what_to_do_instead():
    with pytest.raises(UnsafeValueError, match="on_load=handler"):
        await first_chunk(lambda: Link(rel="preload", href="/a.css", onload="go()"))


async def test_concurrent_pages_keep_their_heads_apart():
    def titled(name):
        return lambda: [Title(name), Meta(name="description", content=name)]

    results = await asyncio.gather(*[first_chunk(titled("page %d" % i)) for i in range(20)])
    for i, ((title, tags, _, _), _) in enumerate(results):
        assert title == "page %d" % i
        assert unmarked(tags) == [tag("meta", name="description", content="page %d" % i)]


def test_the_package_exports_its_components_and_the_head():
    assert sorted(lepta.meta.__all__) == [
        "Body",
        "Head",
        "Html",
        "Link",
        "Meta",
        "Script",
        "Style",
        "Stylesheet",
        "Title",
        "use_head",
    ]


# --- through an app's pages ------------------------------------------------------------
SOURCE = """
import asyncio

from lepta import Resource, Route, Router, Routes, Suspense, component
from lepta.html import h1, p
from lepta.meta import Body, Html, Meta, Script, Stylesheet, Title


async def load(name):
    await asyncio.sleep(0.02)
    return name.title()


@component
def Loaded():
    value = Resource("ada", load)
    return Suspense([Title(value), p(value)], fallback=p("..."))


@component
def Page():
    return [
        Title("Page"),
        Meta(name="description", content="inner"),
        Meta(name="viewport", content="width=600"),
        Meta(charset="utf-8"),
        Html(lang="fr"),
        Body(class_="page"),
        Script("start()"),
        Stylesheet("/extra.css"),
        h1("Page"),
    ]


@component
def App():
    return [
        Title(formatter="%s — Site"),
        Meta(name="description", content="outer"),
        Router(Routes(
            Route("/", Page),
            Route("/hostile", lambda: Title("</title><script>alert(1)</script>")),
            Route("/streamed", Loaded),
            Route("/whole", Loaded, ssr="async"),
        )),
    ]
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("meta"), SOURCE, name="meta_app")
    with open(folder / "pyproject.toml", "a") as f:
        f.write("csp = true\n")
    ensure_built(load_config(folder))
    with TestClient(create_app(folder)) as client:
        yield client


def head_of(html):
    return html.split("</head>")[0]


def test_a_page_has_its_title_tags_and_attributes_in_its_head_once_each(client):
    text = client.get("/").text
    head = head_of(text)
    assert head.count("<title>") == 1 and "<title>Page — Site</title>" in head
    assert head.count('name="description"') == 1 and 'content="inner"' in head
    assert head.count('name="viewport"') == 1 and 'content="width=600"' in head
    assert head.count("<meta charset=") == 1
    assert '<html lang="fr">' in text and '<body class="page">' in text
    assert 'href="/extra.css"' in head and "data-lepta-meta=" in head


def test_inline_scripts_of_a_page_head_carry_its_nonce(client):
    response = client.get("/")
    nonce = response.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    head = head_of(response.text)
    assert '<script nonce="%s" data-lepta-meta=' % nonce in head
    assert "start()</script>" in head


def test_a_hostile_title_stays_text_in_the_page(client):
    head = head_of(client.get("/hostile").text)
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; — Site</title>" in head
    assert head.count("<title>") == 1


def test_a_title_from_data_is_in_the_head_under_async_and_left_to_the_browser_out_of_order(
    client,
):
    assert "<title>Ada — Site</title>" in head_of(client.get("/whole").text)
    with client.stream("GET", "/streamed") as response:
        first = next(response.iter_text())
    assert "<title>A &lt;test&gt;</title>" in first  # the app's: the data comes later
