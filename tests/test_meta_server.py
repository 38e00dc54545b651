"""The head on the server: in the first part of every page, deduplicated, in every mode."""

import pytest
from starlette.testclient import TestClient

from app_folders import make_app
from lepta.build.bundle import ensure_built
from lepta.server import create_app, load_config

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


def test_the_title_tags_and_attributes_are_in_the_head_once_each(client):
    text = client.get("/").text
    head = head_of(text)
    assert head.count("<title>") == 1 and "<title>Page — Site</title>" in head
    assert head.count('name="description"') == 1 and 'content="inner"' in head
    assert head.count('name="viewport"') == 1 and 'content="width=600"' in head
    assert '<html lang="fr">' in text and '<body class="page">' in text
    assert 'href="/extra.css"' in head and "data-lepta-meta=" in head


def test_inline_scripts_of_the_head_carry_the_page_nonce(client):
    response = client.get("/")
    nonce = response.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    head = head_of(response.text)
    assert '<script nonce="%s" data-lepta-meta=' % nonce in head
    assert "start()</script>" in head


def test_a_hostile_title_stays_text(client):
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

