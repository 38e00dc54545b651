"""What the server says besides the page: security headers, caching of assets and
errors, content negotiation, ranges, and the page's address."""

import gzip

import brotli
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from app_folders import make_app, settings
from lepta.build.bundle import ensure_built
from lepta.server import ConfigError, create_app, load_config
from lepta.server._files import accepted_encodings

WHERE = """
    from lepta import component, use_location, use_nonce
    from lepta.html import li, p, script, ul

    @component
    def App():
        here = use_location()
        nonce = use_nonce()
        return ul(
            li(here.path, id="path"),
            li(here.decoded_path, id="decoded"),
            li(repr(here.segments), id="segments"),
            li(here.query, id="query"),
            p("no nonce") if nonce is None else script("window.ok = 1", nonce=nonce),
        )
"""


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("hardening") / "where", WHERE, name="hardening_app")
    ensure_built(load_config(folder))
    return folder


@pytest.fixture
def client(app_folder):
    settings(app_folder, "")
    with TestClient(create_app(app_folder)) as client:
        yield client


def item(html, id):
    start = html.index('<li id="%s">' % id) + len('<li id="%s">' % id)
    return html[start : html.index("</li>", start)]


# --- security headers -----------------------------------------------------------------
def test_every_response_carries_the_default_security_headers(client):
    for url in ["/", "/_lepta/nothing-here"]:
        headers = client.get(url).headers
        assert headers["x-content-type-options"] == "nosniff", url
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin", url
        assert headers["x-frame-options"] == "SAMEORIGIN", url


def test_assets_carry_the_security_headers_too(client, app_folder):
    url, _ = asset(app_folder)
    headers = client.get(url).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN"


def test_under_csp_framing_is_limited_by_frame_ancestors_instead_of_x_frame_options(app_folder):
    settings(app_folder, "csp = true\n")
    with TestClient(create_app(app_folder)) as client:
        headers = client.get("/").headers
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert "x-frame-options" not in headers
    assert headers["x-content-type-options"] == "nosniff"


def test_headers_can_be_changed_removed_and_added_in_the_settings(app_folder):
    settings(
        app_folder,
        "frame_ancestors = \"'none'\"\n[tool.lepta.headers]\n"
        '"Referrer-Policy" = "no-referrer"\n"X-Content-Type-Options" = false\n'
        '"Permissions-Policy" = "camera=()"\n',
    )
    with TestClient(create_app(app_folder)) as client:
        headers = client.get("/").headers
    assert headers["referrer-policy"] == "no-referrer"
    assert "x-content-type-options" not in headers
    assert headers["permissions-policy"] == "camera=()"
    assert headers["x-frame-options"] == "DENY"


def test_framing_by_named_origins_is_said_with_csp_even_without_csp_on(app_folder):
    settings(app_folder, 'frame_ancestors = "https://portal.example"\n')
    with TestClient(create_app(app_folder)) as client:
        headers = client.get("/").headers
    assert headers["content-security-policy"] == "frame-ancestors https://portal.example"
    assert "x-frame-options" not in headers


def test_a_bad_header_setting_is_refused_with_what_to_write(app_folder):
    for extra, words in [
        ('[tool.lepta.headers]\n"X-Thing" = 3\n', "false to send no such header"),
        ('[tool.lepta.headers]\n"Bad Name" = "x"\n', "is not a header name"),
        ('frame_ancestors = "\'self\'; script-src *"\n', "CSP source list"),
    ]:
        settings(app_folder, extra)
        with pytest.raises(ConfigError, match=words):
            load_config(app_folder)
    settings(app_folder, "")


