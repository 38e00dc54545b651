"""examples/ssr_modes served by create_app: each post route streams in its own mode,
and an unknown post is a 404 where the mode allows it (async)."""

import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from lepta.build.bundle import ensure_built
from lepta.server import create_app, load_config

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ssr_modes"
SWAP = "$lepta_swap"


@pytest.fixture(scope="module")
def client():
    # The example's module is `app`, as in every example: keep another's out of the way.
    other = sys.modules.pop("app", None)
    ensure_built(load_config(EXAMPLE))
    try:
        with TestClient(create_app(EXAMPLE)) as client:
            yield client
    finally:
        sys.modules.pop("app", None)
        if other is not None:
            sys.modules["app"] = other
        if str(EXAMPLE) in sys.path:
            sys.path.remove(str(EXAMPLE))


def chunks(client, path):
    """The status and the body's chunks, as the server sent them."""
    with client.stream("GET", path) as response:
        return response.status_code, list(response.iter_text())


def body(chunk):
    return chunk.split("<body>")[-1]


def test_out_of_order_sends_the_fallback_first_then_swaps_the_post_in(client):
    status, parts = chunks(client, "/post/2")
    assert status == 200
    first = body(parts[0])
    assert 'class="loading">Loading post...</p>' in first and 'id="title"' not in first
    rest = "".join(parts[1:])
    assert '<h1 id="title">My second post</h1>' in rest and SWAP in rest


def test_in_order_stops_at_the_suspense_then_sends_the_rest_in_order_with_no_script(client):
    status, parts = chunks(client, "/post_in_order/2")
    assert status == 200
    first = body(parts[0])
    assert first.endswith("<em>The world's best content.</em><!--s:1-->")
    assert "Loading post..." not in "".join(parts)  # the fallback is never sent
    html = "".join(parts)
    assert html.index('<h1 id="title">My second post</h1>') < html.index("</main>")
    assert '<p id="content">This is my second post.</p>' in html
    assert SWAP not in html and "<template" not in html


def title(html):
    return html.split("<title>")[1].split("</title>")[0]


def test_async_sends_the_whole_page_at_once_with_the_posts_title_in_its_head(client):
    status, parts = chunks(client, "/post_async/3")
    assert status == 200
    assert len(parts) == 1 and parts[0].endswith("</body></html>")  # the whole page at once
    page = parts[0]
    assert '<h1 id="title">My third post</h1>' in page
    assert '<p id="content">This is my third post.</p>' in page
    assert "Loading post..." not in page and SWAP not in page
    assert title(page) == "My third post"


@pytest.mark.parametrize("path", ["/post/3", "/post_in_order/3"])
def test_streamed_modes_send_their_head_before_the_post_has_loaded(client, path):
    _, parts = chunks(client, path)
    assert title(parts[0]) == "My Great Blog"  # the app's title; the browser sets the post's


@pytest.mark.parametrize("path", ["/post_async/99", "/post_async/abc"])
def test_an_unknown_post_is_a_404_under_async(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert '<p id="not-found">Post not found</p>' in response.text
    assert title(response.text) == "Post not found"


@pytest.mark.parametrize("path", ["/post/99", "/post_in_order/99"])
def test_streamed_modes_say_post_not_found_after_their_200_has_gone_out(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<p id="not-found">Post not found</p>' in response.text


def test_the_list_streams_out_of_order_with_a_link_per_post_and_mode(client):
    status, parts = chunks(client, "/")
    assert status == 200
    assert "Loading posts..." in body(parts[0]) and 'id="posts"' not in body(parts[0])
    rest = "".join(parts[1:])
    for post in (1, 2, 3):
        for prefix in ("/post/", "/post_in_order/", "/post_async/"):
            assert 'href="%s%d"' % (prefix, post) in rest


def test_an_unknown_address_is_a_404(client):
    response = client.get("/posts/1")
    assert response.status_code == 404
    assert "<h1>Not Found</h1>" in response.text