def test_error_responses_are_never_cached(app_folder, tmp_path):
    settings(app_folder, "")
    with TestClient(create_app(app_folder)) as client:
        missing = client.get("/_lepta/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["cache-control"] == "no-store"
    source = """
        from lepta import component

        @component
        def App():
            raise RuntimeError("no page today")
    """
    broken = make_app(tmp_path / "broken", source, name="broken_app")
    ensure_built(load_config(broken))
    with TestClient(create_app(broken)) as client:
        failed = client.get("/")
    assert failed.status_code == 500
    assert failed.headers["cache-control"] == "no-store"
    assert failed.headers["x-content-type-options"] == "nosniff"


def test_under_csp_the_app_reads_the_page_nonce_for_its_own_scripts(app_folder):
    settings(app_folder, "csp = true\n")
    with TestClient(create_app(app_folder)) as client:
        response = client.get("/")
    policy = response.headers["content-security-policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert '<script nonce="%s">window.ok = 1</script>' % nonce in response.text


def test_without_csp_the_app_has_no_nonce(client):
    assert "<p>no nonce</p>" in client.get("/").text


# --- assets: encodings, revalidation, ranges --------------------------------------------
@pytest.mark.parametrize(
    "header, chosen",
    [
        ("gzip, br", "br"),
        ("br;q=0, gzip", "gzip"),
        ("BR", "br"),
        ("GZip;Q=0.5", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("identity", None),
        ("*", "br"),
        ("*, br;q=0", "gzip"),
        ("", None),
    ],
)
def test_accept_encoding_is_read_with_its_q_values_in_any_case(client, app_folder, header, chosen):
    url, _ = asset(app_folder)
    response = client.get(url, headers={"accept-encoding": header})
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == chosen


def test_accepted_encodings_parses_q_values():
    assert accepted_encodings("br;q=0, gzip") == {"gzip"}
    assert accepted_encodings("gzip;q=0.001, BR;q=1") == {"gzip", "br"}
    assert accepted_encodings("gzip;q=bad") == set()
    assert accepted_encodings("*;q=0") == set()


def asset(app_folder):
    site = load_config(app_folder).site / "_lepta"
    bundle = next(p for p in site.iterdir() if p.name.startswith("bundle-") and p.suffix == ".bin")
    return "/_lepta/" + bundle.name, bundle.read_bytes()


def test_an_asset_the_browser_has_is_answered_304(client, app_folder):
    url, _ = asset(app_folder)
    first = client.get(url, headers={"accept-encoding": "gzip"})
    etag = first.headers["etag"]
    again = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    listed = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": '"x", ' + etag})
    assert listed.status_code == 304
    other = client.get(url, headers={"accept-encoding": "br", "if-none-match": etag})
    assert other.status_code == 200  # the brotli form is another representation
    assert other.headers["etag"] != etag


def test_a_valid_range_is_served_and_one_past_the_end_is_416(client, app_folder):
    url, data = asset(app_folder)
    plain = {"accept-encoding": "identity"}
    part = client.get(url, headers={**plain, "range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == data[:10]
    past = client.get(url, headers={**plain, "range": "bytes=%d-" % (len(data) + 10)})
    assert past.status_code == 416


@pytest.mark.parametrize("header", ["bytes=9-2", "bytes=abc", "items=0-5", "bytes=", "bytes=-"])
def test_a_malformed_range_is_ignored_and_the_whole_file_sent(client, app_folder, header):
    url, data = asset(app_folder)
    response = client.get(url, headers={"accept-encoding": "identity", "range": header})
    assert response.status_code == 200
    assert response.content == data


def test_compressed_assets_decompress_to_the_file(client, app_folder):
    url, data = asset(app_folder)
    gz = client.get(url, headers={"accept-encoding": "gzip"})
    # The test client decodes gzip itself; brotli is checked by hand.
    assert gz.content == data or gzip.decompress(gz.content) == data
    br = client.get(url, headers={"accept-encoding": "br"})
    assert br.headers["content-encoding"] == "br"
    assert br.content == data or brotli.decompress(br.content) == data


# --- the page's address -----------------------------------------------------------------
@pytest.mark.parametrize(
    "url, path, decoded, segments",
    [
        ("/a%2Fb", "/a%2Fb", "/a/b", ["a/b"]),
        ("/a/b", "/a/b", "/a/b", ["a", "b"]),
        ("/caf%C3%A9/x%20y", "/caf%C3%A9/x%20y", "/café/x y", ["café", "x y"]),
        ("/..%2f..%2fetc", "/..%2f..%2fetc", "/../../etc", ["../../etc"]),
    ],
)
def test_the_location_path_is_percent_encoded_as_the_browser_shows_it(
    client, url, path, decoded, segments
):
    html = client.get(url).text
    assert item(html, "path") == path
    assert item(html, "decoded") == decoded
    assert item(html, "segments") == repr(segments)


@pytest.mark.parametrize(
    "raw, shown",
    [
        (b"/items/3", "/items/3"),
        (b"/a b/caf\xc3\xa9", "/a%20b/caf%C3%A9"),
        (b'/%41/"q"/<t>/{x}/`', '/%41/%22q%22/%3Ct%3E/%7Bx%7D/%60'),
        (b"/tab\there\x7f", "/tab%09here%7F"),
    ],
)
def test_a_raw_path_is_shown_as_the_browser_shows_it_escapes_kept(raw, shown):
    from lepta.server._app import browser_path

    assert browser_path(raw) == shown


def test_a_mounted_app_sees_its_path_below_the_mount_point_and_tells_the_browser(app_folder):
    settings(app_folder, "")
    outer = Starlette(routes=[Mount("/my app", app=create_app(app_folder))])
    with TestClient(outer) as client:
        html = client.get("/my%20app/users/3").text
    assert item(html, "path") == "/users/3"
    assert 'data-lepta-base="/my%20app"' in html


def test_a_path_with_a_trailing_slash_redirects_308_to_its_canonical_form(client):
    moved = client.get("/users/3/?tab=1", follow_redirects=False)
    assert moved.status_code == 308
    assert moved.headers["location"] == "/users/3?tab=1"
    doubled = client.get("/users//3", follow_redirects=False)
    assert doubled.status_code == 308 and doubled.headers["location"] == "/users/3"
    assert client.get("/", follow_redirects=False).status_code == 200


def test_a_mounted_app_redirects_within_its_mount_point(app_folder):
    settings(app_folder, "")
    outer = Starlette(routes=[Mount("/app", app=create_app(app_folder))])
    with TestClient(outer) as client:
        moved = client.get("/app/users/", follow_redirects=False)
        root = client.get("/app/", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/app/users"
    assert root.status_code == 200
